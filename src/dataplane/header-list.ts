// Headers as the data plane passes them around: `[name, value, name, value, …]` in received order.

/** The first value of a header in such a list, by lower-case name. */
export function headerIn(list: readonly string[], lowerName: string): string | undefined {
  for (let i = 0; i < list.length; i += 2) if (list[i]!.toLowerCase() === lowerName) return list[i + 1];
  return undefined;
}
