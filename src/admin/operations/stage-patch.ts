// UpdateStage's patch paths (control-plane.md §5.1 "Stage"): scalar fields, stage variables, access logging,
// method settings (`/*/*/…` and `/~1pets/GET/…`) and canary settings, including canary promotion by `copy`.
import { badRequest, type ApiError } from "../../errors/api-error.js";
import { HTTP_METHODS } from "../../domain/rest-api.js";
import { DEFAULT_METHOD_SETTING, type CanarySettings, type MethodSetting, type StageDoc } from "../../domain/stage.js";
import { CACHE_CLUSTER_SIZES, DEFAULT_CACHE_CLUSTER_SIZE, checkPercentTraffic } from "../../domain/stage-rules.js";
import { patchBool, patchInt, patchNumber, replaceOnly, requireValue, splitPatchPath, type PatchOp } from "../patch.js";

/** AWS's message for any path UpdateStage does not know, list and irregular separators verbatim [AWS-recorded]. */
export function invalidStagePath(path: string): ApiError {
  return badRequest(
    `Invalid method setting path: ${path}. Must be one of: [/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, /{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, /{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, /*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]`,
  );
}

const mapOps = (): ApiError => badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
const deploymentMissing = (): ApiError => badRequest("Deployment id does not exist");

const LOG_LEVELS = ["OFF", "ERROR", "INFO"] as const;
const CACHE_CONTROL_STRATEGIES = ["FAIL_WITH_403", "SUCCEED_WITH_RESPONSE_HEADER", "SUCCEED_WITHOUT_RESPONSE_HEADER"] as const;
const MAX_CACHE_TTL = 3600;

function oneOf<T extends string>(op: PatchOp, allowed: readonly T[], what: string): T {
  const v = requireValue(op);
  if (!(allowed as readonly string[]).includes(v)) throw badRequest(`Invalid ${what} specified: ${v}. Valid options are ${allowed.join(",")}`);
  return v as T;
}

function nonNegative(n: number, what: string): number {
  if (n < 0) throw badRequest(`${what} must be a non-negative number`);
  return n;
}

/** `{setting}` suffixes of a method-settings path and how each value is converted. */
const METHOD_SETTING_WRITERS: Readonly<Record<string, (s: MethodSetting, op: PatchOp) => void>> = {
  "metrics/enabled": (s, op) => {
    s.metricsEnabled = patchBool(op);
  },
  "logging/dataTrace": (s, op) => {
    s.dataTraceEnabled = patchBool(op);
  },
  "logging/loglevel": (s, op) => {
    s.loggingLevel = oneOf(op, LOG_LEVELS, "logging level");
  },
  "throttling/burstLimit": (s, op) => {
    s.throttlingBurstLimit = nonNegative(patchInt(op), "Throttling burst limit");
  },
  "throttling/rateLimit": (s, op) => {
    s.throttlingRateLimit = nonNegative(patchNumber(op), "Throttling rate limit");
  },
  "caching/enabled": (s, op) => {
    s.cachingEnabled = patchBool(op);
  },
  "caching/ttlInSeconds": (s, op) => {
    const ttl = patchInt(op);
    if (ttl < 0 || ttl > MAX_CACHE_TTL) throw badRequest(`Cache TTL must be between 0 and ${MAX_CACHE_TTL} seconds`);
    s.cacheTtlInSeconds = ttl;
  },
  "caching/dataEncrypted": (s, op) => {
    s.cacheDataEncrypted = patchBool(op);
  },
  "caching/requireAuthorizationForCacheControl": (s, op) => {
    s.requireAuthorizationForCacheControl = patchBool(op);
  },
  "caching/unauthorizedCacheControlHeaderStrategy": (s, op) => {
    s.unauthorizedCacheControlHeaderStrategy = oneOf(op, CACHE_CONTROL_STRATEGIES, "unauthorized cache control header strategy");
  },
};

