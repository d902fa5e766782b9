// The AWS CLI forms of lambda-api.md §7, run against a real gateway with a zip written to a temp file.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { runAwsCli, type CliResult } from "../helpers/aws-cli.js";
import { HELLO_JS, codeSha256, zipOf } from "../helpers/lambda-fixtures.js";



describe("AWS CLI: lambda", () => {
  let t: TestGateway;
  const dir = mkdtempSync(join(tmpdir(), "tollgate-cli-lambda-"));
  const zipFile = join(dir, "hello.zip");
  const zip2File = join(dir, "hello2.zip");
  const zip = zipOf({ "index.js": HELLO_JS });
  const zip2 = zipOf({ "index.js": HELLO_JS.replace("v: 1", "v: 2") });

  before(async () => {
    writeFileSync(zipFile, zip);
    writeFileSync(zip2File, zip2);
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const aws = (...args: string[]): Promise<CliResult> => runAwsCli(t.endpoint, ["lambda", ...args]);

  async function json(...args: string[]): Promise<Record<string, unknown>> {
    const res = await aws(...args);
    assert.equal(res.code, 0, res.stderr);
    return JSON.parse(res.stdout) as Record<string, unknown>;
  }

  test("create-function with fileb:// and shorthand environment, then wait function-active-v2", async () => {
    const res = await json(
      "create-function", "--function-name", "hello", "--runtime", "nodejs20.x", "--handler", "index.handler",
      "--role", `arn:aws:iam::${ACCOUNT}:role/lambda-role`, "--zip-file", `fileb://${zipFile}`,
      "--timeout", "10", "--memory-size", "256", "--environment", "Variables={A=1}",
    );
    assert.equal(res["FunctionArn"], `arn:aws:lambda:us-east-1:${ACCOUNT}:function:hello`);
    assert.equal(res["CodeSha256"], codeSha256(zip));
    assert.equal(res["Timeout"], 10);
    assert.equal(res["MemorySize"], 256);
    assert.deepEqual(res["Environment"], { Variables: { A: "1" } });
    const wait = await aws("wait", "function-active-v2", "--function-name", "hello");
    assert.equal(wait.code, 0, wait.stderr);
  });

  test("update-function-code and update-function-configuration", async () => {
    const code = await json("update-function-code", "--function-name", "hello", "--zip-file", `fileb://${zip2File}`);
    assert.equal(code["CodeSha256"], codeSha256(zip2));
    const conf = await json("update-function-configuration", "--function-name", "hello", "--timeout", "5");
    assert.equal(conf["Timeout"], 5);
    assert.equal(conf["LastUpdateStatus"], "Successful");
  });

  test("invoke writes the function's result to the outfile and prints the status", async () => {
    const out = join(dir, "out.json");
    const res = await json("invoke", "--function-name", "hello", "--payload", '{"name":"cli"}', out);
    assert.equal(res["StatusCode"], 200);
    assert.equal(res["ExecutedVersion"], "$LATEST");
    assert.deepEqual(JSON.parse(readFileSync(out, "utf8")), { hello: "cli", v: 2 });
  });

  test("add-permission and get-policy", async () => {
    const sourceArn = `arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3d4e5/*/GET/pets`;
    const added = await json(
      "add-permission", "--function-name", "hello", "--statement-id", "apigw", "--action", "lambda:InvokeFunction",
      "--principal", "apigateway.amazonaws.com", "--source-arn", sourceArn,
    );
    const statement = JSON.parse(added["Statement"] as string) as Record<string, unknown>;
    assert.deepEqual(statement["Principal"], { Service: "apigateway.amazonaws.com" });
    assert.deepEqual(statement["Condition"], { ArnLike: { "AWS:SourceArn": sourceArn } });
    const policy = await json("get-policy", "--function-name", "hello");
    assert.equal((JSON.parse(policy["Policy"] as string) as { Statement: unknown[] }).Statement.length, 1);
  });

  test("delete-function prints the 204 status; get-function afterwards fails with the CLI's error line and exit code 255", async () => {
    const deleted = await aws("delete-function", "--function-name", "hello");
    assert.equal(deleted.code, 0, deleted.stderr);
    // botocore's DeleteFunction output carries StatusCode bound to the HTTP status.
    assert.deepEqual(JSON.parse(deleted.stdout), { StatusCode: 204 });
    const missing = await aws("get-function", "--function-name", "hello");
    assert.equal(missing.code, 255);
    assert.match(
      missing.stderr,
      new RegExp(`An error occurred \\(ResourceNotFoundException\\) when calling the GetFunction operation: Function not found: arn:aws:lambda:us-east-1:${ACCOUNT}:function:hello`),
    );
  });
});
