// Verifies AWS Signature Version 4 (Authorization header or presigned query) against known credentials.
// The canonical request and string to sign come from @smithy/signature-v4, the same code the AWS SDK signs with;
// this module only parses what the client sent, checks scope and clock, and compares in constant time.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { ALGORITHM_IDENTIFIER, getCanonicalHeaders, getSigningKey, SignatureV4Base, UNSIGNED_PAYLOAD } from "@smithy/signature-v4";

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface SignedRequest {
  readonly method: string;
  /** The request target exactly as received: raw path, `?`, raw query. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface VerifyOptions {
  readonly region: string;
  readonly services: readonly string[];
  readonly now?: Date;
  /** Allowed clock skew either way, in milliseconds. AWS allows 5 minutes. */
  readonly maxSkewMs?: number;
}

export type SigV4FailureKind =
  | "MissingAuthenticationToken"
  | "IncompleteSignature"
  | "InvalidSignature"
  | "UnrecognizedClient";

export type VerifyResult =
  | { readonly ok: true; readonly service: string; readonly accessKeyId: string }
  | { readonly ok: false; readonly kind: SigV4FailureKind; readonly message: string };

const sha256 = Hash.bind(null, "sha256");

class CanonicalSigner extends SignatureV4Base {
  constructor(service: string, region: string, credentials: Credentials) {
    super({ service, region, credentials, sha256, uriEscapePath: true });
  }

  async signature(request: HttpRequest, signedHeaders: readonly string[], payloadHash: string, longDate: string, scope: string, credentials: Credentials): Promise<string> {
    const canonicalHeaders = getCanonicalHeaders(request, new Set(), new Set(signedHeaders));
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const stringToSign = await this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
    const [shortDate, region, service] = scope.split("/") as [string, string, string];
    const key = await getSigningKey(sha256, credentials, shortDate, region, service);
    return createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  }
}

interface ParsedAuth {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  longDate: string;
  /** Presigned URLs carry their own lifetime. */
  expiresSeconds?: number;
}

const fail = (kind: SigV4FailureKind, message: string): VerifyResult => ({ ok: false, kind, message });

function header(req: SignedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

function splitQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (!rawQuery) return query;
  for (const pair of rawQuery.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const key = safeDecode(eq >= 0 ? pair.slice(0, eq) : pair);
    const value = safeDecode(eq >= 0 ? pair.slice(eq + 1) : "");
    const prev = query[key];
    query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return query;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * How AWS's front door reads the `Authorization` header of a request that matches no route (data-plane.md §3.3):
 * as SigV4, whatever its scheme, so `Bearer abc` is an incomplete signature. Returns that message, or undefined
 * when the header reads as a SigV4 one (the request is then just unroutable).
 */
export function incompleteAuthorization(value: string, dates: { readonly xAmzDate: string | undefined; readonly date: string | undefined }): string | undefined {
  const headers: Record<string, string | undefined> = { "x-amz-date": dates.xAmzDate, date: dates.date };
  const parsed = parseAuthorizationHeader(value, { method: "GET", url: "/", headers, body: Buffer.alloc(0) });
  return "ok" in parsed && !parsed.ok && parsed.kind === "IncompleteSignature" ? parsed.message : undefined;
}

function parseAuthorizationHeader(value: string, req: SignedRequest): ParsedAuth | VerifyResult {
  // AWS reads "<scheme> k=v, k=v" whatever the scheme: `Bearer abc` fails on the pair `abc`, while `Bearer abc=`
  // gets as far as the list of missing SigV4 parameters.
  const space = value.search(/\s/);
  const scheme = space < 0 ? value : value.slice(0, space);
  const fields = new Map<string, string>();
  for (const part of space < 0 ? [] : value.slice(space + 1).split(",")) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf("=");
    if (eq < 0) {
      return fail("IncompleteSignature", `'${trimmed}' not a valid key=value pair (missing equal-sign) in Authorization header: '${value}'.`);
    }
    fields.set(trimmed.slice(0, eq), trimmed.slice(eq + 1));
  }
  const longDate = header(req, "x-amz-date") ?? toLongDate(header(req, "date"));
  const missing: string[] = [];
  if (!fields.has("Credential")) missing.push("Authorization header requires 'Credential' parameter.");
  if (!fields.has("Signature")) missing.push("Authorization header requires 'Signature' parameter.");
  if (!fields.has("SignedHeaders")) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (!longDate) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (missing.length) return fail("IncompleteSignature", `${missing.join(" ")} Authorization=${value}`);
  if (scheme !== ALGORITHM_IDENTIFIER) return fail("IncompleteSignature", `Unsupported AWS 'algorithm': '${scheme}'. Use '${ALGORITHM_IDENTIFIER}'.`);
  return parseCredential(fields.get("Credential")!, fields.get("SignedHeaders")!, fields.get("Signature")!, longDate!);
}

function parseCredential(credential: string, signedHeaders: string, signature: string, longDate: string): ParsedAuth | VerifyResult {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request") {
    return fail("IncompleteSignature", `Credential should be scoped to a valid region. `);
  }
  const [accessKeyId, shortDate, region, service] = parts as [string, string, string, string];
  return { accessKeyId, shortDate, region, service, signedHeaders: signedHeaders.toLowerCase().split(";"), signature, longDate };
}

