// The catalogue of management-API exceptions (AWS API Gateway 2015-07-09 and Lambda 2015-03-31).
// Every failure a management operation reports is one of these, rendered in one place (admin-server.ts).

export interface ErrorKind {
  readonly type: string;
  readonly status: number;
  /** Lambda's error bodies carry {"Type": "User"|"Service"} and, for some types, a capitalised "Message". */
  readonly lambdaMessageKey?: "Message" | "message";
}

export const ERRORS = {
  BadRequest: { type: "BadRequestException", status: 400 },
  Validation: { type: "ValidationException", status: 400 },
  Serialization: { type: "SerializationException", status: 400 },
  Unauthorized: { type: "UnauthorizedException", status: 401 },
  NotFound: { type: "NotFoundException", status: 404 },
  Conflict: { type: "ConflictException", status: 409 },
  LimitExceeded: { type: "LimitExceededException", status: 429 },
  TooManyRequests: { type: "TooManyRequestsException", status: 429 },
  ServiceUnavailable: { type: "ServiceUnavailableException", status: 503 },
  UnknownOperation: { type: "UnknownOperationException", status: 404 },
  MissingAuthenticationToken: { type: "MissingAuthenticationTokenException", status: 403 },
  InvalidSignature: { type: "InvalidSignatureException", status: 403 },
  IncompleteSignature: { type: "IncompleteSignatureException", status: 403 },
  UnrecognizedClient: { type: "UnrecognizedClientException", status: 403 },
  InternalFailure: { type: "InternalFailure", status: 500 },
  // Lambda 2015-03-31
  ResourceNotFound: { type: "ResourceNotFoundException", status: 404, lambdaMessageKey: "Message" },
  ResourceConflict: { type: "ResourceConflictException", status: 409, lambdaMessageKey: "message" },
  InvalidParameterValue: { type: "InvalidParameterValueException", status: 400, lambdaMessageKey: "message" },
  InvalidRequestContent: { type: "InvalidRequestContentException", status: 400, lambdaMessageKey: "message" },
  PreconditionFailed: { type: "PreconditionFailedException", status: 412, lambdaMessageKey: "message" },
  RequestTooLarge: { type: "RequestTooLargeException", status: 413, lambdaMessageKey: "message" },
  LambdaTooManyRequests: { type: "TooManyRequestsException", status: 429, lambdaMessageKey: "message" },
  LambdaService: { type: "ServiceException", status: 500, lambdaMessageKey: "Message" },
} as const satisfies Record<string, ErrorKind>;

export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = kind.type;
  }
}

export const badRequest = (message: string): ApiError => new ApiError(ERRORS.BadRequest, message);
export const notFound = (message: string): ApiError => new ApiError(ERRORS.NotFound, message);
export const conflict = (message: string): ApiError => new ApiError(ERRORS.Conflict, message);

/** AWS's generic constraint error: `1 validation error detected: Value 'x' at 'y' failed to satisfy constraint: …`. */
export function validationError(clauses: readonly string[]): ApiError {
  const count = clauses.length === 1 ? "1 validation error detected" : `${clauses.length} validation errors detected`;
  return new ApiError(ERRORS.Validation, `${count}: ${clauses.join("; ")}`);
}

export function enumClause(value: unknown, at: string, allowed: readonly string[]): string {
  return `Value '${String(value)}' at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(", ")}]`;
}
