// Stage access logs (observability.md §2): accessLogSettings set with the SDK, requests over HTTPS, the lines read
// back from the log group's file under the data dir.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as AG from "@aws-sdk/client-api-gateway";
import { dataRequest, deployApi, userPath } from "../helpers/dataplane.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const GROUP = "/aws/apigateway/tollgate-test";
const JSON_FORMAT =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","caller":"$context.identity.caller","method":"$context.httpMethod","resource":"$context.resourcePath","status":"$context.status","len":"$context.responseLength","errorType":"$context.error.responseType","integrationLatency":"$context.integrationLatency"}';

describe("stage access logs", () => {
  let t: TestGateway;
  let apiId: string;
  let stage: string;
  const file = (): string => join(t.dataDir, "logs", "aws", "apigateway", "tollgate-test.log");
  async function lines(count: number): Promise<string[]> {
    for (let i = 0; i < 100; i++) {
      const text = existsSync(file()) ? readFileSync(file(), "utf8") : "";
      const all = text.split("\n").filter(Boolean);
      if (all.length >= count) return all;
      await new Promise((r) => setTimeout(r, 30));
    }
    throw new Error(`fewer than ${count} lines in ${file()}`);
  }

  before(async () => {
    t = await startTestGateway();
    ({ apiId, stage } = await deployApi(t, [
      {
        path: "/pets",
        httpMethod: "GET",
        integration: { type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } },
        responses: [{ statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"pets":[]}' } }],
      },
    ]));
    await t.ag.send(
      new AG.UpdateStageCommand({
        restApiId: apiId,
        stageName: stage,
        patchOperations: [
          { op: "replace", path: "/accessLogSettings/destinationArn", value: `arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}` },
          { op: "replace", path: "/accessLogSettings/format", value: JSON_FORMAT },
        ],
      }),
    );
    await t.gw.dataPlane.registry.settled();
  });
  after(async () => {
    await t.close();
  });

  test("one line per request in the stage's format, in the log group's file; missing values are '-'", async () => {
    const ok = await dataRequest(t, userPath(apiId, stage, "/pets"));
    const missing = await dataRequest(t, userPath(apiId, stage, "/nothing-here"));
    const [first, second] = (await lines(2)).map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(first, {
      requestId: ok.headers["x-amzn-requestid"],
      ip: "127.0.0.1",
      caller: "-",
      method: "GET",
      resource: "/pets",
      status: "200",
      len: "11",
      errorType: "-",
      // A MOCK integration answers in no time, as the gateway's own access log records it too.
      integrationLatency: "0",
    });
    assert.equal(second!["requestId"], missing.headers["x-amzn-requestid"]);
    assert.equal(second!["status"], "403");
    assert.equal(second!["errorType"], "MISSING_AUTHENTICATION_TOKEN");
    assert.equal(second!["resource"], "-");
  });

  test("the CLF preset renders as AWS shows it; removing the settings stops the lines", async () => {
    const clf =
      '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId $context.extendedRequestId';
    await t.ag.send(new AG.UpdateStageCommand({ restApiId: apiId, stageName: stage, patchOperations: [{ op: "replace", path: "/accessLogSettings/format", value: clf }] }));
    await t.gw.dataPlane.registry.settled();
    const before = (await lines(2)).length;
    const res = await dataRequest(t, userPath(apiId, stage, "/pets"));
    const line = (await lines(before + 1)).at(-1)!;
    assert.match(line, /^127\.0\.0\.1 - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET \/pets HTTP\/1\.1" 200 11 [0-9a-f-]{36} \S+$/);
    assert.ok(line.includes(String(res.headers["x-amzn-requestid"])));
    await t.ag.send(new AG.UpdateStageCommand({ restApiId: apiId, stageName: stage, patchOperations: [{ op: "remove", path: "/accessLogSettings" }] }));
    await t.gw.dataPlane.registry.settled();
    await dataRequest(t, userPath(apiId, stage, "/pets"));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await lines(before + 1)).length, before + 1);
  });
});
