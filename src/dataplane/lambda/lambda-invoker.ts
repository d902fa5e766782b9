// One Lambda invocation on behalf of an integration (data-plane.md §10.6, §11.2, §11.3): the payload limit,
// `timeoutInMillis` (API Gateway answers 504 while the function keeps running, §10.7) and the mapping of
// Invoke failures onto gateway responses. Function errors are results, not failures: the caller decides.
import { ApiError, ERRORS } from "../../errors/api-error.js";
import type { FunctionHost, InvokeOptions, InvokeResult } from "../../lambda/function-host.js";
import type { Exchange } from "../exchange.js";
import { configurationError, GatewayError } from "../gateway-error.js";

/** Lambda's synchronous payload limit (lambda-contract.md §2.1); larger events are 413 `Request Too Long`. */
export const MAX_LAMBDA_PAYLOAD = 6_291_456;

export interface LambdaTarget {
  readonly functions: FunctionHost;
  /** The function ARN (or name) taken from the integration URI. */
  readonly functionName: string;
  readonly timeoutMs: number;
  /** For the execution log's endpoint URL. */
  readonly region: string;
}

export async function invokeLambda(target: LambdaTarget, ex: Exchange, payload: Buffer, options: InvokeOptions): Promise<InvokeResult> {
  if (payload.length > MAX_LAMBDA_PAYLOAD) throw new GatewayError("REQUEST_TOO_LARGE");
  ex.log?.add(`Sending request to https://lambda.${target.region}.amazonaws.com/2015-03-31/functions/${target.functionName}/invocations`);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const invocation = target.functions.invoke(target.functionName, payload, options);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GatewayError("INTEGRATION_TIMEOUT", { log: "Execution failed due to a timeout error" })),
      target.timeoutMs,
    );
  });
  try {
    const result = await Promise.race([invocation, timeout]);
    ex.log?.add(`Received response. Status: ${result.statusCode}, Integration latency: ${Math.round(performance.now() - started)} ms`);
    return result;
  } catch (err) {
    // After a timeout the function keeps running (§10.7); its eventual outcome is nobody's business.
    invocation.catch(() => undefined);
    throw invokeFailure(err);
  } finally {
    clearTimeout(timer);
    ex.integrationLatency = performance.now() - started;
  }
}

/** §10.6: permissions and a missing function are configuration errors (500); other Invoke errors 502. */
function invokeFailure(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  if (err instanceof ApiError) {
    if (err.kind === ERRORS.ResourceNotFound) return configurationError(`Lambda function not found: ${err.message}`);
    // A remote endpoint refusing our signature or permissions is AWS's AccessDeniedException case.
    if (err.kind.status === 403) return configurationError("Invalid permissions on Lambda function");
    if (err.kind === ERRORS.RequestTooLarge) return new GatewayError("REQUEST_TOO_LARGE");
    return new GatewayError("INTEGRATION_FAILURE", {
      status: 502,
      log: `Execution failed due to an error invoking the Lambda function: ${err.kind.type}: ${err.message}`,
    });
  }
  return new GatewayError("INTEGRATION_FAILURE", {
    status: 502,
    log: `Execution failed due to an error invoking the Lambda function: ${err instanceof Error ? err.message : String(err)}`,
  });
}

/** The `errorMessage` of a function-error payload (§10.8: the selection value of Lambda custom integrations). */
export function errorMessageOf(payload: Buffer): string {
  try {
    const parsed: unknown = JSON.parse(payload.toString("utf8"));
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      const message = (parsed as Record<string, unknown>)["errorMessage"];
      if (typeof message === "string") return message;
    }
  } catch {
    // Not JSON: no errorMessage to select on.
  }
  return "";
}
