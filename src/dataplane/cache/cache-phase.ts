// The `lookupCache` phase (data-plane.md §9). A method whose stage has its cache cluster on and whose settings
// enable caching gets its integration phases (request mapping, integration, response mapping) wrapped: a hit
// answers from the cache and skips them all; a miss runs them and keeps the final method response — whether it
// was built in memory (non-proxy, Lambda) or streamed to the client (HTTP_PROXY, recorded on the way) — for the
// method's TTL. Gateway errors are never cached. Authorizers, API keys and validation run before, on hits too.
import { MAX_CACHED_RESPONSE_BYTES, stageKeyPrefix, type CachedResponse, type ResponseCache } from "../../cache/response-cache.js";
import type { IntegrationDoc } from "../../domain/rest-api.js";
import { DEFAULT_METHOD_SETTING, methodSettingFor, methodSettingKey, type MethodSetting } from "../../domain/stage.js";
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange, MethodResponse, ResponseSink } from "../exchange.js";
import { GatewayError } from "../gateway-error.js";
import { compileParameterMappings, isMappingSource } from "../mapping/parameter-mapping.js";
import { methodRequestView } from "../method-request.js";

export interface CachePolicy {
  readonly ttlSeconds: number;
  readonly requireAuthorizationForCacheControl: boolean;
  readonly unauthorizedCacheControlHeaderStrategy: MethodSetting["unauthorizedCacheControlHeaderStrategy"];
  readonly namespace: string;
  /** `method.request.*` expressions whose values are part of the key, in the integration's order. */
  readonly keyParameters: readonly string[];
}

export interface CacheStageInput {
  readonly cacheClusterEnabled?: boolean;
  readonly methodSettings?: Readonly<Record<string, MethodSetting>>;
}

/**
 * Whether, and how, a method caches. The cluster must be on; then the method's own settings entry decides, else
 * the stage-wide `*` / `*` entry — which, as on AWS, covers GET methods only — else GET methods cache by default.
 */
export function cachePolicy(
  stage: CacheStageInput,
  resourceId: string,
  resourcePath: string,
  httpMethod: string,
  integration: IntegrationDoc | undefined,
): CachePolicy | undefined {
  if (stage.cacheClusterEnabled !== true || !integration) return undefined;
  const own = stage.methodSettings?.[methodSettingKey(resourcePath, httpMethod)];
  const setting = methodSettingFor(stage.methodSettings, resourcePath, httpMethod) ?? DEFAULT_METHOD_SETTING;
  // Only the enabling differs from the usual resolution: the stage-wide entry turns caching on for GET alone.
  const enabled = own ? own.cachingEnabled : httpMethod === "GET" && (stage.methodSettings?.["*/*"]?.cachingEnabled ?? true);
  if (!enabled || setting.cacheTtlInSeconds <= 0) return undefined;
  return {
    ttlSeconds: setting.cacheTtlInSeconds,
    requireAuthorizationForCacheControl: setting.requireAuthorizationForCacheControl,
    unauthorizedCacheControlHeaderStrategy: setting.unauthorizedCacheControlHeaderStrategy,
    namespace: integration.cacheNamespace ?? resourceId,
    keyParameters: integration.cacheKeyParameters ?? [],
  };
}

/** AWS's recommended wording for an ignored invalidation request (data-plane.md §9; the text is undocumented). */
const IGNORED_CACHE_CONTROL = ["Warning", '199 - "Cache-Control header ignored: caller not authorized to invalidate cache"'];

