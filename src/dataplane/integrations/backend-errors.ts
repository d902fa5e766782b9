// How a failed backend call surfaces (data-plane.md §10.6): a timeout is 504 INTEGRATION_TIMEOUT, an unusable
// address (refused, unknown host) is AWS's configuration error 500, anything else on the wire (reset, TLS
// failure, malformed response) is a network error answered with 502 — all with `{"message": "Internal server error"}`
// except the timeout.
import { configurationError, GatewayError } from "../gateway-error.js";

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT"]);
const ADDRESS_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "UND_ERR_INVALID_ARG"]);

/** Raised by our own timer: `timeoutInMillis` covers connect + request + the full response (§10.7). */
export class IntegrationTimeoutError extends Error {
  readonly code = "ETIMEDOUT";
  constructor(timeoutMs: number) {
    super(`integration did not complete within ${timeoutMs} ms`);
    this.name = "IntegrationTimeoutError";
  }
}

export function backendFailure(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = errorCode(err);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new GatewayError("INTEGRATION_TIMEOUT", { log: "Execution failed due to a timeout error" });
  }
  if (code !== undefined && ADDRESS_CODES.has(code)) return configurationError("Invalid endpoint address");
  return new GatewayError("INTEGRATION_FAILURE", { status: 502, log: "Execution failed due to a network error communicating with endpoint" });
}

function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === "string") return code;
    // Connecting to `localhost` tries IPv4 and IPv6 and fails with an AggregateError of both.
    current = current instanceof AggregateError && current.errors.length > 0 ? current.errors[0] : current.cause;
  }
  return undefined;
}
