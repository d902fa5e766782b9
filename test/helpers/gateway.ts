// Starts a real gateway on free ports with its own data dir, and hands out clients that drive it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import pino from "pino";
import { loadConfig } from "../../src/config.js";
import { startGateway, type RunningGateway } from "../../src/server.js";

export const TEST_CREDENTIALS = { accessKeyId: "AKIATESTTOLLGATE0001", secretAccessKey: "tollgate-test-secret-key-0123456789abcdef" };
export const REGION = "us-east-1";
export const ACCOUNT = "000000000000";

export interface TestGateway {
  readonly gw: RunningGateway;
  readonly dataDir: string;
  /** SDK client without retries (`maxAttempts: 1`), as the conformance scenarios use. */
  readonly ag: APIGatewayClient;
  readonly endpoint: string;
  signedFetch(method: string, path: string, init?: { body?: string | Buffer; headers?: Record<string, string>; service?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestGateway(env: Record<string, string> = {}, dataDir?: string): Promise<TestGateway> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "tollgate-test-"));
  const config = loadConfig([], {
    TOLLGATE_DATA_DIR: dir,
    TOLLGATE_ADMIN_PORT: "0",
    TOLLGATE_PORT: "0",
    TOLLGATE_HOST: "127.0.0.1",
    TOLLGATE_ADMIN_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    TOLLGATE_ADMIN_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    TOLLGATE_LOG_LEVEL: "silent",
    ...env,
  });
  const gw = await startGateway(config, { logger: pino({ level: "silent" }) });
  const endpoint = gw.adminUrl;
  const ag = new APIGatewayClient({ endpoint, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  return {
    gw,
    dataDir: dir,
    ag,
    endpoint,
    signedFetch: (method, path, init = {}) => signedFetch(endpoint, method, path, init),
    async close() {
      ag.destroy();
      await gw.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function signRequest(
  endpoint: string,
  method: string,
  path: string,
  init: { body?: string | Buffer; headers?: Record<string, string>; service?: string; credentials?: typeof TEST_CREDENTIALS; signingDate?: Date },
): Promise<HttpRequest> {
  const url = new URL(path, endpoint);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const request = new HttpRequest({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: { host: url.host, ...(init.headers ?? {}) },
    body: init.body,
  });
  const signer = new SignatureV4({
    service: init.service ?? "apigateway",
    region: REGION,
    credentials: init.credentials ?? TEST_CREDENTIALS,
    sha256: Hash.bind(null, "sha256"),
  });
  return (await signer.sign(request, init.signingDate ? { signingDate: init.signingDate } : {})) as HttpRequest;
}

export async function signedFetch(
  endpoint: string,
  method: string,
  path: string,
  init: { body?: string | Buffer; headers?: Record<string, string>; service?: string } = {},
): Promise<Response> {
  const signed = await signRequest(endpoint, method, path, init);
  const url = new URL(path, endpoint);
  const headers = { ...signed.headers };
  delete headers["host"];
  return fetch(url, { method, headers, ...(init.body !== undefined ? { body: init.body } : {}) });
}
