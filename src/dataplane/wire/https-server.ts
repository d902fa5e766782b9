// The data plane's listener: TLS 1.2+ only, HTTP/2 and HTTP/1.1 negotiated by ALPN on one port
// (`http2.createSecureServer({allowHTTP1: true})` hands HTTP/1.1 connections to Node's regular HTTP/1 parser,
// so they cost what `https` costs). A plain-HTTP client fails the TLS handshake and is dropped. Malformed
// input of any kind (bad TLS, bad HTTP, broken HTTP/2 frames) ends that connection and nothing else.
import http2, { type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { randomUUID } from "node:crypto";
import type { InboundRequest, ResponseSink } from "../exchange.js";
import { nextExtendedRequestId } from "../request-ids.js";
import type { TLSSocket } from "node:tls";
import { DEFAULT_IDLE_LIMITS, IdleConnections, type IdleLimits } from "./idle-connections.js";
import type { TlsMaterial } from "./tls-certificate.js";

type WireRequest = IncomingMessage | Http2ServerRequest;
type WireResponse = ServerResponse | Http2ServerResponse;

export type RequestHandler = (request: InboundRequest, sink: ResponseSink) => void;

export function createHttpsServer(tls: TlsMaterial, handler: RequestHandler, logger: Logger, idleLimits: IdleLimits = DEFAULT_IDLE_LIMITS): Http2SecureServer {
  const onRequest = (req: WireRequest, res: WireResponse): void => {
    // A client that vanishes mid-request surfaces as stream errors; the pipeline sees them as aborts, and an
    // unheard 'error' event must not become an uncaught exception.
    req.on("error", ignore);
    res.on("error", ignore);
    try {
      handler(new WireInboundRequest(req), new WireResponseSink(res));
    } catch (err) {
      logger.error({ err }, "data-plane request could not be handled");
      res.destroy();
    }
  };
  const server = http2.createSecureServer(
    {
      cert: tls.cert,
      key: tls.key,
      allowHTTP1: true,
      minVersion: "TLSv1.2",
      // http.createServer turns Nagle off by default; the HTTP/2 server does not, and small responses then wait
      // for delayed ACKs (tens of milliseconds per request under keep-alive).
      noDelay: true,
      // Bounded HTTP/2 header lists, like the HTTP/1 parser's default limit.
      maxSessionMemory: 20,
      settings: { maxHeaderListSize: 32 * 1024 },
    },
    onRequest,
  );
  // `Expect` is dropped on arrival (data-plane.md §14.1): a value other than 100-continue is served like any
  // request instead of Node's automatic 417.
  server.on("checkExpectation", onRequest);
  // The HTTP/1 parser's limit covers the request line and headers together (16 KB by default), so a long URL
  // would be refused as 431 before the pipeline could give §17's 414. Parse up to 64 KB; the pipeline applies the
  // URL (10,240) and header (10,240) limits itself. (The HTTP/1 fallback reads this property of the server.)
  (server as unknown as { maxHeaderSize: number }).maxHeaderSize = 64 * 1024;
  // Idle connections: HTTP/1.1 ones are swept (idle-connections.ts: keep-alive idle 30 s, a request in flight but
  // silent 2 minutes — well above the 29 s integration timeout), with no timer per request; an HTTP/2 session
  // silent for 2 minutes is closed by its own timeout.
  const idle = new IdleConnections(idleLimits);
  server.on("secureConnection", (socket: TLSSocket) => {
    if (socket.alpnProtocol !== "h2") idle.watch(socket);
  });
  server.on("close", () => idle.close());
  server.on("tlsClientError", (_err: Error, socket: Duplex) => socket.destroy());
  server.on("sessionError", () => undefined);
  server.on("clientError", (err: Error & { code?: string }, socket: Duplex) => rejectMalformed(err, socket));
  server.on("session", (session: http2.ServerHttp2Session) => {
    session.on("error", () => session.destroy());
    session.setTimeout(idleLimits.activeIdleMs, () => session.destroy());
  });
  server.on("stream", (stream: http2.ServerHttp2Stream) => stream.on("error", () => stream.destroy()));
  return server;
}

const ignore = (): void => undefined;

/** HTTP/1 parse errors: 431 for oversized headers, 400 otherwise, then close (like AWS's front door). */
function rejectMalformed(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
  const body = tooLarge ? '{"message":"Request Header Fields Too Large"}' : '{"message":"Bad Request"}';
  socket.end(
    `HTTP/1.1 ${tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request"}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
      `x-amzn-RequestId: ${randomUUID()}\r\nx-amz-apigw-id: ${nextExtendedRequestId()}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * The socket-level request as the pipeline sees it. A class rather than an object of closures: one is made per
 * request, and its methods live on the prototype.
 */
class WireInboundRequest implements InboundRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly urlLength: number;
  readonly host: string | undefined;
  readonly rawHeaders: readonly string[];
  readonly sourceIp: string;
  readonly localPort: number;
  readonly protocol = "HTTP/1.1";
  readonly declaredLength: number | undefined;
  readonly mayHaveBody: boolean;
  readonly body: WireRequest;
  private readonly http2Headers: Http2ServerRequest["headers"] | undefined;

  constructor(req: WireRequest) {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const http2Request = req.httpVersionMajor === 2;
    this.body = req;
    this.method = req.method ?? "GET";
    this.rawPath = q < 0 ? url : url.slice(0, q);
    this.rawQuery = q < 0 ? "" : url.slice(q + 1);
    this.urlLength = url.length;
    if (http2Request) {
      // Pseudo-headers go; so do the cookie crumbs (RFC 9113 §8.2.3), which come back once, as Node's merged
      // view already joins them: with "; ", which backends parse (joined with "," like other repeats, none could).
      const name = (i: number, all: string[]): string => all[i - (i % 2)]!;
      const rawHeaders = req.rawHeaders.filter((_, i, all) => name(i, all).charCodeAt(0) !== 58 /* : */ && name(i, all) !== "cookie");
      const cookie = req.headers.cookie;
      if (cookie !== undefined) rawHeaders.push("cookie", cookie);
      this.rawHeaders = rawHeaders;
      this.http2Headers = req.headers;
    } else {
      // Node builds `req.headers` lazily; the few lookups the pipeline makes scan the raw list instead.
      this.rawHeaders = req.rawHeaders;
      this.http2Headers = undefined;
    }
    const lengthHeader = this.header("content-length");
    const declaredLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
    this.declaredLength = declaredLength !== undefined && Number.isFinite(declaredLength) ? declaredLength : undefined;
    const chunked = !http2Request && this.header("transfer-encoding") !== undefined;
    this.host = http2Request ? (this.header(":authority") ?? this.header("host")) : this.header("host");
    const socket = req.socket;
    this.sourceIp = stripIpv4Mapping(socket?.remoteAddress ?? "");
    this.localPort = socket?.localPort ?? 0;
    this.mayHaveBody =
      (declaredLength !== undefined && declaredLength > 0) ||
      chunked ||
      (http2Request && declaredLength === undefined && !(req as Http2ServerRequest).stream?.endAfterHeaders);
  }

  header(name: string): string | undefined {
    const headers = this.http2Headers;
    if (headers === undefined) return rawHeaderValue(this.rawHeaders, name);
    const value = headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  }
}

/** Case-insensitive lookup in `[name, value, …]`; repeated names are joined with ", " as Node does. */
function rawHeaderValue(raw: readonly string[], lowerName: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) found = found === undefined ? raw[i + 1] : `${found}, ${raw[i + 1]}`;
  }
  return found;
}

const stripIpv4Mapping = (address: string): string => (address.startsWith("::ffff:") ? address.slice(7) : address);

class WireResponseSink implements ResponseSink {
  private readonly out: ServerResponse;

  constructor(private readonly res: WireResponse) {
    this.out = res as ServerResponse;
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  start(status: number, headers: string[], contentLength?: number): void {
    if (contentLength !== undefined) headers.push("Content-Length", String(contentLength));
    this.out.writeHead(status, headers);
  }

  write(chunk: Buffer): boolean {
    return this.out.write(chunk);
  }

  end(chunk?: Buffer): void {
    if (chunk !== undefined && chunk.length > 0) this.out.end(chunk);
    else this.out.end();
  }

  onDrain(listener: () => void): void {
    this.out.once("drain", listener);
  }

  onAbort(listener: () => void): void {
    const out = this.out;
    out.once("close", () => {
      if (!out.writableFinished) listener();
    });
  }

  destroy(): void {
    this.out.destroy();
  }
}
