// Compiles a deployment snapshot + a stage's live settings into a CompiledStage (data-plane.md §15): the
// router over the resource tree and, per method, its ordered phases with the integration resolved (URI with
// stage variables substituted, pool chosen, templates and parameter mappings compiled). Compilation never
// throws: a method whose configuration cannot work compiles into a phase that answers AWS's 500, as AWS does
// for every call of such a method.
import type { IntegrationDoc, MethodDoc } from "../../domain/rest-api.js";
import { methodSettingFor, type ApiSnapshot, type MethodSetting } from "../../domain/stage.js";
import type { Limiter } from "../../limits/local-limiter.js";
import type { CompiledMethod, CompiledStage, ExecutionLogging, MethodPhase, PhaseStep } from "../compiled-stage.js";
import { configurationError, GatewayError } from "../gateway-error.js";
import { compileGatewayResponses, NO_GATEWAY_RESPONSES, type GatewayResponseSet } from "../gateway-responses.js";
import { compileBackendUri } from "../integrations/backend-uri.js";
import { httpIntegrationStep } from "../integrations/http-integration.js";
import { httpProxyStep } from "../integrations/http-proxy.js";
import { invokeMock } from "../integrations/mock-integration.js";
import { compileRequestMapping } from "../integrations/request-mapping.js";
import { compileRequestParameters } from "../integrations/request-parameters.js";
import { compileResponseMapping } from "../integrations/response-mapping.js";
import type { UpstreamPools } from "../integrations/upstream-pools.js";
import { compileRouter, type ResourceInput } from "../routing/router.js";
import { lambdaAuthorizePhase } from "../auth/authorize-phase.js";
import { iamAuthenticateStep, type IamServices } from "../auth/iam-authentication.js";
import { cognitoAuthorizeStep, type CognitoServices } from "../auth/cognito-authorizer.js";
import { compileResourcePolicy, DENY_ALL, resourcePolicyStep, type CompiledResourcePolicy } from "../auth/resource-policy.js";
import { compileLambdaCustom, compileLambdaProxy } from "../lambda/lambda-integrations.js";
import type { LambdaServices } from "../lambda/lambda-services.js";
import { compileUsagePhases, type UsagePhases, type UsagePlanServices } from "../usage/usage-phases.js";
import { compileRequestValidation, ModelSchemas } from "../validation/request-validation.js";
import { cachedIntegration, cachePolicy } from "../cache/cache-phase.js";
import type { ResponseCache } from "../../cache/response-cache.js";

export interface StageInput {
  readonly accountId: string;
  readonly apiId: string;
  readonly stageName: string;
  readonly deploymentId: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly snapshot: ApiSnapshot;
  /** The stage's `methodSettings` (throttling and caching per method, data-plane.md §7.2, §9). */
  readonly methodSettings?: Readonly<Record<string, MethodSetting>>;
  /** The stage's cache cluster is on (for a canary: and it uses the stage cache). */
  readonly cacheClusterEnabled?: boolean;
  /** Flush generations of the stage cache and the authorizer cache (FlushStageCache / …AuthorizersCache). */
  readonly cacheEpoch?: number;
  readonly authorizerCacheEpoch?: number;
}

export interface CompileServices {
  readonly pools: UpstreamPools;
  /** Token buckets for every throttle level (local or shared); without it no method throttles (TestInvokeMethod). */
  readonly limiter?: Limiter;
  /** API keys, usage plans and the usage store for the `checkApiKey` phase. */
  readonly usagePlans?: UsagePlanServices;
  /** The function host, region and authorizer cache for AWS/AWS_PROXY Lambda integrations and Lambda authorizers. */
  readonly lambda?: LambdaServices;
  /** The stage cache's storage; without it no method caches (TestInvokeMethod). */
  readonly responseCache?: ResponseCache;
  /** The credentials AWS_IAM methods verify signatures against; without them (TestInvokeMethod) none is checked. */
  readonly iam?: IamServices;
  /** The region of execute-api ARNs; without it (TestInvokeMethod) resource policies are not evaluated. */
  readonly region?: string;
  /** Where Cognito user pools' keys come from; without it (TestInvokeMethod) Cognito methods are not authorized. */
  readonly cognito?: CognitoServices;
  /** The VPC endpoint PRIVATE APIs are reached through (TOLLGATE_VPC_ENDPOINT_ID). */
  readonly vpcEndpointId?: string;
}

