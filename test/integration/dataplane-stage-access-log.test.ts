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

/** The file's lines once `done` holds of them, or as they are after `tries` looks 30 ms apart. */
async function pollLines(path: string, done: (lines: string[]) => boolean, tries: number): Promise<string[]> {
  const read = (): string[] => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);
  for (let i = 0; i < tries; i++) {
    const found = read();
    if (done(found)) return found;
    await new Promise((r) => setTimeout(r, 30));
  }
  return read();
}

describe("stage access logs", () => {
  let t: TestGateway;
  let apiId: string;
  let stage: string;
  const file = (): string => join(t.dataDir, "logs", "aws", "apigateway", "tollgate-test.log");
  async function lines(count: number): Promise<string[]> {
    const all = await pollLines(file(), (found) => found.length >= count, 100);
    if (all.length < count) throw new Error(`fewer than ${count} lines in ${file()}`);
    return all;
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

describe("stage execution logs", () => {
  let t: TestGateway;
  let apiId: string;
  let stage: string;
  const file = (): string => join(t.dataDir, "logs", `API-Gateway-Execution-Logs_${apiId}`, `${stage}.log`);
  async function linesFor(requestId: string, present = true): Promise<string[]> {
    const complete = (mine: string[]): boolean => present && mine.some((l) => l.includes("Method completed with status"));
    const all = await pollLines(file(), (found) => complete(found.filter((l) => l.includes(`(${requestId})`))), present ? 100 : 10);
    return all.filter((l) => l.includes(`(${requestId})`));
  }
  const setLogging = async (level: string, dataTrace: boolean): Promise<void> => {
    await t.ag.send(
      new AG.UpdateStageCommand({
        restApiId: apiId,
        stageName: stage,
        patchOperations: [
          { op: "replace", path: "/*/*/logging/loglevel", value: level },
          { op: "replace", path: "/*/*/logging/dataTrace", value: String(dataTrace) },
        ],
      }),
    );
    await t.gw.dataPlane.registry.settled();
  };

  before(async () => {
    t = await startTestGateway();
    ({ apiId, stage } = await deployApi(t, [
      {
        path: "/pets",
        httpMethod: "POST",
        integration: { type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } },
        responses: [{ statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"ok":true}' } }],
      },
      // No integration response: every call is AWS's 500 configuration error.
      { path: "/broken", httpMethod: "POST", integration: { type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } } },
    ]));
  });
  after(async () => {
    await t.close();
  });

  const post = (path: string) => dataRequest(t, userPath(apiId, stage, path), { method: "POST", headers: { "content-type": "application/json" }, body: '{"secret":"s3cr3t"}' });

  test("INFO logs every request's trace, without bodies unless dataTraceEnabled", async () => {
    await setLogging("INFO", false);
    const res = await post("/pets");
    const id = String(res.headers["x-amzn-requestid"]);
    const lines = await linesFor(id);
    assert.match(lines[0]!, new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z \\(${id}\\) Extended Request Id: `));
    assert.ok(lines.some((l) => l.endsWith(`Starting execution for request: ${id}`)), lines.join("\n"));
    assert.ok(lines.some((l) => l.endsWith("Method completed with status: 200")));
    assert.ok(!lines.some((l) => l.includes("s3cr3t")), "no body without dataTrace");
    await setLogging("INFO", true);
    const traced = await linesFor(String((await post("/pets")).headers["x-amzn-requestid"]));
    assert.ok(traced.some((l) => l.includes('Method request body before transformations: {"secret":"s3cr3t"}')), traced.join("\n"));
  });

  test("ERROR logs only the requests that fail", async () => {
    await setLogging("ERROR", false);
    const fine = await post("/pets");
    const broken = await post("/broken");
    assert.equal(broken.status, 500);
    const failed = await linesFor(String(broken.headers["x-amzn-requestid"]));
    assert.ok(failed.some((l) => l.includes("Execution failed due to configuration error")), failed.join("\n"));
    assert.deepEqual(await linesFor(String(fine.headers["x-amzn-requestid"]), false), []);
    await setLogging("OFF", false);
    const off = await post("/broken");
    assert.deepEqual(await linesFor(String(off.headers["x-amzn-requestid"]), false), []);
  });
});
