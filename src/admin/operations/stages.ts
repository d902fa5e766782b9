// Stage operations: CreateStage, GetStage, GetStages, UpdateStage, DeleteStage, FlushStageCache and
// FlushStageAuthorizersCache.
import { enumClause, conflict, validationError } from "../../errors/api-error.js";
import { loadApi } from "../../domain/api-repository.js";
import { detachStage } from "../../domain/cascade.js";
import { stageDocId, type CanarySettings, type DeploymentDoc, type StageDoc } from "../../domain/stage.js";
import {
  CACHE_CLUSTER_SIZES,
  checkPercentTraffic,
  checkStageLimit,
  checkStageName,
  deploymentNotFound,
  findDeployment,
  findStage,
  loadStage,
  newStage,
  saveStage,
} from "../../domain/stage-rules.js";
import type { StoreReader } from "../../store/config-store.js";
import { epochSeconds } from "../../util/ids.js";
import type { GatewayServices, OpContext, OpRequest, OpResult } from "../operation.js";
import { readPatchOperations } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optBool, optNumber, optObject, optString, optStringMap, reqString } from "../wire.js";
import { applyStagePatch } from "./stage-patch.js";
import { STAGE_CACHE_SERVICE } from "../../cache/open-response-cache.js";
import { AUTHORIZER_CACHE_SERVICE } from "../../dataplane/auth/authorizer-cache.js";

/** A cache the data plane keeps per stage (responses, or authorizer results), flushed on demand. */
export interface StageScopedCache {
  flush(restApiId: string, stageName: string): void | Promise<void>;
}


export function presentStage(stage: StageDoc): Record<string, unknown> {
  return compact({
    deploymentId: stage.deploymentId,
    clientCertificateId: stage.clientCertificateId,
    stageName: stage.stageName,
    description: stage.description,
    cacheClusterEnabled: stage.cacheClusterEnabled,
    cacheClusterSize: stage.cacheClusterSize,
    cacheClusterStatus: stage.cacheClusterStatus,
    methodSettings: stage.methodSettings,
    // AWS omits `variables` when there are none.
    variables: Object.keys(stage.variables).length ? stage.variables : undefined,
    documentationVersion: stage.documentationVersion,
    accessLogSettings: stage.accessLogSettings,
    canarySettings: stage.canarySettings,
    tracingEnabled: stage.tracingEnabled,
    webAclArn: stage.webAclArn,
    tags: Object.keys(stage.tags).length ? stage.tags : undefined,
    createdDate: stage.createdDate,
    lastUpdatedDate: stage.lastUpdatedDate,
  });
}


async function loadApiStage(r: StoreReader, ctx: OpContext, req: OpRequest): Promise<StageDoc> {
  const restApiId = req.params["restapi_id"]!;
  await loadApi(r, ctx.config.accountId, restApiId);
  return loadStage(r, restApiId, req.params["stage_name"]!);
}

function readCanarySettings(body: Record<string, unknown>): CanarySettings | undefined {
  const raw = optObject(body, "canarySettings");
  if (!raw) return undefined;
  const canary: CanarySettings = compact({
    deploymentId: optString(raw, "deploymentId"),
    percentTraffic: optNumber(raw, "percentTraffic") ?? 0,
    stageVariableOverrides: optStringMap(raw, "stageVariableOverrides"),
    useStageCache: optBool(raw, "useStageCache") ?? false,
  });
  checkPercentTraffic(canary.percentTraffic!);
  return canary;
}

async function createStage(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  const body = req.json();
  const shape = "createStageInput";
  const stageName = reqString(body, "stageName", shape);
  const deploymentId = reqString(body, "deploymentId", shape);
  const cacheClusterSize = optString(body, "cacheClusterSize");
  if (cacheClusterSize !== undefined && !(CACHE_CLUSTER_SIZES as readonly string[]).includes(cacheClusterSize)) {
    throw validationError([enumClause(cacheClusterSize, `${shape}.cacheClusterSize`, CACHE_CLUSTER_SIZES)]);
  }
  const canarySettings = readCanarySettings(body);
  const fields = {
    restApiId,
    stageName,
    deploymentId,
    description: optString(body, "description"),
    cacheClusterEnabled: optBool(body, "cacheClusterEnabled"),
    cacheClusterSize,
    variables: optStringMap(body, "variables"),
    documentationVersion: optString(body, "documentationVersion"),
    tracingEnabled: optBool(body, "tracingEnabled"),
    tags: optStringMap(body, "tags"),
  };
  checkStageName(stageName);
  const stage = await ctx.store.write(async (w) => {
    await loadApi(w, ctx.config.accountId, restApiId);
    if (await findStage(w, restApiId, stageName)) throw conflict("Stage already exists");
    if (!(await findDeployment(w, restApiId, deploymentId))) throw deploymentNotFound();
    if (canarySettings?.deploymentId !== undefined && !(await findDeployment(w, restApiId, canarySettings.deploymentId))) {
      throw deploymentNotFound();
    }
    await checkStageLimit(w, restApiId, ctx.config.limits.stagesPerApi);
    const stage = newStage(fields, epochSeconds());
    if (canarySettings) stage.canarySettings = canarySettings;
    await saveStage(w, stage);
    return stage;
  });
  return { status: 201, body: presentStage(stage) };
}

