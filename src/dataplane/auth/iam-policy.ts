// Evaluation of the IAM policy a Lambda authorizer returns (data-plane.md §5.3.3, §4.1): `Action` and `Resource`
// are strings or lists with IAM wildcards (`*` any run of characters, `/` included; `?` one character), actions
// compare case-insensitively, resources case-sensitively. An explicit Deny wins over any Allow.

export type PolicyDecision = "allow" | "deny" | "implicit-deny";

export interface PolicyStatement {
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly RegExp[];
  readonly resources: readonly RegExp[];
}

export class MalformedPolicyError extends Error {}

/** An IAM wildcard pattern as a whole-string RegExp. */
export function wildcard(pattern: string, flags = ""): RegExp {
  let source = "";
  for (const ch of pattern) source += ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${source}$`, flags);
}

function stringList(value: unknown, what: string): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")) return value as string[];
  throw new MalformedPolicyError(`Invalid ${what} in policy statement`);
}

/** Validates the document's shape once (cached results are re-evaluated per method ARN, §5.3.4). */
export function parsePolicyDocument(document: unknown): PolicyStatement[] {
  if (typeof document !== "object" || document === null || Array.isArray(document)) throw new MalformedPolicyError("policyDocument is not an object");
  const raw = (document as Record<string, unknown>)["Statement"];
  const list: unknown[] = Array.isArray(raw) ? raw : raw !== undefined && raw !== null ? [raw] : [];
  if (list.length === 0) throw new MalformedPolicyError("policyDocument has no Statement");
  return list.map((entry): PolicyStatement => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw new MalformedPolicyError("Statement is not an object");
    const statement = entry as Record<string, unknown>;
    const effect = statement["Effect"];
    if (effect !== "Allow" && effect !== "Deny") throw new MalformedPolicyError("Statement Effect must be Allow or Deny");
    return {
      effect,
      actions: stringList(statement["Action"], "Action").map((a) => wildcard(a, "i")),
      resources: stringList(statement["Resource"], "Resource").map((r) => wildcard(r, "")),
    };
  });
}

export function evaluatePolicy(statements: readonly PolicyStatement[], methodArn: string): PolicyDecision {
  let allowed = false;
  for (const statement of statements) {
    if (!statement.actions.some((a) => a.test("execute-api:Invoke"))) continue;
    if (!statement.resources.some((r) => r.test(methodArn))) continue;
    if (statement.effect === "Deny") return "deny";
    allowed = true;
  }
  return allowed ? "allow" : "implicit-deny";
}
