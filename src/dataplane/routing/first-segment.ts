// The one path-splitting step both endpoint forms need: the stage (default endpoint) or the base path and then
// perhaps the stage (custom domains) is the first segment of the raw path, after leading slashes collapse (§2).

export interface FirstSegment {
  /** The first segment ("" when the path has none). */
  readonly segment: string;
  /** The path from the `/` that ends the segment ("" when nothing follows). */
  readonly rest: string;
  /** Where the segment starts (the number of leading slashes). */
  readonly start: number;
}

export function firstSegment(rawPath: string): FirstSegment {
  let start = 0;
  while (start < rawPath.length && rawPath.charCodeAt(start) === 47) start++;
  const end = rawPath.indexOf("/", start);
  return end < 0 ? { segment: rawPath.slice(start), rest: "", start } : { segment: rawPath.slice(start, end), rest: rawPath.slice(end), start };
}
