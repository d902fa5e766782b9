// UsagePlan, UsagePlanKey and usage operations: CreateUsagePlan, GetUsagePlan(s), UpdateUsagePlan,
// DeleteUsagePlan, CreateUsagePlanKey, GetUsagePlanKey(s), DeleteUsagePlanKey, GetUsage, UpdateUsage
// (control-plane.md §2, §3.13, §3.14, §5.1, §7). Quota counters live in the usage store (ctx.services["usage"]).
import { ApiError, ERRORS, badRequest, enumClause, notFound, validationError } from "../../errors/api-error.js";
import { addKeyToPlan, checkKeyStageConflicts, loadApiKey, loadUsagePlan, stageExists, unknownApiKey } from "../../domain/usage-repository.js";
import type { ApiKeyDoc, ApiStage, QuotaSettings, ThrottleSettings, UsagePlanDoc } from "../../domain/usage.js";
import { dailyUsage, type UsagePair } from "../../domain/usage-report.js";
import { periodKey, periodLimit, utcDay } from "../../limits/quota-period.js";
import type { StoreReader, StoreWriter } from "../../store/config-store.js";
import { isUsageStore, type UsageStore } from "../../store/usage-store.js";
import { epochSeconds, newShortId } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPath, patchInt, patchNumber, readPatchOperations, requireValue, type PatchOp } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optInt, optNumber, optObject, optString, optStringMap, paginate, reqString } from "../wire.js";

const PERIODS: readonly QuotaSettings["period"][] = ["DAY", "WEEK", "MONTH"];
const DAY_MS = 86_400_000;
/** GetUsage answers at most this many days per call (a bounded response; AWS keeps usage for a limited time too). */
const MAX_USAGE_DAYS = 366;

function usageStore(ctx: OpContext): UsageStore {
  const usage = ctx.services["usage"];
  if (!isUsageStore(usage)) throw new ApiError(ERRORS.InternalFailure, "The usage store is not available");
  return usage;
}

export function presentUsagePlan(plan: UsagePlanDoc): Record<string, unknown> {
  return compact({
    id: plan.id,
    name: plan.name,
    description: plan.description,
    apiStages: plan.apiStages.map((s) => compact({ apiId: s.apiId, stage: s.stage, throttle: s.throttle && Object.keys(s.throttle).length ? s.throttle : undefined })),
    throttle: plan.throttle,
    quota: plan.quota,
    productCode: plan.productCode,
    tags: Object.keys(plan.tags).length ? plan.tags : undefined,
  });
}

function presentPlanKey(key: ApiKeyDoc): Record<string, unknown> {
  return compact({ id: key.id, type: "API_KEY", value: key.value, name: key.name });
}

function checkThrottle(t: ThrottleSettings): ThrottleSettings {
  if (t.burstLimit !== undefined && t.burstLimit < 0) throw badRequest("Invalid throttle burst limit specified: it must not be negative");
  if (t.rateLimit !== undefined && (t.rateLimit < 0 || !Number.isFinite(t.rateLimit))) {
    throw badRequest("Invalid throttle rate limit specified: it must not be negative");
  }
  return t;
}

function readThrottle(raw: Record<string, unknown>): ThrottleSettings {
  return checkThrottle(compact({ burstLimit: optInt(raw, "burstLimit"), rateLimit: optNumber(raw, "rateLimit") }));
}

function checkQuota(q: QuotaSettings): QuotaSettings {
  if (q.limit < 0) throw badRequest("Invalid quota limit specified: it must not be negative");
  if (q.offset < 0 || (q.offset > 0 && q.offset >= q.limit)) {
    throw badRequest("Invalid quota offset specified: it must be at least 0 and less than the limit");
  }
  return q;
}

function readQuota(raw: Record<string, unknown>, shape: string): QuotaSettings {
  const period = optString(raw, "period");
  if (period === undefined || !PERIODS.includes(period as QuotaSettings["period"])) {
    throw validationError([enumClause(period ?? null, `${shape}.quota.period`, PERIODS)]);
  }
  return checkQuota({ limit: optInt(raw, "limit") ?? 0, offset: optInt(raw, "offset") ?? 0, period: period as QuotaSettings["period"] });
}

