// AWS (custom) integrations with Lambda (data-plane.md §10.3, §10.8; lambda-contract.md §2.1): the request
// template builds the payload (passthrough without one), integration responses select on the function's
// errorMessage, response templates shape the answer, and a mapped X-Amz-Invocation-Type 'Event' runs the
// function asynchronously.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { dataRequest, deployApi, userPath } from "../helpers/dataplane.js";
import { createFunction, invocationUri } from "../helpers/lambda-dataplane.js";

const CUSTOM_JS = `
const fs = require("node:fs");
exports.handler = async (event) => {
  if (event.action === "fail") throw new Error(event.message);
  if (event.action === "record") { await new Promise((r) => setTimeout(r, 1500)); fs.writeFileSync(event.file, event.tag); return "recorded"; }
  return { received: event };
};
`;

describe("Lambda custom integration (AWS)", () => {
  let t: TestGateway;
  let apiId: string;

  before(async () => {
    t = await startTestGateway();
    const arn = await createFunction(t, "custom-fn", { "index.js": CUSTOM_JS });
    const aws = (extra: Record<string, unknown> = {}) => ({ type: "AWS" as const, integrationHttpMethod: "POST", uri: invocationUri(arn), ...extra });
    const errorResponses = [
      { statusCode: "200", selectionPattern: "" },
      { statusCode: "405", selectionPattern: ".*four hundred.*" },
      { statusCode: "502", selectionPattern: "(\\n|.)+" },
    ];
    const deployed = await deployApi(
      t,
      [
        {
          path: "/mapped/{id}",
          httpMethod: "GET",
          requestParameters: { "method.request.path.id": true },
          integration: aws({
            requestTemplates: { "application/json": '{"id": "$input.params(\'id\')", "q": "$input.params(\'q\')", "stage": "$context.stage", "color": "$stageVariables.color"}' },
          }),
          responses: [{ statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"shaped": $input.json(\'$.received\')}' } }],
        },
        { path: "/passthrough", httpMethod: "POST", integration: aws(), responses: [{ statusCode: "200", selectionPattern: "" }] },
        {
          path: "/errors",
          httpMethod: "POST",
          integration: aws(),
          responses: errorResponses,
        },
        {
          path: "/error-template",
          httpMethod: "POST",
          integration: aws(),
          responses: [
            { statusCode: "200", selectionPattern: "" },
            { statusCode: "400", selectionPattern: "Bad.*", responseTemplates: { "application/json": '{"error": "$input.path(\'$.errorMessage\')"}' } },
          ],
        },
        {
          path: "/async",
          httpMethod: "POST",
          integration: aws({ requestParameters: { "integration.request.header.X-Amz-Invocation-Type": "'Event'" } }),
          responses: [{ statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"accepted": true}' } }],
        },
        { path: "/dynamo", httpMethod: "POST", integration: { type: "AWS", integrationHttpMethod: "POST", uri: "arn:aws:apigateway:us-east-1:dynamodb:action/PutItem" } },
      ],
      { variables: { color: "green" } },
    );
    apiId = deployed.apiId;
  });
  after(async () => {
    await t.close();
  });

  const call = (path: string, init: Parameters<typeof dataRequest>[2] = {}) => dataRequest(t, userPath(apiId, "test", path), init);
  const post = (path: string, body: unknown) => call(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

  test("the request template builds the payload and the response template shapes the answer", async () => {
    const res = await call("/mapped/42?q=hello");
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { shaped: { id: "42", q: "hello", stage: "test", color: "green" } });
    assert.equal(res.headers["content-type"], "application/json");
    assert.match(String(res.headers["x-amzn-trace-id"]), /^Root=/);
    assert.equal(res.headers["x-amz-executed-version"], undefined, "Lambda's headers are not mapped unless asked");
  });

  test("without a template the body passes through and the function's result is the response", async () => {
    const res = await post("/passthrough", { a: [1, 2], b: "x" });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { received: { a: [1, 2], b: "x" } });
  });

  test("success takes the default response even when a pattern would match the empty string", async () => {
    const res = await post("/errors", { action: "ok" });
    assert.equal(res.status, 200);
  });

  test("a function error selects the integration response whose pattern matches its errorMessage", async () => {
    const res = await post("/errors", { action: "fail", message: "Error: Raising four hundred from within the Lambda function" });
    assert.equal(res.status, 405);
    const payload = JSON.parse(res.body) as Record<string, unknown>;
    assert.equal(payload["errorMessage"], "Error: Raising four hundred from within the Lambda function", "the raw error payload without a template");
    assert.equal(payload["errorType"], "Error");
  });

  test("patterns are matched against the whole errorMessage, multi-line messages included", async () => {
    const res = await post("/errors", { action: "fail", message: "line one\nline two" });
    assert.equal(res.status, 502);
  });

  test("a selected error response renders its template from the error payload", async () => {
    const res = await post("/error-template", { action: "fail", message: "Bad input: id" });
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body), { error: "Bad input: id" });
    const unmatched = await post("/error-template", { action: "fail", message: "other" });
    assert.equal(unmatched.status, 200, "an unmatched error falls back to the default response");
  });

  test("a mapped X-Amz-Invocation-Type 'Event' invokes asynchronously and answers at once", async () => {
    const started = Date.now();
    const file = join(t.dataDir, "async-marker.txt");
    const res = await post("/async", { action: "record", tag: "async-1", file });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { accepted: true });
    assert.ok(Date.now() - started < 1000, "the client does not wait for the function");
    assert.equal(existsSync(file), false);
    for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(readFileSync(file, "utf8"), "async-1", "the function ran afterwards");
  });

  test("AWS service integrations other than Lambda answer a configuration error", async () => {
    const res = await post("/dynamo", {});
    assert.equal(res.status, 500);
    assert.equal(res.body, '{"message": "Internal server error"}');
  });
});
