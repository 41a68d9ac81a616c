import { Suspense } from "react";
import { MessageBrowser } from "./_components/message-browser";

export const metadata = { title: "Messages" };

export default function Page() {
  return (
    <Suspense>
      <MessageBrowser />
    </Suspense>
  );
}
