// The method request as mappings and templates see it: raw path parameters (never decoded, §3.2), decoded
// query values and header values by name as received, all values of repeated names in order — minus the headers
// API Gateway drops on arrival (§14.1: Connection, Content-Length, TE, …), which nothing downstream sees.
import type { Exchange } from "./exchange.js";
import { DROPPED_ON_ARRIVAL } from "./integrations/header-rules.js";

export interface MethodRequestView {
  readonly path: Record<string, string>;
  readonly querystring: Record<string, string[]>;
  readonly header: Record<string, string[]>;
}

/**
 * The query as REST APIs read it: `;` separates parameters like `&` (data-plane.md §17 — AWS documents that a
 * semicolon "results in the data being split"); an encoded `%3B` stays data.
 */
export function queryParameters(rawQuery: string): URLSearchParams {
  return new URLSearchParams(rawQuery.includes(";") ? rawQuery.replaceAll(";", "&") : rawQuery);
}

export function methodRequestView(ex: Exchange): MethodRequestView {
  const querystring: Record<string, string[]> = {};
  if (ex.request.rawQuery !== "") {
    for (const [name, value] of queryParameters(ex.request.rawQuery)) (querystring[name] ??= []).push(value);
  }
  const header: Record<string, string[]> = {};
  const raw = ex.request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (!DROPPED_ON_ARRIVAL.has(name.toLowerCase())) (header[name] ??= []).push(raw[i + 1]!);
  }
  return { path: { ...(ex.route?.pathParams ?? {}) }, querystring, header };
}

/** Last value of each name, the single-value view (`method.request.querystring.x`, `$input.params()`). */
export function lastValues(multi: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(multi)) out[name] = values[values.length - 1]!;
  return out;
}
