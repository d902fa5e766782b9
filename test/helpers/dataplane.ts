// Drives the HTTPS data plane in tests: an HTTPS client that trusts the gateway's generated certificate, a
// fixed-response upstream, and a one-call way to build and deploy an API through the SDK.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import * as AG from "@aws-sdk/client-api-gateway";
import type { TestGateway } from "./gateway.js";

export interface DataResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly raw: Buffer;
}

export interface DataRequestInit {
  readonly method?: string;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string | Buffer;
  /** Override the Host header (host-style addressing). */
  readonly host?: string;
}

/** One HTTPS request to the data plane, trusting its certificate; no connection reuse between calls. */
export function dataRequest(t: TestGateway, path: string, init: DataRequestInit = {}): Promise<DataResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port: t.gw.dataPort,
        method: init.method ?? "GET",
        path,
        ca: t.gw.dataPlane.certificate,
        servername: "localhost",
        agent: false,
        headers: { ...(init.host ? { host: init.host } : {}), ...(init.headers ?? {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw.toString("utf8"), raw });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

export interface Upstream {
  readonly url: string;
  readonly port: number;
  /** Requests seen so far (method, url, headers, body). */
  readonly seen: { method: string; url: string; headers: IncomingHttpHeaders; rawHeaders: string[]; body: string }[];
  close(): Promise<void>;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A node:http backend; by default it answers 200 `{"hello":"from upstream"}` and echoes nothing. */
export async function startUpstream(handler?: UpstreamHandler): Promise<Upstream> {
  const seen: Upstream["seen"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, rawHeaders: req.rawHeaders, body: body.toString("utf8") });
      if (handler) handler(req, res, body);
      else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"hello":"from upstream"}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface MethodSpec {
  /** Resource path, e.g. `/pets/{petId}`; intermediate resources are created. */
  readonly path: string;
  readonly httpMethod: string;
  readonly integration: Omit<AG.PutIntegrationRequest, "restApiId" | "resourceId" | "httpMethod">;
  readonly requestParameters?: Record<string, boolean>;
  /** Default NONE. */
  readonly authorizationType?: string;
  /** Integration responses (non-proxy); each also gets a method response. */
  readonly responses?: Omit<AG.PutIntegrationResponseRequest, "restApiId" | "resourceId" | "httpMethod">[];
}

/** Creates an API with the given methods, deploys it to `stage` and waits until the data plane serves it. */
export async function deployApi(
  t: TestGateway,
  methods: readonly MethodSpec[],
  options: { stage?: string; variables?: Record<string, string>; binaryMediaTypes?: string[]; minimumCompressionSize?: number } = {},
): Promise<{ apiId: string; stage: string; resources: Map<string, string> }> {
  const api = await t.ag.send(
    new AG.CreateRestApiCommand({ name: "dp-test", binaryMediaTypes: options.binaryMediaTypes, minimumCompressionSize: options.minimumCompressionSize }),
  );
  const apiId = api.id!;
  const resources = new Map<string, string>([["/", api.rootResourceId!]]);
  const ensure = async (path: string): Promise<string> => {
    const known = resources.get(path);
    if (known) return known;
    const slash = path.lastIndexOf("/");
    const parentId = await ensure(slash === 0 ? "/" : path.slice(0, slash));
    const created = await t.ag.send(new AG.CreateResourceCommand({ restApiId: apiId, parentId, pathPart: path.slice(slash + 1) }));
    resources.set(path, created.id!);
    return created.id!;
  };
  for (const m of methods) {
    const resourceId = await ensure(m.path);
    await t.ag.send(
      new AG.PutMethodCommand({
        restApiId: apiId,
        resourceId,
        httpMethod: m.httpMethod,
        authorizationType: m.authorizationType ?? "NONE",
        requestParameters: m.requestParameters,
      }),
    );
    await t.ag.send(new AG.PutIntegrationCommand({ restApiId: apiId, resourceId, httpMethod: m.httpMethod, ...m.integration }));
    for (const r of m.responses ?? []) {
      await t.ag.send(new AG.PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod: m.httpMethod, statusCode: r.statusCode }));
      await t.ag.send(new AG.PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod: m.httpMethod, ...r }));
    }
  }
  const stage = options.stage ?? "test";
  await t.ag.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: stage, variables: options.variables }));
  await t.gw.dataPlane.registry.settled();
  return { apiId, stage, resources };
}

/** Path-style address of a deployed resource path. */
export const userPath = (apiId: string, stage: string, path: string): string => `/restapis/${apiId}/${stage}/_user_request_${path}`;

/**
 * A GET method under `parentId` answered by MOCK with `responseTemplate` (status 200), for APIs a test builds itself
 * (authorizers, endpoint types); `method` adds to PutMethod (authorization type, authorizer, scopes).
 */
export async function putMockGet(
  t: TestGateway,
  restApiId: string,
  parentId: string,
  pathPart: string,
  responseTemplate: string,
  method: Partial<AG.PutMethodRequest> = {},
): Promise<string> {
  const { id: resourceId } = await t.ag.send(new AG.CreateResourceCommand({ restApiId, parentId, pathPart }));
  await t.ag.send(new AG.PutMethodCommand({ restApiId, resourceId: resourceId!, httpMethod: "GET", authorizationType: "NONE", ...method }));
  await t.ag.send(
    new AG.PutIntegrationCommand({ restApiId, resourceId: resourceId!, httpMethod: "GET", type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }),
  );
  await t.ag.send(new AG.PutMethodResponseCommand({ restApiId, resourceId: resourceId!, httpMethod: "GET", statusCode: "200" }));
  await t.ag.send(
    new AG.PutIntegrationResponseCommand({
      restApiId,
      resourceId: resourceId!,
      httpMethod: "GET",
      statusCode: "200",
      selectionPattern: "",
      responseTemplates: { "application/json": responseTemplate },
    }),
  );
  return resourceId!;
}
