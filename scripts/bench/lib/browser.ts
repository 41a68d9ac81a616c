// Debian's Chromium for the benchmarks (Playwright cannot download its own browser on this network),
// with the flags that keep it off the closed network.
import { chromium, type Browser } from "@playwright/test";

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: [...CHROMIUM_ARGS, ...extraArgs] });
}