/**
 * The method-settings key of a path, or undefined when the path is not one: `*` / `*` for the stage-wide
 * entry, otherwise an escaped resource path (`~1pets~1{petId}`, root `~1`) and a verb. The key keeps AWS's
 * `~1` escaping, as GetStage shows it.
 */
function methodSettingKey(resource: string | undefined, verb: string | undefined): string | undefined {
  if (resource === undefined || verb === undefined) return undefined;
  if (resource === "*" && verb === "*") return "*/*";
  if (resource.startsWith("~1") && (HTTP_METHODS as readonly string[]).includes(verb)) return `${resource}/${verb}`;
  return undefined;
}

function applyMethodSettingPatch(stage: StageDoc, op: PatchOp, raw: readonly string[]): boolean {
  const key = methodSettingKey(raw[0], raw[1]);
  if (key === undefined) return false;
  if (raw.length === 2) {
    if (op.op !== "remove") return false;
    if (!stage.methodSettings[key]) {
      // Trailing space as AWS sends it [emulator].
      throw badRequest(`Cannot remove method setting ${key} because there is no method setting for this method `);
    }
    delete stage.methodSettings[key];
    return true;
  }
  const write = raw.length === 4 ? METHOD_SETTING_WRITERS[`${raw[2]}/${raw[3]}`] : undefined;
  if (!write) return false;
  if (op.op !== "replace") throw replaceOnly();
  // A new entry starts from AWS's defaults (burst 5000, rate 10000.0, TTL 300, …), then takes the value.
  const setting: MethodSetting = { ...DEFAULT_METHOD_SETTING, ...stage.methodSettings[key] };
  write(setting, op);
  stage.methodSettings[key] = setting;
  return true;
}

function setOptional(stage: StageDoc, key: "description" | "documentationVersion" | "clientCertificateId", op: PatchOp): void {
  if (op.op !== "replace") throw replaceOnly();
  if (op.value === undefined || op.value === "") delete stage[key];
  else stage[key] = op.value;
}

function applyVariablePatch(target: Record<string, string>, op: PatchOp, name: string): void {
  if (op.op === "add" || op.op === "replace") target[name] = requireValue(op);
  else if (op.op === "remove") delete target[name];
  else throw mapOps();
}

function canaryOf(stage: StageDoc): CanarySettings {
  stage.canarySettings ??= { percentTraffic: 0, useStageCache: false };
  return stage.canarySettings;
}

/** The format must let each entry be tied to a request. */
function checkAccessLogFormat(format: string): void {
  if (!format.includes("$context.requestId") && !format.includes("$context.extendedRequestId")) {
    throw badRequest("Access Log format must contain at least one of $context.requestId or $context.extendedRequestId");
  }
}

/** `copy` promotes a canary: its deployment becomes the stage's, its overrides become stage variables. */
function applyCopy(stage: StageDoc, op: PatchOp): void {
  if (op.path === "/deploymentId" && op.from === "/canarySettings/deploymentId") {
    const id = stage.canarySettings?.deploymentId;
    if (id === undefined) throw deploymentMissing();
    stage.deploymentId = id;
    return;
  }
  if (op.path === "/variables" && op.from === "/canarySettings/stageVariableOverrides") {
    stage.variables = { ...stage.variables, ...(stage.canarySettings?.stageVariableOverrides ?? {}) };
    return;
  }
  throw invalidStagePath(op.path || "null");
}

