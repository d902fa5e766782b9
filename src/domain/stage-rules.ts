// The rules shared by CreateStage and CreateDeployment(stageName): stage name format, the per-API stage quota,
// the shape of a fresh stage, and AWS's not-found messages for stages and deployments.
import { ApiError, ERRORS, badRequest, notFound } from "../errors/api-error.js";
import type { StoreReader, StoreWriter } from "../store/config-store.js";
import { deploymentDocId, stageDocId, type DeploymentDoc, type StageDoc } from "./stage.js";

export const CACHE_CLUSTER_SIZES = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"] as const;
/** AWS provisions the smallest cache cluster when caching is enabled without a size. */
export const DEFAULT_CACHE_CLUSTER_SIZE = "0.5";

const STAGE_NAME = /^[A-Za-z0-9_]{1,128}$/;

export const stageNotFound = (): ApiError => notFound("Invalid stage identifier specified");
export const deploymentNotFound = (): ApiError => notFound("Invalid Deployment identifier specified");

/** Stage names are `[a-zA-Z0-9_]+` (AWS: "Stage name only allows a-zA-Z0-9_"). */
export function checkStageName(name: string): void {
  if (!STAGE_NAME.test(name)) throw badRequest("Stage name only allows a-zA-Z0-9_");
}

const VARIABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;
// The documented value pattern [A-Za-z0-9-._~:/?#&=,]+ plus the space AWS's own message lists; at most 512.
const VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=, ]{1,512}$/;

/**
 * Stage variables and canary overrides (data-plane.md §15.2), refused with AWS's recorded messages (the odd
 * quoting and double spaces are AWS's). An empty value is refused too, as on AWS.
 */
function checkStageVariables(variables: Readonly<Record<string, string>> | undefined): void {
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (!VARIABLE_NAME.test(name)) throw badRequest(`Invalid stage variable name: ${name}.  Please use names with only word characters.`);
    if (!VARIABLE_VALUE.test(value)) {
      throw badRequest(
        `Invalid stage variable value: ${value}.  Please use values with alphanumeric characters and the symbols ' ', -', '.', '_', ':', '/', '?', '&', '=', and ','.`,
      );
    }
  }
}

/**
 * Every stage write goes through here, so the variable rules hold whichever operation set them (CreateStage,
 * CreateDeployment, UpdateStage, a canary's overrides); the write's transaction makes a refusal change nothing.
 */
export async function saveStage(w: StoreWriter, stage: StageDoc): Promise<void> {
  checkStageVariables(stage.variables);
  checkStageVariables(stage.canarySettings?.stageVariableOverrides);
  await w.put("stage", stageDocId(stage.restApiId, stage.stageName), stage, stage.restApiId);
}

/** The account quota "stages per API" (AWS default 10); the exception type and wording are AWS-unverified. */
export async function checkStageLimit(r: StoreReader, restApiId: string, limit: number): Promise<void> {
  if ((await r.count("stage", restApiId)) >= limit) {
    throw new ApiError(ERRORS.LimitExceeded, `Stage limit exceeded for API ${restApiId}`);
  }
}

export async function findStage(r: StoreReader, restApiId: string, stageName: string): Promise<StageDoc | undefined> {
  return r.get<StageDoc>("stage", stageDocId(restApiId, stageName));
}

export async function loadStage(r: StoreReader, restApiId: string, stageName: string): Promise<StageDoc> {
  const stage = await findStage(r, restApiId, stageName);
  if (!stage) throw stageNotFound();
  return stage;
}

export async function findDeployment(r: StoreReader, restApiId: string, deploymentId: string): Promise<DeploymentDoc | undefined> {
  return r.get<DeploymentDoc>("deployment", deploymentDocId(restApiId, deploymentId));
}

export interface NewStageFields {
  restApiId: string;
  stageName: string;
  deploymentId: string;
  description?: string | undefined;
  cacheClusterEnabled?: boolean | undefined;
  cacheClusterSize?: string | undefined;
  variables?: Record<string, string> | undefined;
  documentationVersion?: string | undefined;
  tracingEnabled?: boolean | undefined;
  tags?: Record<string, string> | undefined;
}

/**
 * A stage as CreateStage leaves it [AWS-recorded]: cache cluster off and NOT_AVAILABLE, no method settings,
 * tracing off. An enabled cache cluster is reported AVAILABLE at once (AWS passes through CREATE_IN_PROGRESS
 * for minutes; a local cache is usable immediately).
 */
export function newStage(fields: NewStageFields, now: number): StageDoc {
  const cacheClusterEnabled = fields.cacheClusterEnabled ?? false;
  const stage: StageDoc = {
    restApiId: fields.restApiId,
    stageName: fields.stageName,
    deploymentId: fields.deploymentId,
    cacheClusterEnabled,
    cacheClusterStatus: cacheClusterEnabled ? "AVAILABLE" : "NOT_AVAILABLE",
    methodSettings: {},
    variables: { ...(fields.variables ?? {}) },
    tracingEnabled: fields.tracingEnabled ?? false,
    tags: { ...(fields.tags ?? {}) },
    createdDate: now,
    lastUpdatedDate: now,
  };
  if (fields.description !== undefined) stage.description = fields.description;
  if (fields.documentationVersion !== undefined) stage.documentationVersion = fields.documentationVersion;
  const size = fields.cacheClusterSize ?? (cacheClusterEnabled ? DEFAULT_CACHE_CLUSTER_SIZE : undefined);
  if (size !== undefined) stage.cacheClusterSize = size;
  return stage;
}

/** Canary traffic is a percentage. */
export function checkPercentTraffic(value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    throw badRequest("Canary traffic percentage must be between 0.0 and 100.0");
  }
}
