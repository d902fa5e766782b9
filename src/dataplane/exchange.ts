// One request travelling through the pipeline. The wire adapts a socket-level request into an InboundRequest
// and a ResponseSink (TestInvokeMethod adapts its JSON input the same way), so the pipeline never sees node:http
// or node:http2 objects. Per-request state lives here and nowhere else.
import type { IamIdentity } from "./auth/iam-authentication.js";
import type { ExecutionLogging } from "./compiled-stage.js";
import type { Readable } from "node:stream";
import type { CompiledMethod, CompiledStage } from "./compiled-stage.js";
import type { EndpointTarget } from "./routing/endpoint-resolver.js";
import type { RouteMatch } from "./routing/router.js";
import type { AuthorizerOutcome } from "./auth/authorizer-outcome.js";
import { ExecutionLog } from "./execution-log.js";
import { newRequestId } from "../util/ids.js";
import { nextExtendedRequestId } from "./request-ids.js";

export interface InboundRequest {
  readonly method: string;
  /** Raw path, still percent-encoded, without the query. */
  readonly rawPath: string;
  /** Raw query without `?` ("" when none). */
  readonly rawQuery: string;
  /** Length of the request target as sent (path + query), for the URL-length limit. */
  readonly urlLength: number;
  readonly host: string | undefined;
  /** `[name, value, name, value, …]` as received, casing preserved, HTTP/2 pseudo-headers excluded. */
  readonly rawHeaders: readonly string[];
  /** Lower-case header lookup (Node's merged view). */
  header(name: string): string | undefined;
  readonly sourceIp: string;
  /** The listener port the client connected to (`X-Forwarded-Port`). */
  readonly localPort: number;
  /** `$context.protocol`: `HTTP/1.1` even for HTTP/2 clients (data-plane.md §12.3). */
  readonly protocol: string;
  /** Content-Length when the client declared one. */
  readonly declaredLength: number | undefined;
  /** Whether a body may follow (declared length > 0, chunked, or an HTTP/2 stream still open). */
  readonly mayHaveBody: boolean;
  /** The body as a stream (wire) or already in memory (TestInvokeMethod). */
  readonly body: Readable | Buffer;
}

export interface ResponseSink {
  readonly headersSent: boolean;
  /** `headers` is `[name, value, …]`; the sink may append to it. */
  start(status: number, headers: string[], contentLength?: number): void;
  /** Returns false when the client is not keeping up; wait for `onDrain`. */
  write(chunk: Buffer): boolean;
  end(chunk?: Buffer): void;
  onDrain(listener: () => void): void;
  /** Called once if the client goes away before the response ended. */
  onAbort(listener: () => void): void;
  /** Abort a response whose head is already out (an upstream failed mid-body). */
  destroy(): void;
}

/** What a non-proxy integration sends to its backend, after request mapping (§10.4, §10.5). */
export interface EndpointRequest {
  readonly body: Buffer;
  readonly path: ReadonlyMap<string, string>;
  readonly querystring: ReadonlyMap<string, readonly string[]>;
  /** Lower-case name → [name as configured, value]. */
  readonly header: ReadonlyMap<string, readonly [string, string]>;
}

/** The endpoint (integration) response of non-proxy integrations, before integration-response mapping. */
export interface EndpointResponse {
  readonly status: number;
  /** `[name, value, …]` as received. */
  readonly headers: readonly string[];
  readonly body: Buffer;
  /** What integration responses are selected on when it is not the status: a Lambda's `errorMessage` (§10.8). */
  readonly selectionValue?: string;
}

/** The method response ready to send. */
export interface MethodResponse {
  readonly status: number;
  readonly headers: readonly string[];
  readonly body: Buffer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class Exchange {
  readonly requestId: string;
  readonly extendedRequestId = nextExtendedRequestId();
  readonly started = performance.now();
  readonly requestTimeEpoch = Date.now();
  private endedAt: number | undefined;
  target: EndpointTarget | undefined;
  stage: CompiledStage | undefined;
  route: RouteMatch<CompiledMethod> | undefined;
  /** Milliseconds spent in the integration call, -1 when none was made. */
  integrationLatency = -1;
  status = 0;
  responseLength = 0;
  /** Filled by the request-mapping phase of non-proxy integrations. */
  endpointRequest: EndpointRequest | undefined;
  /** Filled by the integration phase of non-proxy integrations. */
  endpointResponse: EndpointResponse | undefined;
  methodResponse: MethodResponse | undefined;
  /** Values set by `$context.responseOverride` in a MOCK request template (data-plane.md §12.5). */
  responseOverride: { header: Record<string, string>; status?: number } | undefined;
  /** The body once read into memory (see readBody in payload-limits.ts). */
  bufferedBody: Promise<Buffer> | undefined;
  /** The body decompressed per its Content-Encoding (see readDecodedBody in content-encoding.ts). */
  decodedBody: Promise<Buffer> | undefined;
  /** Set by the authorize phase when a Lambda authorizer allowed the request (data-plane.md §5.3). */
  authorizer: AuthorizerOutcome | undefined;
  /** Set by the authorize phase of an AWS_IAM method: the SigV4-authenticated caller (data-plane.md §5.2). */
  iamIdentity: IamIdentity | undefined;
  /** The API key that passed the key check (`$context.identity.apiKey` / `apiKeyId`, data-plane.md §6). */
  apiKey: { readonly id: string; readonly value: string } | undefined;
  /** The usage plan this request counted against (passed throttle and quota); metered after the response. */
  usagePlanId: string | undefined;

  /** Present only when the execution log is read (TestInvokeMethod): logging costs nothing otherwise. */
  log: ExecutionLog | undefined;
  /** The matched method's stage execution logging (methodSettings loggingLevel), when it logs at all. */
  executionLogging: ExecutionLogging | undefined;

  /** The gateway error the request ended with, for `$context.error.*` in stage access logs. */
  failure: { readonly message: string | null; readonly responseType: string; readonly validationErrorString?: string } | undefined;
  /** Headers every response of this request carries, whoever writes it (the stage cache's Warning). */
  extraResponseHeaders: readonly string[] | undefined;

  constructor(
    readonly request: InboundRequest,
    /** Where the response goes; the stage cache puts a recording sink in front while an integration runs. */
    public sink: ResponseSink,
    keepLog = false,
  ) {
    // A client may choose its own request id, if it is a UUID (observability.md §2.1).
    const supplied = request.header("x-amzn-requestid");
    this.requestId = supplied !== undefined && UUID.test(supplied) ? supplied : newRequestId();
    this.log = keepLog ? new ExecutionLog(this.requestId) : undefined;
  }

  /**
   * Milliseconds from arrival to the end of the response, fixed by the first reader (the after-response hooks:
   * access log, metrics, stage logs), so they agree and the clock is read once rather than once each.
   */
  get latency(): number {
    this.endedAt ??= performance.now();
    return this.endedAt - this.started;
  }

  /** Epoch milliseconds of the end of the response (see `latency`). */
  get endedEpochMs(): number {
    return this.requestTimeEpoch + this.latency;
  }

  /** The matched method; only valid after route matching. */
  get method(): CompiledMethod {
    return this.route!.method;
  }
}
