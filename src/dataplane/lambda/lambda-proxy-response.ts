// The function's proxy response object → the method response (data-plane.md §11.3, every row verified on AWS):
// strict shape validation (anything unexpected is 502 "Malformed Lambda proxy response"), headers merged with
// the casing of `multiValueHeaders`, base64 bodies decoded only when the client's first Accept type is binary,
// then the header rules of §14.2 for AWS_PROXY.
import type { Exchange, MethodResponse } from "../exchange.js";
import { configurationError, GatewayError } from "../gateway-error.js";
import { firstAcceptType, matchesBinaryMediaTypes } from "../mapping/media-types.js";

const KEYS = new Set(["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]);
/** §14.2, AWS_PROXY: these function headers reach the client as `x-amzn-Remapped-{Name}`. */
const REMAPPED = new Set(["connection", "content-length", "date", "server"]);

export const malformedProxyResponse = (): GatewayError =>
  new GatewayError("API_CONFIGURATION_ERROR", { status: 502, log: "Execution failed due to configuration error: Malformed Lambda proxy response" });

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);

/** Header values: strings as they are, booleans and numbers stringified; anything else is malformed. */
function headerValue(value: Json): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  throw malformedProxyResponse();
}

function statusOf(value: Json | undefined): number {
  if (value === undefined || value === null) return 200;
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 100 || n > 599) throw malformedProxyResponse();
  return n;
}

/** `trace`: the X-Amzn-Trace-Id the function was given, returned on success unless the function set its own. */
export function translateProxyResponse(ex: Exchange, payload: Buffer, trace: string): MethodResponse {
  let parsed: Json;
  try {
    parsed = JSON.parse(payload.toString("utf8")) as Json;
  } catch {
    throw malformedProxyResponse();
  }
  if (!isObject(parsed)) throw malformedProxyResponse();
  for (const key of Object.keys(parsed)) if (!KEYS.has(key)) throw malformedProxyResponse();
  const status = statusOf(parsed["statusCode"]);

  // One header per name: multiValueHeaders first (its casing wins), then `headers` appended (§11.3).
  const merged = new Map<string, { name: string; values: string[] }>();
  const multi = parsed["multiValueHeaders"];
  if (multi !== undefined && multi !== null) {
    if (!isObject(multi)) throw malformedProxyResponse();
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) throw malformedProxyResponse();
      const entry = merged.get(name.toLowerCase()) ?? { name, values: [] };
      for (const v of values) if (v !== null) entry.values.push(headerValue(v));
      merged.set(name.toLowerCase(), entry);
    }
  }
  const single = parsed["headers"];
  if (single !== undefined && single !== null) {
    if (!isObject(single)) throw malformedProxyResponse();
    for (const [name, value] of Object.entries(single)) {
      if (value === null) continue;
      const entry = merged.get(name.toLowerCase()) ?? { name, values: [] };
      entry.values.push(headerValue(value));
      merged.set(name.toLowerCase(), entry);
    }
  }

  const rawBody = parsed["body"];
  if (rawBody !== undefined && rawBody !== null && typeof rawBody !== "string") throw malformedProxyResponse();
  const flag = parsed["isBase64Encoded"];
  if (flag !== undefined && flag !== null && typeof flag !== "boolean") throw malformedProxyResponse();
  let body = Buffer.from(rawBody ?? "", "utf8");
  const stage = ex.stage!;
  if (flag === true && matchesBinaryMediaTypes(stage.binaryMediaTypes, firstAcceptType(ex.request.header("accept")))) {
    const text = (rawBody ?? "").replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw configurationError("Unable to base64 decode the body");
    body = Buffer.from(text, "base64");
  }

  const headers: string[] = [];
  let hasContentType = false;
  let hasTraceId = false;
  for (const [lower, { name, values }] of merged) {
    if (values.length === 0 || lower === "transfer-encoding") continue;
    const value = values.join(", ");
    if (REMAPPED.has(lower)) {
      headers.push(`x-amzn-Remapped-${name}`, value);
      continue;
    }
    if (lower === "content-type") hasContentType = true;
    else if (lower === "x-amzn-trace-id") hasTraceId = true;
    headers.push(name, value);
  }
  if (!hasContentType) headers.push("Content-Type", "application/json");
  if (!hasTraceId && status < 400) headers.push("X-Amzn-Trace-Id", trace);
  return { status, headers, body };
}
