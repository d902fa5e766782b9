// AWS (custom) integrations with Lambda (data-plane.md §10.3, §10.8; lambda-contract.md §2.1): the mapped
// request body is the payload, a mapped `X-Amz-Invocation-Type: Event` header makes the call asynchronous (the
// integration response then maps an empty 202 result), and the selection value for the integration responses is
// the function's `errorMessage` — empty on success, so success always takes the default response.
import type { InvocationType, InvokeOptions } from "../../lambda/function-host.js";
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange } from "../exchange.js";
import { errorMessageOf, invokeLambda, type LambdaTarget } from "./lambda-invoker.js";

const INVOCATION_TYPES = new Set<string>(["RequestResponse", "Event", "DryRun"]);

export function lambdaCustomStep(target: LambdaTarget): PhaseStep {
  return (ex) => invokeLambdaCustom(target, ex);
}

async function invokeLambdaCustom(target: LambdaTarget, ex: Exchange): Promise<void> {
  const request = ex.endpointRequest!;
  const mapped = (name: string): string | undefined => request.header.get(name)?.[1];
  const type = mapped("x-amz-invocation-type");
  // Checked against the three values just before the cast; anything else is the synchronous default.
  const invocationType = type !== undefined && INVOCATION_TYPES.has(type) ? (type as InvocationType) : "RequestResponse";
  // The other Invoke headers a template or parameter mapping may set (lambda-contract.md §2.1).
  const clientContext = mapped("x-amz-client-context");
  const options: InvokeOptions = {
    invocationType,
    ...(mapped("x-amz-log-type") === "Tail" ? { logType: "Tail" as const } : {}),
    ...(clientContext !== undefined ? { clientContext } : {}),
  };
  // An empty body (a GET passed through) reaches the function as `{}`, as Lambda's Invoke treats an empty payload.
  const result = await invokeLambda(target, ex, request.body, options);
  const headers = ["Content-Type", "application/json", "X-Amz-Executed-Version", result.executedVersion, "x-amzn-RequestId", result.requestId];
  if (result.functionError !== undefined) headers.push("X-Amz-Function-Error", result.functionError);
  if (result.logResult !== undefined) headers.push("X-Amz-Log-Result", result.logResult);
  ex.endpointResponse = {
    status: result.statusCode,
    headers,
    body: result.payload,
    selectionValue: result.functionError !== undefined ? errorMessageOf(result.payload) : "",
  };
  ex.log?.add(`Endpoint response body before transformations: ${result.payload.toString("utf8")}`);
}

