// The FunctionHost that API Gateway integrations and authorizers invoke: the local host alone, or — with
// TOLLGATE_LAMBDA_ENDPOINT — local first and the remote endpoint for every function not hosted here. The
// Lambda management API keeps using the local host only, so Invoke of an unknown name stays a 404 there.
import type { TollgateConfig } from "../config.js";
import { CompositeFunctionHost } from "./composite-function-host.js";
import type { FunctionHost } from "./function-host.js";
import { RemoteFunctionHost } from "./remote-function-host.js";

export interface IntegrationFunctionHost {
  readonly host: FunctionHost;
  /** Stops the remote strategy's in-flight calls; the local host is closed by its owner. */
  close(): Promise<void>;
}

export function integrationFunctionHost(
  config: Pick<TollgateConfig, "lambdaEndpoint" | "lambdaCredentials" | "region">,
  local: FunctionHost,
): IntegrationFunctionHost {
  // loadConfig refuses an endpoint without credentials.
  if (config.lambdaEndpoint === undefined || config.lambdaCredentials === undefined) return { host: local, close: async () => undefined };
  const remote = new RemoteFunctionHost({ endpoint: config.lambdaEndpoint, credentials: config.lambdaCredentials, region: config.region });
  return { host: new CompositeFunctionHost(local, remote), close: () => remote.close() };
}
