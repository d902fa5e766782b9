// Run-time limits on what a client may send (data-plane.md §17).
import type { Readable } from "node:stream";
import type { Exchange } from "./exchange.js";

/** 10 MB: larger payloads get 413 before anything reaches the integration. */
export const MAX_PAYLOAD_BYTES = 10_485_760;
/** REGIONAL/PRIVATE URL length; EDGE's 8192 is not emulated (Tollgate serves every API with REGIONAL semantics). */
export const MAX_URL_LENGTH = 10_240;
/** Total size of all header values. */
export const MAX_HEADER_BYTES = 10_240;

export class PayloadTooLargeError extends Error {
  constructor() {
    super(`HTTP content length exceeded ${MAX_PAYLOAD_BYTES} bytes.`);
    this.name = "PayloadTooLargeError";
  }
}

/** The request body in memory, read once per exchange; more than 10 MB rejects with PayloadTooLargeError. */
export function readBody(ex: Exchange): Promise<Buffer> {
  return (ex.bufferedBody ??= collect(ex.request.body, ex.request.mayHaveBody));
}

function collect(body: Readable | Buffer, mayHaveBody: boolean): Promise<Buffer> {
  if (Buffer.isBuffer(body)) {
    return body.length > MAX_PAYLOAD_BYTES ? Promise.reject(new PayloadTooLargeError()) : Promise.resolve(body);
  }
  if (!mayHaveBody) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (err: Error | undefined): void => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    // Over the limit, the rest is read and discarded rather than the connection reset, so the client gets to
    // read the 413.
    body.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) settle(new PayloadTooLargeError());
      else chunks.push(chunk);
    });
    body.once("end", () => settle(undefined));
    body.once("error", (err: Error) => settle(err));
    body.once("close", () => settle(new Error("the client closed the request before its body ended")));
  });
}

/** Sum of header value lengths, compared against MAX_HEADER_BYTES. */
export function headerValueBytes(rawHeaders: readonly string[]): number {
  let total = 0;
  for (let i = 1; i < rawHeaders.length; i += 2) total += rawHeaders[i]!.length;
  return total;
}
