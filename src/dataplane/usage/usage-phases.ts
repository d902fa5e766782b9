// The throttling and usage-plan phases of a method (data-plane.md §6, §7), compiled once per method so the
// request path only looks up precomputed rules and scopes:
// - `throttle`, right after route matching (the §1 recommendation): the stage's per-method bucket
//   (`methodSettings["~1pets/GET"]`, else `*/*`, else AWS's 10,000/5,000) and the account bucket.
// - `checkApiKey`, after authorization, only on `apiKeyRequired` methods: the key (x-api-key header or the
//   authorizer's usageIdentifierKey), its plan for this stage, the plan's throttle (the per-method entry
//   `apiStages[i].throttle["/pets/GET"]` overrides the plan level for that method), then the quota. Only a
//   request that passes throttling consumes quota.
// A keyed method without an authorizer has no separate `throttle` step: `checkApiKey` looks the key up first and
// then takes every bucket — stage per-method, account, plan (or plan per-method) — in one limiter decision, so
// with Redis a request costs one script call instead of two. The order of refusals is then: bad key → 403 before
// any throttle → 429 (AWS does not document which of the two wins when both apply), and a refused key takes no
// token from the stage and account buckets.
// Metering (calls and response bytes per key, API, stage and day): the call is counted with the quota decision,
// before the response; its bytes after the response, in meterUsage.
import type { Logger } from "pino";
import type { ApiKeySource } from "../../domain/rest-api.js";
import { DEFAULT_METHOD_SETTING, methodSettingFor, type MethodSetting } from "../../domain/stage.js";
import type { QuotaSettings } from "../../domain/usage.js";
import {
  planMethodScope,
  stageMethodScope,
  type Limiter,
  type ThrottleCheck,
  type ThrottleDecision,
} from "../../limits/local-limiter.js";
import { periodBounds, periodLimit, utcDay } from "../../limits/quota-period.js";
import type { ThrottleRule } from "../../limits/token-bucket.js";
import type { ConsumeResult, MeterKey, UsageStore } from "../../store/usage-store.js";
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange } from "../exchange.js";
import { GatewayError } from "../gateway-error.js";
import { planThrottleRule, type KeyRefusal, type KeyRegistry, type PlanBinding } from "./key-registry.js";

/** What the usage phases need at run time; CompileServices carries it. */
export interface UsagePlanServices {
  readonly keys: KeyRegistry;
  /** Quota counters and metering; without it plans throttle but count nothing (no quota, no GetUsage figures). */
  readonly store: UsageStore | undefined;
}

/** The compile-time facts about one method that its usage phases need. */
export interface UsageMethodInput {
  readonly apiId: string;
  readonly stageName: string;
  /** `/pets/{petId}`, `/` for the root. */
  readonly resourcePath: string;
  /** The method's verb as configured (`GET`, `ANY`). */
  readonly httpMethod: string;
  readonly apiKeyRequired: boolean;
  readonly apiKeySource: ApiKeySource;
  readonly methodSettings: Readonly<Record<string, MethodSetting>> | undefined;
  /** The method has an authorize phase, which runs between the throttle and the key check. */
  readonly authorized: boolean;
}

/** Monotonic milliseconds for the token buckets (a wall clock may step backwards). */
const monotonicNow = (): number => performance.now();

const THROTTLED = (): GatewayError => new GatewayError("THROTTLED");
const QUOTA_EXCEEDED = (): GatewayError => new GatewayError("QUOTA_EXCEEDED");

/** `binding` names the key and plan in the execution log when a plan bucket refused. */
function enforce(decision: ThrottleDecision, ex: Exchange, binding: PlanBinding | undefined): void {
  if (decision.allowed) return;
  const planLevel = decision.level === "plan" || decision.level === "plan-method";
  const who = binding && planLevel ? `API Key ${binding.key.id} of Usage Plan ${binding.plan.id}` : "Request";
  ex.log?.add(`${who} exceeded throttle limit at level ${decision.level}`);
  throw THROTTLED();
}

/** Applies a decision that may come synchronously (local buckets) or as a promise (Redis). */
function settle(decision: ThrottleDecision | Promise<ThrottleDecision>, ex: Exchange, binding: PlanBinding | undefined): void | Promise<void> {
  if (decision instanceof Promise) return decision.then((d) => enforce(d, ex, binding));
  enforce(decision, ex, binding);
}