/** What a stage's methods share, compiled at most once per stage: the API's models and resource policy. */
interface StageShared {
  readonly schemas: () => ModelSchemas;
  readonly policy: CompiledResourcePolicy | undefined;
}

/** The integration's share of a method's phases. */
interface IntegrationPhases {
  readonly mapRequest?: PhaseStep;
  readonly invokeIntegration: PhaseStep;
  readonly mapResponse?: PhaseStep;
}

type IntegrationCompiler = (integration: IntegrationDoc, stage: StageInput, services: CompileServices) => IntegrationPhases;

const DEFAULT_TIMEOUT_MS = 29_000;

/**
 * One compiler per integration type (strategies behind one interface). AWS and AWS_PROXY invoke Lambda
 * functions (lambda-integrations.ts); other AWS services answer the configuration error.
 */
const INTEGRATION_COMPILERS: Partial<Record<IntegrationDoc["type"], IntegrationCompiler>> = {
  HTTP_PROXY: (integration, stage, services) => {
    const uri = compileBackendUri(integration.uri ?? "", stage.variables);
    return {
      invokeIntegration: httpProxyStep({
        uri,
        pool: services.pools.get(uri.origin, integration.tlsConfig?.insecureSkipVerification === true),
        httpMethod: integration.httpMethod ?? "ANY",
        timeoutMs: integration.timeoutInMillis ?? DEFAULT_TIMEOUT_MS,
        parameters: compileRequestParameters(integration.requestParameters),
      }),
    };
  },
  HTTP: (integration, stage, services) => {
    const uri = compileBackendUri(integration.uri ?? "", stage.variables);
    return {
      mapRequest: compileRequestMapping(integration),
      invokeIntegration: httpIntegrationStep({
        uri,
        pool: services.pools.get(uri.origin, integration.tlsConfig?.insecureSkipVerification === true),
        httpMethod: integration.httpMethod ?? "ANY",
        timeoutMs: integration.timeoutInMillis ?? DEFAULT_TIMEOUT_MS,
      }),
      mapResponse: compileResponseMapping(integration),
    };
  },
  AWS_PROXY: (integration, stage, services) => compileLambdaProxy(integration, stage.variables, services.lambda),
  AWS: (integration, stage, services) => compileLambdaCustom(integration, stage.variables, services.lambda),
  MOCK: (integration) => ({
    mapRequest: compileRequestMapping(integration),
    invokeIntegration: invokeMock,
    mapResponse: compileResponseMapping(integration),
  }),
};

const failWith =
  (error: GatewayError): PhaseStep =>
  () => {
    throw error;
  };

function compileIntegration(integration: IntegrationDoc | undefined, stage: StageInput, services: CompileServices): IntegrationPhases {
  if (!integration) return { invokeIntegration: failWith(configurationError("No integration defined for method")) };
  if (integration.connectionType === "VPC_LINK") {
    return { invokeIntegration: failWith(configurationError("VPC links are not supported by this gateway")) };
  }
  const compiler = INTEGRATION_COMPILERS[integration.type];
  if (!compiler) {
    return { invokeIntegration: failWith(configurationError(`${integration.type} integrations are not available in this gateway`)) };
  }
  try {
    return compiler(integration, stage, services);
  } catch (err) {
    // Anything the management API let through but that cannot run (a selection pattern Java accepts and we
    // cannot translate, an unparsable template) fails that method only, with AWS's configuration error.
    if (err instanceof GatewayError) return { invokeIntegration: failWith(err) };
    return { invokeIntegration: failWith(configurationError(err instanceof Error ? err.message : String(err))) };
  }
}

/**
 * The method's phases in METHOD_PHASES order, only those the method uses.
 */
