// The request pipeline, declared in one place (data-plane.md §1). Request-level phases run for every request:
// endpoint resolution → transport limits → route match. The matched method then runs its own compiled phases
// (compiled-stage.ts METHOD_PHASES: authorize → API key → validation → cache → request mapping → integration →
// response mapping), only those it uses. Whatever fails on the way becomes a response in `fail` below — the
// one error channel — and every request ends with one access-log line.
import type { Logger } from "pino";
import type { CompiledMethod, CompiledStage, PhaseStep } from "./compiled-stage.js";
import type { Exchange, MethodResponse } from "./exchange.js";
import { ExecutionLog, formatParamMap } from "./execution-log.js";
import { GatewayError } from "./gateway-error.js";
import { incompleteAuthorization } from "../auth/sigv4-verifier.js";
import { forbiddenResponse, renderGatewayResponse } from "./gateway-responses.js";
import { headerValueBytes, MAX_HEADER_BYTES, MAX_PAYLOAD_BYTES, MAX_URL_LENGTH, PayloadTooLargeError } from "./payload-limits.js";
import { sendResponse } from "./response-writer.js";
import { compressResponses } from "./content-encoding.js";
import type { EndpointResolver } from "./routing/endpoint-resolver.js";
import type { RouteMatch } from "./routing/router.js";
import { lastValues, methodRequestView } from "./method-request.js";

/** Where the pipeline finds compiled stages (the live registry, or TestInvokeMethod's compiled draft). */
export interface StageSource {
  get(apiId: string, stageName: string): CompiledStage | undefined;
}

export interface PipelineDeps {
  readonly resolver: EndpointResolver;
  readonly stages: StageSource;
  readonly logger: Logger;
  /** Called once per request after the response is complete. */
  readonly accessLog: ((ex: Exchange) => void) | undefined;
  /** Replaces route matching: TestInvokeMethod names its resource and method instead of routing to them. */
  readonly route?: (ex: Exchange) => RouteMatch<CompiledMethod> | undefined;
}

/** A request refused before it reaches any API (unknown API, limits): a fixed, non-customisable response. */
class TransportRejection extends Error {
  constructor(readonly response: MethodResponse) {
    super(`rejected with ${response.status}`);
  }
}

const resolveEndpoint =
  (deps: PipelineDeps): PhaseStep =>
  (ex) => {
    const target = deps.resolver.resolve(ex.request.host, ex.request.rawPath, ex.request);
    const stage = target && deps.stages.get(target.apiId, target.stageName);
    ex.target = target;
    // disableExecuteApiEndpoint closes the default endpoint only; custom domains keep serving (§2.1).
    if (!stage || (stage.executeApiEndpointDisabled && target.basePathMatched === undefined)) throw new TransportRejection(forbiddenResponse());
    // The VPC-endpoint addressing forms (§2.4) reach private APIs only.
    if (target.privateAddressing === true && stage.isPrivate !== true) throw new TransportRejection(forbiddenResponse());
    ex.stage = stage;
    if (stage.minimumCompressionSize !== undefined) compressResponses(ex, stage.minimumCompressionSize);
  };

/** §17: payload over 10 MB → 413 (plain text, not customisable); URL → 414; header values → 431. */
const enforceTransportLimits: PhaseStep = (ex) => {
  const request = ex.request;
  if (request.declaredLength !== undefined && request.declaredLength > MAX_PAYLOAD_BYTES) throw new PayloadTooLargeError();
  if (request.urlLength > MAX_URL_LENGTH) {
    throw new TransportRejection({ status: 414, headers: ["Content-Type", "application/json"], body: Buffer.from('{"message":"Request-URI Too Long"}') });
  }
  if (headerValueBytes(request.rawHeaders) > MAX_HEADER_BYTES) {
    throw new TransportRejection({
      status: 431,
      headers: ["Content-Type", "application/json"],
      body: Buffer.from('{"message":"Request Header Fields Too Large"}'),
    });
  }
};