function readApiStages(body: Record<string, unknown>): ApiStage[] {
  const raw = body["apiStages"];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest("Invalid API Stage specified");
  const stages: ApiStage[] = [];
  for (const item of raw) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) throw badRequest("Invalid API Stage specified");
    const entry = item as Record<string, unknown>;
    const apiId = optString(entry, "apiId");
    const stage = optString(entry, "stage");
    if (!apiId || !stage) throw badRequest("Invalid API Stage specified");
    const throttleRaw = optObject(entry, "throttle");
    const throttle: Record<string, ThrottleSettings> = {};
    for (const [methodKey, settings] of Object.entries(throttleRaw ?? {})) {
      if (settings === null || typeof settings !== "object" || Array.isArray(settings)) throw badRequest(`Invalid throttle settings for ${methodKey}`);
      throttle[methodKey] = readThrottle(settings as Record<string, unknown>);
    }
    if (!stages.some((s) => s.apiId === apiId && s.stage === stage)) {
      stages.push(Object.keys(throttle).length ? { apiId, stage, throttle } : { apiId, stage });
    }
  }
  return stages;
}

async function createUsagePlan(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const shape = "createUsagePlanInput";
  const name = reqString(body, "name", shape);
  const throttleRaw = optObject(body, "throttle");
  const quotaRaw = optObject(body, "quota");
  const plan: UsagePlanDoc = compact({
    id: newShortId(),
    name,
    description: optString(body, "description"),
    apiStages: readApiStages(body),
    throttle: throttleRaw ? readThrottle(throttleRaw) : undefined,
    quota: quotaRaw ? readQuota(quotaRaw, shape) : undefined,
    quotaSince: quotaRaw ? epochSeconds() : undefined,
    productCode: optString(body, "productCode"),
    tags: optStringMap(body, "tags") ?? {},
    keyIds: [] as string[],
  });
  await ctx.store.write(async (w) => {
    for (const s of plan.apiStages) {
      if (!(await stageExists(w, s.apiId, s.stage))) throw notFound(`API Stage not found: ${s.apiId}:${s.stage}`);
    }
    await w.put("usageplan", plan.id, plan);
  });
  return { status: 201, body: presentUsagePlan(plan) };
}

async function getUsagePlan(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  return { status: 200, body: presentUsagePlan(await loadUsagePlan(ctx.store.reader, req.params["usageplanId"]!)) };
}

async function getUsagePlans(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const keyId = req.query.get("keyId");
  const plans = (await ctx.store.reader.list<UsagePlanDoc>("usageplan")).filter((p) => !keyId || p.keyIds.includes(keyId));
  const page = paginate(plans, req.query);
  return { status: 200, body: { ...page, item: page.item.map(presentUsagePlan) } };
}

/** `{restApiId}:{stage}` as the `/apiStages` patch value and path segment spell an API stage. */
function parseApiStageRef(text: string): { apiId: string; stage: string } {
  const colon = text.indexOf(":");
  const apiId = text.slice(0, Math.max(0, colon));
  const stage = colon < 0 ? "" : text.slice(colon + 1);
  if (!apiId || !stage) throw badRequest("Invalid API Stage specified");
  return { apiId, stage };
}

const invalidPlanStage = (planId: string, s: { apiId: string; stage: string }): ApiError =>
  notFound(`Invalid API Stage {api: ${s.apiId}, stage: ${s.stage}} specified for usageplan ${planId}`);

/**
 * `/apiStages/{api}:{stage}/throttle/{resourcePath}/{METHOD}[/rateLimit|/burstLimit]`. The resource path comes
 * `~1`-escaped from the CLI and SDK examples (`~1pets`) and raw from Terraform (`throttle//pets/GET/rateLimit`),
 * so it is everything between `/throttle/` and the trailing segments, unescaped either way (the root is `~1` or
 * `/`, i.e. `throttle///GET` raw).
 */
