// Lambda authorizers, TOKEN and REQUEST (data-plane.md §5.3): the `authorize` phase of methods whose
// authorizationType is CUSTOM. Identity pre-checks answer 401 without calling the function; the function's
// output is validated, cached per identity for authorizerResultTtlInSeconds, and its policy evaluated against
// this request's method ARN; the outcome reaches later phases as `ex.authorizer`.
import type { AuthorizerDoc } from "../../domain/rest-api.js";
import { ApiError } from "../../errors/api-error.js";
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange } from "../exchange.js";
import { GatewayError } from "../gateway-error.js";
import { proxyEventBase } from "../lambda/lambda-proxy-event.js";
import type { LambdaServices } from "../lambda/lambda-services.js";
import { lambdaFunctionOf } from "../lambda/lambda-uri.js";
import { compileSelectionPattern } from "../mapping/selection-pattern.js";
import { AuthorizerCache } from "./authorizer-cache.js";
import { MalformedAuthorizerOutputError, parseAuthorizerOutput, type AuthorizerOutput } from "./authorizer-output.js";
import { evaluatePolicy } from "./iam-policy.js";
import { compileIdentitySource, readIdentity, type IdentityReader } from "./identity-sources.js";

/** API Gateway stops waiting for an authorizer after the integration maximum, 29 s. */
const AUTHORIZER_TIMEOUT_MS = 29_000;
const NO_DENY_MESSAGE = "User is not authorized to access this resource";
const EXPLICIT_DENY_MESSAGE = "User is not authorized to access this resource with an explicit deny";

export interface CompiledAuthorizer {
  readonly id: string;
  readonly type: "TOKEN" | "REQUEST";
  readonly functionName: string;
  readonly readers: readonly IdentityReader[];
  /** TOKEN only: identityValidationExpression, matched against the whole token. */
  readonly validates: ((token: string) => boolean) | undefined;
  readonly ttlSeconds: number;
  readonly services: LambdaServices;
}

export const unauthorized = (log: string): GatewayError => new GatewayError("UNAUTHORIZED", { log });
export const authorizerConfigurationError = (log: string): GatewayError => new GatewayError("AUTHORIZER_CONFIGURATION_ERROR", { log });

const misconfigured = (reason: string): GatewayError => authorizerConfigurationError(`Execution failed due to configuration error: ${reason}`);

