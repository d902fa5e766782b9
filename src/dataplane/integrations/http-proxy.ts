// HTTP_PROXY (data-plane.md §10.3): the client's verb (for ANY), query, headers (minus §14.1's) and body go to the
// backend; its status, headers (per §14.2) and body come back, streamed both ways through a keep-alive pool.
// This is the hot path: it uses undici's dispatch with a raw handler (no intermediate stream objects) and
// writes backend chunks straight to the client, pausing the backend while the client is slow.
import type { Pool } from "undici";
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange } from "../exchange.js";
import { readBody } from "../payload-limits.js";
import { sendHead } from "../response-writer.js";
import { backendFailure, IntegrationTimeoutError } from "./backend-errors.js";
import { renderBackendPath, type BackendUri } from "./backend-uri.js";
import { proxyRequestHeaders, proxyResponseHeaders } from "./header-rules.js";
import type { MappedParameters } from "./mapped-parameters.js";
import type { CompiledRequestParameters } from "./request-parameters.js";

export interface HttpProxyIntegration {
  readonly uri: BackendUri;
  readonly pool: Pool;
  /** `ANY` reuses the client's verb. */
  readonly httpMethod: string;
  readonly timeoutMs: number;
  /** Absent when the integration maps no parameters. */
  readonly parameters: CompiledRequestParameters | undefined;
}

const NO_VALUES: ReadonlyMap<string, string> = new Map();

export function httpProxyStep(integration: HttpProxyIntegration): PhaseStep {
  return (ex) => invokeHttpProxy(integration, ex);
}

async function invokeHttpProxy(integration: HttpProxyIntegration, ex: Exchange): Promise<void> {
  const request = ex.request;
  const parameters = integration.parameters;
  let mapped: MappedParameters | undefined;
  if (parameters) mapped = parameters.evaluate(ex, parameters.needsBody ? (await readBody(ex)).toString("utf8") : "");
  let path = renderBackendPath(integration.uri, mapped?.path ?? NO_VALUES);
  let query = integration.uri.query;
  if (request.rawQuery !== "") query = query === "" ? request.rawQuery : `${query}&${request.rawQuery}`;
  if (mapped) {
    for (const [name, values] of mapped.querystring) {
      for (const value of values) query += `${query === "" ? "" : "&"}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
    }
  }
  if (query !== "") path += "?" + query;
  const headers = proxyRequestHeaders(request.rawHeaders, ex.stage!.apiId, request.sourceIp, request.localPort, mapped?.header, ex.requestTimeEpoch);
  const method = integration.httpMethod === "ANY" ? request.method : integration.httpMethod;

  // A body of known length streams through; one of unknown length (chunked, HTTP/2) is read first so the
  // 10 MB limit holds before anything reaches the backend.
  let body: Buffer | typeof request.body | null = null;
  if (ex.bufferedBody) body = await ex.bufferedBody;
  else if (Buffer.isBuffer(request.body)) body = request.body;
  else if (request.mayHaveBody) body = request.declaredLength !== undefined ? request.body : await readBody(ex);
  if (Buffer.isBuffer(body) && body.length === 0) body = null;

  ex.log?.add(`Endpoint request URI: ${integration.uri.origin}${path}`);
  const started = performance.now();
  return new Promise<void>((resolve, reject) => {
    const responder = new ProxyResponder(ex, started, resolve, reject);
    // undici's own timers are coarse (about a second); ours is exact and also covers connecting.
    responder.timer = setTimeout(() => responder.abortUpstream(new IntegrationTimeoutError(integration.timeoutMs)), integration.timeoutMs);
    integration.pool.dispatch(
      { origin: integration.uri.origin, path, method, headers, body, headersTimeout: 0, bodyTimeout: 0 },
      responder,
    );
    ex.sink.onAbort(() => responder.abortUpstream(new Error("client closed the connection")));
  });
}

/** undici's raw dispatch handler: raw header buffers, no intermediate stream. */
class ProxyResponder {
  private abort: ((err?: Error) => void) | undefined;
  private resume: (() => void) | undefined;
  private settled = false;
  /** Aborted before undici connected: delivered as soon as it does. */
  private pendingAbort: Error | undefined;
  timer: NodeJS.Timeout | undefined;
  private held: Buffer | undefined;
  private flushQueued = false;

  constructor(
    private readonly ex: Exchange,
    private readonly started: number,
    private readonly resolve: () => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  abortUpstream(reason: Error): void {
    if (this.settled) return;
    if (this.abort) this.abort(reason);
    else this.pendingAbort = reason;
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    if (this.pendingAbort) abort(this.pendingAbort);
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (status < 200) return true;
    this.resume = resume;
    const headers: string[] = [];
    const { contentLength, hasContentType } = proxyResponseHeaders(rawHeaders, headers);
    if (!hasContentType) headers.push("Content-Type", "application/json");
    this.ex.log?.add(`Received response. Status: ${status}, Integration latency: ${Math.round(performance.now() - this.started)} ms`);
    sendHead(this.ex, status, headers, contentLength);
    return true;
  }

  /**
   * The latest chunk is held back until the end of the current tick: a response that arrives in one piece (the
   * common case: undici reports data and completion in the same parse) leaves as a single write — head, body
   * and end together — while a streaming response is still flushed chunk by chunk without delay.
   */
  onData(chunk: Buffer): boolean {
    this.ex.responseLength += chunk.length;
    const previous = this.held;
    this.held = chunk;
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flush);
    }
    if (previous === undefined || this.ex.sink.write(previous)) return true;
    this.ex.sink.onDrain(this.resume!);
    return false;
  }

  private readonly flush = (): void => {
    this.flushQueued = false;
    const held = this.held;
    if (held === undefined || this.settled) return;
    this.held = undefined;
    this.ex.sink.write(held);
  };

  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.ex.integrationLatency = performance.now() - this.started;
    const held = this.held;
    this.held = undefined;
    this.ex.sink.end(held);
    this.resolve();
  }

  onError(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.ex.integrationLatency = performance.now() - this.started;
    if (this.ex.sink.headersSent) {
      // The head is out: the only honest signal left is to cut the response short.
      this.ex.sink.destroy();
      this.resolve();
    } else {
      this.reject(backendFailure(err));
    }
  }
}
