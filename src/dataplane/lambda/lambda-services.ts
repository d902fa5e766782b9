// What Lambda integrations and authorizers need at run time, carried into compilation (CompileServices.lambda).
import type { GatewayServices } from "../../admin/operation.js";
import { isFunctionHost, type FunctionHost } from "../../lambda/function-host.js";
import { AUTHORIZER_CACHE_SERVICE, AuthorizerCache } from "../auth/authorizer-cache.js";

export interface LambdaServices {
  readonly functions: FunctionHost;
  /** The gateway's region: method ARNs of authorizer events and policies. */
  readonly region: string;
  readonly authorizerCache: AuthorizerCache;
  /** False for TestInvokeMethod, which AWS runs without the method's authorizer. */
  readonly runAuthorizers: boolean;
}

/** The Lambda services out of the gateway's service set; undefined when no function host runs. */
export function lambdaServicesFrom(services: GatewayServices | undefined, region: string, runAuthorizers = true): LambdaServices | undefined {
  // Integrations invoke through the local-then-remote host when one is registered (integration-function-host.ts).
  const functions = services?.["integrationFunctions"] ?? services?.["functions"];
  if (!isFunctionHost(functions)) return undefined;
  const cache = services?.[AUTHORIZER_CACHE_SERVICE];
  return { functions, region, authorizerCache: cache instanceof AuthorizerCache ? cache : new AuthorizerCache(), runAuthorizers };
}