function methodPhases(
  integration: IntegrationPhases,
  usage: UsagePhases,
  validateRequest: PhaseStep | undefined,
  lookupCache: ((inner: readonly PhaseStep[]) => PhaseStep) | undefined,
  resourcePolicy: PhaseStep | undefined,
  authorize: MethodPhase | undefined,
): MethodPhase[] {
  const phases: MethodPhase[] = [];
  if (usage.throttle) phases.push({ name: "throttle", run: usage.throttle });
  if (resourcePolicy) phases.push({ name: "resourcePolicy", run: resourcePolicy });
  if (authorize) phases.push(authorize);
  if (usage.checkApiKey) phases.push({ name: "checkApiKey", run: usage.checkApiKey });
  if (validateRequest) phases.push({ name: "validateRequest", run: validateRequest });
  const integrationPhases: MethodPhase[] = [];
  if (integration.mapRequest) integrationPhases.push({ name: "mapRequest", run: integration.mapRequest });
  integrationPhases.push({ name: "invokeIntegration", run: integration.invokeIntegration });
  if (integration.mapResponse) integrationPhases.push({ name: "mapResponse", run: integration.mapResponse });
  // A caching method's integration runs inside the cache lookup, which skips it on a hit.
  if (lookupCache) phases.push({ name: "lookupCache", run: lookupCache(integrationPhases.map((p) => p.run)) });
  else phases.push(...integrationPhases);
  return phases;
}

function compileMethod(method: MethodDoc, resourceId: string, path: string, stage: StageInput, services: CompileServices, shared: StageShared): CompiledMethod {
  const integration = compileIntegration(method.integration, stage, services);
  const validateRequest = compileRequestValidation(method, stage.snapshot, shared.schemas);
  const cache = services.responseCache;
  const policy = cache && cachePolicy(stage, resourceId, path, method.httpMethod, method.integration);
  const lookupCache = policy ? (inner: readonly PhaseStep[]) => cachedIntegration(policy, cache, stage, inner) : undefined;
  const resourcePolicy = resourcePolicyOf(method, shared.policy, services);
  return {
    httpMethod: method.httpMethod,
    resourceId,
    resourcePath: path,
    apiKeyRequired: method.apiKeyRequired,
    authorizationType: method.authorizationType,
    requestParameters: method.requestParameters ?? {},
    integrationType: method.integration?.type ?? "NONE",
    ...executionLoggingOf(stage, path, method.httpMethod),
    phases: methodPhases(integration, usagePhasesOf(method, path, stage, services), validateRequest, lookupCache, resourcePolicy, authorizeRun(method, stage, services)),
  };
}

/** methodSettings `logging/loglevel` and `logging/dataTrace`: the method's own entry, else the stage-wide one. */
function executionLoggingOf(stage: StageInput, path: string, httpMethod: string): { executionLogging?: ExecutionLogging } {
  const setting = methodSettingFor(stage.methodSettings, path, httpMethod);
  const level = setting?.loggingLevel;
  if (level !== "ERROR" && level !== "INFO") return {};
  return { executionLogging: { level, dataTrace: setting?.dataTraceEnabled === true } };
}

/** §4.3: NONE and COGNITO methods need the policy's explicit Allow; CUSTOM and AWS_IAM ones only fail on a Deny. */
function resourcePolicyOf(method: MethodDoc, policy: CompiledResourcePolicy | undefined, services: CompileServices): PhaseStep | undefined {
  if (!policy || services.region === undefined) return undefined;
  // A policy that denies everything (a PRIVATE API without one, an unreadable one) refuses every method.
  const needsAllow = policy === DENY_ALL || method.authorizationType === "NONE" || method.authorizationType === "COGNITO_USER_POOLS";
  return resourcePolicyStep(policy, services.region, needsAllow);
}

