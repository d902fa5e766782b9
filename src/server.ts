// Assembles a running gateway: configuration store, management API and (from the data-plane issue on) the
// HTTPS data plane. Used by `tollgate serve` and by the integration tests, which start it on free ports.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Logger } from "pino";
import { createAdminServer } from "./admin/admin-server.js";
import { startDataPlane, type DataPlane } from "./dataplane/data-plane.js";
import { ALL_ROUTES } from "./admin/operations/index.js";
import { RouteTable } from "./admin/route-table.js";
import { credentialsBanner, loadAdminCredentials } from "./auth/admin-credentials.js";
import type { Credentials } from "./auth/sigv4-verifier.js";
import type { TollgateConfig } from "./config.js";
import { createServices } from "./gateway-services.js";
import { createLogger } from "./logging/logger.js";
import type { ConfigStore } from "./store/config-store.js";
import { openConfigStore } from "./store/open-store.js";

export interface RunningGateway {
  readonly config: TollgateConfig;
  readonly store: ConfigStore;
  readonly credentials: Credentials;
  readonly adminPort: number;
  readonly adminUrl: string;
  /** The HTTPS data plane's port (config.port, or the one picked when it is 0). */
  readonly dataPort: number;
  readonly dataPlane: DataPlane;
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
  /** Print generated credentials (the CLI does; tests do not). */
  readonly announce?: (text: string) => void;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startGateway(config: TollgateConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = await openConfigStore(config);
  const { credentials, generated } = loadAdminCredentials(config.dataDir, config.adminAccessKeyId, config.adminSecretAccessKey);

  const routes = new RouteTable();
  for (const group of ALL_ROUTES) routes.add(group);
  const serviceSet = await createServices(config, store, logger);
  const services = serviceSet.services;
  const admin = createAdminServer({ routes, credentials, logger, context: { config, store, logger, services } });
  let adminPort: number;
  let dataPlane: DataPlane;
  try {
    adminPort = await listen(admin, config.adminPort, config.adminHost);
  } catch (err) {
    await serviceSet.close();
    await store.close();
    throw err;
  }
  try {
    dataPlane = await startDataPlane({ config, store, logger, services, iamCredentials: credentials });
    // TestInvokeMethod reuses the data plane's keep-alive pools.
    services["upstreamPools"] = dataPlane.pools;
  } catch (err) {
    await closeServer(admin);
    await serviceSet.close();
    await store.close();
    throw err;
  }
  const hostForUrl = config.adminHost === "0.0.0.0" ? "127.0.0.1" : config.adminHost.includes(":") ? `[${config.adminHost}]` : config.adminHost;
  const adminUrl = `http://${hostForUrl}:${adminPort}`;
  if (generated && options.announce) options.announce(credentialsBanner(credentials, config.region, adminUrl));
  logger.info({ adminUrl, dataDir: config.dataDir, store: config.databaseUrl ? "postgresql" : "sqlite" }, "management API listening");
  logger.info({ port: dataPlane.port, host: config.host, certificate: dataPlane.certFile }, "HTTPS data plane listening");

  return {
    config,
    store,
    credentials,
    adminPort,
    adminUrl,
    dataPort: dataPlane.port,
    dataPlane,
    logger,
    async close() {
      await closeServer(admin);
      await dataPlane.close();
      await serviceSet.close();
      await store.close();
    },
  };
}
