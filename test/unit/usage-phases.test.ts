// The usage phases without a network (data-plane.md §6, §7): method-settings keys and precedence, apiKeySource
// AUTHORIZER, a limiter that answers with promises (as the Redis one does), and the rule that a throttled
// request consumes no quota.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import pino from "pino";
import { DEFAULT_METHOD_SETTING, type MethodSetting } from "../../src/domain/stage.js";
import type { ApiKeyDoc, UsagePlanDoc } from "../../src/domain/usage.js";
import type { Exchange } from "../../src/dataplane/exchange.js";
import { GatewayError } from "../../src/dataplane/gateway-error.js";
import { KeyRegistry } from "../../src/dataplane/usage/key-registry.js";
import { fakeExchange } from "../helpers/fake-exchange.js";
import { checkApiKeyStep, compileUsagePhases, stageMethodRule, type UsageMethodInput } from "../../src/dataplane/usage/usage-phases.js";
import { methodSettingKey } from "../../src/domain/stage.js";
import { LocalLimiter, type Limiter, type ThrottleDecision } from "../../src/limits/local-limiter.js";
import type { ConfigStore, DocChange, DocKind } from "../../src/store/config-store.js";
import type { ConsumeResult, QuotaCounterKey, UsageStore } from "../../src/store/usage-store.js";

const KEY: ApiKeyDoc = { id: "k1", value: "value-of-key-one-0123456789", enabled: true, createdDate: 0, lastUpdatedDate: 0, stageKeys: [], tags: {} };
const PLAN: UsagePlanDoc = {
  id: "p1",
  name: "plan",
  apiStages: [{ apiId: "api", stage: "dev" }],
  throttle: { burstLimit: 1, rateLimit: 0.001 },
  quota: { limit: 100, offset: 0, period: "DAY" },
  tags: {},
  keyIds: ["k1"],
};

function storeWith(docs: Partial<Record<DocKind, unknown[]>>): ConfigStore {
  const listeners = new Set<(c: readonly DocChange[]) => void>();
  return {
    reader: {
      get: async () => undefined,
      list: async <T>(kind: DocKind) => (docs[kind] ?? []) as T[],
      count: async (kind: DocKind) => (docs[kind] ?? []).length,
    },
    write: async () => {
      throw new Error("read-only");
    },
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: async () => {},
  };
}

const exchange = (headers: Record<string, string>): Exchange => fakeExchange("GET", headers);

/** A limiter answering with a promise (as Redis does), deciding with local buckets and recording each call's levels. */
function recordingLimiter(): { limiter: Limiter; seen: string[][] } {
  const local = new LocalLimiter();
  const seen: string[][] = [];
  const limiter: Limiter = {
    admit: async (checks, now): Promise<ThrottleDecision> => {
      seen.push(checks.map((c) => c.level));
      return local.admit(checks, now);
    },
  };
  return { limiter, seen };
}

class CountingUsage {
  consumed: QuotaCounterKey[] = [];
  async consumeQuota(key: QuotaCounterKey, limit: number): Promise<ConsumeResult> {
    this.consumed.push(key);
    return { allowed: this.consumed.length <= limit, used: this.consumed.length, remaining: Math.max(0, limit - this.consumed.length) };
  }
}

const input = (apiKeySource: "HEADER" | "AUTHORIZER"): UsageMethodInput => ({
  apiId: "api",
  stageName: "dev",
  resourcePath: "/pets",
  httpMethod: "GET",
  apiKeyRequired: true,
  apiKeySource,
  methodSettings: undefined,
  authorized: false,
});

async function keys(): Promise<KeyRegistry> {
  const registry = new KeyRegistry(storeWith({ apikey: [KEY], usageplan: [PLAN] }), pino({ level: "silent" }));
  await registry.start();
  return registry;
}

