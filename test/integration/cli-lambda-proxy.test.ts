// The "done when": a function created with the AWS CLI from a zip file, put behind an API with an
// AWS_PROXY integration and a TOKEN authorizer — all with the CLI — answers over HTTPS.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACCOUNT, REGION, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { awsCliJson } from "../helpers/aws-cli.js";
import { dataRequest, userPath } from "../helpers/dataplane.js";
import { zipOf } from "../helpers/lambda-fixtures.js";


const HANDLER_JS = `exports.handler = async (event) => ({
  statusCode: 200,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ hello: event.pathParameters.name, principal: event.requestContext.authorizer.principalId }),
});
`;
const AUTHORIZER_JS = `exports.handler = async (event) => {
  if (event.authorizationToken !== "let-me-in") throw new Error("Unauthorized");
  return { principalId: "cli-user", policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }] } };
};
`;

describe("AWS CLI: a Lambda function behind API Gateway over HTTPS", () => {
  let t: TestGateway;
  const dir = mkdtempSync(join(tmpdir(), "tollgate-cli-lambda-proxy-"));

  before(async () => {
    writeFileSync(join(dir, "fn.zip"), zipOf({ "index.js": HANDLER_JS }));
    writeFileSync(join(dir, "auth.zip"), zipOf({ "index.js": AUTHORIZER_JS }));
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const aws = (...args: string[]): Promise<Record<string, unknown>> => awsCliJson(t.endpoint, args);

  test("create-function, create the API with AWS_PROXY and a TOKEN authorizer, deploy, call over HTTPS", async () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/lambda-role`;
    const fn = await aws("lambda", "create-function", "--function-name", "greeter", "--runtime", "nodejs20.x", "--handler", "index.handler",
      "--role", role, "--zip-file", `fileb://${join(dir, "fn.zip")}`);
    const auth = await aws("lambda", "create-function", "--function-name", "gatekeeper", "--runtime", "nodejs20.x", "--handler", "index.handler",
      "--role", role, "--zip-file", `fileb://${join(dir, "auth.zip")}`);
    const fnArn = fn["FunctionArn"] as string;
    const uri = (arn: string) => `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`;

    const api = await aws("apigateway", "create-rest-api", "--name", "cli-lambda");
    const apiId = api["id"] as string;
    // The invoke permission is stored, not enforced (see the report): AWS users add it anyway.
    await aws("lambda", "add-permission", "--function-name", "greeter", "--statement-id", "apigw", "--action", "lambda:InvokeFunction",
      "--principal", "apigateway.amazonaws.com", "--source-arn", `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/*/GET/hello/*`);
    const authorizer = await aws("apigateway", "create-authorizer", "--rest-api-id", apiId, "--name", "gate", "--type", "TOKEN",
      "--authorizer-uri", uri(auth["FunctionArn"] as string), "--identity-source", "method.request.header.Authorization");
    const hello = await aws("apigateway", "create-resource", "--rest-api-id", apiId, "--parent-id", api["rootResourceId"] as string, "--path-part", "hello");
    const name = await aws("apigateway", "create-resource", "--rest-api-id", apiId, "--parent-id", hello["id"] as string, "--path-part", "{name}");
    const resourceId = name["id"] as string;
    await aws("apigateway", "put-method", "--rest-api-id", apiId, "--resource-id", resourceId, "--http-method", "GET",
      "--authorization-type", "CUSTOM", "--authorizer-id", authorizer["id"] as string);
    await aws("apigateway", "put-integration", "--rest-api-id", apiId, "--resource-id", resourceId, "--http-method", "GET",
      "--type", "AWS_PROXY", "--integration-http-method", "POST", "--uri", uri(fnArn));
    await aws("apigateway", "create-deployment", "--rest-api-id", apiId, "--stage-name", "prod");
    await t.gw.dataPlane.registry.settled();

    const ok = await dataRequest(t, userPath(apiId, "prod", "/hello/world"), { headers: { Authorization: "let-me-in" } });
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { hello: "world", principal: "cli-user" });
    const denied = await dataRequest(t, userPath(apiId, "prod", "/hello/world"), { headers: { Authorization: "wrong" } });
    assert.equal(denied.status, 401);
    assert.equal(denied.body, '{"message":"Unauthorized"}');

    const tested = await aws("apigateway", "test-invoke-authorizer", "--rest-api-id", apiId, "--authorizer-id", authorizer["id"] as string,
      "--headers", "Authorization=let-me-in");
    assert.equal(tested["clientStatus"], 200);
    assert.equal(tested["principalId"], "cli-user");
  });
});