/** §3.3: no resource or no method for the verb is 403 Missing Authentication Token — there is no 404 or 405. */
const matchRoute =
  (deps: PipelineDeps): PhaseStep =>
  (ex) => {
    const route = deps.route ? deps.route(ex) : ex.stage!.router.match(ex.request.method, ex.target!.resourcePath);
    if (!route) throw noRoute(ex);
    ex.route = route;
    const logging = route.method.executionLogging;
    if (logging !== undefined && ex.log === undefined) {
      // The stage logs this method's executions (observability.md §3): from here on, the steps record their lines.
      ex.executionLogging = logging;
      ex.log = new ExecutionLog(ex.requestId);
      ex.log.add(`Extended Request Id: ${ex.extendedRequestId}`);
    }
    if (ex.log) logMethodRequest(ex);
  };

/** §3.3: no route is Missing Authentication Token — or an incomplete signature if a non-SigV4 Authorization came. */
function noRoute(ex: Exchange): GatewayError {
  const authorization = ex.request.header("authorization");
  const message =
    authorization === undefined ? undefined : incompleteAuthorization(authorization, { xAmzDate: ex.request.header("x-amz-date"), date: ex.request.header("date") });
  return message === undefined
    ? new GatewayError("MISSING_AUTHENTICATION_TOKEN")
    : new GatewayError("MISSING_AUTHENTICATION_TOKEN", { message, errorType: "IncompleteSignatureException" });
}

export function createPipeline(deps: PipelineDeps): (ex: Exchange) => Promise<void> {
  const requestPhases: readonly PhaseStep[] = [resolveEndpoint(deps), enforceTransportLimits, matchRoute(deps)];
  return async (ex) => {
    try {
      for (const step of requestPhases) step(ex);
      for (const phase of ex.route!.method.phases) {
        const pending = phase.run(ex);
        if (pending !== undefined) await pending;
      }
      if (!ex.sink.headersSent) {
        if (!ex.methodResponse) throw new Error("the method's phases produced no response");
        sendResponse(ex, ex.methodResponse);
      }
      ex.log?.add("Successfully completed execution");
    } catch (err) {
      fail(ex, err, deps.logger);
    }
    ex.log?.add(`Method completed with status: ${ex.status}`);
    deps.accessLog?.(ex);
  };
}

function fail(ex: Exchange, err: unknown, logger: Logger): void {
  if (ex.sink.headersSent) {
    ex.sink.destroy();
    return;
  }
  if (err instanceof TransportRejection) {
    sendResponse(ex, err.response);
    return;
  }
  if (err instanceof PayloadTooLargeError) {
    // Not JSON and not customisable (§17); the content type is AWS's, odd as it is.
    sendResponse(ex, { status: 413, headers: ["Content-Type", "text; charset=utf-8"], body: Buffer.from(err.message) });
    return;
  }
  let gatewayError: GatewayError;
  if (err instanceof GatewayError) {
    gatewayError = err;
  } else {
    logger.error({ err, requestId: ex.requestId }, "data-plane request failed outside the error channel");
    gatewayError = new GatewayError("API_CONFIGURATION_ERROR", { log: "Execution failed due to an internal error" });
  }
  if (gatewayError.detail.log) ex.log?.add(gatewayError.detail.log);
  sendResponse(ex, renderGatewayResponse(ex, gatewayError));
}

function logMethodRequest(ex: Exchange): void {
  const log = ex.log!;
  const view = methodRequestView(ex);
  log.add(`Starting execution for request: ${ex.requestId}`);
  log.add(`HTTP Method: ${ex.request.method}, Resource Path: ${ex.target!.resourcePath || "/"}`);
  log.add(`Method request path: ${formatParamMap(view.path)}`);
  log.add(`Method request query string: ${formatParamMap(lastValues(view.querystring))}`);
  log.add(`Method request headers: ${formatParamMap(lastValues(view.header))}`);
}
