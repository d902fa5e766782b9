// Which headers API Gateway drops, adds and renames between client and backend (data-plane.md §14).
import { nextRandomHex } from "../request-ids.js";

/** §14.1: dropped from every client request before anything else, plus HTTP/1.1 hop-by-hop extras. */
const DROPPED_FROM_CLIENT = new Set([
  "connection",
  "content-md5",
  "expect",
  "max-forwards",
  "proxy-authenticate",
  "server",
  "te",
  "transfer-encoding",
  "trailer",
  "upgrade",
  "www-authenticate",
  "keep-alive",
  "proxy-connection",
  "http2-settings",
]);

/**
 * §14.1: what no part of the request path sees — templates, mappings, validators, cache keys, Lambda events — as
 * if the client had not sent it. (HTTP_PROXY keeps Content-Length for the byte-for-byte body, see below.)
 */
export const DROPPED_ON_ARRIVAL: ReadonlySet<string> = new Set([...DROPPED_FROM_CLIENT, "content-length"]);

/**
 * §14.1 "dropped after mapping" for HTTP and HTTP_PROXY (Expect, Proxy-Authenticate, TE, Via), plus hop-by-hop
 * names that describe the gateway's own connection to the backend: a mapping or override setting one is ignored
 * rather than breaking every call.
 */
export const DROPPED_AFTER_MAPPING: ReadonlySet<string> = new Set(["expect", "proxy-authenticate", "te", "via", "connection", "keep-alive", "proxy-connection", "upgrade"]);

/**
 * HTTP_PROXY forwards every client header except these: the backend's own Host is used, and API Gateway sets
 * Via and its trace/api-id headers itself. Content-Length is kept because the body is forwarded byte for byte
 * (it is what API Gateway's recomputed value would be). Content-Encoding is kept too: the body passes unchanged,
 * so dropping it (as AWS is recorded doing) would hand the backend compressed bytes it cannot interpret.
 */
const DROPPED_FOR_HTTP_PROXY = new Set([
  ...DROPPED_FROM_CLIENT,
  "host",
  "via",
  "x-amzn-trace-id",
  "x-amzn-apigateway-api-id",
]);

/** §14.2, HTTP_PROXY: these backend headers reach the client as `x-amzn-Remapped-{Name}`. */
const REMAPPED_FROM_PROXY = new Set(["connection", "content-length", "date", "server", "x-amzn-requestid"]);
/** §14.2: dropped; `keep-alive` is hop-by-hop and illegal on HTTP/2. */
const DROPPED_FROM_PROXY = new Set(["transfer-encoding", "via", "keep-alive", "proxy-connection", "upgrade"]);

/** §14.2, HTTP/AWS non-proxy: mapped headers with these names are renamed (only `Transfer-Encoding` is dropped). */
export const REMAPPED_FROM_MAPPING = new Set([
  "authorization",
  "connection",
  "content-length",
  "content-md5",
  "date",
  "expect",
  "host",
  "max-forwards",
  "proxy-authenticate",
  "server",
  "trailer",
  "upgrade",
  "user-agent",
  "www-authenticate",
]);
/** §14.2, MOCK (and Lambda proxy objects). */
export const REMAPPED_FROM_MOCK = new Set(["connection", "content-length", "date", "server"]);

/** §10.4: mapping one of these makes every call fail with 500 (`… header already present`). */
export const RESERVED_MAPPED_HEADERS = new Set(["content-length", "transfer-encoding", "x-amzn-trace-id", "x-amzn-apigateway-api-id"]);

const isSigV4Authorization = (value: string): boolean => value.startsWith("AWS4-HMAC-SHA256 ");

/**
 * The client headers an HTTP_PROXY backend receives, casing preserved, `overrides` (lower-case name → value,
 * from requestParameters) replacing same-named client headers.
 */
