/** A dynamic route segment as the user typed it: percent-decoded, or as-is when it is not valid encoding. */
export function decodeRouteParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
