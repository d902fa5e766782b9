// The data plane's gateway response types (data-plane.md §13.1): each type's default status, message and
// x-amzn-ErrorType, defined once. GetGatewayResponses lists exactly these 21 types.

export interface GatewayResponseType {
  readonly type: string;
  /** Absent for DEFAULT_4XX / DEFAULT_5XX, which keep each type's own status. */
  readonly status?: number;
  /** Rendered as $context.error.message; `null` renders `{"message": null}`. */
  readonly message: string | null;
  readonly errorType?: string;
}

function t(type: string, status: number | undefined, message: string | null, errorType?: string): GatewayResponseType {
  return { type, ...(status !== undefined ? { status } : {}), message, ...(errorType !== undefined ? { errorType } : {}) };
}

export const GATEWAY_RESPONSE_TYPES = {
  ACCESS_DENIED: t("ACCESS_DENIED", 403, "User is not authorized to access this resource", "AccessDeniedException"),
  API_CONFIGURATION_ERROR: t("API_CONFIGURATION_ERROR", 500, "Internal server error", "InternalServerErrorException"),
  AUTHORIZER_CONFIGURATION_ERROR: t("AUTHORIZER_CONFIGURATION_ERROR", 500, null, "AuthorizerConfigurationException"),
  AUTHORIZER_FAILURE: t("AUTHORIZER_FAILURE", 500, null, "AuthorizerFailureException"),
  BAD_REQUEST_BODY: t("BAD_REQUEST_BODY", 400, "Invalid request body", "BadRequestException"),
  BAD_REQUEST_PARAMETERS: t("BAD_REQUEST_PARAMETERS", 400, "Missing required request parameters", "BadRequestException"),
  DEFAULT_4XX: t("DEFAULT_4XX", undefined, null),
  DEFAULT_5XX: t("DEFAULT_5XX", undefined, null),
  EXPIRED_TOKEN: t("EXPIRED_TOKEN", 403, "The security token included in the request is expired", "ExpiredTokenException"),
  INTEGRATION_FAILURE: t("INTEGRATION_FAILURE", 504, "Internal server error", "InternalServerErrorException"),
  INTEGRATION_TIMEOUT: t("INTEGRATION_TIMEOUT", 504, "Endpoint request timed out", "InternalServerErrorException"),
  INVALID_API_KEY: t("INVALID_API_KEY", 403, "Forbidden", "ForbiddenException"),
  INVALID_SIGNATURE: t("INVALID_SIGNATURE", 403, "Invalid signature", "InvalidSignatureException"),
  MISSING_AUTHENTICATION_TOKEN: t("MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token", "MissingAuthenticationTokenException"),
  QUOTA_EXCEEDED: t("QUOTA_EXCEEDED", 429, "Limit Exceeded", "LimitExceededException"),
  REQUEST_TOO_LARGE: t("REQUEST_TOO_LARGE", 413, "Request Too Long", "BadRequestException"),
  RESOURCE_NOT_FOUND: t("RESOURCE_NOT_FOUND", 404, "Not Found", "NotFoundException"),
  THROTTLED: t("THROTTLED", 429, "Too Many Requests", "TooManyRequestsException"),
  UNAUTHORIZED: t("UNAUTHORIZED", 401, "Unauthorized", "UnauthorizedException"),
  UNSUPPORTED_MEDIA_TYPE: t("UNSUPPORTED_MEDIA_TYPE", 415, "Unsupported Media Type", "UnsupportedMediaTypeException"),
  WAF_FILTERED: t("WAF_FILTERED", 403, "Forbidden", "ForbiddenException"),
} as const satisfies Record<string, GatewayResponseType>;

export type GatewayResponseTypeName = keyof typeof GATEWAY_RESPONSE_TYPES;

export const GATEWAY_RESPONSE_TYPE_NAMES = Object.keys(GATEWAY_RESPONSE_TYPES).sort() as GatewayResponseTypeName[];

/** The default template of every type: `{"message":$context.error.messageString}`. */
export const DEFAULT_GATEWAY_RESPONSE_TEMPLATE = '{"message":$context.error.messageString}';
