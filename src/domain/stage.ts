// Stages and deployments. A deployment is an immutable snapshot of the REST API aggregate; a stage names the
// deployment it serves plus live settings (variables, method settings, canary, cache cluster).
import type { RestApiDoc } from "./rest-api.js";

/** What CreateDeployment freezes: the whole aggregate minus documentation and tags. */
export type ApiSnapshot = Omit<RestApiDoc, "documentationParts" | "documentationVersions" | "tags">;

export interface DeploymentDoc {
  id: string;
  restApiId: string;
  description?: string;
  createdDate: number;
  snapshot: ApiSnapshot;
}

export interface MethodSetting {
  metricsEnabled: boolean;
  loggingLevel?: "OFF" | "ERROR" | "INFO";
  dataTraceEnabled: boolean;
  throttlingBurstLimit: number;
  throttlingRateLimit: number;
  cachingEnabled: boolean;
  cacheTtlInSeconds: number;
  cacheDataEncrypted: boolean;
  requireAuthorizationForCacheControl: boolean;
  unauthorizedCacheControlHeaderStrategy: "FAIL_WITH_403" | "SUCCEED_WITH_RESPONSE_HEADER" | "SUCCEED_WITHOUT_RESPONSE_HEADER";
}

export const DEFAULT_METHOD_SETTING: Readonly<MethodSetting> = {
  metricsEnabled: false,
  dataTraceEnabled: false,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000.0,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: "SUCCEED_WITH_RESPONSE_HEADER",
};

/** `methodSettings` keys keep AWS's `~1` escaping: `~1pets~1{petId}/GET`, the root `~1/GET`. */
export const methodSettingKey = (resourcePath: string, httpMethod: string): string => `${resourcePath.replaceAll("/", "~1")}/${httpMethod}`;

/** The settings in force for a method: its own entry, else the stage-wide `*` / `*` entry, else none. */
export function methodSettingFor(
  settings: Readonly<Record<string, MethodSetting>> | undefined,
  resourcePath: string,
  httpMethod: string,
): MethodSetting | undefined {
  return settings?.[methodSettingKey(resourcePath, httpMethod)] ?? settings?.["*/*"];
}

export interface CanarySettings {
  deploymentId?: string;
  percentTraffic?: number;
  stageVariableOverrides?: Record<string, string>;
  useStageCache?: boolean;
}

export interface StageDoc {
  restApiId: string;
  stageName: string;
  deploymentId: string;
  description?: string;
  clientCertificateId?: string;
  cacheClusterEnabled: boolean;
  cacheClusterSize?: string;
  cacheClusterStatus: string;
  /** Keys `~1pets/GET` or `*\/*`, as GetStage shows them. */
  methodSettings: Record<string, MethodSetting>;
  variables: Record<string, string>;
  documentationVersion?: string;
  accessLogSettings?: { format?: string; destinationArn?: string };
  canarySettings?: CanarySettings;
  tracingEnabled: boolean;
  webAclArn?: string;
  tags: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
  /**
   * Bumped by FlushStageCache / FlushStageAuthorizersCache (never shown): part of the cache keys every worker and
   * node compiles from this document, so a flush reaches all of them through the change feed.
   */
  cacheEpoch?: number;
  authorizerCacheEpoch?: number;
}

export const stageDocId = (restApiId: string, stageName: string): string => `${restApiId}/${stageName}`;
export const deploymentDocId = (restApiId: string, deploymentId: string): string => `${restApiId}/${deploymentId}`;
