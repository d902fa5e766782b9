// A Lambda authorizer's output (data-plane.md §5.3.3), validated once and cached whole: principalId, the policy
// (re-evaluated per method ARN), `context` with every value stringified, `usageIdentifierKey`. Anything else
// than that shape is AWS's AuthorizerConfigurationException.
import { MalformedPolicyError, parsePolicyDocument, type PolicyStatement } from "./iam-policy.js";

export interface AuthorizerOutput {
  readonly principalId: string;
  readonly statements: readonly PolicyStatement[];
  /** The policy document as returned, for TestInvokeAuthorizer. */
  readonly policyDocument: unknown;
  readonly context: Record<string, string>;
  readonly usageIdentifierKey?: string;
}

export class MalformedAuthorizerOutputError extends Error {}

export function parseAuthorizerOutput(payload: Buffer): AuthorizerOutput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString("utf8"));
  } catch {
    throw new MalformedAuthorizerOutputError("Authorizer output is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new MalformedAuthorizerOutputError("Authorizer output is not an object");
  const output = parsed as Record<string, unknown>;
  const principal = output["principalId"];
  if (typeof principal !== "string" && typeof principal !== "number") throw new MalformedAuthorizerOutputError("Invalid principalId");
  let statements: PolicyStatement[];
  try {
    statements = parsePolicyDocument(output["policyDocument"]);
  } catch (err) {
    if (err instanceof MalformedPolicyError) throw new MalformedAuthorizerOutputError(err.message);
    throw err;
  }
  const context: Record<string, string> = {};
  const rawContext = output["context"];
  if (rawContext !== undefined && rawContext !== null) {
    if (typeof rawContext !== "object" || Array.isArray(rawContext)) throw new MalformedAuthorizerOutputError("context is not an object");
    // Only strings, numbers and booleans are allowed; they reach the integration as strings (§5.3.3).
    for (const [key, value] of Object.entries(rawContext as Record<string, unknown>)) {
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        throw new MalformedAuthorizerOutputError(`context value of ${key} is not a string, number or boolean`);
      }
      context[key] = String(value);
    }
  }
  const key = output["usageIdentifierKey"];
  return {
    principalId: String(principal),
    statements,
    policyDocument: output["policyDocument"],
    context,
    ...(typeof key === "string" ? { usageIdentifierKey: key } : {}),
  };
}
