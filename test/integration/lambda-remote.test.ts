// Remote functions (TOLLGATE_LAMBDA_ENDPOINT): a second Tollgate acts as the Lambda endpoint. The two FunctionHost
// strategies (local child processes, SigV4-signed remote Invoke) pass one contract suite; then a gateway whose
// API names a function it does not host invokes it remotely, while its own functions still run locally.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pino from "pino";
import { ApiError, ERRORS } from "../../src/errors/api-error.js";
import type { FunctionHost } from "../../src/lambda/function-host.js";
import { LocalFunctionHost } from "../../src/lambda/local-function-host.js";
import { RemoteFunctionHost } from "../../src/lambda/remote-function-host.js";
import { REGION, TEST_CREDENTIALS, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { dataRequest, deployApi, userPath } from "../helpers/dataplane.js";
import { createFunction, functionArn, invocationUri } from "../helpers/lambda-dataplane.js";

const WHERE_JS = (where: string) => `
exports.handler = async (event) => {
  if (event.fail) throw new Error("failed " + "${where}");
  if (event.httpMethod) return { statusCode: 200, body: JSON.stringify({ where: "${where}", path: event.path }) };
  console.log("hello from ${where}");
  return { where: "${where}", echo: event };
};
`;

describe("remote Lambda functions", () => {
  let remote: TestGateway;
  let gateway: TestGateway;

  before(async () => {
    remote = await startTestGateway();
    await createFunction(remote, "far-fn", { "index.js": WHERE_JS("remote") });
    gateway = await startTestGateway({
      TOLLGATE_LAMBDA_ENDPOINT: remote.endpoint,
      TOLLGATE_LAMBDA_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      TOLLGATE_LAMBDA_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    });
    await createFunction(gateway, "near-fn", { "index.js": WHERE_JS("local") });
  });
  after(async () => {
    await gateway?.close();
    await remote?.close();
  });

  // One contract, both strategies (STYLE.md: strategies behind one interface, one shared contract suite).
  const strategies: [string, () => FunctionHost][] = [
    ["the local host", () => new LocalFunctionHost({ config: remote.gw.config, store: remote.gw.store, logger: pino({ level: "silent" }) })],
    ["the remote host", () => new RemoteFunctionHost({ endpoint: remote.endpoint, credentials: TEST_CREDENTIALS, region: REGION })],
  ];
  for (const [name, make] of strategies) {
    describe(`FunctionHost contract: ${name}`, () => {
      let host: FunctionHost;
      before(() => {
        host = make();
      });
      after(async () => {
        await host.close();
      });

      test("a synchronous invocation returns the result, the version and a request id", async () => {
        const result = await host.invoke(functionArn("far-fn"), Buffer.from('{"a":1}'), { invocationType: "RequestResponse" });
        assert.equal(result.statusCode, 200);
        assert.deepEqual(JSON.parse(result.payload.toString()), { where: "remote", echo: { a: 1 } });
        assert.equal(result.functionError, undefined);
        assert.equal(result.executedVersion, "$LATEST");
        assert.match(result.requestId, /^[0-9a-f-]{36}$/);
      });

      test("a function error is a result with functionError and the error payload", async () => {
        const result = await host.invoke("far-fn", Buffer.from('{"fail":true}'), { invocationType: "RequestResponse" });
        assert.equal(result.statusCode, 200);
        assert.equal(result.functionError, "Unhandled");
        assert.equal((JSON.parse(result.payload.toString()) as { errorMessage: string }).errorMessage, "failed remote");
      });

      test("Event answers 202 with an empty payload, DryRun 204", async () => {
        assert.equal((await host.invoke("far-fn", Buffer.from("{}"), { invocationType: "Event" })).statusCode, 202);
        const dry = await host.invoke("far-fn", Buffer.from("{}"), { invocationType: "DryRun" });
        assert.equal(dry.statusCode, 204);
        assert.equal(dry.payload.length, 0);
      });

      test("logType Tail returns the log tail", async () => {
        const result = await host.invoke("far-fn", Buffer.from("{}"), { invocationType: "RequestResponse", logType: "Tail" });
        assert.match(Buffer.from(result.logResult ?? "", "base64").toString(), /hello from remote/);
      });

      test("an unknown function is ResourceNotFound with Lambda's message", async () => {
        await assert.rejects(host.invoke(functionArn("nowhere-fn"), Buffer.from("{}"), { invocationType: "RequestResponse" }), (err: unknown) => {
          assert.ok(err instanceof ApiError);
          assert.equal(err.kind.type, ERRORS.ResourceNotFound.type);
          assert.equal(err.message, `Function not found: ${functionArn("nowhere-fn")}`);
          return true;
        });
      });

      test("a payload that is not JSON is InvalidRequestContent", async () => {
        await assert.rejects(host.invoke("far-fn", Buffer.from("{oops"), { invocationType: "RequestResponse" }), (err: unknown) => {
          assert.ok(err instanceof ApiError);
          assert.equal(err.kind.type, "InvalidRequestContentException");
          return true;
        });
      });
    });
  }

  test("a remote endpoint with wrong credentials is refused by it", async () => {
    const host = new RemoteFunctionHost({ endpoint: remote.endpoint, credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: "wrong" }, region: REGION });
    await assert.rejects(host.invoke("far-fn", Buffer.from("{}"), { invocationType: "RequestResponse" }), (err: unknown) => err instanceof ApiError && err.kind.status === 403);
  });

  describe("through API Gateway", () => {
    let apiId: string;
    before(async () => {
      const proxy = (name: string) => ({ type: "AWS_PROXY" as const, integrationHttpMethod: "POST", uri: invocationUri(functionArn(name)) });
      apiId = (
        await deployApi(gateway, [
          { path: "/far", httpMethod: "GET", integration: proxy("far-fn") },
          { path: "/near", httpMethod: "GET", integration: proxy("near-fn") },
          { path: "/nowhere", httpMethod: "GET", integration: proxy("nowhere-fn") },
        ])
      ).apiId;
    });

    test("a function the gateway does not host runs on the remote endpoint", async () => {
      const res = await dataRequest(gateway, userPath(apiId, "test", "/far"));
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), { where: "remote", path: "/far" });
    });

    test("the gateway's own functions still run locally", async () => {
      const res = await dataRequest(gateway, userPath(apiId, "test", "/near"));
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), { where: "local", path: "/near" });
    });

    test("a function found nowhere is 500", async () => {
      const res = await dataRequest(gateway, userPath(apiId, "test", "/nowhere"));
      assert.equal(res.status, 500);
      assert.equal(res.body, '{"message": "Internal server error"}');
    });
  });
});
