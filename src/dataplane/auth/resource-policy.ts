// API resource policies (data-plane.md §4): the API's `policy` (part of the deployment snapshot) compiled once per
// deployment and evaluated per request against the method ARN of the actual path. IAM semantics: an explicit Deny
// wins, then an Allow, else an implicit deny. `execute-api:/…` resources expand to this API's ARN. Conditions:
// String*, IpAddress/NotIpAddress (CIDR, IPv4 and IPv6), Bool, Date* and Numeric*, each with `IfExists`; several
// values of one key are OR'ed (negated operators: none may match); keys and operators are AND'ed.
//
// How a decision applies depends on the method (§4.3): NONE and COGNITO methods need an explicit Allow; CUSTOM and
// AWS_IAM methods are refused only on an explicit Deny (checked before their authorizer or signature, the
// pre-auth pass — their own allow then stands for the policy's "neither").
import { BlockList, isIP } from "node:net";
import type { PhaseStep } from "../compiled-stage.js";
import type { Exchange } from "../exchange.js";
import { GatewayError } from "../gateway-error.js";
import { wildcard, type PolicyDecision } from "./iam-policy.js";
import { methodArnOf } from "./lambda-authorizer.js";

type ConditionTest = (ctx: RequestFacts) => boolean;

interface Statement {
  readonly effect: "Allow" | "Deny";
  readonly everyone: boolean;
  readonly actions: (action: string) => boolean;
  readonly resources: (arn: string) => boolean;
  readonly conditions: readonly ConditionTest[];
}

/** What conditions can ask about a request, by lower-case key; computed only when a condition asks. */
interface RequestFacts {
  get(key: string): string | undefined;
}

class ResourcePolicyError extends Error {}

const list = (value: unknown): string[] => (typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

export interface CompiledResourcePolicy {
  evaluate(ex: Exchange, region: string): PolicyDecision;
}

/** A PRIVATE API without a policy rejects every call (§2.4). */
export const DENY_ALL: CompiledResourcePolicy = { evaluate: () => "implicit-deny" };

/**
 * Compiles the stored policy; undefined when the API has none. A policy that cannot be read denies everything.
 * `sourceVpce`: for a PRIVATE API, the VPC endpoint its calls come through (TOLLGATE_VPC_ENDPOINT_ID); the
 * `aws:SourceVpce` key exists for private APIs only.
 */
export function compileResourcePolicy(
  policy: string | undefined,
  region: string,
  accountId: string,
  apiId: string,
  sourceVpce?: string,
): CompiledResourcePolicy | undefined {
  if (policy === undefined || policy.trim() === "") return undefined;
  let statements: Statement[];
  try {
    statements = parseStatements(JSON.parse(policy), `arn:aws:execute-api:${region}:${accountId}:${apiId}`);
  } catch {
    return DENY_ALL;
  }
  return {
    evaluate(ex, requestRegion) {
      const arn = methodArnOf(ex, requestRegion);
      const facts = requestFacts(ex, sourceVpce);
      let allowed = false;
      for (const s of statements) {
        if (!s.everyone || !s.actions("execute-api:Invoke") || !s.resources(arn)) continue;
        if (!s.conditions.every((c) => c(facts))) continue;
        if (s.effect === "Deny") return "deny";
        allowed = true;
      }
      return allowed ? "allow" : "implicit-deny";
    },
  };
}

function parseStatements(document: unknown, apiArn: string): Statement[] {
  if (typeof document !== "object" || document === null) throw new ResourcePolicyError("not an object");
  const raw = (document as Record<string, unknown>)["Statement"];
  const entries: unknown[] = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : [];
  return entries.map((entry) => {
    if (typeof entry !== "object" || entry === null) throw new ResourcePolicyError("bad statement");
    const s = entry as Record<string, unknown>;
    const effect = s["Effect"];
    if (effect !== "Allow" && effect !== "Deny") throw new ResourcePolicyError("bad effect");
    return {
      effect,
      everyone: principalIsEveryone(s["Principal"]),
      actions: matcher(s["Action"], s["NotAction"], (a) => wildcard(a, "i")),
      resources: matcher(s["Resource"], s["NotResource"], (r) => wildcard(r.startsWith("execute-api:") ? apiArn + r.slice("execute-api:".length) : r)),
      conditions: parseConditions(s["Condition"]),
    };
  });
}

/**
 * `"*"` and `{"AWS": "*"}` name every caller, the anonymous ones included. Specific principals need an IAM identity
 * the policy could be matched against; Tollgate's single identity is not modelled as one, so they match nobody.
 */
function principalIsEveryone(principal: unknown): boolean {
  if (principal === "*") return true;
  if (typeof principal === "object" && principal !== null) return list((principal as Record<string, unknown>)["AWS"]).includes("*");
  return false;
}

function matcher(positive: unknown, negative: unknown, compile: (pattern: string) => RegExp): (value: string) => boolean {
  if (positive !== undefined) {
    const patterns = list(positive).map(compile);
    return (value) => patterns.some((p) => p.test(value));
  }
  const excluded = list(negative).map(compile);
  return (value) => !excluded.some((p) => p.test(value));
}

function parseConditions(condition: unknown): ConditionTest[] {
  if (condition === undefined) return [];
  if (typeof condition !== "object" || condition === null) throw new ResourcePolicyError("bad condition");
  const tests: ConditionTest[] = [];
  for (const [rawOperator, block] of Object.entries(condition as Record<string, unknown>)) {
    const ifExists = rawOperator.endsWith("IfExists");
    const operator = ifExists ? rawOperator.slice(0, -"IfExists".length) : rawOperator;
    const compare = OPERATORS[operator];
    if (!compare) throw new ResourcePolicyError(`unsupported condition operator ${rawOperator}`);
    if (typeof block !== "object" || block === null) throw new ResourcePolicyError("bad condition block");
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      const expected = list(values).concat(Array.isArray(values) ? [] : typeof values === "boolean" || typeof values === "number" ? [String(values)] : []);
      const negated = compare.negated;
      const test = compare.build(expected);
      const lowerKey = key.toLowerCase();
      tests.push((facts) => {
        const actual = facts.get(lowerKey);
        // A key the request does not have: IfExists passes, a negated operator passes, any other fails (IAM rules).
        if (actual === undefined) return ifExists || negated;
        return test(actual);
      });
    }
  }
  return tests;
}

