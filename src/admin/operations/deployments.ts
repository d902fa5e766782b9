// Deployment operations: CreateDeployment, GetDeployment, GetDeployments, UpdateDeployment, DeleteDeployment.
// A deployment freezes the REST API aggregate; CreateDeployment can also create or repoint a stage, or make the
// new deployment a stage's canary.
import { badRequest, enumClause, validationError } from "../../errors/api-error.js";
import { loadApi } from "../../domain/api-repository.js";
import { resourcePath, type RestApiDoc } from "../../domain/rest-api.js";
import { deploymentDocId, type ApiSnapshot, type DeploymentDoc, type StageDoc } from "../../domain/stage.js";
import {
  CACHE_CLUSTER_SIZES,
  checkPercentTraffic,
  checkStageLimit,
  checkStageName,
  deploymentNotFound,
  findDeployment,
  findStage,
  newStage,
  saveStage,
} from "../../domain/stage-rules.js";
import type { StoreReader, StoreWriter } from "../../store/config-store.js";
import { epochSeconds, newShortId } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPathFor, readPatchOperations, unsupportedOpFor } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optBool, optNumber, optObject, optString, optStringMap, paginate, queryList } from "../wire.js";

type ApiSummary = Record<string, Record<string, { authorizationType: string; apiKeyRequired: boolean }>>;

function presentDeployment(dep: DeploymentDoc, apiSummary?: ApiSummary): Record<string, unknown> {
  return compact({ id: dep.id, description: dep.description, createdDate: dep.createdDate, apiSummary });
}

/** `embed=apisummary`: resource path → verb → the method's authorization summary, from the snapshot. */
function summarise(snapshot: ApiSnapshot): ApiSummary {
  const summary: ApiSummary = {};
  const api: RestApiDoc = { ...snapshot, documentationParts: {}, documentationVersions: {}, tags: {} };
  for (const resource of Object.values(snapshot.resources)) {
    const methods = Object.values(resource.methods);
    if (methods.length === 0) continue;
    const entry: ApiSummary[string] = {};
    for (const m of methods) {
      if (m) entry[m.httpMethod] = { authorizationType: m.authorizationType, apiKeyRequired: m.apiKeyRequired };
    }
    summary[resourcePath(api, resource.id)] = entry;
  }
  return summary;
}

/** The deployable part of the aggregate: everything but documentation and tags, deep-copied. */
function snapshotOf(api: RestApiDoc): ApiSnapshot {
  const { documentationParts: _parts, documentationVersions: _versions, tags: _tags, ...rest } = structuredClone(api);
  return rest;
}

/** AWS refuses to deploy an API without methods, or with a method that has no integration. */
function checkDeployable(api: RestApiDoc): void {
  const methods = Object.values(api.resources).flatMap((r) => Object.values(r.methods));
  if (methods.length === 0) throw badRequest("The REST API doesn't contain any methods");
  if (methods.some((m) => m && !m.integration)) throw badRequest("No integration defined for method");
}

interface DeploymentInput {
  stageName?: string;
  stageDescription?: string;
  description?: string;
  cacheClusterEnabled?: boolean;
  cacheClusterSize?: string;
  variables?: Record<string, string>;
  tracingEnabled?: boolean;
  canary?: { percentTraffic?: number; stageVariableOverrides?: Record<string, string>; useStageCache?: boolean };
}

function readDeploymentInput(body: Record<string, unknown>): DeploymentInput {
  const shape = "createDeploymentInput";
  const cacheClusterSize = optString(body, "cacheClusterSize");
  if (cacheClusterSize !== undefined && !(CACHE_CLUSTER_SIZES as readonly string[]).includes(cacheClusterSize)) {
    throw validationError([enumClause(cacheClusterSize, `${shape}.cacheClusterSize`, CACHE_CLUSTER_SIZES)]);
  }
  const canaryRaw = optObject(body, "canarySettings");
  const canary = canaryRaw
    ? compact({
        percentTraffic: optNumber(canaryRaw, "percentTraffic"),
        stageVariableOverrides: optStringMap(canaryRaw, "stageVariableOverrides"),
        useStageCache: optBool(canaryRaw, "useStageCache"),
      })
    : undefined;
  if (canary?.percentTraffic !== undefined) checkPercentTraffic(canary.percentTraffic);
  return compact({
    stageName: optString(body, "stageName"),
    stageDescription: optString(body, "stageDescription"),
    description: optString(body, "description"),
    cacheClusterEnabled: optBool(body, "cacheClusterEnabled"),
    cacheClusterSize,
    variables: optStringMap(body, "variables"),
    tracingEnabled: optBool(body, "tracingEnabled"),
    canary,
  });
}

