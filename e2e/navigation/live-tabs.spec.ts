import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures";

// Every open console tab stays live on one server-sent stream: the tabs elect one to hold it and
// share its events. A stream per page and kind once took all six of the browser's connections to the
// host with four tabs open, and every other request of every tab waited behind them.

const LIVE_PAGES = ["/topics", "/groups", "/topology", "/dlq", "/alerts", "/topics", "/groups", "/topology"];

test("eight live tabs share one stream, every tab still loads, and another tab takes over when its holder closes", async ({ context }) => {
  // Which tab opened each stream: the first tab to hydrate wins the election, not always the first opened.
  const streams: Page[] = [];
  context.on("request", (request) => {
    if (new URL(request.url()).pathname.includes("live.events")) streams.push(request.frame().page());
  });
  const tabs = [];
  for (const path of LIVE_PAGES) {
    const tab = await context.newPage();
    await tab.goto(path);
    tabs.push(tab);
  }
  // The lag pages say "Live" only while the shared stream is open and a fresh sample arrived.
  for (const tab of tabs.filter((t) => !/\/(dlq|alerts)$/.test(t.url()))) {
    await expect(tab.getByTestId("live-indicator")).toHaveText(/^Live/);
  }
  // A ninth tab's ordinary requests are not stuck behind streams.
  const ninth = await context.newPage();
  await ninth.goto("/groups");
  await expect(ninth.getByTestId("group-row").first()).toBeVisible();
  expect(streams.length).toBeLessThanOrEqual(2);

  // Closing the tab that holds the stream hands it to another: a new stream opens and tabs stay live.
  const before = streams.length;
  const holder = streams[before - 1]!;
  await holder.close();
  await expect.poll(() => streams.length).toBeGreaterThan(before);
  expect(streams.at(-1)).not.toBe(holder);
  const other = tabs.find((tab) => tab !== holder && !/\/(dlq|alerts)$/.test(tab.url()))!;
  await expect(other.getByTestId("live-indicator")).toHaveText(/^Live/);
  await expect(ninth.getByTestId("live-indicator")).toHaveText(/^Live/);
});