/** The `authorize` phase: SigV4 for AWS_IAM methods, the Lambda authorizer for CUSTOM ones. */
function authorizeRun(method: MethodDoc, stage: StageInput, services: CompileServices): MethodPhase | undefined {
  if (method.authorizationType === "AWS_IAM") return services.iam ? { name: "authorize", run: iamAuthenticateStep(services.iam) } : undefined;
  if (method.authorizationType === "COGNITO_USER_POOLS") {
    if (!services.cognito) return undefined;
    const doc = method.authorizerId !== undefined ? stage.snapshot.authorizers[method.authorizerId] : undefined;
    if (doc?.type !== "COGNITO_USER_POOLS") return { name: "authorize", run: failWith(configurationError("No Cognito user pool authorizer for method")) };
    return { name: "authorize", run: cognitoAuthorizeStep(doc, method, services.cognito) };
  }
  const run = lambdaAuthorizePhase(method, stage, services.lambda);
  return run ? { name: "authorize", run } : undefined;
}

function usagePhasesOf(method: MethodDoc, path: string, stage: StageInput, services: CompileServices): UsagePhases {
  const input = {
    apiId: stage.apiId,
    stageName: stage.stageName,
    resourcePath: path,
    httpMethod: method.httpMethod,
    apiKeyRequired: method.apiKeyRequired,
    apiKeySource: stage.snapshot.apiKeySource,
    methodSettings: stage.methodSettings,
    authorized: method.authorizationType !== "NONE",
  };
  return compileUsagePhases(input, services.limiter, services.usagePlans);
}

/** `/pets/{petId}`; `/` for the root. */
function pathOf(api: ApiSnapshot, resourceId: string): string {
  const parts: string[] = [];
  for (let r = api.resources[resourceId]; r && r.parentId !== undefined; r = api.resources[r.parentId]) parts.unshift(r.pathPart ?? "");
  return "/" + parts.join("/");
}

export function compileStage(stage: StageInput, services: CompileServices): CompiledStage {
  const api = stage.snapshot;
  // The API's models, compiled only if some method validates bodies, and then once for the whole stage.
  let schemas: ModelSchemas | undefined;
  // The API's resource policy (§4), part of the snapshot: compiled once for all methods. A PRIVATE API is reached
  // only through the VPC endpoint and, without a policy, by nobody (§2.4).
  const isPrivate = api.endpointConfiguration?.types?.includes("PRIVATE") === true;
  const vpce = isPrivate ? services.vpcEndpointId : undefined;
  let policy = services.region !== undefined ? compileResourcePolicy(api.policy, services.region, stage.accountId, stage.apiId, vpce) : undefined;
  if (isPrivate && services.region !== undefined && policy === undefined) policy = DENY_ALL;
  const shared: StageShared = { schemas: () => (schemas ??= new ModelSchemas(api)), policy };
  const resources: ResourceInput<CompiledMethod>[] = Object.values(api.resources).map((resource) => {
    const path = pathOf(api, resource.id);
    const methods = new Map<string, CompiledMethod>();
    for (const [verb, method] of Object.entries(resource.methods)) {
      if (method) methods.set(verb, compileMethod(method, resource.id, path, stage, services, shared));
    }
    return {
      id: resource.id,
      ...(resource.parentId !== undefined ? { parentId: resource.parentId } : {}),
      ...(resource.pathPart !== undefined ? { pathPart: resource.pathPart } : {}),
      methods,
    };
  });
  let gatewayResponses: GatewayResponseSet;
  try {
    gatewayResponses = compileGatewayResponses(api.gatewayResponses ?? {});
  } catch {
    // A response-parameter expression the management API should have refused: fall back to AWS's defaults.
    gatewayResponses = NO_GATEWAY_RESPONSES;
  }
  return {
    accountId: stage.accountId,
    apiId: stage.apiId,
    stageName: stage.stageName,
    deploymentId: stage.deploymentId,
    variables: stage.variables,
    binaryMediaTypes: api.binaryMediaTypes ?? [],
    authorizerCacheEpoch: stage.authorizerCacheEpoch ?? 0,
    ...(isPrivate ? { isPrivate } : {}),
    ...(vpce !== undefined ? { vpceId: vpce } : {}),
    ...(api.minimumCompressionSize !== undefined && api.minimumCompressionSize !== null ? { minimumCompressionSize: api.minimumCompressionSize } : {}),
    executeApiEndpointDisabled: api.disableExecuteApiEndpoint === true,
    router: compileRouter(resources, api.rootResourceId),
    gatewayResponses,
  };
}
