// AWS_PROXY to Lambda (data-plane.md §10.3, §11): the whole request becomes the v1.0 event, the function's
// proxy object becomes the response. A function error (throw, crash, Lambda timeout) is 502 and its text never
// reaches the client.
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange } from "../exchange.js";
import { GatewayError } from "../gateway-error.js";
import { traceHeader } from "../integrations/header-rules.js";
import { readBody } from "../payload-limits.js";
import { errorMessageOf, invokeLambda, type LambdaTarget } from "./lambda-invoker.js";
import { proxyEvent } from "./lambda-proxy-event.js";
import { translateProxyResponse } from "./lambda-proxy-response.js";

export function lambdaProxyStep(target: LambdaTarget): PhaseStep {
  return (ex) => invokeLambdaProxy(target, ex);
}

async function invokeLambdaProxy(target: LambdaTarget, ex: Exchange): Promise<void> {
  const trace = traceHeader(ex.request.header("x-amzn-trace-id"));
  const event = proxyEvent(ex, await readBody(ex), trace);
  ex.log?.add(`Endpoint request body after transformations: ${event.toString("utf8")}`);
  const result = await invokeLambda(target, ex, event, { invocationType: "RequestResponse", payloadIsJson: true });
  if (result.functionError !== undefined) {
    throw new GatewayError("INTEGRATION_FAILURE", {
      status: 502,
      log: `Lambda execution failed with status 200 due to customer function error: ${errorMessageOf(result.payload)}. Lambda request id: ${result.requestId}`,
    });
  }
  ex.log?.add(`Endpoint response body before transformations: ${result.payload.toString("utf8")}`);
  ex.methodResponse = translateProxyResponse(ex, result.payload, trace);
}
