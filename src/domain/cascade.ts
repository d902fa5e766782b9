// Cascades of AWS's delete rules that reach outside the REST API aggregate: deleting an API or a stage detaches
// it from usage plans, API keys' stageKeys and base path mappings.
import type { StoreWriter } from "../store/config-store.js";
import type { DeploymentDoc, StageDoc } from "./stage.js";
import type { ApiKeyDoc, DomainNameDoc, UsagePlanDoc } from "./usage.js";

type StageFilter = (apiId: string, stage: string | undefined) => boolean;

async function detach(w: StoreWriter, matches: StageFilter): Promise<void> {
  for (const plan of await w.list<UsagePlanDoc>("usageplan")) {
    const kept = plan.apiStages.filter((s) => !matches(s.apiId, s.stage));
    if (kept.length !== plan.apiStages.length) await w.put("usageplan", plan.id, { ...plan, apiStages: kept });
  }
  for (const key of await w.list<ApiKeyDoc>("apikey")) {
    const kept = key.stageKeys.filter((sk) => {
      const [apiId, stage] = sk.split("/");
      return !matches(apiId ?? "", stage);
    });
    if (kept.length !== key.stageKeys.length) await w.put("apikey", key.id, { ...key, stageKeys: kept });
  }
  for (const domain of await w.list<DomainNameDoc>("domainname")) {
    const mappings = Object.entries(domain.basePathMappings).filter(([, m]) => !matches(m.restApiId, m.stage));
    if (mappings.length !== Object.keys(domain.basePathMappings).length) {
      await w.put("domainname", domain.domainName, { ...domain, basePathMappings: Object.fromEntries(mappings) });
    }
  }
}

/** DeleteRestApi: the API's stages and deployments go, and every reference to the API is removed. */
export async function deleteApiCascade(w: StoreWriter, restApiId: string): Promise<void> {
  for (const stage of await w.list<StageDoc>("stage", restApiId)) await w.delete("stage", `${restApiId}/${stage.stageName}`);
  for (const dep of await w.list<DeploymentDoc>("deployment", restApiId)) await w.delete("deployment", `${restApiId}/${dep.id}`);
  await detach(w, (apiId) => apiId === restApiId);
  await w.delete("restapi", restApiId);
}

/** DeleteStage: usage plans and API keys forget the stage; its deployment stays. */
export async function detachStage(w: StoreWriter, restApiId: string, stageName: string): Promise<void> {
  await detach(w, (apiId, stage) => apiId === restApiId && stage === stageName);
}
