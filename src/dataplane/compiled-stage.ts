// What a deployment + stage compile into: an immutable structure the request path reads and nothing else.
// A stage update or a new deployment builds a new CompiledStage and swaps it in; requests already running keep
// the one they started with.
import type { Exchange } from "./exchange.js";
import type { GatewayResponseSet } from "./gateway-responses.js";
import type { Router } from "./routing/router.js";

/** A step of a method's pipeline. Synchronous steps return undefined so they cost no promise. */
export type PhaseStep = (ex: Exchange) => void | Promise<void>;

/**
 * The method-level phases, in the order AWS runs them (data-plane.md §1, STYLE.md). The first four are the
 * extension points of later issues: each issue adds a builder for its phase in method-phases.ts; a method that
 * does not use a phase has no step for it.
 */
export const METHOD_PHASES = [
  "throttle",
  "resourcePolicy",
  "authorize",
  "checkApiKey",
  "validateRequest",
  "lookupCache",
  "mapRequest",
  "invokeIntegration",
  "mapResponse",
] as const;
export type MethodPhaseName = (typeof METHOD_PHASES)[number];

export interface MethodPhase {
  readonly name: MethodPhaseName;
  readonly run: PhaseStep;
}

/** A method's stage execution logging (observability.md §3): ERROR logs failed requests only, INFO all. */
export interface ExecutionLogging {
  readonly level: "ERROR" | "INFO";
  /** dataTraceEnabled: bodies and header values are logged too. */
  readonly dataTrace: boolean;
}

export interface CompiledMethod {
  /** The method's key (`GET`, `ANY`, …); the request verb is `ex.request.method`. */
  readonly httpMethod: string;
  readonly resourceId: string;
  readonly resourcePath: string;
  readonly apiKeyRequired: boolean;
  readonly authorizationType: string;
  /** Declared `method.request.*` parameters (name → required). */
  readonly requestParameters: Readonly<Record<string, boolean>>;
  readonly integrationType: string;
  /** Stage execution logging for this method; absent when it is OFF. */
  readonly executionLogging?: ExecutionLogging;
  /** The method's phases in METHOD_PHASES order, only those it uses. */
  readonly phases: readonly MethodPhase[];
}

export interface CompiledStage {
  readonly accountId: string;
  readonly apiId: string;
  readonly stageName: string;
  readonly deploymentId: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly binaryMediaTypes: readonly string[];
  /** A PRIVATE API (endpoint type): the only kind the private addressing forms reach. */
  readonly isPrivate?: boolean;
  /** A PRIVATE API's VPC endpoint (`$context.identity.vpceId`), when one is configured. */
  readonly vpceId?: string;
  /** Part of authorizer-cache keys: FlushStageAuthorizersCache bumps it on every worker and node. */
  readonly authorizerCacheEpoch?: number;
  /** Responses at least this large are compressed for clients that accept it; undefined = compression off (§16.3). */
  readonly minimumCompressionSize?: number;
  /** `disableExecuteApiEndpoint`: the default endpoint answers 403 Forbidden (§2.1). */
  readonly executeApiEndpointDisabled: boolean;
  readonly router: Router<CompiledMethod>;
  readonly gatewayResponses: GatewayResponseSet;
  /** §15.3: a share of requests is served by the canary deployment with overlaid stage variables. */
  readonly canary?: { readonly percentTraffic: number; readonly stage: CompiledStage };
  /** Writes the stage's access-log line (accessLogSettings), when it has one (observability.md §2). */
  readonly accessLog?: (ex: Exchange) => void;
  /** Set on the canary's own compiled stage (`$context.isCanaryRequest`). */
  readonly isCanary?: boolean;
}
