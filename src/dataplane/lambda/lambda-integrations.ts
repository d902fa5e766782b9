// The compilers of the two Lambda integration types (data-plane.md §10.2, §10.3), plugged into
// INTEGRATION_COMPILERS: the function is resolved from the URI once per compiled stage; a configuration that
// cannot work compiles into AWS's 500 for every call.
import type { IntegrationDoc } from "../../domain/rest-api.js";
import type { PhaseStep } from "../compiled-stage.js";
import { configurationError } from "../gateway-error.js";
import { compileRequestMapping } from "../integrations/request-mapping.js";
import { compileResponseMapping } from "../integrations/response-mapping.js";
import { lambdaCustomStep } from "./lambda-custom.js";
import type { LambdaTarget } from "./lambda-invoker.js";
import { lambdaProxyStep } from "./lambda-proxy.js";
import type { LambdaServices } from "./lambda-services.js";
import { lambdaFunctionOf } from "./lambda-uri.js";

const DEFAULT_TIMEOUT_MS = 29_000;

export interface LambdaIntegrationPhases {
  readonly mapRequest?: PhaseStep;
  readonly invokeIntegration: PhaseStep;
  readonly mapResponse?: PhaseStep;
}

function lambdaTarget(integration: IntegrationDoc, variables: Readonly<Record<string, string>>, services: LambdaServices | undefined): LambdaTarget {
  const functionName = lambdaFunctionOf(integration.uri, variables);
  if (functionName === undefined) {
    // AWS service integrations other than Lambda (DynamoDB, SQS, …) are not emulated.
    throw configurationError(`AWS service integrations other than Lambda are not available in this gateway: ${integration.uri ?? "null"}`);
  }
  if (!services) throw configurationError("Lambda functions are not available in this gateway");
  return { functions: services.functions, functionName, timeoutMs: integration.timeoutInMillis ?? DEFAULT_TIMEOUT_MS, region: services.region };
}

export function compileLambdaProxy(
  integration: IntegrationDoc,
  variables: Readonly<Record<string, string>>,
  services: LambdaServices | undefined,
): LambdaIntegrationPhases {
  const target = lambdaTarget(integration, variables, services);
  // §10.1: a Lambda proxy integration must call with POST; anything else fails every call with 500 [V].
  if (integration.httpMethod !== "POST") throw configurationError("Lambda proxy integrations must use the POST method");
  return { invokeIntegration: lambdaProxyStep(target) };
}

export function compileLambdaCustom(
  integration: IntegrationDoc,
  variables: Readonly<Record<string, string>>,
  services: LambdaServices | undefined,
): LambdaIntegrationPhases {
  const target = lambdaTarget(integration, variables, services);
  return {
    mapRequest: compileRequestMapping(integration),
    invokeIntegration: lambdaCustomStep(target),
    mapResponse: compileResponseMapping(integration),
  };
}
