import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AuthorizerCache } from "../../src/dataplane/auth/authorizer-cache.js";
import { MalformedAuthorizerOutputError, parseAuthorizerOutput } from "../../src/dataplane/auth/authorizer-output.js";
import { evaluatePolicy, parsePolicyDocument } from "../../src/dataplane/auth/iam-policy.js";
import { lambdaFunctionOf } from "../../src/dataplane/lambda/lambda-uri.js";

const ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets/42";
const statement = (Effect: string, Resource: unknown, Action: unknown = "execute-api:Invoke") => ({ Effect, Action, Resource });
const decide = (...statements: object[]) => evaluatePolicy(parsePolicyDocument({ Version: "2012-10-17", Statement: statements }), ARN);

describe("Lambda authorizer policies", () => {
  test("`*` matches across slashes and `?` one character", () => {
    assert.equal(decide(statement("Allow", "arn:aws:execute-api:us-east-1:123456789012:abc123/*")), "allow");
    assert.equal(decide(statement("Allow", "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets/4?")), "allow");
    assert.equal(decide(statement("Allow", "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets")), "implicit-deny");
    assert.equal(decide(statement("Allow", "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/*")), "implicit-deny");
  });

  test("resources compare case-sensitively, actions case-insensitively", () => {
    assert.equal(decide(statement("Allow", ARN.replace("pets", "PETS"))), "implicit-deny");
    assert.equal(decide(statement("Allow", ARN, "EXECUTE-API:invoke")), "allow");
    assert.equal(decide(statement("Allow", ARN, ["s3:GetObject", "execute-api:*"])), "allow");
    assert.equal(decide(statement("Allow", ARN, "*")), "allow");
    assert.equal(decide(statement("Allow", ARN, "s3:*")), "implicit-deny");
  });

  test("an explicit Deny wins over any Allow, in either order", () => {
    assert.equal(decide(statement("Deny", "*"), statement("Allow", "*")), "deny");
    assert.equal(decide(statement("Allow", "*"), statement("Deny", ARN)), "deny");
    assert.equal(decide(statement("Allow", "*"), statement("Deny", "arn:other")), "allow");
  });

  test("malformed documents are refused", () => {
    for (const doc of [null, [], {}, { Statement: [] }, { Statement: [statement("Maybe", "*")] }, { Statement: [statement("Allow", 3)] }, { Statement: [{ Effect: "Allow", Resource: "*" }] }]) {
      assert.throws(() => parsePolicyDocument(doc));
    }
  });
});

describe("Lambda authorizer output", () => {
  const policy = { Statement: [statement("Allow", "*")] };
  test("context values are stringified; principalId may be a number", () => {
    const output = parseAuthorizerOutput(Buffer.from(JSON.stringify({ principalId: 7, policyDocument: policy, context: { s: "v", n: 1.5, b: false }, usageIdentifierKey: "k" })));
    assert.equal(output.principalId, "7");
    assert.deepEqual(output.context, { s: "v", n: "1.5", b: "false" });
    assert.equal(output.usageIdentifierKey, "k");
  });

  test("object, array and null context values, a missing principal and non-objects are malformed", () => {
    for (const body of [
      { principalId: "p", policyDocument: policy, context: { o: {} } },
      { principalId: "p", policyDocument: policy, context: { a: [] } },
      { principalId: "p", policyDocument: policy, context: { z: null } },
      { policyDocument: policy },
      "text",
    ]) {
      assert.throws(() => parseAuthorizerOutput(Buffer.from(JSON.stringify(body))), MalformedAuthorizerOutputError);
    }
    assert.throws(() => parseAuthorizerOutput(Buffer.from("{not json")), MalformedAuthorizerOutputError);
  });
});

describe("authorizer cache", () => {
  const output = parseAuthorizerOutput(Buffer.from(JSON.stringify({ principalId: "p", policyDocument: { Statement: [statement("Allow", "*")] } })));
  test("entries expire after their TTL and a flush empties one stage only", () => {
    const cache = new AuthorizerCache();
    const a = AuthorizerCache.key("api", "prod", 0, "auth", ["tok"]);
    const b = AuthorizerCache.key("api", "dev", 0, "auth", ["tok"]);
    cache.set(a, output, 10, 1_000);
    cache.set(b, output, 10, 1_000);
    assert.equal(cache.get(a, 10_999), output);
    assert.equal(cache.get(a, 11_000), undefined);
    cache.set(a, output, 10, 1_000);
    cache.flush("api", "prod");
    assert.equal(cache.get(a, 2_000), undefined);
    assert.equal(cache.get(b, 2_000), output);
  });

  test("the identity values are part of the key, joined so that they cannot run together", () => {
    assert.notEqual(AuthorizerCache.key("api", "s", 0, "a", ["ab", "c"]), AuthorizerCache.key("api", "s", 0, "a", ["a", "bc"]));
  });
});

describe("Lambda integration URIs", () => {
  test("the function ARN is taken from the URI, with stage variables substituted", () => {
    const uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}:${stageVariables.alias}/invocations";
    assert.equal(lambdaFunctionOf(uri, { fn: "orders", alias: "live" }), "arn:aws:lambda:us-east-1:123456789012:function:orders:live");
    assert.equal(lambdaFunctionOf("arn:aws:apigateway:us-east-1:dynamodb:action/PutItem", {}), undefined);
    assert.equal(lambdaFunctionOf(undefined, {}), undefined);
  });
});