/** `Date` header (RFC 7231) → `yyyyMMddTHHmmssZ`. */
function toLongDate(date: string | undefined): string | undefined {
  if (!date) return undefined;
  const t = Date.parse(date);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function parseLongDate(longDate: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(longDate);
  if (!m) return undefined;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

function constantTimeEqual(a: string, b: string): boolean {
  // Hash both sides first so the comparison time does not depend on where (or whether) lengths differ.
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

export async function verifySigV4(req: SignedRequest, credentials: Credentials, options: VerifyOptions): Promise<VerifyResult> {
  const qIndex = req.url.indexOf("?");
  const rawPath = qIndex >= 0 ? req.url.slice(0, qIndex) : req.url;
  const query = splitQuery(qIndex >= 0 ? req.url.slice(qIndex + 1) : "");
  const authHeader = header(req, "authorization");
  const presigned = typeof query["X-Amz-Algorithm"] === "string";

  let parsed: ParsedAuth | VerifyResult;
  if (authHeader) {
    parsed = parseAuthorizationHeader(authHeader, req);
  } else if (presigned) {
    const q = (k: string): string | undefined => (typeof query[k] === "string" ? (query[k] as string) : undefined);
    if (q("X-Amz-Algorithm") !== ALGORITHM_IDENTIFIER) return fail("IncompleteSignature", "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    const missing = ["X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"].filter((k) => q(k) === undefined);
    if (missing.length) return fail("IncompleteSignature", `AWS query-string parameters must include ${missing.map((m) => `'${m}'`).join(", ")}. Re-examine the query-string parameters.`);
    parsed = parseCredential(q("X-Amz-Credential")!, q("X-Amz-SignedHeaders")!, q("X-Amz-Signature")!, q("X-Amz-Date")!);
    const expires = q("X-Amz-Expires");
    if (!("ok" in parsed) && expires !== undefined) parsed.expiresSeconds = Number(expires);
  } else {
    return fail("MissingAuthenticationToken", "Missing Authentication Token");
  }
  if ("ok" in parsed) return parsed;

  if (!constantTimeEqual(parsed.accessKeyId, credentials.accessKeyId)) {
    return fail("UnrecognizedClient", "The security token included in the request is invalid.");
  }

  const signedAt = parseLongDate(parsed.longDate);
  if (signedAt === undefined) return fail("IncompleteSignature", `Date must be in ISO-8601 'basic format'. Got '${parsed.longDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  const now = (options.now ?? new Date()).getTime();
  const skew = options.maxSkewMs ?? 5 * 60_000;
  const fmt = (t: number): string => new Date(t).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  if (parsed.expiresSeconds !== undefined) {
    if (now > signedAt + parsed.expiresSeconds * 1000) {
      return fail("InvalidSignature", `Signature expired: ${parsed.longDate} is now earlier than ${fmt(now - parsed.expiresSeconds * 1000)} (${fmt(now)} - ${parsed.expiresSeconds} sec.)`);
    }
  } else if (signedAt < now - skew) {
    return fail("InvalidSignature", `Signature expired: ${parsed.longDate} is now earlier than ${fmt(now - skew)} (${fmt(now)} - 5 min.)`);
  }
  if (signedAt > now + skew) {
    return fail("InvalidSignature", `Signature not yet current: ${parsed.longDate} is still later than ${fmt(now + skew)} (${fmt(now)} + 5 min.)`);
  }
  if (parsed.shortDate !== parsed.longDate.slice(0, 8)) {
    return fail("InvalidSignature", `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.shortDate}' != '${parsed.longDate.slice(0, 8)}', from '${parsed.longDate}'.`);
  }
  if (parsed.region !== options.region) {
    return fail("InvalidSignature", `Credential should be scoped to a valid region. `);
  }
  if (!options.services.includes(parsed.service)) {
    return fail("InvalidSignature", `Credential should be scoped to correct service: '${options.services[0]}'. `);
  }
  if (!parsed.signedHeaders.includes("host")) {
    return fail("InvalidSignature", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  let payloadHash = header(req, "x-amz-content-sha256");
  const bodyHash = createHash("sha256").update(req.body).digest("hex");
  if (payloadHash === undefined) payloadHash = bodyHash;
  else if (payloadHash !== UNSIGNED_PAYLOAD && payloadHash !== bodyHash) {
    return fail("InvalidSignature", "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const v = header(req, name);
    if (v !== undefined) headers[name] = v;
  }
  const request = new HttpRequest({ method: req.method, path: rawPath, query, headers });
  const scope = `${parsed.shortDate}/${parsed.region}/${parsed.service}/aws4_request`;
  const signer = new CanonicalSigner(parsed.service, parsed.region, credentials);
  const expected = await signer.signature(request, parsed.signedHeaders, payloadHash, parsed.longDate, scope, credentials);
  if (!constantTimeEqual(expected, parsed.signature.toLowerCase())) {
    return fail(
      "InvalidSignature",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
  return { ok: true, service: parsed.service, accessKeyId: parsed.accessKeyId };
}