/** The stage's throttle for a method: its own entry, else the stage-wide `*` / `*` entry, else AWS's defaults. */
export function stageMethodRule(settings: Readonly<Record<string, MethodSetting>> | undefined, resourcePath: string, httpMethod: string): ThrottleRule {
  const setting = methodSettingFor(settings, resourcePath, httpMethod) ?? DEFAULT_METHOD_SETTING;
  return { burstLimit: setting.throttlingBurstLimit, rateLimit: setting.throttlingRateLimit };
}

/** The `throttle` phase: stage per-method bucket, then the account bucket. */
/** The stage per-method and account buckets of a method, rebuilt only when the account throttle changes. */
function gatewayChecks(input: UsageMethodInput, keys: KeyRegistry): () => readonly ThrottleCheck[] {
  const stageCheck: ThrottleCheck = {
    level: "stage-method",
    scope: stageMethodScope(input.apiId, input.stageName, input.resourcePath, input.httpMethod),
    rule: stageMethodRule(input.methodSettings, input.resourcePath, input.httpMethod),
  };
  let checks: readonly ThrottleCheck[] = [stageCheck, keys.accountCheck];
  return () => {
    if (checks[1] !== keys.accountCheck) checks = [stageCheck, keys.accountCheck];
    return checks;
  };
}

export function throttleStep(input: UsageMethodInput, keys: KeyRegistry, limiter: Limiter): PhaseStep {
  const checks = gatewayChecks(input, keys);
  return (ex) => settle(limiter.admit(checks(), monotonicNow()), ex, undefined);
}

/** The current quota period of one plan, recomputed only when the clock leaves it. */
class CurrentPeriod {
  private start = 0;
  private end = -1;
  private key = "";

  keyAt(period: QuotaSettings["period"], now: number): string {
    if (now < this.start || now >= this.end || this.period !== period) {
      const bounds = periodBounds(period, now);
      this.start = bounds.start;
      this.end = bounds.end;
      this.key = utcDay(bounds.start);
      this.period = period;
    }
    return this.key;
  }

  /** `periodLimit` for `now`; only the initial period (quota set within it) differs from the plain limit. */
  limitAt(quota: QuotaSettings, quotaSinceMs: number | undefined, now: number): number {
    return quotaSinceMs !== undefined && quotaSinceMs >= this.start ? periodLimit(quota, quotaSinceMs, now) : quota.limit;
  }

  private period: QuotaSettings["period"] | undefined;
}

const REFUSALS: Record<KeyRefusal, string> = {
  missing: "API Key not provided",
  unknown: "Invalid API Key identifier specified",
  disabled: "API Key is disabled",
  unplanned: "API Key is not associated with a Usage Plan for this API Stage",
};

/**
 * The `checkApiKey` phase; only compiled for methods with `apiKeyRequired` (others never count, §6). With
 * `gateway`, the stage and account buckets are decided here too, together with the plan's (see the top).
 */
export function checkApiKeyStep(
  input: UsageMethodInput,
  services: UsagePlanServices,
  limiter: Limiter,
  gateway?: () => readonly ThrottleCheck[],
): PhaseStep {
  const { apiId, stageName, resourcePath, httpMethod } = input;
  const planMethodKey = `${resourcePath}/${httpMethod}`;
  const fromAuthorizer = input.apiKeySource === "AUTHORIZER";
  const { keys, store } = services;
  const period = new CurrentPeriod();
  // The plan checks of each binding this method meets, built once: the limiters key their buckets by check object,
  // so a check built per request would also miss their key caches every time.
  const checksByBinding = new WeakMap<PlanBinding, readonly ThrottleCheck[]>();
  return (ex) => {
    const value = fromAuthorizer ? ex.authorizer?.usageIdentifierKey : ex.request.header("x-api-key");
    const found = keys.lookup(apiId, stageName, value);
    if (!found.ok) {
      ex.log?.add(`API Key check failed: ${REFUSALS[found.reason]}`);
      throw new GatewayError("INVALID_API_KEY");
    }
    const binding = found.binding;
    const { key, plan } = binding;
    ex.apiKey = { id: key.id, value: key.value };
    let planChecks = checksByBinding.get(binding);
    if (planChecks === undefined) {
      // A plan's per-method throttle replaces its plan-level throttle for that method (data-plane.md §7.2).
      const methodRule = planThrottleRule(binding.apiStage.throttle?.[planMethodKey]);
      planChecks = methodRule
        ? [{ level: "plan-method", scope: planMethodScope(plan.id, key.id, apiId, stageName, resourcePath, httpMethod), rule: methodRule }]
        : binding.planChecks;
      checksByBinding.set(binding, planChecks);
    }
    const checks = gateway ? [...gateway(), ...planChecks] : planChecks;
    if (checks.length === 0) return countQuota(ex, binding, store, period);
    const throttled = settle(limiter.admit(checks, monotonicNow()), ex, binding);
    return throttled === undefined ? countQuota(ex, binding, store, period) : throttled.then(() => countQuota(ex, binding, store, period));
  };
}

