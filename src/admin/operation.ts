// The contract between the management-API server and the operation modules.
import type { IncomingHttpHeaders } from "node:http";
import type { Logger } from "pino";
import type { TollgateConfig } from "../config.js";
import type { ConfigStore } from "../store/config-store.js";
import { ApiError, ERRORS } from "../errors/api-error.js";

export interface OpRequest {
  readonly operation: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** The JSON body as an object ({} when empty). A body that is not a JSON object is a SerializationException. */
  json(): Record<string, unknown>;
}

export interface OpResult {
  readonly status: number;
  readonly body?: unknown;
  /** Raw response bytes (GetExport, GetSdk, Lambda Invoke) instead of JSON. */
  readonly rawBody?: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What operations may use: the configuration, the store and the services of the running gateway. */
export interface OpContext {
  readonly config: TollgateConfig;
  readonly store: ConfigStore;
  readonly logger: Logger;
  readonly services: GatewayServices;
}

/**
 * Run-time services that some operations call into (TestInvokeMethod, cache flushes, Lambda Invoke).
 * Each issue's module registers its own; operations check for presence instead of importing the data plane.
 */
export interface GatewayServices {
  [name: string]: unknown;
}

export type OperationHandler = (req: OpRequest, ctx: OpContext) => Promise<OpResult>;

export function parseJsonBody(operation: string, raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ApiError(ERRORS.Serialization, `Unable to parse request body for ${operation}: malformed JSON`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ApiError(ERRORS.Serialization, `Unable to parse request body for ${operation}: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}