const responseTypeOf = async (run: () => unknown): Promise<string | undefined> => {
  try {
    await run();
    return undefined;
  } catch (err) {
    assert.ok(err instanceof GatewayError, String(err));
    return err.responseType;
  }
};

describe("usage phases", () => {
  test("methodSettings keys escape every slash of the resource path as ~1", () => {
    assert.equal(methodSettingKey("/pets/{petId}", "GET"), "~1pets~1{petId}/GET");
    assert.equal(methodSettingKey("/", "POST"), "~1/POST");
  });

  test("a method's own setting wins over */*, which wins over AWS's defaults", () => {
    const setting = (burst: number): MethodSetting => ({ ...DEFAULT_METHOD_SETTING, throttlingBurstLimit: burst, throttlingRateLimit: burst * 2 });
    const settings = { "~1pets/GET": setting(3), "*/*": setting(7) };
    assert.deepEqual(stageMethodRule(settings, "/pets", "GET"), { burstLimit: 3, rateLimit: 6 });
    assert.deepEqual(stageMethodRule(settings, "/pets", "POST"), { burstLimit: 7, rateLimit: 14 });
    assert.deepEqual(stageMethodRule(undefined, "/pets", "GET"), { burstLimit: 5000, rateLimit: 10000 });
  });

  test("apiKeySource AUTHORIZER takes the key from the authorizer's usageIdentifierKey, not x-api-key", async () => {
    const usage = new CountingUsage();
    const step = checkApiKeyStep(input("AUTHORIZER"), { keys: await keys(), store: usage as unknown as UsageStore }, new LocalLimiter());
    assert.equal(await responseTypeOf(() => step(exchange({ "x-api-key": KEY.value }))), "INVALID_API_KEY");
    const ex = exchange({});
    ex.authorizer = { principalId: "user", context: {}, usageIdentifierKey: KEY.value, latencyMs: 0 };
    assert.equal(await responseTypeOf(() => step(ex)), undefined);
    assert.deepEqual(ex.apiKey, { id: "k1", value: KEY.value });
    assert.equal(ex.usagePlanId, "p1");
  });

  test("a throttled request consumes no quota, also when the limiter answers with a promise", async () => {
    const usage = new CountingUsage();
    const { limiter: remote, seen } = recordingLimiter();
    const step = checkApiKeyStep(input("HEADER"), { keys: await keys(), store: usage as unknown as UsageStore }, remote);
    assert.equal(await responseTypeOf(() => step(exchange({ "x-api-key": KEY.value }))), undefined);
    const refused = exchange({ "x-api-key": KEY.value });
    assert.equal(await responseTypeOf(() => step(refused)), "THROTTLED");
    assert.equal(refused.usagePlanId, undefined, "a throttled request is not metered");
    assert.equal(usage.consumed.length, 1, "only the admitted request reached the quota counter");
    assert.deepEqual(seen, [["plan"], ["plan"]]);
  });

  test("a keyed method without an authorizer decides every bucket in one limiter call, after the key check", async () => {
    const usage = new CountingUsage();
    const { limiter: remote, seen } = recordingLimiter();
    const services = { keys: await keys(), store: usage as unknown as UsageStore };
    const merged = compileUsagePhases(input("HEADER"), remote, services);
    assert.equal(merged.throttle, undefined);
    assert.equal(await responseTypeOf(() => merged.checkApiKey!(exchange({ "x-api-key": "no-such-key-value-000000" }))), "INVALID_API_KEY");
    assert.deepEqual(seen, [], "a refused key takes no token anywhere");
    assert.equal(await responseTypeOf(() => merged.checkApiKey!(exchange({ "x-api-key": KEY.value }))), undefined);
    assert.deepEqual(seen, [["stage-method", "account", "plan"]]);

    const split = compileUsagePhases({ ...input("HEADER"), authorized: true }, remote, services);
    assert.ok(split.throttle && split.checkApiKey, "with an authorizer between them the throttle stays its own phase");
  });
});