function parseStageThrottlePath(path: string, withField: boolean): { ref: { apiId: string; stage: string }; methodKey: string; field?: string } | undefined {
  const m = /^\/apiStages\/([^/]+)\/throttle\/(.+)$/.exec(path);
  if (!m) return undefined;
  const ref = parseApiStageRef(m[1]!);
  const parts = m[2]!.split("/");
  const field = withField ? parts.pop() : undefined;
  const method = parts.pop();
  const rawResource = parts.join("/");
  if (!method || (withField && field !== "rateLimit" && field !== "burstLimit")) return undefined;
  let resourcePath = rawResource.replaceAll("~1", "/").replaceAll("~0", "~");
  if (!resourcePath.startsWith("/")) resourcePath = `/${resourcePath}`;
  return { ref, methodKey: `${resourcePath}/${method.toUpperCase()}`, ...(field !== undefined ? { field } : {}) };
}

async function applyUsagePlanPatch(w: StoreWriter, plan: UsagePlanDoc, op: PatchOp): Promise<void> {
  const scalar = (apply: () => void): void => {
    if (op.op !== "replace") throw invalidPatchPath(op.path);
    apply();
  };
  switch (op.path) {
    case "/name":
      return scalar(() => {
        const v = requireValue(op);
        if (!v.trim()) throw badRequest("Usage Plan name cannot be blank");
        plan.name = v;
      });
    case "/description":
    case "/productCode": {
      const field = op.path.slice(1) as "description" | "productCode";
      return scalar(() => {
        if (op.value === undefined || op.value === "") delete plan[field];
        else plan[field] = op.value;
      });
    }
    case "/apiStages": {
      const ref = parseApiStageRef(op.value ?? "");
      const present = plan.apiStages.some((s) => s.apiId === ref.apiId && s.stage === ref.stage);
      if (op.op === "add") {
        if (!(await stageExists(w, ref.apiId, ref.stage))) throw invalidPlanStage(plan.id, ref);
        if (present) return;
        await checkKeyStageConflicts(w, plan, plan.keyIds, [ref]);
        plan.apiStages = [...plan.apiStages, ref];
      } else if (op.op === "remove") {
        if (!present) throw invalidPlanStage(plan.id, ref);
        plan.apiStages = plan.apiStages.filter((s) => !(s.apiId === ref.apiId && s.stage === ref.stage));
      } else {
        throw invalidPatchPath(op.path);
      }
      return;
    }
    case "/throttle/rateLimit":
    case "/throttle/burstLimit":
      return scalar(() => {
        const throttle = { ...plan.throttle };
        if (op.path.endsWith("rateLimit")) throttle.rateLimit = patchNumber(op);
        else throttle.burstLimit = patchInt(op);
        plan.throttle = checkThrottle(throttle);
      });
    case "/throttle":
      if (op.op !== "remove") throw invalidPatchPath(op.path);
      delete plan.throttle;
      return;
    case "/quota/limit":
    case "/quota/offset":
    case "/quota/period":
      return scalar(() => {
        if (!plan.quota) plan.quotaSince = epochSeconds();
        const quota: QuotaSettings = { limit: 0, offset: 0, period: "DAY", ...plan.quota };
        if (op.path === "/quota/limit") quota.limit = patchInt(op);
        else if (op.path === "/quota/offset") quota.offset = patchInt(op);
        else {
          const period = requireValue(op);
          if (!PERIODS.includes(period as QuotaSettings["period"])) throw badRequest(`Invalid quota period specified: ${period}. Must be one of: [DAY, WEEK, MONTH]`);
          quota.period = period as QuotaSettings["period"];
        }
        plan.quota = checkQuota(quota);
      });
    case "/quota":
      if (op.op !== "remove") throw invalidPatchPath(op.path);
      delete plan.quota;
      delete plan.quotaSince;
      return;
    default:
      return applyStageThrottlePatch(plan, op);
  }
}