/** The UTC day of an instant, recomputed only when the clock crosses midnight. */
let dayCache = { start: 0, end: -1, day: "" };
function dayOf(epochMs: number): string {
  if (epochMs < dayCache.start || epochMs >= dayCache.end) {
    const start = epochMs - (epochMs % 86_400_000);
    dayCache = { start, end: start + 86_400_000, day: utcDay(start) };
  }
  return dayCache.day;
}

const meterKeyOf = (ex: Exchange, keyId: string, apiId: string, stage: string): MeterKey => ({ keyId, apiId, stage, day: dayOf(ex.requestTimeEpoch) });

/**
 * After throttling: one request off the key's quota and one call on its metering row, durably and together,
 * before the response (§7.3) — so neither a restart nor a SIGKILL loses a counted request. A plan without a
 * quota still counts the call before the response. The response bytes follow in meterUsage.
 */
function countQuota(ex: Exchange, binding: PlanBinding, store: UsageStore | undefined, period: CurrentPeriod): void | Promise<void> {
  if (!store) return;
  const { plan, key, apiStage } = binding;
  const meterKey = meterKeyOf(ex, key.id, apiStage.apiId, apiStage.stage);
  const quota = plan.quota;
  if (!quota) {
    return store.meter(meterKey, 0, 1).then(() => {
      ex.usagePlanId = plan.id;
    });
  }
  const now = Date.now();
  const quotaSince = plan.quotaSince === undefined ? undefined : plan.quotaSince * 1000;
  const counter = { usagePlanId: plan.id, keyId: key.id, periodStart: period.keyAt(quota.period, now) };
  return store.consumeQuota(counter, period.limitAt(quota, quotaSince, now), meterKey).then((result: ConsumeResult) => {
    if (!result.allowed) {
      ex.log?.add(`API Key ${key.id} exceeded quota limit for Usage Plan ${plan.id}. Q Limit: ${quota.limit} Period: ${quota.period}`);
      throw QUOTA_EXCEEDED();
    }
    ex.usagePlanId = plan.id;
  });
}

/** After the response: its bytes on the day's metering row (the call itself was counted before the response). */
export function meterUsage(ex: Exchange, store: UsageStore, logger: Logger): void {
  const stage = ex.stage;
  if (ex.usagePlanId === undefined || ex.apiKey === undefined || stage === undefined || ex.responseLength === 0) return;
  store
    .meter(meterKeyOf(ex, ex.apiKey.id, stage.apiId, stage.stageName), ex.responseLength, 0)
    .catch((err: unknown) => logger.error({ err, requestId: ex.requestId }, "could not meter a usage-plan response"));
}

/** The usage phases of one method, or none when the data plane runs without limiter (TestInvokeMethod). */
export interface UsagePhases {
  readonly throttle?: PhaseStep;
  readonly checkApiKey?: PhaseStep;
}

export function compileUsagePhases(input: UsageMethodInput, limiter: Limiter | undefined, services: UsagePlanServices | undefined): UsagePhases {
  if (!limiter || !services) return {};
  if (input.apiKeyRequired && !input.authorized) return { checkApiKey: checkApiKeyStep(input, services, limiter, gatewayChecks(input, services.keys)) };
  return {
    throttle: throttleStep(input, services.keys, limiter),
    ...(input.apiKeyRequired ? { checkApiKey: checkApiKeyStep(input, services, limiter) } : {}),
  };
}
