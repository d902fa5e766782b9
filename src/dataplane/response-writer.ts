// Writes responses to the client, adding what API Gateway puts on every response (data-plane.md §14.3):
// `x-amzn-RequestId` and `x-amz-apigw-id`. The status is recorded for the access log.
import type { Exchange, MethodResponse } from "./exchange.js";

export function sendHead(ex: Exchange, status: number, headers: string[], contentLength?: number): void {
  headers.push("x-amzn-RequestId", ex.requestId, "x-amz-apigw-id", ex.extendedRequestId);
  if (ex.extraResponseHeaders !== undefined) headers.push(...ex.extraResponseHeaders);
  ex.status = status;
  ex.sink.start(status, headers, contentLength);
}

export function sendResponse(ex: Exchange, response: MethodResponse): void {
  const headers = response.headers.slice();
  sendHead(ex, response.status, headers, response.body.length);
  ex.responseLength = response.body.length;
  ex.sink.end(response.body);
}
