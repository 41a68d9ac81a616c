import type { Metadata } from "next";
import { Sidebar } from "~/components/layout/sidebar";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Signalbox", template: "%s · Signalbox" },
  description: "The control room for event-driven systems on Apache Kafka",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>
          <div className="shell">
            <Sidebar />
            <main className="content">{children}</main>
          </div>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
