// The HTTPS data plane as one unit: certificate, compiled-stage registry, connection pools, pipeline and
// listener. `startGateway` starts it beside the management API.
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { GatewayServices } from "../admin/operation.js";
import type { TollgateConfig } from "../config.js";
import type { ConfigStore } from "../store/config-store.js";
import { createAccessLog } from "./access-log.js";
import { withRequestMetrics } from "../observability/request-metrics.js";
import { Exchange } from "./exchange.js";
import { UpstreamPools } from "./integrations/upstream-pools.js";
import { createPipeline } from "./pipeline.js";
import { createEndpointResolver } from "./routing/endpoint-resolver.js";
import { StageRegistry } from "./stage-registry.js";
import { lambdaServicesFrom } from "./lambda/lambda-services.js";
import { CustomDomainRegistry } from "./routing/custom-domains.js";
import { createStageAccessLogs } from "./stage-access-log.js";
import type { Credentials } from "../auth/sigv4-verifier.js";
import { isResponseCache, STAGE_CACHE_SERVICE } from "../cache/open-response-cache.js";
import type { KeyRegistry } from "./usage/key-registry.js";
import { startUsageEnforcement } from "./usage/usage-enforcement.js";
import { createHttpsServer } from "./wire/https-server.js";
import { loadTlsMaterial } from "./wire/tls-certificate.js";

export interface DataPlane {
  readonly port: number;
  /** The certificate clients should trust (generated or configured). */
  readonly certFile: string;
  readonly certificate: string;
  readonly registry: StageRegistry;
  /** Custom domain names and their base path mappings as the request path sees them. */
  readonly customDomains: CustomDomainRegistry;
  /** API keys, usage plans and the account throttle as the request path sees them. */
  readonly keys: KeyRegistry;
  readonly pools: UpstreamPools;
  close(): Promise<void>;
}

export interface DataPlaneOptions {
  readonly config: TollgateConfig;
  readonly store: ConfigStore;
  readonly logger: Logger;
  /** The gateway's run-time services (function host, usage store, …) that compiled methods call. */
  readonly services?: GatewayServices;
  /** The identity AWS_IAM methods authenticate (the admin credentials); without it they check nothing. */
  readonly iamCredentials?: Credentials;
  /** Where access-log lines go; defaults to a child of `logger`. */
  readonly accessLogger?: Logger;
}

export async function startDataPlane(options: DataPlaneOptions): Promise<DataPlane> {
  const { config, store, logger } = options;
  const tls = await loadTlsMaterial(config);
  const pools = new UpstreamPools();
  const usage = await startUsageEnforcement(store, options.services, logger);
  const lambda = lambdaServicesFrom(options.services, config.region);
  const responseCache = options.services?.[STAGE_CACHE_SERVICE];
  const stageLogs = createStageAccessLogs(config.dataDir);
  const registry = new StageRegistry(
    store,
    config.accountId,
    {
      pools,
      region: config.region,
      cognito: { endpoint: config.cognitoEndpoint },
      ...(config.vpcEndpointId !== undefined ? { vpcEndpointId: config.vpcEndpointId } : {}),
      ...usage.compileServices,
      ...(lambda ? { lambda } : {}),
      ...(isResponseCache(responseCache) ? { responseCache } : {}),
      ...(options.iamCredentials ? { iam: { credentials: options.iamCredentials, region: config.region, accountId: config.accountId } } : {}),
    },
    logger,
    stageLogs,
  );
  const customDomains = new CustomDomainRegistry(store, logger);
  await Promise.all([registry.start(), customDomains.start()]);
  const accessLog = createAccessLog(options.accessLogger ?? logger.child({ log: "access" }));
  const logRequest = withRequestMetrics(accessLog.log, options.services);
  const pipeline = createPipeline({
    resolver: createEndpointResolver(config.executeApiDomain, customDomains),
    stages: registry,
    logger,
    accessLog: (ex) => {
      usage.afterResponse(ex);
      logRequest(ex);
      stageLogs.log(ex);
    },
  });
  const server = createHttpsServer(tls, (request, sink) => void pipeline(new Exchange(request, sink)), logger);
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  return {
    port,
    certFile: tls.certFile,
    certificate: tls.cert,
    registry,
    customDomains,
    keys: usage.keys,
    pools,
    async close() {
      registry.stop();
      customDomains.stop();
      usage.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Node ≥ 18.2 keeps idle HTTP/1 keep-alive sockets open otherwise.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await pools.close();
      accessLog.flush();
      stageLogs.close();
    },
  };
}