/** Creates the named stage, repoints it (merging variables), or makes the deployment its canary. */
async function applyToStage(w: StoreWriter, ctx: OpContext, api: RestApiDoc, depId: string, input: DeploymentInput, now: number): Promise<void> {
  const stageName = input.stageName!;
  const existing = await findStage(w, api.id, stageName);
  if (input.canary) {
    if (!existing) {
      throw badRequest(`Invalid deployment content specified.Stage ${stageName} must already be created before making a canary release deployment`);
    }
    const canarySettings = compact({
      deploymentId: depId,
      percentTraffic: input.canary.percentTraffic ?? 0,
      stageVariableOverrides: input.canary.stageVariableOverrides,
      useStageCache: input.canary.useStageCache ?? false,
    });
    await saveStage(w, { ...existing, canarySettings, lastUpdatedDate: now });
    return;
  }
  if (existing) {
    await saveStage(w, { ...existing, deploymentId: depId, variables: { ...existing.variables, ...(input.variables ?? {}) }, lastUpdatedDate: now });
    return;
  }
  await checkStageLimit(w, api.id, ctx.config.limits.stagesPerApi);
  const stage = newStage(
    {
      restApiId: api.id,
      stageName,
      deploymentId: depId,
      description: input.stageDescription,
      cacheClusterEnabled: input.cacheClusterEnabled,
      cacheClusterSize: input.cacheClusterSize,
      variables: input.variables,
      tracingEnabled: input.tracingEnabled,
    },
    now,
  );
  await saveStage(w, stage);
}



async function createDeployment(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  const input = readDeploymentInput(req.json());
  if (input.canary && !input.stageName) {
    throw badRequest(
      "Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is null",
    );
  }
  if (input.stageName !== undefined) checkStageName(input.stageName);
  const dep = await ctx.store.write(async (w) => {
    const api = await loadApi(w, ctx.config.accountId, restApiId);
    checkDeployable(api);
    const now = epochSeconds();
    const dep: DeploymentDoc = compact({ id: newShortId(), restApiId, description: input.description, createdDate: now, snapshot: snapshotOf(api) });
    await w.put("deployment", deploymentDocId(restApiId, dep.id), dep, restApiId);
    if (input.stageName !== undefined) await applyToStage(w, ctx, api, dep.id, input, now);
    return dep;
  });
  return { status: 201, body: presentDeployment(dep) };
}

async function loadDeployment(r: StoreReader, ctx: OpContext, restApiId: string, deploymentId: string): Promise<DeploymentDoc> {
  await loadApi(r, ctx.config.accountId, restApiId);
  const dep = await findDeployment(r, restApiId, deploymentId);
  if (!dep) throw deploymentNotFound();
  return dep;
}

async function getDeployment(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const dep = await loadDeployment(ctx.store.reader, ctx, req.params["restapi_id"]!, req.params["deployment_id"]!);
  const embed = queryList(req.query, "embed").map((e) => e.toLowerCase());
  return { status: 200, body: presentDeployment(dep, embed.includes("apisummary") ? summarise(dep.snapshot) : undefined) };
}

async function getDeployments(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  await loadApi(ctx.store.reader, ctx.config.accountId, restApiId);
  const deps = await ctx.store.reader.list<DeploymentDoc>("deployment", restApiId);
  const page = paginate(deps, req.query);
  return { status: 200, body: { ...page, item: page.item.map((d) => presentDeployment(d)) } };
}

/** UpdateDeployment accepts only `replace /description` (control-plane.md §5.1). */
async function updateDeployment(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateDeploymentInput");
  const restApiId = req.params["restapi_id"]!;
  const dep = await ctx.store.write(async (w) => {
    const dep = await loadDeployment(w, ctx, restApiId, req.params["deployment_id"]!);
    for (const op of ops) {
      if (op.path !== "/description") throw invalidPatchPathFor(op, ["/description"]);
      if (op.op !== "replace") throw unsupportedOpFor(op);
      if (op.value === undefined || op.value === "") delete dep.description;
      else dep.description = op.value;
    }
    await w.put("deployment", deploymentDocId(restApiId, dep.id), dep, restApiId);
    return dep;
  });
  return { status: 200, body: presentDeployment(dep) };
}

/** A deployment served by a stage, as its main or canary deployment, cannot be deleted. */
async function deleteDeployment(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  await ctx.store.write(async (w) => {
    const dep = await loadDeployment(w, ctx, restApiId, req.params["deployment_id"]!);
    const stages = await w.list<StageDoc>("stage", restApiId);
    if (stages.some((s) => s.deploymentId === dep.id || s.canarySettings?.deploymentId === dep.id)) {
      throw badRequest("Active stages pointing to this deployment must be moved or deleted");
    }
    await w.delete("deployment", deploymentDocId(restApiId, dep.id));
  });
  return { status: 202 };
}

export const deploymentRoutes: readonly RouteSpec[] = [
  { operation: "CreateDeployment", method: "POST", path: "/restapis/{restapi_id}/deployments", handler: createDeployment },
  { operation: "GetDeployments", method: "GET", path: "/restapis/{restapi_id}/deployments", handler: getDeployments },
  { operation: "GetDeployment", method: "GET", path: "/restapis/{restapi_id}/deployments/{deployment_id}", handler: getDeployment },
  { operation: "UpdateDeployment", method: "PATCH", path: "/restapis/{restapi_id}/deployments/{deployment_id}", handler: updateDeployment },
  { operation: "DeleteDeployment", method: "DELETE", path: "/restapis/{restapi_id}/deployments/{deployment_id}", handler: deleteDeployment },
];