/** Throws the configuration error every call of the method answers when the authorizer cannot work. */
export function compileAuthorizer(
  doc: AuthorizerDoc | undefined,
  variables: Readonly<Record<string, string>>,
  services: LambdaServices | undefined,
): CompiledAuthorizer {
  if (!doc || (doc.type !== "TOKEN" && doc.type !== "REQUEST")) throw misconfigured("Authorizer not found or not a Lambda authorizer");
  if (!services) throw misconfigured("Lambda functions are not available in this gateway");
  const functionName = lambdaFunctionOf(doc.authorizerUri, variables);
  if (functionName === undefined) throw misconfigured(`Invalid authorizer URI ${doc.authorizerUri ?? "null"}`);
  const expressions = (doc.identitySource ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  const readers: IdentityReader[] = [];
  for (const expression of expressions) {
    const reader = compileIdentitySource(expression);
    if (!reader) throw misconfigured(`Invalid identity source ${expression}`);
    readers.push(reader);
  }
  if (doc.type === "TOKEN" && readers.length !== 1) throw misconfigured("TOKEN authorizers read exactly one header");
  // A Java regular expression matched against the whole token; one that cannot be translated matches nothing.
  const validates =
    doc.type === "TOKEN" && doc.identityValidationExpression ? compileSelectionPattern(doc.identityValidationExpression) : undefined;
  return { id: doc.id, type: doc.type, functionName, readers, validates, ttlSeconds: doc.authorizerResultTtlInSeconds, services };
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}` with the request's actual path. */
export function methodArnOf(ex: Exchange, region: string): string {
  const stage = ex.stage!;
  const path = ex.target!.resourcePath.replace(/^\/+/, "");
  return `arn:aws:execute-api:${region}:${stage.accountId}:${stage.apiId}/${stage.stageName}/${ex.request.method}/${path}`;
}

export interface AuthorizerRun {
  readonly output: AuthorizerOutput;
  readonly latencyMs: number;
  readonly methodArn: string;
}

/**
 * Identity checks, cache, invocation and output validation: everything but the policy decision. Throws the
 * GatewayError the client gets (401 UNAUTHORIZED, 500 AUTHORIZER_CONFIGURATION_ERROR).
 */
export async function runAuthorizer(authorizer: CompiledAuthorizer, ex: Exchange, useCache: boolean): Promise<AuthorizerRun> {
  const methodArn = methodArnOf(ex, authorizer.services.region);
  ex.log?.add(`Starting authorizer: ${authorizer.id} for request: ${ex.requestId}`);
  const values = readIdentity(ex, authorizer.readers);
  const caching = useCache && authorizer.ttlSeconds > 0;
  let payload: Buffer;
  if (authorizer.type === "TOKEN") {
    const token = values[0];
    if (token === undefined) throw unauthorized(`Unauthorized request: ${ex.requestId}`);
    ex.log?.add(`Incoming identity: ${token}`);
    if (authorizer.validates && !authorizer.validates(token)) {
      throw unauthorized(`Unauthorized request: ${ex.requestId} (the token does not match the identityValidationExpression)`);
    }
    payload = Buffer.from(JSON.stringify({ type: "TOKEN", authorizationToken: token, methodArn }));
  } else {
    // With caching every identity source is required (it is the cache key); without, each is optional (§5.3.1).
    if (caching && values.some((v) => v === undefined)) throw unauthorized(`Unauthorized request: ${ex.requestId}`);
    payload = Buffer.from(JSON.stringify({ type: "REQUEST", methodArn, ...proxyEventBase(ex, false) }));
  }

  const stage = ex.stage!;
  const key = caching ? AuthorizerCache.key(stage.apiId, stage.stageName, stage.authorizerCacheEpoch ?? 0, authorizer.id, values.map((v) => v ?? "")) : undefined;
  const cached = key !== undefined ? authorizer.services.authorizerCache.get(key) : undefined;
  if (cached) {
    ex.log?.add(`Using cached authorizer result for principal: ${cached.principalId}`);
    return { output: cached, latencyMs: 0, methodArn };
  }

  ex.log?.add(`Endpoint request body after transformations: ${payload.toString("utf8")}`);
  const started = performance.now();
  const output = parseOutput(ex, await invokeAuthorizer(authorizer, payload));
  const latencyMs = performance.now() - started;
  if (key !== undefined) authorizer.services.authorizerCache.set(key, output, authorizer.ttlSeconds);
  return { output, latencyMs, methodArn };
}

async function invokeAuthorizer(authorizer: CompiledAuthorizer, payload: Buffer): Promise<{ payload: Buffer; functionError: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const invocation = authorizer.services.functions.invoke(authorizer.functionName, payload, { invocationType: "RequestResponse", payloadIsJson: true });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(authorizerConfigurationError("Execution failed due to a timeout error in the authorizer")), AUTHORIZER_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([invocation, timeout]);
    return { payload: result.payload, functionError: result.functionError !== undefined };
  } catch (err) {
    invocation.catch(() => undefined);
    if (err instanceof GatewayError) throw err;
    // Unknown function, throttling, permissions: the function could not run (§5.3.3 last row).
    const reason = err instanceof ApiError ? `${err.kind.type}: ${err.message}` : err instanceof Error ? err.message : String(err);
    throw misconfigured(`Authorizer error: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
}

function parseOutput(ex: Exchange, result: { payload: Buffer; functionError: boolean }): AuthorizerOutput {
  const text = result.payload.toString("utf8");
  ex.log?.add(`Authorizer result body before parsing: ${text}`);
  if (result.functionError) {
    // `callback("Unauthorized")` / `throw new Error("Unauthorized")` is the documented way to answer 401.
    let message: unknown;
    try {
      message = (JSON.parse(text) as Record<string, unknown> | null)?.["errorMessage"];
    } catch {
      message = undefined;
    }
    if (message === "Unauthorized") throw unauthorized(`Unauthorized request: ${ex.requestId}`);
    throw misconfigured(`Authorizer function failed: ${typeof message === "string" ? message : text}`);
  }
  try {
    return parseAuthorizerOutput(result.payload);
  } catch (err) {
    if (err instanceof MalformedAuthorizerOutputError) throw misconfigured(err.message);
    throw err;
  }
}

/** 403 ACCESS_DENIED with AWS's texts, or undefined when the policy allows the method ARN. */
export function policyDenial(output: AuthorizerOutput, methodArn: string): GatewayError | undefined {
  const decision = evaluatePolicy(output.statements, methodArn);
  if (decision === "allow") return undefined;
  return new GatewayError("ACCESS_DENIED", {
    message: decision === "deny" ? EXPLICIT_DENY_MESSAGE : NO_DENY_MESSAGE,
    log: `The client is not authorized to perform this operation (${decision === "deny" ? "explicit deny" : "no matching Allow"} for ${methodArn})`,
  });
}

export function authorizeStep(authorizer: CompiledAuthorizer): PhaseStep {
  return (ex) => authorize(authorizer, ex);
}

async function authorize(authorizer: CompiledAuthorizer, ex: Exchange): Promise<void> {
  const { output, latencyMs, methodArn } = await runAuthorizer(authorizer, ex, true);
  const denial = policyDenial(output, methodArn);
  if (denial) throw denial;
  ex.log?.add(`Successfully completed authorizer execution for principal: ${output.principalId}`);
  ex.authorizer = {
    principalId: output.principalId,
    context: output.context,
    ...(output.usageIdentifierKey !== undefined ? { usageIdentifierKey: output.usageIdentifierKey } : {}),
    latencyMs,
  };
}
