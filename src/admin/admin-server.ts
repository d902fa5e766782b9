// The management API listener: Amazon API Gateway (2015-07-09) and Lambda (2015-03-31) restJson1 on one port.
// Every request is SigV4-verified, routed, run, and any failure is rendered here as AWS's error shape.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { verifySigV4, type Credentials } from "../auth/sigv4-verifier.js";
import { ApiError, ERRORS, type ErrorKind } from "../errors/api-error.js";
import { parseJsonBody, type OpContext, type OpRequest, type OpResult } from "./operation.js";
import { RouteTable } from "./route-table.js";
import { serveMetricsScrape } from "../observability/metrics-endpoint.js";

/** Lambda zips arrive base64 inside JSON (50 MB zipped is Lambda's own limit). */
const MAX_BODY_BYTES = 80 * 1024 * 1024;
const LAMBDA_PREFIX = "/2015-03-31/";

export interface AdminServerOptions {
  readonly routes: RouteTable;
  readonly context: OpContext;
  readonly credentials: Credentials;
  readonly logger: Logger;
}

const isLambdaPath = (path: string): boolean => path.startsWith(LAMBDA_PREFIX);

export function createAdminServer(options: AdminServerOptions): Server {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((err: unknown) => {
      options.logger.error({ err }, "management request failed outside the error channel");
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.headersTimeout = 60_000;
  server.requestTimeout = 300_000;
  return server;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(ERRORS.BadRequest, `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function handle(req: IncomingMessage, res: ServerResponse, options: AdminServerOptions): Promise<void> {
  const requestId = randomUUID();
  const url = req.url ?? "/";
  const qIndex = url.indexOf("?");
  const rawPath = qIndex >= 0 ? url.slice(0, qIndex) : url;
  // Prometheus scrapes are unsigned: answered before SigV4 (the listener is loopback by default).
  if (serveMetricsScrape(req, res, rawPath, options.context.services, options.logger)) return;
  const query = new URLSearchParams(qIndex >= 0 ? url.slice(qIndex + 1) : "");
  const lambda = isLambdaPath(rawPath);
  const started = performance.now();
  let operation = "Unknown";
  let status = 500;
  try {
    const body = await readBody(req);
    const { config } = options.context;
    const verdict = await verifySigV4(
      { method: req.method ?? "GET", url, headers: req.headers, body },
      options.credentials,
      { region: config.region, services: lambda ? ["lambda"] : ["apigateway"] },
    );
    if (!verdict.ok) throw new ApiError(ERRORS[verdict.kind], verdict.message);

    const match = options.routes.match(req.method ?? "GET", rawPath, query);
    if (!match) throw new ApiError(ERRORS.UnknownOperation, `Unknown operation ${req.method} ${rawPath}`);
    operation = match.spec.operation;
    let parsed: Record<string, unknown> | undefined;
    const opReq: OpRequest = {
      operation,
      params: match.params,
      query,
      headers: req.headers,
      rawBody: body,
      json: () => (parsed ??= parseJsonBody(operation, body)),
    };
    const result = await match.spec.handler(opReq, options.context);
    status = result.status;
    send(res, result, requestId);
  } catch (err) {
    const apiError = err instanceof ApiError ? err : internalError(err, options.logger, operation);
    status = apiError.kind.status;
    sendError(res, apiError, requestId, lambda);
  } finally {
    options.logger.debug({ requestId, operation, status, latencyMs: Math.round(performance.now() - started) }, "management request");
  }
}

function internalError(err: unknown, logger: Logger, operation: string): ApiError {
  logger.error({ err, operation }, "management operation failed");
  return new ApiError(ERRORS.InternalFailure, "An internal error occurred. Please try again.");
}

function send(res: ServerResponse, result: OpResult, requestId: string): void {
  const headers: Record<string, string | number> = { "x-amzn-RequestId": requestId, ...result.headers };
  let payload: Buffer | undefined;
  if (result.rawBody !== undefined) {
    payload = result.rawBody;
  } else if (result.body !== undefined && result.status !== 204) {
    payload = Buffer.from(JSON.stringify(result.body));
    headers["Content-Type"] ??= "application/json";
  }
  headers["Content-Length"] = payload?.length ?? 0;
  res.writeHead(result.status, headers);
  res.end(payload);
}

function sendError(res: ServerResponse, err: ApiError, requestId: string, lambda: boolean): void {
  const kind: ErrorKind = err.kind;
  const body = lambda
    ? { Type: kind.status >= 500 ? "Service" : "User", [kind.lambdaMessageKey ?? "message"]: err.message }
    : { message: err.message };
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(kind.status, {
    "x-amzn-RequestId": requestId,
    "x-amzn-ErrorType": kind.type,
    "Content-Type": "application/json",
    "Content-Length": payload.length,
    ...err.headers,
  });
  res.end(payload);
}
