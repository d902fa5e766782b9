import { translateJavaRegex } from "./java-regex.js";

/**
 * Compiles an integration response `selectionPattern` into a predicate with Java `String.matches` semantics:
 * the pattern must match the whole selection value (AWS: "matched against the entire string"), so `4\d{2}`
 * accepts "404" but neither "4040" nor "4"; `.` does not cross a newline unless the pattern enables `(?s)`.
 *
 * A pattern that is not a valid (or translatable) Java regular expression never matches, so one broken
 * integration response cannot take the whole deployment down; the default response then applies.
 */
export function compileSelectionPattern(pattern: string): (value: string) => boolean {
  let regex: RegExp;
  try {
    const { source, flags } = translateJavaRegex(pattern);
    // Anchors that ignore the m flag: (?m) must not turn the whole-string match into a per-line one.
    regex = new RegExp(`(?<![\\s\\S])(?:${source})(?![\\s\\S])`, flags);
  } catch {
    return () => false;
  }
  return (value: string) => regex.test(value);
}