function applyStageThrottlePatch(plan: UsagePlanDoc, op: PatchOp): void {
  const target = op.op === "remove" ? parseStageThrottlePath(op.path, false) : parseStageThrottlePath(op.path, true);
  if (!target || (op.op !== "replace" && op.op !== "add" && op.op !== "remove")) throw invalidPatchPath(op.path);
  const stage = plan.apiStages.find((s) => s.apiId === target.ref.apiId && s.stage === target.ref.stage);
  if (!stage) throw invalidPlanStage(plan.id, target.ref);
  const throttle = { ...stage.throttle };
  if (op.op === "remove") {
    delete throttle[target.methodKey];
  } else {
    const settings = { ...throttle[target.methodKey] };
    if (target.field === "rateLimit") settings.rateLimit = patchNumber(op);
    else settings.burstLimit = patchInt(op);
    throttle[target.methodKey] = checkThrottle(settings);
  }
  if (Object.keys(throttle).length) stage.throttle = throttle;
  else delete stage.throttle;
}

async function updateUsagePlan(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateUsagePlanInput");
  const id = req.params["usageplanId"]!;
  const plan = await ctx.store.write(async (w) => {
    const plan = await loadUsagePlan(w, id);
    for (const op of ops) await applyUsagePlanPatch(w, plan, op);
    await w.put("usageplan", plan.id, plan);
    return plan;
  });
  return { status: 200, body: presentUsagePlan(plan) };
}

async function deleteUsagePlan(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const id = req.params["usageplanId"]!;
  await ctx.store.write(async (w) => {
    await loadUsagePlan(w, id);
    await w.delete("usageplan", id);
  });
  await usageStore(ctx).deletePlanUsage(id);
  return { status: 202 };
}

async function createUsagePlanKey(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const shape = "createUsagePlanKeyInput";
  const keyId = reqString(body, "keyId", shape);
  const keyType = reqString(body, "keyType", shape);
  if (keyType !== "API_KEY") throw badRequest(`Invalid key type specified: ${keyType}. Must be API_KEY`);
  const planId = req.params["usageplanId"]!;
  const key = await ctx.store.write(async (w) => {
    const plan = await loadUsagePlan(w, planId);
    const key = await loadApiKey(w, keyId);
    await addKeyToPlan(w, plan, key);
    return key;
  });
  return { status: 201, body: presentPlanKey(key) };
}

async function loadPlanKey(r: StoreReader, plan: UsagePlanDoc, keyId: string): Promise<ApiKeyDoc> {
  if (!plan.keyIds.includes(keyId)) throw unknownApiKey();
  return loadApiKey(r, keyId);
}

async function getUsagePlanKey(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const plan = await loadUsagePlan(ctx.store.reader, req.params["usageplanId"]!);
  return { status: 200, body: presentPlanKey(await loadPlanKey(ctx.store.reader, plan, req.params["keyId"]!)) };
}

async function getUsagePlanKeys(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const r = ctx.store.reader;
  const plan = await loadUsagePlan(r, req.params["usageplanId"]!);
  const nameQuery = req.query.get("name");
  const keys: ApiKeyDoc[] = [];
  for (const keyId of plan.keyIds) {
    const key = await r.get<ApiKeyDoc>("apikey", keyId);
    if (key && (!nameQuery || (key.name ?? "").startsWith(nameQuery))) keys.push(key);
  }
  const page = paginate(keys, req.query);
  return { status: 200, body: { ...page, item: page.item.map(presentPlanKey) } };
}

async function deleteUsagePlanKey(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const planId = req.params["usageplanId"]!;
  const keyId = req.params["keyId"]!;
  await ctx.store.write(async (w) => {
    const plan = await loadUsagePlan(w, planId);
    if (!plan.keyIds.includes(keyId)) throw unknownApiKey();
    await w.put("usageplan", plan.id, { ...plan, keyIds: plan.keyIds.filter((k) => k !== keyId) });
  });
  return { status: 202 };
}

function parseDay(value: string | null, name: "startDate" | "endDate"): number {
  const m = value === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const at = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(at) || utcDay(at) !== value) throw badRequest(`Invalid ${name} specified: ${value ?? "null"}. Must be in the format YYYY-MM-DD`);
  return at;
}

