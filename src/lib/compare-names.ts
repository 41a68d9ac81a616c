// Natural name order, the same in the browser's tables and in the server's list pages.

const NAMES = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Names in natural order: "service-9" before "service-10". */
export function compareNames(a: string, b: string): number {
  return NAMES.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
