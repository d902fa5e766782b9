// Loading API keys and usage plans with AWS's not-found messages, and the rule that links them: a key may be
// in at most one usage plan per API stage (the data plane picks the plan by stage and key, data-plane.md §6).
import { conflict, notFound, type ApiError } from "../errors/api-error.js";
import type { StoreReader, StoreWriter } from "../store/config-store.js";
import { stageDocId } from "./stage.js";
import type { ApiKeyDoc, ApiStage, UsagePlanDoc } from "./usage.js";

export const unknownApiKey = (): ApiError => notFound("Invalid API Key identifier specified");
export const unknownUsagePlan = (): ApiError => notFound("Invalid Usage Plan ID specified");

export async function loadApiKey(r: StoreReader, id: string): Promise<ApiKeyDoc> {
  const key = await r.get<ApiKeyDoc>("apikey", id);
  if (!key) throw unknownApiKey();
  return key;
}

export async function loadUsagePlan(r: StoreReader, id: string): Promise<UsagePlanDoc> {
  const plan = await r.get<UsagePlanDoc>("usageplan", id);
  if (!plan) throw unknownUsagePlan();
  return plan;
}

export const stageExists = async (r: StoreReader, apiId: string, stage: string): Promise<boolean> =>
  (await r.get("stage", stageDocId(apiId, stage))) !== undefined;

/** A key may be in at most one plan per API stage (data-plane.md §6: the plan is chosen by stage and key). */
export async function checkKeyStageConflicts(r: StoreReader, plan: UsagePlanDoc, keyIds: readonly string[], stages: readonly ApiStage[]): Promise<void> {
  for (const other of await r.list<UsagePlanDoc>("usageplan")) {
    if (other.id === plan.id) continue;
    for (const keyId of keyIds) {
      if (!other.keyIds.includes(keyId)) continue;
      const shared = stages.find((s) => other.apiStages.some((o) => o.apiId === s.apiId && o.stage === s.stage));
      if (shared) {
        throw conflict(
          `Usage Plan ${plan.id} cannot be added because API Key ${keyId} cannot reference multiple Usage Plans with the same API Stage: ${shared.apiId}:${shared.stage}`,
        );
      }
    }
  }
}

/** Adds a key to a plan (CreateUsagePlanKey, ImportApiKeys' UsagePlanIds column). */
export async function addKeyToPlan(w: StoreWriter, plan: UsagePlanDoc, key: ApiKeyDoc, options: { alreadyOk?: boolean } = {}): Promise<void> {
  if (plan.keyIds.includes(key.id)) {
    if (options.alreadyOk) return;
    throw conflict(`API Key ${key.id} is already in Usage Plan ${plan.id}`);
  }
  await checkKeyStageConflicts(w, plan, [key.id], plan.apiStages);
  await w.put("usageplan", plan.id, { ...plan, keyIds: [...plan.keyIds, key.id] });
}