async function getStage(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  return { status: 200, body: presentStage(await loadApiStage(ctx.store.reader, ctx, req)) };
}

/** GetStages is not paginated: `{"item": [...]}` without `position`, optionally filtered by deployment. */
async function getStages(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  await loadApi(ctx.store.reader, ctx.config.accountId, restApiId);
  const deploymentId = req.query.get("deploymentId");
  const stages = await ctx.store.reader.list<StageDoc>("stage", restApiId);
  const item = stages.filter((s) => !deploymentId || s.deploymentId === deploymentId).map(presentStage);
  return { status: 200, body: { item } };
}

async function updateStage(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateStageInput");
  const restApiId = req.params["restapi_id"]!;
  const stage = await ctx.store.write(async (w) => {
    const stage = await loadApiStage(w, ctx, req);
    const deploymentIds = new Set((await w.list<DeploymentDoc>("deployment", restApiId)).map((d) => d.id));
    for (const op of ops) applyStagePatch(stage, op, (id) => deploymentIds.has(id));
    stage.lastUpdatedDate = epochSeconds();
    await saveStage(w, stage);
    return stage;
  });
  return { status: 200, body: presentStage(stage) };
}

/** DeleteStage keeps the deployment and detaches the stage from usage plans, API keys and base path mappings. */
async function deleteStage(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  await ctx.store.write(async (w) => {
    const stage = await loadApiStage(w, ctx, req);
    await w.delete("stage", stageDocId(stage.restApiId, stage.stageName));
    await detachStage(w, stage.restApiId, stage.stageName);
  });
  return { status: 202 };
}

/** The registered cache service, if the data plane provides one (it is a run-time capability, not a dependency). */
function stageScopedCache(services: GatewayServices, name: string): StageScopedCache | undefined {
  const service = services[name];
  if (typeof service === "object" && service !== null && typeof (service as Partial<StageScopedCache>).flush === "function") {
    // Checked just above: the object has a callable `flush`.
    return service as StageScopedCache;
  }
  return undefined;
}

/**
 * Bumps the stage's epoch for that cache — the flush itself: the stage document changes, so every worker and node
 * recompiles the stage with new cache keys and the old entries become unreachable. This process's own cache then
 * drops the stage's entries at once, which only frees their memory sooner.
 */
function flushHandler(serviceName: string, epoch: "cacheEpoch" | "authorizerCacheEpoch") {
  return async (req: OpRequest, ctx: OpContext): Promise<OpResult> => {
    const stage = await ctx.store.write(async (w) => {
      const current = await loadApiStage(w, ctx, req);
      current[epoch] = (current[epoch] ?? 0) + 1;
      await saveStage(w, current);
      return current;
    });
    await stageScopedCache(ctx.services, serviceName)?.flush(stage.restApiId, stage.stageName);
    return { status: 202 };
  };
}

export const stageRoutes: readonly RouteSpec[] = [
  { operation: "CreateStage", method: "POST", path: "/restapis/{restapi_id}/stages", handler: createStage },
  { operation: "GetStages", method: "GET", path: "/restapis/{restapi_id}/stages", handler: getStages },
  { operation: "GetStage", method: "GET", path: "/restapis/{restapi_id}/stages/{stage_name}", handler: getStage },
  { operation: "UpdateStage", method: "PATCH", path: "/restapis/{restapi_id}/stages/{stage_name}", handler: updateStage },
  { operation: "DeleteStage", method: "DELETE", path: "/restapis/{restapi_id}/stages/{stage_name}", handler: deleteStage },
  {
    operation: "FlushStageCache",
    method: "DELETE",
    path: "/restapis/{restapi_id}/stages/{stage_name}/cache/data",
    handler: flushHandler(STAGE_CACHE_SERVICE, "cacheEpoch"),
  },
  {
    operation: "FlushStageAuthorizersCache",
    method: "DELETE",
    path: "/restapis/{restapi_id}/stages/{stage_name}/cache/authorizers",
    handler: flushHandler(AUTHORIZER_CACHE_SERVICE, "authorizerCacheEpoch"),
  },
];