function applyCanaryPatch(stage: StageDoc, op: PatchOp, field: string | undefined, rest: readonly string[], deploymentExists: (id: string) => boolean): void {
  if (field === undefined) {
    if (op.op !== "remove") throw invalidStagePath(op.path);
    delete stage.canarySettings;
    return;
  }
  if (field === "stageVariableOverrides" && rest.length === 1) {
    const canary = canaryOf(stage);
    const overrides = { ...(canary.stageVariableOverrides ?? {}) };
    applyVariablePatch(overrides, op, rest[0]!);
    canary.stageVariableOverrides = overrides;
    return;
  }
  if (rest.length !== 0) throw invalidStagePath(op.path);
  if (op.op !== "replace") throw replaceOnly();
  switch (field) {
    case "percentTraffic": {
      const pct = patchNumber(op);
      checkPercentTraffic(pct);
      canaryOf(stage).percentTraffic = pct;
      return;
    }
    case "deploymentId": {
      const id = requireValue(op);
      if (!deploymentExists(id)) throw deploymentMissing();
      canaryOf(stage).deploymentId = id;
      return;
    }
    case "useStageCache":
      canaryOf(stage).useStageCache = patchBool(op);
      return;
    default:
      throw invalidStagePath(op.path);
  }
}

/**
 * Applies one UpdateStage operation to `stage` in place. `deploymentExists` answers for the stage's API
 * (loaded by the caller inside the same transaction).
 */
export function applyStagePatch(stage: StageDoc, op: PatchOp, deploymentExists: (id: string) => boolean): void {
  if (!op.path.startsWith("/")) throw invalidStagePath(op.path || "null");
  if (op.op === "copy") return applyCopy(stage, op);
  // Method-settings keys keep their `~1` escapes, so they are read from the raw segments.
  const raw = op.path.slice(1).split("/");
  if (applyMethodSettingPatch(stage, op, raw)) return;
  const [head, second, ...rest] = splitPatchPath(op.path);
  const scalar = (apply: () => void): void => {
    if (second !== undefined) throw invalidStagePath(op.path);
    if (op.op !== "replace") throw replaceOnly();
    apply();
  };
  switch (head) {
    case "deploymentId":
      return scalar(() => {
        const id = requireValue(op);
        if (!deploymentExists(id)) throw deploymentMissing();
        stage.deploymentId = id;
      });
    case "description":
    case "documentationVersion":
    case "clientCertificateId":
      if (second !== undefined) throw invalidStagePath(op.path);
      return setOptional(stage, head, op);
    case "cacheClusterEnabled":
      return scalar(() => {
        stage.cacheClusterEnabled = patchBool(op);
        // A local cache is ready at once; AWS shows CREATE_IN_PROGRESS for a few minutes first.
        stage.cacheClusterStatus = stage.cacheClusterEnabled ? "AVAILABLE" : "NOT_AVAILABLE";
        if (stage.cacheClusterEnabled) stage.cacheClusterSize ??= DEFAULT_CACHE_CLUSTER_SIZE;
      });
    case "cacheClusterSize":
      return scalar(() => {
        stage.cacheClusterSize = oneOf(op, CACHE_CLUSTER_SIZES, "cache cluster size");
      });
    case "tracingEnabled":
      return scalar(() => {
        stage.tracingEnabled = patchBool(op);
      });
    case "variables":
      if (second === undefined || rest.length !== 0) throw invalidStagePath(op.path);
      return applyVariablePatch(stage.variables, op, second);
    case "accessLogSettings":
      return applyAccessLogPatch(stage, op, second, rest);
    case "canarySettings":
      return applyCanaryPatch(stage, op, second, rest, deploymentExists);
    default:
      throw invalidStagePath(op.path);
  }
}

function applyAccessLogPatch(stage: StageDoc, op: PatchOp, field: string | undefined, rest: readonly string[]): void {
  if (rest.length !== 0) throw invalidStagePath(op.path);
  if (field === undefined) {
    if (op.op !== "remove") throw invalidStagePath(op.path);
    delete stage.accessLogSettings;
    return;
  }
  if (field !== "format" && field !== "destinationArn") throw invalidStagePath(op.path);
  if (op.op !== "replace") throw replaceOnly();
  const value = requireValue(op);
  if (field === "format") checkAccessLogFormat(value);
  else if (!/^arn:aws[a-z-]*:(logs|firehose):/.test(value)) throw badRequest("Invalid ARN specified in the request");
  stage.accessLogSettings = { ...stage.accessLogSettings, [field]: value };
}