export function cachedIntegration(
  policy: CachePolicy,
  cache: ResponseCache,
  stage: { readonly apiId: string; readonly stageName: string; readonly deploymentId: string; readonly cacheEpoch?: number },
  inner: readonly PhaseStep[],
): PhaseStep {
  // The epoch changes with every FlushStageCache, so a flush made through any worker or node reaches them all.
  const keyBase = `${stageKeyPrefix(stage.apiId, stage.stageName)}${stage.deploymentId}\u0000${stage.cacheEpoch ?? 0}\u0000${policy.namespace}\u0000`;
  const keyValues = compileKeyParameters(policy.keyParameters);
  return async (ex) => {
    let lookup = true;
    if (asksToInvalidate(ex)) {
      // execute-api:InvalidateCache needs an IAM-authenticated caller: on an AWS_IAM method that is the gateway's
      // own identity (the account root, allowed everything); any other caller lacks it and the strategy applies.
      if (!policy.requireAuthorizationForCacheControl || ex.iamIdentity !== undefined) lookup = false;
      else if (policy.unauthorizedCacheControlHeaderStrategy === "FAIL_WITH_403") {
        throw new GatewayError("DEFAULT_4XX", { status: 403, message: "Forbidden", log: "Cache invalidation refused: caller not authorized" });
      } else if (policy.unauthorizedCacheControlHeaderStrategy === "SUCCEED_WITH_RESPONSE_HEADER") {
        ex.extraResponseHeaders = IGNORED_CACHE_CONTROL;
      }
    }
    const key = keyBase + ex.request.method + "\u0000" + keyValues(ex);
    if (lookup) {
      const hit = await cache.get(key);
      if (hit) {
        cache.stats.hits++;
        ex.log?.add("Sending response from cache");
        ex.methodResponse = { status: hit.status, headers: hit.headers.slice(), body: hit.body };
        return;
      }
      cache.stats.misses++;
    }
    const recorder = new RecordingSink(ex.sink);
    ex.sink = recorder;
    try {
      for (const step of inner) {
        const pending = step(ex);
        if (pending !== undefined) await pending;
      }
    } finally {
      ex.sink = recorder.inner;
    }
    const response = ex.methodResponse ?? recorder.recorded();
    if (response && response.body.length <= MAX_CACHED_RESPONSE_BYTES) cache.set(key, storable(response), policy.ttlSeconds);
  };
}

function asksToInvalidate(ex: Exchange): boolean {
  const value = ex.request.header("cache-control");
  return value !== undefined && /(?:^|,)\s*max-age\s*=\s*0\s*(?:,|$)/i.test(value);
}

/**
 * Values of the key parameters for one request, as one string: each `method.request.*` expression is read by the
 * same parameter-mapping code request mappings use; one it cannot read contributes nothing.
 */
function compileKeyParameters(expressions: readonly string[]): (ex: Exchange) => string {
  const readable = expressions.filter(isMappingSource);
  if (readable.length === 0) return () => "";
  const mappings = compileParameterMappings(Object.fromEntries(readable.map((expression, i) => [String(i), expression])));
  return (ex) => {
    const view = methodRequestView(ex);
    const found = new Map(mappings.evaluate({ methodRequest: { ...view, body: "" }, stageVariables: {}, context: {} }).map((m) => [m.target, m.values]));
    return JSON.stringify(readable.map((_, i) => found.get(String(i)) ?? null));
  };
}

/** Headers that belong to one delivery, not to the response: each hit gets its own. */
const PER_REQUEST_HEADERS = new Set(["x-amzn-requestid", "x-amz-apigw-id", "content-length", "transfer-encoding", "connection", "date", "warning"]);

function storable(response: MethodResponse): CachedResponse {
  const headers: string[] = [];
  for (let i = 0; i + 1 < response.headers.length; i += 2) {
    const name = response.headers[i]!;
    if (!PER_REQUEST_HEADERS.has(name.toLowerCase())) headers.push(name, response.headers[i + 1]!);
  }
  return { status: response.status, headers, body: response.body };
}

/** Passes a streamed response through to the client and keeps a copy, up to the cacheable size. */
class RecordingSink implements ResponseSink {
  private status = 0;
  private headers: string[] = [];
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private complete = false;
  private spoiled = false;

  constructor(readonly inner: ResponseSink) {}

  get headersSent(): boolean {
    return this.inner.headersSent;
  }

  start(status: number, headers: string[], contentLength?: number): void {
    this.status = status;
    this.headers = headers.slice();
    this.inner.start(status, headers, contentLength);
  }

  write(chunk: Buffer): boolean {
    this.keep(chunk);
    return this.inner.write(chunk);
  }

  end(chunk?: Buffer): void {
    if (chunk !== undefined) this.keep(chunk);
    this.complete = true;
    this.inner.end(chunk);
  }

  onDrain(listener: () => void): void {
    this.inner.onDrain(listener);
  }

  onAbort(listener: () => void): void {
    this.inner.onAbort(() => {
      this.spoiled = true;
      listener();
    });
  }

  destroy(): void {
    this.spoiled = true;
    this.inner.destroy();
  }

  /** The whole response, if it was delivered completely and is small enough to keep. */
  recorded(): MethodResponse | undefined {
    if (!this.complete || this.spoiled || this.status === 0) return undefined;
    return { status: this.status, headers: this.headers, body: this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size) };
  }

  private keep(chunk: Buffer): void {
    if (this.spoiled) return;
    this.size += chunk.length;
    if (this.size > MAX_CACHED_RESPONSE_BYTES) {
      this.spoiled = true;
      this.chunks.length = 0;
    } else {
      this.chunks.push(chunk);
    }
  }
}
