// What a successful Lambda authorizer leaves on the exchange for later phases: the API-key phase reads
// `usageIdentifierKey` (apiKeySource AUTHORIZER), `$context.authorizer.*` and the proxy event's
// `requestContext.authorizer` read the rest (data-plane.md §5.3).
export interface AuthorizerOutcome {
  readonly principalId: string;
  /** The authorizer's `context` with every value already stringified (numbers and booleans too). */
  readonly context: Record<string, string>;
  readonly usageIdentifierKey?: string;
  /** Milliseconds the authorizer took (0 on a cache hit), the proxy event's `authorizer.integrationLatency`. */
  readonly latencyMs: number;
  /** A Cognito user pool authorizer's token claims (`$context.authorizer.claims.*`), values as strings. */
  readonly claims?: Record<string, string>;
}
