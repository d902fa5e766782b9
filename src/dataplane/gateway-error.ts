// The one error channel of the request path: every failure after endpoint resolution is a GatewayError naming
// a gateway response type of the catalogue (src/errors/gateway-response-types.ts); gateway-responses.ts renders
// it, applying the deployment's customisations.
import type { GatewayResponseTypeName } from "../errors/gateway-response-types.js";

export interface GatewayErrorDetail {
  /** `$context.error.message` when it differs from the catalogue's default message. */
  readonly message?: string;
  /**
   * The status this occurrence has when the type is not customised, for failures AWS reports under a type
   * whose catalogue status differs (a network error is INTEGRATION_FAILURE but answers 502, §10.6).
   */
  readonly status?: number;
  /** The execution-log line AWS writes for it, e.g. `Execution failed due to a timeout error`. */
  readonly log?: string;
  /** `x-amzn-ErrorType` when this occurrence has its own (an unknown access key is UnrecognizedClientException). */
  readonly errorType?: string;
  /** `$context.error.validationErrorString`: what request validation found (§8). */
  readonly validationErrorString?: string;
}

export class GatewayError extends Error {
  constructor(
    readonly responseType: GatewayResponseTypeName,
    readonly detail: GatewayErrorDetail = {},
  ) {
    super(detail.log ?? detail.message ?? responseType);
    this.name = "GatewayError";
  }
}

/** Integration-side configuration failures: 500 `{"message": "Internal server error"}` (§10.6, §18). */
export const configurationError = (reason: string): GatewayError =>
  new GatewayError("API_CONFIGURATION_ERROR", { log: `Execution failed due to configuration error: ${reason}` });
