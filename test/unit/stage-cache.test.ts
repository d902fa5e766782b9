import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryResponseCache } from "../../src/cache/response-cache.js";
import { cachedIntegration, cachePolicy, type CachePolicy } from "../../src/dataplane/cache/cache-phase.js";
import type { PhaseStep } from "../../src/dataplane/compiled-stage.js";
import { GatewayError } from "../../src/dataplane/gateway-error.js";
import { DEFAULT_METHOD_SETTING, type MethodSetting } from "../../src/domain/stage.js";
import type { IntegrationDoc } from "../../src/domain/rest-api.js";
import { fakeExchange } from "../helpers/fake-exchange.js";

const integration = { type: "MOCK", cacheKeyParameters: [], integrationResponses: {} } as unknown as IntegrationDoc;
const setting = (over: Partial<MethodSetting>): MethodSetting => ({ ...DEFAULT_METHOD_SETTING, ...over });

describe("stage cache policy", () => {
  test("nothing caches without the cache cluster", () => {
    assert.equal(cachePolicy({ cacheClusterEnabled: false }, "r1", "/pets", "GET", integration), undefined);
  });

  test("with the cluster on, GET methods cache by default for 300 s, other verbs do not", () => {
    const policy = cachePolicy({ cacheClusterEnabled: true }, "r1", "/pets", "GET", integration);
    assert.equal(policy?.ttlSeconds, 300);
    assert.equal(policy?.namespace, "r1", "the namespace defaults to the resource id");
    assert.equal(cachePolicy({ cacheClusterEnabled: true }, "r1", "/pets", "POST", integration), undefined);
  });

  test("a method's own entry decides for any verb; the stage-wide entry covers GET only; TTL 0 turns caching off", () => {
    const methodSettings = { "~1pets/POST": setting({ cachingEnabled: true, cacheTtlInSeconds: 60 }), "*/*": setting({ cachingEnabled: false }) };
    assert.equal(cachePolicy({ cacheClusterEnabled: true, methodSettings }, "r1", "/pets", "POST", integration)?.ttlSeconds, 60);
    assert.equal(cachePolicy({ cacheClusterEnabled: true, methodSettings }, "r1", "/pets", "GET", integration), undefined);
    const starOn = { "*/*": setting({ cachingEnabled: true, cacheTtlInSeconds: 30 }) };
    assert.equal(cachePolicy({ cacheClusterEnabled: true, methodSettings: starOn }, "r1", "/pets", "GET", integration)?.ttlSeconds, 30);
    assert.equal(cachePolicy({ cacheClusterEnabled: true, methodSettings: starOn }, "r1", "/pets", "DELETE", integration), undefined);
    const zero = { "~1pets/GET": setting({ cachingEnabled: true, cacheTtlInSeconds: 0 }) };
    assert.equal(cachePolicy({ cacheClusterEnabled: true, methodSettings: zero }, "r1", "/pets", "GET", integration), undefined);
  });
});