/** The Usage shape (§3.14): wire key `values`, one `[used, remaining]` pair per day and key. */
async function presentUsage(
  usage: UsageStore,
  plan: UsagePlanDoc,
  keyIds: readonly string[],
  startDate: string,
  endDate: string,
  position?: string,
): Promise<Record<string, unknown>> {
  const values: Record<string, UsagePair[]> = {};
  for (const keyId of keyIds) values[keyId] = await dailyUsage(usage, plan, keyId, startDate, endDate);
  return compact({ usagePlanId: plan.id, startDate, endDate, position, values });
}

async function getUsage(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const startDate = req.query.get("startDate");
  const endDate = req.query.get("endDate");
  const start = parseDay(startDate, "startDate");
  const end = parseDay(endDate, "endDate");
  if (end < start) throw badRequest("The end date must not be before the start date");
  if ((end - start) / DAY_MS + 1 > MAX_USAGE_DAYS) throw badRequest(`The date range must not exceed ${MAX_USAGE_DAYS} days`);
  const plan = await loadUsagePlan(ctx.store.reader, req.params["usageplanId"]!);
  const keyId = req.query.get("keyId");
  const keyIds = plan.keyIds.filter((k) => !keyId || k === keyId);
  const page = paginate(keyIds, req.query);
  const body = await presentUsage(usageStore(ctx), plan, page.item, startDate!, endDate!, page.position);
  return { status: 200, body };
}

async function updateUsage(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateUsageInput");
  const plan = await loadUsagePlan(ctx.store.reader, req.params["usageplanId"]!);
  const keyId = req.params["keyId"]!;
  await loadPlanKey(ctx.store.reader, plan, keyId);
  const quota = plan.quota;
  if (!quota) throw badRequest(`Usage Plan ${plan.id} has no quota to update`);
  const usage = usageStore(ctx);
  const now = Date.now();
  const counter = { usagePlanId: plan.id, keyId, periodStart: periodKey(quota.period, now) };
  const limit = periodLimit(quota, plan.quotaSince === undefined ? undefined : plan.quotaSince * 1000, now);
  for (const op of ops) {
    if (op.path !== "/remaining") throw invalidPatchPath(op.path);
    if (op.op !== "replace") throw badRequest("Invalid patch operation specified. Must be one of: [replace]");
    const remaining = patchInt(op);
    if (remaining < 0) throw badRequest("Invalid remaining quota specified: it must not be negative");
    await usage.setRemaining(counter, limit, remaining);
  }
  // The answer covers the current quota period up to today.
  const body = await presentUsage(usage, plan, [keyId], periodKey(quota.period, now), utcDay(now));
  return { status: 200, body };
}

export const usagePlanRoutes: readonly RouteSpec[] = [
  { operation: "CreateUsagePlan", method: "POST", path: "/usageplans", handler: createUsagePlan },
  { operation: "GetUsagePlans", method: "GET", path: "/usageplans", handler: getUsagePlans },
  { operation: "GetUsagePlan", method: "GET", path: "/usageplans/{usageplanId}", handler: getUsagePlan },
  { operation: "UpdateUsagePlan", method: "PATCH", path: "/usageplans/{usageplanId}", handler: updateUsagePlan },
  { operation: "DeleteUsagePlan", method: "DELETE", path: "/usageplans/{usageplanId}", handler: deleteUsagePlan },
  { operation: "CreateUsagePlanKey", method: "POST", path: "/usageplans/{usageplanId}/keys", handler: createUsagePlanKey },
  { operation: "GetUsagePlanKeys", method: "GET", path: "/usageplans/{usageplanId}/keys", handler: getUsagePlanKeys },
  { operation: "GetUsagePlanKey", method: "GET", path: "/usageplans/{usageplanId}/keys/{keyId}", handler: getUsagePlanKey },
  { operation: "DeleteUsagePlanKey", method: "DELETE", path: "/usageplans/{usageplanId}/keys/{keyId}", handler: deleteUsagePlanKey },
  { operation: "GetUsage", method: "GET", path: "/usageplans/{usageplanId}/usage", handler: getUsage },
  { operation: "UpdateUsage", method: "PATCH", path: "/usageplans/{usageplanId}/keys/{keyId}/usage", handler: updateUsage },
];
