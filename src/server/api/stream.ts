// Subscriptions stream from async generators; an AppError thrown mid-stream must reach the browser
// as the same readable tRPC error a query would give (the appErrors middleware only sees the start).
import { TRPCError } from "@trpc/server";
import { isAppError } from "~/server/errors";

export async function* appStream<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    if (isAppError(error)) throw new TRPCError({ code: error.trpcCode, message: error.userMessage, cause: error });
    throw error;
  }
}
