// ApiKey operations: CreateApiKey, GetApiKey, GetApiKeys, UpdateApiKey, DeleteApiKey, ImportApiKeys
// (control-plane.md §2 ApiKey, §3.12, §5.1, §7, §8.3).
import { badRequest, conflict } from "../../errors/api-error.js";
import { addKeyToPlan, loadApiKey, loadUsagePlan, stageExists } from "../../domain/usage-repository.js";
import type { ApiKeyDoc, UsagePlanDoc } from "../../domain/usage.js";
import type { StoreReader, StoreWriter } from "../../store/config-store.js";
import { parseCsv } from "../../util/csv.js";
import { epochSeconds, newApiKeyId, newApiKeyValue } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPathFor, patchBool, readPatchOperations, requireValue, splitPatchPath, type PatchOp } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optBool, optString, optStringMap, paginate, queryBool } from "../wire.js";

const MIN_VALUE = 20;
const MAX_VALUE = 128;
const UPDATE_PATHS = ["/name", "/description", "/customerId", "/enabled", "/stages"] as const;

export function presentApiKey(key: ApiKeyDoc, withValue: boolean): Record<string, unknown> {
  return compact({
    id: key.id,
    value: withValue ? key.value : undefined,
    name: key.name,
    customerId: key.customerId,
    description: key.description,
    enabled: key.enabled,
    createdDate: key.createdDate,
    lastUpdatedDate: key.lastUpdatedDate,
    stageKeys: key.stageKeys,
    tags: Object.keys(key.tags).length ? key.tags : undefined,
  });
}

function checkValue(value: string): void {
  if (value.length < MIN_VALUE) throw badRequest("API Key value should be at least 20 characters");
  if (value.length > MAX_VALUE) throw badRequest("API Key value should be at most 128 characters");
}

async function findByValue(r: StoreReader, value: string): Promise<ApiKeyDoc | undefined> {
  return (await r.list<ApiKeyDoc>("apikey")).find((k) => k.value === value);
}

/** A `{restApiId}/{stageName}` entry must name an existing stage (BadRequest, as AWS answers for stageKeys). */
async function checkStageKey(r: StoreReader, restApiId: string, stageName: string): Promise<string> {
  if (!restApiId || !stageName || !(await stageExists(r, restApiId, stageName))) {
    throw badRequest("Invalid stage identifier specified");
  }
  return `${restApiId}/${stageName}`;
}

function readStageKeyInputs(body: Record<string, unknown>): { restApiId: string; stageName: string }[] {
  const raw = body["stageKeys"];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest("Invalid stage identifier specified");
  return raw.map((item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) throw badRequest("Invalid stage identifier specified");
    const entry = item as Record<string, unknown>;
    return { restApiId: optString(entry, "restApiId") ?? "", stageName: optString(entry, "stageName") ?? "" };
  });
}

async function createApiKey(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const given = optString(body, "value");
  if (given !== undefined) checkValue(given);
  const stageInputs = readStageKeyInputs(body);
  const now = epochSeconds();
  const key: ApiKeyDoc = compact({
    id: newApiKeyId(),
    value: given ?? newApiKeyValue(),
    name: optString(body, "name"),
    customerId: optString(body, "customerId"),
    description: optString(body, "description"),
    enabled: optBool(body, "enabled") ?? false,
    createdDate: now,
    lastUpdatedDate: now,
    stageKeys: [] as string[],
    tags: optStringMap(body, "tags") ?? {},
  });
  await ctx.store.write(async (w) => {
    for (const s of stageInputs) {
      const entry = await checkStageKey(w, s.restApiId, s.stageName);
      if (!key.stageKeys.includes(entry)) key.stageKeys.push(entry);
    }
    if (await findByValue(w, key.value)) throw conflict("API Key already exists");
    await w.put("apikey", key.id, key);
  });
  return { status: 201, body: presentApiKey(key, true) };
}

async function getApiKey(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const key = await loadApiKey(ctx.store.reader, req.params["api_Key"]!);
  return { status: 200, body: presentApiKey(key, queryBool(req.query, "includeValue")) };
}

async function getApiKeys(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const nameQuery = req.query.get("name");
  const customerId = req.query.get("customerId");
  const withValues = queryBool(req.query, "includeValues");
  const keys = (await ctx.store.reader.list<ApiKeyDoc>("apikey")).filter(
    // nameQuery is a prefix match on the key name, as AWS documents it ("The name of queried API keys").
    (k) => (!nameQuery || (k.name ?? "").startsWith(nameQuery)) && (!customerId || k.customerId === customerId),
  );
  const page = paginate(keys, req.query);
  return { status: 200, body: { ...page, item: page.item.map((k) => presentApiKey(k, withValues)) } };
}