describe("stage cache phase", () => {
  const stage = { apiId: "a1", stageName: "dev", deploymentId: "d1" };
  const policy: CachePolicy = {
    ttlSeconds: 60,
    requireAuthorizationForCacheControl: true,
    unauthorizedCacheControlHeaderStrategy: "SUCCEED_WITH_RESPONSE_HEADER",
    namespace: "r1",
    keyParameters: ["method.request.querystring.q"],
  };
  const counting = (): { calls: number; step: PhaseStep } => {
    const state = { calls: 0, step: ((ex) => {
      state.calls++;
      ex.methodResponse = { status: 200, headers: ["Content-Type", "application/json", "x-amzn-RequestId", ex.requestId], body: Buffer.from(`{"n":${state.calls}}`) };
    }) as PhaseStep };
    return state;
  };

  test("a hit skips the integration and carries no per-request headers of the first response", async () => {
    const cache = new MemoryResponseCache();
    const inner = counting();
    const run = cachedIntegration(policy, cache, stage, [inner.step]);
    await run(fakeExchange());
    const second = fakeExchange();
    await run(second);
    assert.equal(inner.calls, 1);
    assert.deepEqual(second.methodResponse?.headers, ["Content-Type", "application/json"]);
    assert.equal(second.methodResponse?.body.toString(), '{"n":1}');
    assert.deepEqual(cache.stats, { hits: 1, misses: 1 });
  });

  test("gateway errors are not cached", async () => {
    const cache = new MemoryResponseCache();
    let calls = 0;
    const failing: PhaseStep = () => {
      calls++;
      throw new GatewayError("INTEGRATION_TIMEOUT");
    };
    const run = cachedIntegration(policy, cache, stage, [failing]);
    await assert.rejects(Promise.resolve(run(fakeExchange())), GatewayError);
    await assert.rejects(Promise.resolve(run(fakeExchange())), GatewayError);
    assert.equal(calls, 2);
    assert.equal(cache.size, 0);
  });

  test("Cache-Control: max-age=0 from an unauthorized caller: the header is ignored with a Warning, or 403", async () => {
    const cache = new MemoryResponseCache();
    const inner = counting();
    await cachedIntegration(policy, cache, stage, [inner.step])(fakeExchange());
    const ignored = fakeExchange("GET", { "cache-control": "max-age=0" });
    await cachedIntegration(policy, cache, stage, [inner.step])(ignored);
    assert.equal(inner.calls, 1, "served from the cache");
    assert.deepEqual(ignored.extraResponseHeaders, ["Warning", '199 - "Cache-Control header ignored: caller not authorized to invalidate cache"']);
    const strict = cachedIntegration({ ...policy, unauthorizedCacheControlHeaderStrategy: "FAIL_WITH_403" }, cache, stage, [inner.step]);
    await assert.rejects(Promise.resolve(strict(fakeExchange("GET", { "cache-control": "no-cache, max-age=0" }))), (err: GatewayError) => err.detail.status === 403);
  });

  test("a SigV4-authenticated caller (AWS_IAM method) may invalidate: max-age=0 refreshes the entry", async () => {
    const cache = new MemoryResponseCache();
    const inner = counting();
    const run = cachedIntegration(policy, cache, stage, [inner.step]);
    await run(fakeExchange());
    const signed = fakeExchange("GET", { "cache-control": "max-age=0" });
    signed.iamIdentity = { accessKey: "AKIA", accountId: "000000000000", caller: "000000000000", user: "000000000000", userArn: "arn:aws:iam::000000000000:root" };
    await run(signed);
    assert.equal(inner.calls, 2);
    assert.equal(signed.extraResponseHeaders, undefined);
  });

  test("without the authorization requirement, max-age=0 refreshes the entry", async () => {
    const cache = new MemoryResponseCache();
    const inner = counting();
    const open = cachedIntegration({ ...policy, requireAuthorizationForCacheControl: false }, cache, stage, [inner.step]);
    await open(fakeExchange());
    await open(fakeExchange("GET", { "cache-control": "max-age=0" }));
    const after = fakeExchange();
    await open(after);
    assert.equal(inner.calls, 2);
    assert.equal(after.methodResponse?.body.toString(), '{"n":2}');
  });

  test("entries expire after their TTL and FlushStageCache drops one stage only", () => {
    const cache = new MemoryResponseCache();
    const response = { status: 200, headers: [], body: Buffer.from("x") };
    cache.set("a1/dev\u0000k", response, 1, 1_000);
    cache.set("a1/prod\u0000k", response, 60, 1_000);
    assert.ok(cache.get("a1/dev\u0000k", 1_500));
    assert.equal(cache.get("a1/dev\u0000k", 2_001), undefined);
    cache.set("a1/dev\u0000k", response, 60, 1_000);
    cache.flush("a1", "dev");
    assert.equal(cache.get("a1/dev\u0000k", 1_500), undefined);
    assert.ok(cache.get("a1/prod\u0000k", 1_500));
  });

  test("the memory cache stays within its byte budget, dropping the least recently used", () => {
    const cache = new MemoryResponseCache(3_000);
    const entry = { status: 200, headers: [], body: Buffer.alloc(1_000) };
    cache.set("k1", entry, 60);
    cache.set("k2", entry, 60);
    cache.get("k1");
    cache.set("k3", entry, 60);
    assert.ok(cache.get("k1"));
    assert.equal(cache.get("k2"), undefined);
    assert.ok(cache.get("k3"));
  });
});
