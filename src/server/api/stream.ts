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

/**
 * Interleaves several streams into one, each value as soon as its stream yields it. Ends when every
 * source has ended; an error in any source ends the whole stream with that error. Each source is
 * expected to end by itself when its abort signal fires (the caller passes the request's signal).
 */
export async function* mergeStreams<T>(sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const next = (index: number) => iterators[index]!.next().then((result) => ({ index, result }));
  const pending = new Map(iterators.map((_, index) => [index, next(index)] as const));
  try {
    while (pending.size) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pending.set(index, next(index));
      yield result.value;
    }
  } finally {
    // Not awaited: a source still waiting for its next value finishes its return when its signal aborts.
    for (const iterator of iterators) void iterator.return?.(undefined)?.catch(() => undefined);
  }
}