async function applyApiKeyPatch(w: StoreWriter, key: ApiKeyDoc, op: PatchOp): Promise<void> {
  const [head, ...rest] = splitPatchPath(op.path);
  const scalar = (apply: () => void): void => {
    if (rest.length !== 0) throw invalidPatchPathFor(op, UPDATE_PATHS);
    if (op.op !== "replace") throw invalidPatchPathFor(op, ["/name", "/description", "/customerId", "/enabled"]);
    apply();
  };
  const optional = (field: "name" | "description" | "customerId"): void =>
    scalar(() => {
      if (op.value === undefined || op.value === "") delete key[field];
      else key[field] = op.value;
    });
  switch (head) {
    case "name":
    case "description":
    case "customerId":
      return optional(head);
    case "enabled":
      return scalar(() => {
        key.enabled = patchBool(op);
      });
    case "stages": {
      if (rest.length !== 0 || (op.op !== "add" && op.op !== "remove")) throw invalidPatchPathFor(op, UPDATE_PATHS);
      const value = requireValue(op);
      const slash = value.indexOf("/");
      if (op.op === "add") {
        const entry = await checkStageKey(w, value.slice(0, Math.max(0, slash)), slash < 0 ? "" : value.slice(slash + 1));
        if (!key.stageKeys.includes(entry)) key.stageKeys.push(entry);
      } else {
        key.stageKeys = key.stageKeys.filter((s) => s !== value);
      }
      return;
    }
    default:
      throw invalidPatchPathFor(op, UPDATE_PATHS);
  }
}

async function updateApiKey(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateApiKeyInput");
  const id = req.params["api_Key"]!;
  const key = await ctx.store.write(async (w) => {
    const key = await loadApiKey(w, id);
    for (const op of ops) await applyApiKeyPatch(w, key, op);
    key.lastUpdatedDate = epochSeconds();
    await w.put("apikey", key.id, key);
    return key;
  });
  return { status: 200, body: presentApiKey(key, false) };
}

async function deleteApiKey(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const id = req.params["api_Key"]!;
  await ctx.store.write(async (w) => {
    await loadApiKey(w, id);
    // AWS: deleting a key removes it from every usage plan it belonged to.
    for (const plan of await w.list<UsagePlanDoc>("usageplan")) {
      if (plan.keyIds.includes(id)) await w.put("usageplan", plan.id, { ...plan, keyIds: plan.keyIds.filter((k) => k !== id) });
    }
    await w.delete("apikey", id);
  });
  return { status: 202 };
}

interface ImportRow {
  name: string;
  value: string;
  description: string | undefined;
  enabled: boolean;
  usagePlanIds: string[];
}

/**
 * The API key file format (developer guide, "API key file format"): a header row with case-insensitive column
 * names in any order — Name and Key required; Description, Enabled (default true) and UsagePlanIds (a quoted,
 * comma-separated list) optional; other columns ignored.
 */
function readImportRows(text: string): ImportRow[] {
  const records = parseCsv(text.replace(/^\uFEFF/, "")).filter((r) => r.some((cell) => cell.trim() !== ""));
  const header = records.shift();
  if (!header) throw badRequest("Invalid API key file: the header row is missing");
  const column = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
  const nameAt = column.get("name");
  const keyAt = column.get("key");
  if (nameAt === undefined || keyAt === undefined) throw badRequest("Invalid API key file: the Name and Key columns are required");
  const cell = (record: string[], at: number | undefined): string | undefined => (at === undefined ? undefined : record[at]?.trim());
  return records.map((record, i) => {
    const value = cell(record, keyAt) ?? "";
    checkValue(value);
    const enabledRaw = cell(record, column.get("enabled"));
    if (enabledRaw && !/^(true|false)$/i.test(enabledRaw)) throw badRequest(`Invalid Enabled value '${enabledRaw}' on line ${i + 2}`);
    const plans = cell(record, column.get("usageplanids")) ?? "";
    return {
      name: cell(record, nameAt) ?? "",
      value,
      description: cell(record, column.get("description")) || undefined,
      enabled: enabledRaw ? enabledRaw.toLowerCase() === "true" : true,
      usagePlanIds: plans.split(",").map((p) => p.trim()).filter(Boolean),
    };
  });
}

async function importApiKeys(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const format = req.query.get("format");
  if (format?.toLowerCase() !== "csv") throw badRequest(`Invalid format ${format ?? "null"} specified. Only csv is supported`);
  const rows = readImportRows(req.rawBody.toString("utf8"));
  const ids = await ctx.store.write(async (w) => {
    const ids: string[] = [];
    for (const row of rows) {
      const now = epochSeconds();
      // Re-importing a key value updates that key instead of failing (api-key-file-format.html).
      const existing = await findByValue(w, row.value);
      const key: ApiKeyDoc = existing
        ? { ...existing, name: row.name, enabled: row.enabled, lastUpdatedDate: now }
        : { id: newApiKeyId(), value: row.value, name: row.name, enabled: row.enabled, createdDate: now, lastUpdatedDate: now, stageKeys: [], tags: {} };
      if (row.description !== undefined) key.description = row.description;
      await w.put("apikey", key.id, key);
      // A re-imported key that is already in a listed plan stays there.
      for (const planId of row.usagePlanIds) await addKeyToPlan(w, await loadUsagePlan(w, planId), key, { alreadyOk: true });
      ids.push(key.id);
    }
    return ids;
  });
  return { status: 201, body: { ids, warnings: [] } };
}

export const apiKeyRoutes: readonly RouteSpec[] = [
  { operation: "ImportApiKeys", method: "POST", path: "/apikeys", query: { mode: "import" }, handler: importApiKeys },
  { operation: "CreateApiKey", method: "POST", path: "/apikeys", handler: createApiKey },
  { operation: "GetApiKeys", method: "GET", path: "/apikeys", handler: getApiKeys },
  { operation: "GetApiKey", method: "GET", path: "/apikeys/{api_Key}", handler: getApiKey },
  { operation: "UpdateApiKey", method: "PATCH", path: "/apikeys/{api_Key}", handler: updateApiKey },
  { operation: "DeleteApiKey", method: "DELETE", path: "/apikeys/{api_Key}", handler: deleteApiKey },
];
