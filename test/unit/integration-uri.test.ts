import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { checkIntegrationUri, isHttpEndpoint, parseAwsIntegrationUri } from "../../src/domain/integration-uri.js";

describe("integration URIs", () => {
  test("HTTP endpoints are absolute http(s) URLs, stage variables allowed anywhere", () => {
    assert.ok(isHttpEndpoint("https://example.com/pets/{id}"));
    assert.ok(isHttpEndpoint("http://${stageVariables.host}:8080/x"));
    assert.ok(!isHttpEndpoint("example.com/x"));
    assert.ok(!isHttpEndpoint("ftp://example.com"));
  });

  test("AWS integration ARNs split into region, service, path/action and target", () => {
    const lambda = parseAwsIntegrationUri(
      "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations",
    );
    assert.deepEqual(lambda, {
      region: "us-east-1",
      service: "lambda",
      kind: "path",
      target: "2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations",
    });
    assert.equal(parseAwsIntegrationUri("arn:aws:apigateway:eu-west-1:bucket.s3:path/key")?.service, "s3");
    assert.equal(parseAwsIntegrationUri("arn:aws:lambda:us-east-1:0:function:f"), undefined);
  });

  test("each type gets AWS's message for a bad URI; MOCK takes anything", () => {
    assert.throws(() => checkIntegrationUri("HTTP", undefined), /Invalid HTTP endpoint specified for URI/);
    assert.throws(() => checkIntegrationUri("AWS", "https://example.com"), /Invalid ARN specified in the request/);
    assert.throws(() => checkIntegrationUri("AWS", "arn:aws:apigateway:us-east-1:sqs:SendMessage"), /must contain path or action/);
    assert.throws(() => checkIntegrationUri("AWS_PROXY", "arn:aws:apigateway:us-east-1:s3:path/b/k"), /only supports Lambda function and Firehose/);
    assert.doesNotThrow(() => checkIntegrationUri("AWS_PROXY", "arn:aws:apigateway:us-east-1:firehose:action/PutRecord"));
    assert.doesNotThrow(() => checkIntegrationUri("MOCK", undefined));
  });
});
