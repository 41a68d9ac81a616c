// Debian's Chromium for every Playwright configuration (Playwright cannot download its own browser
// here). As root it needs --no-sandbox; the rest keeps it off the closed network.
export const CHROMIUM_LAUNCH_OPTIONS = {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
};
