// HTTP (non-proxy, data-plane.md §10.3): only mapped headers, query and path values reach the backend, plus
// API Gateway's defaults (§14.1); the response is read whole for integration-response mapping.
import type { Pool } from "undici";
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange } from "../exchange.js";
import { backendFailure, IntegrationTimeoutError } from "./backend-errors.js";
import { renderBackendPath, type BackendUri } from "./backend-uri.js";
import { DROPPED_AFTER_MAPPING, traceHeader } from "./header-rules.js";

export interface HttpIntegration {
  readonly uri: BackendUri;
  readonly pool: Pool;
  readonly httpMethod: string;
  readonly timeoutMs: number;
}

const BODYLESS = new Set(["GET", "HEAD", "OPTIONS"]);

export function httpIntegrationStep(integration: HttpIntegration): PhaseStep {
  return (ex) => invokeHttp(integration, ex);
}

async function invokeHttp(integration: HttpIntegration, ex: Exchange): Promise<void> {
  const request = ex.endpointRequest!;
  let path = renderBackendPath(integration.uri, request.path);
  let query = integration.uri.query;
  for (const [name, values] of request.querystring) {
    for (const value of values) query += `${query === "" ? "" : "&"}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  }
  if (query !== "") path += "?" + query;
  const method = integration.httpMethod === "ANY" ? ex.request.method : integration.httpMethod;
  const headers: string[] = [];
  for (const [lower, [name, value]] of request.header) if (!DROPPED_AFTER_MAPPING.has(lower)) headers.push(name, value);
  const apiId = ex.stage!.apiId;
  if (!request.header.has("accept")) headers.push("Accept", "application/json");
  if (!request.header.has("user-agent")) headers.push("User-Agent", `AmazonAPIGateway_${apiId}`);
  const contentType = ex.request.header("content-type");
  if (!request.header.has("content-type") && contentType !== undefined && !BODYLESS.has(method)) headers.push("Content-Type", contentType);
  headers.push("X-Amzn-Trace-Id", traceHeader(ex.request.header("x-amzn-trace-id")), "X-Amzn-Apigateway-Api-Id", apiId);
  ex.log?.add(`Sending request to ${integration.uri.origin}${path}`);

  const started = performance.now();
  // timeoutInMillis covers connect + request + the full response (§10.7); undici's own timers are too coarse.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new IntegrationTimeoutError(integration.timeoutMs)), integration.timeoutMs);
  try {
    const response = await integration.pool.request({
      path,
      method,
      headers,
      body: BODYLESS.has(method) || request.body.length === 0 ? null : request.body,
      signal: controller.signal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    const raw: string[] = [];
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) raw.push(name, v);
    }
    ex.endpointResponse = { status: response.statusCode, headers: raw, body };
  } catch (err) {
    throw backendFailure(controller.signal.aborted ? controller.signal.reason : err);
  } finally {
    clearTimeout(timer);
    ex.integrationLatency = performance.now() - started;
  }
  ex.log?.add(`Received response. Status: ${ex.endpointResponse.status}, Integration latency: ${Math.round(ex.integrationLatency)} ms`);
}