interface Operator {
  readonly negated: boolean;
  build(expected: readonly string[]): (actual: string) => boolean;
}

/** An operator over a key's values: a match of any value (none, when negated), each value prepared once. */
const matchAny = (prepare: (expected: string) => (actual: string) => boolean, negated = false): Operator => ({
  negated,
  build(expected) {
    const tests = expected.map(prepare);
    return (actual) => (negated ? !tests.some((t) => t(actual)) : tests.some((t) => t(actual)));
  },
});
const date = (v: string): number => (/^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v));
const cidrs = (negated: boolean): Operator => ({
  negated,
  build(expected) {
    const blocks = new BlockList();
    for (const cidr of expected) {
      const [address = "", bits] = cidr.split("/");
      const family = isIP(address) === 6 ? "ipv6" : "ipv4";
      if (isIP(address) === 0) continue;
      blocks.addSubnet(address, bits === undefined ? (family === "ipv6" ? 128 : 32) : Number(bits), family);
    }
    return (actual) => {
      const family = isIP(actual);
      const inside = family !== 0 && blocks.check(actual, family === 6 ? "ipv6" : "ipv4");
      return negated ? !inside : inside;
    };
  },
});

const equals = (e: string) => (a: string) => a === e;
const equalsIgnoringCase = (e: string) => {
  const expected = e.toLowerCase();
  return (a: string) => a.toLowerCase() === expected;
};
const like = (e: string) => {
  const pattern = wildcard(e);
  return (a: string) => pattern.test(a);
};
const dates = (compare: (a: number, e: number) => boolean) => (e: string) => {
  const expected = date(e);
  return (a: string) => compare(date(a), expected);
};
const numbers = (compare: (a: number, e: number) => boolean) => (e: string) => {
  const expected = Number(e);
  return (a: string) => compare(Number(a), expected);
};

const OPERATORS: Readonly<Record<string, Operator>> = {
  StringEquals: matchAny(equals),
  StringNotEquals: matchAny(equals, true),
  StringEqualsIgnoreCase: matchAny(equalsIgnoringCase),
  StringNotEqualsIgnoreCase: matchAny(equalsIgnoringCase, true),
  StringLike: matchAny(like),
  StringNotLike: matchAny(like, true),
  IpAddress: cidrs(false),
  NotIpAddress: cidrs(true),
  Bool: matchAny(equalsIgnoringCase),
  DateEquals: matchAny(dates((a, e) => a === e)),
  DateNotEquals: matchAny(dates((a, e) => a === e), true),
  DateLessThan: matchAny(dates((a, e) => a < e)),
  DateLessThanEquals: matchAny(dates((a, e) => a <= e)),
  DateGreaterThan: matchAny(dates((a, e) => a > e)),
  DateGreaterThanEquals: matchAny(dates((a, e) => a >= e)),
  NumericEquals: matchAny(numbers((a, e) => a === e)),
  NumericNotEquals: matchAny(numbers((a, e) => a === e), true),
  NumericLessThan: matchAny(numbers((a, e) => a < e)),
  NumericLessThanEquals: matchAny(numbers((a, e) => a <= e)),
  NumericGreaterThan: matchAny(numbers((a, e) => a > e)),
  NumericGreaterThanEquals: matchAny(numbers((a, e) => a >= e)),
};

/** The condition keys a request has (§4.2): aws:SourceVpce only for PRIVATE APIs, no principal keys pre-auth. */
function requestFacts(ex: Exchange, sourceVpce: string | undefined): RequestFacts {
  return {
    get(key) {
      switch (key) {
        case "aws:sourceip":
          return ex.request.sourceIp;
        case "aws:securetransport":
          return "true";
        case "aws:currenttime":
          return new Date().toISOString();
        case "aws:epochtime":
          return String(Math.floor(Date.now() / 1000));
        case "aws:useragent":
          return ex.request.header("user-agent");
        case "aws:referer":
          return ex.request.header("referer");
        case "aws:sourcevpce":
          return sourceVpce;
        default:
          return undefined;
      }
    },
  };
}

/** `arn:…:********9012:…`: AWS masks all but the last four digits of the account in its denial text. */
const maskAccount = (arn: string): string => arn.replace(/^(arn:aws:execute-api:[^:]*:)(\d{8})(\d{4}):/, "$1********$3:");

/** The policy check of one method: `needsAllow` for NONE/COGNITO methods, explicit denies only for the others. */
export function resourcePolicyStep(policy: CompiledResourcePolicy, region: string, needsAllow: boolean): PhaseStep {
  return (ex) => {
    const decision = policy.evaluate(ex, region);
    if (decision === "allow" || (decision === "implicit-deny" && !needsAllow)) return;
    const arn = maskAccount(methodArnOf(ex, region));
    const explicit = decision === "deny" ? " with an explicit deny" : "";
    throw new GatewayError("ACCESS_DENIED", {
      message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arn}${explicit}`,
      log: `The resource policy ${decision === "deny" ? "denies" : "does not allow"} ${methodArnOf(ex, region)}`,
    });
  };
}
