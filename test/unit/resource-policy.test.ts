import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { CompiledStage } from "../../src/dataplane/compiled-stage.js";
import { compileResourcePolicy } from "../../src/dataplane/auth/resource-policy.js";
import { fakeExchange } from "../helpers/fake-exchange.js";

const REGION = "us-east-1";
const exchange = (path = "/pets/1", headers: Record<string, string> = {}) => {
  const ex = fakeExchange("GET", headers);
  ex.stage = { accountId: "123456789012", apiId: "a1b2c3d4e5", stageName: "prod" } as unknown as CompiledStage;
  ex.target = { apiId: "a1b2c3d4e5", stageName: "prod", resourcePath: path, contextPath: `/prod${path}` };
  return ex;
};
const decide = (statements: object[], ex = exchange()) =>
  compileResourcePolicy(JSON.stringify({ Version: "2012-10-17", Statement: statements }), REGION, "123456789012", "a1b2c3d4e5")!.evaluate(ex, REGION);
const allow = { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" };

describe("resource policy evaluation", () => {
  test("resources: the execute-api shorthand, full ARNs with wildcards, NotResource; actions case-insensitively", () => {
    assert.equal(decide([allow]), "allow");
    assert.equal(decide([{ ...allow, Resource: "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/pets/*" }]), "allow");
    assert.equal(decide([{ ...allow, Resource: "execute-api:/prod/POST/*" }]), "implicit-deny");
    assert.equal(decide([{ Effect: "Allow", Principal: "*", Action: "EXECUTE-API:*", NotResource: "execute-api:/prod/GET/admin" }]), "allow");
    assert.equal(decide([{ ...allow, Principal: { AWS: "arn:aws:iam::123456789012:user/alice" } }]), "implicit-deny", "a named principal is nobody here");
    assert.equal(decide([{ ...allow, Principal: { AWS: ["*"] } }]), "allow");
  });

  test("a condition key the request lacks: negated operators and IfExists pass, others fail", () => {
    // The private-API pattern: deny unless from one VPC endpoint; no request here comes from one.
    const denyOutsideVpce = { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } };
    assert.equal(decide([allow, denyOutsideVpce]), "deny");
    assert.equal(decide([{ ...allow, Condition: { StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } }]), "implicit-deny");
    assert.equal(decide([{ ...allow, Condition: { StringEqualsIfExists: { "aws:SourceVpce": "vpce-1a2b3c4d" } } }]), "allow");
  });

  test("several values are OR'ed, several keys AND'ed; dates, booleans and CIDRs", () => {
    const ex = exchange("/pets/1", { "user-agent": "curl/8.0", referer: "https://app.example.com/x" });
    assert.equal(decide([{ ...allow, Condition: { StringLike: { "aws:UserAgent": ["wget*", "curl/*"] } } }], ex), "allow");
    assert.equal(decide([{ ...allow, Condition: { StringLike: { "aws:UserAgent": "curl/*", "aws:Referer": "https://other/*" } } }], ex), "implicit-deny");
    assert.equal(decide([{ ...allow, Condition: { Bool: { "aws:SecureTransport": true } } }], ex), "allow");
    assert.equal(decide([{ ...allow, Condition: { DateLessThan: { "aws:CurrentTime": "2000-01-01T00:00:00Z" } } }], ex), "implicit-deny");
    assert.equal(decide([{ ...allow, Condition: { DateGreaterThan: { "aws:CurrentTime": "2000-01-01T00:00:00Z" } } }], ex), "allow");
    assert.equal(decide([{ ...allow, Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } }], ex), "allow");
    assert.equal(decide([{ ...allow, Condition: { NotIpAddress: { "aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8"] } } }], ex), "implicit-deny");
  });

  test("a policy that cannot be read denies everything rather than nothing", () => {
    const policy = compileResourcePolicy("{not json", REGION, "123456789012", "a1b2c3d4e5")!;
    assert.equal(policy.evaluate(exchange(), REGION), "implicit-deny");
    assert.equal(compileResourcePolicy(undefined, REGION, "123456789012", "a1b2c3d4e5"), undefined);
  });
});
