// An Exchange for unit tests of request-path logic: a GET with no body from 203.0.113.10, nothing sent anywhere.
import { Exchange, type InboundRequest, type ResponseSink } from "../../src/dataplane/exchange.js";

export function fakeExchange(method = "GET", headers: Record<string, string> = {}): Exchange {
  const request: InboundRequest = {
    method,
    rawPath: "/restapis/abc/dev/_user_request_/x",
    rawQuery: "q=1",
    urlLength: 40,
    host: "localhost",
    rawHeaders: Object.entries(headers).flat(),
    header: (name) => headers[name],
    sourceIp: "203.0.113.10",
    localPort: 443,
    protocol: "HTTP/1.1",
    declaredLength: undefined,
    mayHaveBody: false,
    body: Buffer.alloc(0),
  };
  const sink: ResponseSink = { headersSent: false, start() {}, write: () => true, end() {}, onDrain() {}, onAbort() {}, destroy() {} };
  return new Exchange(request, sink);
}
