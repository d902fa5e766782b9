// Payload compression (data-plane.md §16.3; AWS guide "Payload compression for REST APIs"). Request bodies sent
// with `Content-Encoding: gzip | deflate` are decompressed before mapping templates and validation see them
// (proxy integrations pass the bytes and the header through untouched). Responses are compressed when the API
// has `minimumCompressionSize`, the client's highest-priority `Accept-Encoding` coding is one API Gateway
// supports, the response carries no Content-Encoding of its own, and its size reaches the minimum.
import { createDeflate, createGzip, gunzip, inflate, type Gzip } from "node:zlib";
import { promisify } from "node:util";
import type { Exchange, ResponseSink } from "./exchange.js";
import { headerIn } from "./header-list.js";
import { MAX_PAYLOAD_BYTES, PayloadTooLargeError, readBody } from "./payload-limits.js";

type Coding = "gzip" | "deflate" | "identity";
const SUPPORTED = new Set<string>(["gzip", "deflate", "identity"]);
const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** The coding the client prefers most (highest q, then first listed), if API Gateway supports it. */
export function negotiateCoding(acceptEncoding: string | undefined): Coding | undefined {
  if (acceptEncoding === undefined) return undefined;
  let best: { coding: string; q: number } | undefined;
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    if (name === "") continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { coding: name, q };
  }
  if (!best) return undefined;
  // `*` leaves the choice to the server.
  const coding = best.coding === "*" ? "gzip" : best.coding;
  return SUPPORTED.has(coding) ? (coding as Coding) : undefined;
}

/**
 * The request body as mapping templates and validation see it: decompressed when it says it is gzip or deflate.
 * Decoded once per request, however many phases read it.
 */
export function readDecodedBody(ex: Exchange): Promise<Buffer> {
  return (ex.decodedBody ??= decodeBody(ex));
}

async function decodeBody(ex: Exchange): Promise<Buffer> {
  const raw = await readBody(ex);
  const coding = ex.request.header("content-encoding")?.trim().toLowerCase();
  if (raw.length === 0 || (coding !== "gzip" && coding !== "deflate")) return raw;
  const options = { maxOutputLength: MAX_PAYLOAD_BYTES };
  try {
    return coding === "gzip" ? await gunzipAsync(raw, options) : await inflateAsync(raw, options);
  } catch (err) {
    // A body that inflates past the payload limit is refused like one sent that large.
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new PayloadTooLargeError();
    throw err;
  }
}

/** Puts a compressing sink in front of the client when this request's response may be compressed. */
export function compressResponses(ex: Exchange, minimumSize: number): void {
  if (ex.request.method === "HEAD") return;
  const coding = negotiateCoding(ex.request.header("accept-encoding"));
  if (coding === undefined || coding === "identity") return;
  ex.sink = new CompressingSink(ex.sink, coding, minimumSize);
}

/**
 * Decides at `start` from the head: a response that already has a Content-Encoding, is known to be smaller than
 * the minimum, or has no body goes through untouched; otherwise it leaves compressed (chunked), backpressure
 * passed through the compressor.
 */
class CompressingSink implements ResponseSink {
  private zip: Gzip | undefined;

  constructor(
    private readonly inner: ResponseSink,
    private readonly coding: "gzip" | "deflate",
    private readonly minimumSize: number,
  ) {}

  get headersSent(): boolean {
    return this.inner.headersSent;
  }

  start(status: number, headers: string[], contentLength?: number): void {
    const bodiless = status === 204 || status === 304 || contentLength === 0;
    const tooSmall = contentLength !== undefined && contentLength < this.minimumSize;
    if (bodiless || tooSmall || headerIn(headers, "content-encoding") !== undefined) {
      this.inner.start(status, headers, contentLength);
      return;
    }
    headers.push("Content-Encoding", this.coding);
    const zip = this.coding === "gzip" ? createGzip() : createDeflate();
    zip.on("data", (chunk: Buffer) => {
      if (!this.inner.write(chunk)) {
        zip.pause();
        this.inner.onDrain(() => zip.resume());
      }
    });
    zip.on("end", () => this.inner.end());
    zip.on("error", () => this.inner.destroy());
    this.zip = zip;
    this.inner.start(status, headers);
  }

  write(chunk: Buffer): boolean {
    return this.zip ? this.zip.write(chunk) : this.inner.write(chunk);
  }

  end(chunk?: Buffer): void {
    if (!this.zip) return this.inner.end(chunk);
    if (chunk !== undefined && chunk.length > 0) this.zip.end(chunk);
    else this.zip.end();
  }

  onDrain(listener: () => void): void {
    if (this.zip) this.zip.once("drain", listener);
    else this.inner.onDrain(listener);
  }

  onAbort(listener: () => void): void {
    this.inner.onAbort(listener);
  }

  destroy(): void {
    this.zip?.destroy();
    this.inner.destroy();
  }
}