export function proxyRequestHeaders(
  rawHeaders: readonly string[],
  apiId: string,
  sourceIp: string,
  localPort: number,
  overrides: ReadonlyMap<string, readonly [string, string]> | undefined,
  /** The request's arrival (epoch ms), for a new trace id's timestamp. */
  nowMs = Date.now(),
): string[] {
  const out: string[] = [];
  let traceId: string | undefined;
  let forwardedFor: string | undefined;
  let hasAccept = false;
  let hasUserAgent = false;
  // Repeated client headers reach the backend as one, values joined with "," (§14.1).
  let seen: Map<string, number> | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (lower === "x-amzn-trace-id") traceId = value;
    else if (lower === "x-forwarded-for") forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
    if (DROPPED_FOR_HTTP_PROXY.has(lower) || lower === "x-forwarded-for" || lower === "x-forwarded-port" || lower === "x-forwarded-proto") continue;
    if (lower === "authorization" && isSigV4Authorization(value)) continue;
    if (overrides?.has(lower)) continue;
    if (lower === "accept") hasAccept = true;
    else if (lower === "user-agent") hasUserAgent = true;
    seen ??= new Map();
    const at = seen.get(lower);
    if (at === undefined) {
      seen.set(lower, out.length);
      out.push(name, value);
    } else {
      out[at + 1] += "," + value;
    }
  }
  if (overrides) {
    for (const [lower, [name, value]] of overrides) {
      if (DROPPED_AFTER_MAPPING.has(lower)) continue;
      if (lower === "accept") hasAccept = true;
      else if (lower === "user-agent") hasUserAgent = true;
      out.push(name, value);
    }
  }
  if (!hasAccept) out.push("Accept", "application/json");
  if (!hasUserAgent) out.push("User-Agent", `AmazonAPIGateway_${apiId}`);
  out.push(
    "X-Forwarded-For",
    forwardedFor === undefined ? sourceIp : `${forwardedFor}, ${sourceIp}`,
    "X-Forwarded-Port",
    String(localPort),
    "X-Forwarded-Proto",
    "https",
    "X-Amzn-Trace-Id",
    traceHeader(traceId, nowMs),
    "X-Amzn-Apigateway-Api-Id",
    apiId,
  );
  return out;
}

/** `Root=1-{epoch hex}-{96-bit id};Parent=…;Sampled=0`, keeping a client-supplied Root (§14.1). */
export function traceHeader(clientValue: string | undefined, nowMs = Date.now()): string {
  const hex = nextRandomHex(20);
  let root: string | undefined;
  if (clientValue !== undefined) {
    const m = /(?:^|;)\s*Root=([^;]+)/i.exec(clientValue);
    if (m) root = m[1];
  }
  root ??= `1-${Math.floor(nowMs / 1000).toString(16).padStart(8, "0")}-${hex.slice(0, 24)}`;
  return `Root=${root};Parent=${hex.slice(24)};Sampled=0`;
}

/** `x-amzn-Remapped-{Name}` per backend spelling: a handful of names, built once each instead of per response. */
const remappedNames = new Map<string, string>();
function remappedName(name: string): string {
  let remapped = remappedNames.get(name);
  if (remapped === undefined) {
    remapped = `x-amzn-Remapped-${name}`;
    // Bounded: only the five remapped names, in whatever casings backends use.
    if (remappedNames.size < 256) remappedNames.set(name, remapped);
  }
  return remapped;
}

/**
 * The backend's response headers as the client sees them (§14.2, HTTP_PROXY). Returns the content length the
 * backend announced (API Gateway writes its own, equal, Content-Length) and whether it set a Content-Type.
 */
export function proxyResponseHeaders(raw: readonly Buffer[], out: string[]): { contentLength: number | undefined; hasContentType: boolean } {
  let contentLength: number | undefined;
  let hasContentType = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString("latin1");
    const lower = name.toLowerCase();
    const value = raw[i + 1]!.toString("latin1");
    if (DROPPED_FROM_PROXY.has(lower)) continue;
    if (REMAPPED_FROM_PROXY.has(lower)) {
      if (lower === "content-length") contentLength = Number(value);
      out.push(remappedName(name), value);
      continue;
    }
    if (lower === "content-type") hasContentType = true;
    out.push(name, value);
  }
  return { contentLength, hasContentType };
}
