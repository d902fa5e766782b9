// COGNITO_USER_POOLS authorizers (data-plane.md §5.4): the identity header holds a JWT issued by one of the
// authorizer's user pools; it is verified (RS256) against that pool's JWKS with `jose`, then checked as AWS does —
// an ID token (`token_use` id, `aud` matching identityValidationExpression) for methods without
// authorizationScopes, an access token carrying one of the method's scopes otherwise. Every failure is 401.
//
// Where the pools live: AWS's `https://cognito-idp.{region}.amazonaws.com/{poolId}`, or a Cognito-compatible
// endpoint set with TOLLGATE_COGNITO_ENDPOINT (cognito-local, a test IdP), whose `{endpoint}/{poolId}` is then
// also an accepted issuer. Keys are fetched once and cached by jose (refetched on an unknown key id).
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from "jose";
import type { AuthorizerDoc, MethodDoc } from "../../domain/rest-api.js";
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange } from "../exchange.js";
import { formatLogTime } from "../execution-log.js";
import { GatewayError } from "../gateway-error.js";
import { compileSelectionPattern } from "../mapping/selection-pattern.js";

export interface CognitoServices {
  /** A Cognito-compatible endpoint (e.g. http://127.0.0.1:9229) instead of AWS's. */
  readonly endpoint: string | undefined;
}

interface Pool {
  /** Issuers a token of this pool may carry. */
  readonly issuers: readonly string[];
  readonly keys: ReturnType<typeof createRemoteJWKSet>;
}

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
const keySetFor = (url: string): ReturnType<typeof createRemoteJWKSet> => {
  let keys = keySets.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url));
    keySets.set(url, keys);
  }
  return keys;
};

const unauthorized = (log: string, message?: string): GatewayError =>
  new GatewayError("UNAUTHORIZED", { log: `Unauthorized request: ${log}`, ...(message !== undefined ? { message } : {}) });

function poolsOf(doc: AuthorizerDoc, services: CognitoServices): Pool[] {
  const pools: Pool[] = [];
  for (const arn of doc.providerARNs ?? []) {
    const m = /^arn:aws[a-z-]*:cognito-idp:([^:]+):\d{12}:userpool\/(.+)$/.exec(arn);
    if (!m) continue;
    const [, region, poolId] = m as unknown as [string, string, string];
    const awsIssuer = `https://cognito-idp.${region}.amazonaws.com/${poolId}`;
    const local = services.endpoint?.replace(/\/+$/, "");
    const issuers = local !== undefined ? [awsIssuer, `${local}/${poolId}`] : [awsIssuer];
    pools.push({ issuers, keys: keySetFor(`${local ?? `https://cognito-idp.${region}.amazonaws.com`}/${poolId}/.well-known/jwks.json`) });
  }
  return pools;
}

/** `method.request.header.Authorization` → `authorization`. */
function headerOf(identitySource: string | undefined): string {
  const m = /^method\.request\.header\.(.+)$/i.exec(identitySource ?? "");
  return (m?.[1] ?? "Authorization").toLowerCase();
}

/** Claims as the Lambda event and `$context.authorizer.claims` carry them: strings, `exp`/`iat` as Java dates. */
function claimStrings(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if ((name === "exp" || name === "iat") && typeof value === "number") out[name] = formatLogTime(new Date(value * 1000));
    else out[name] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}

export function cognitoAuthorizeStep(doc: AuthorizerDoc, method: MethodDoc, services: CognitoServices): PhaseStep {
  const pools = poolsOf(doc, services);
  const header = headerOf(doc.identitySource);
  const scopes = method.authorizationScopes ?? [];
  // Matched against the whole `aud` claim with the Java-regex matcher TOKEN authorizers use for the same field
  // (a pattern it cannot translate matches nothing rather than failing the stage's compilation).
  const audience = doc.identityValidationExpression ? compileSelectionPattern(doc.identityValidationExpression) : undefined;
  return async (ex: Exchange) => {
    const started = performance.now();
    const token = ex.request.header(header)?.trim();
    if (!token) throw unauthorized("no identity token");
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw unauthorized("the identity token is not a JWT");
    }
    const pool = pools.find((p) => typeof issuer === "string" && p.issuers.includes(issuer));
    if (!pool) throw unauthorized(`issuer ${String(issuer)} is none of the authorizer's user pools`);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, pool.keys, { issuer: issuer as string, algorithms: ["RS256"] }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw unauthorized("the token has expired", "The incoming token has expired");
      throw unauthorized(`token verification failed (${err instanceof Error ? err.message : String(err)})`);
    }
    if (scopes.length > 0) {
      const granted = typeof payload["scope"] === "string" ? payload["scope"].split(" ") : [];
      if (payload["token_use"] !== "access" || !scopes.some((s) => granted.includes(s))) throw unauthorized("no authorization scope of the method granted");
    } else {
      if (payload["token_use"] !== "id") throw unauthorized("an ID token is required");
      const aud = typeof payload.aud === "string" ? payload.aud : "";
      if (audience && !audience(aud)) throw unauthorized("the token's audience does not match");
    }
    ex.log?.add(`Successfully completed Cognito authorization for ${String(payload.sub)}`);
    ex.authorizer = { principalId: String(payload.sub ?? ""), context: {}, claims: claimStrings(payload), latencyMs: performance.now() - started };
  };
}
