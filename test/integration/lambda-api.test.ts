import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as L from "@aws-sdk/client-lambda";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { HELLO_JS, ROLE, codeSha256, lambdaClient, zipOf } from "../helpers/lambda-fixtures.js";

const ARN = (name: string, qualifier?: string): string => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}${qualifier ? `:${qualifier}` : ""}`;

/** Asserts an SDK rejection: exception class, HTTP status and exact message (or a pattern for [unverified] ones). */
async function rejectsWith(
  promise: Promise<unknown>,
  type: new (...args: never[]) => Error,
  status: number,
  message: string | RegExp,
): Promise<void> {
  await assert.rejects(promise, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.ok(err instanceof type, `expected ${type.name}, got ${err.name}: ${err.message}`);
    assert.equal(err.$metadata?.httpStatusCode, status);
    if (typeof message === "string") assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

/** Unmodeled ValidationException arrives as the service's base exception with name "ValidationException". */
async function rejectsValidation(promise: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(promise, (err: L.LambdaServiceException) => {
    assert.ok(err instanceof L.LambdaServiceException);
    assert.equal(err.name, "ValidationException");
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.message, message);
    return true;
  });
}

describe("Lambda management API (client-lambda)", () => {
  let t: TestGateway;
  let lambda: L.LambdaClient;
  const zip = zipOf({ "index.js": HELLO_JS });
  const zip2 = zipOf({ "index.js": HELLO_JS.replace("v: 1", "v: 2") });
  const base = (name: string): L.CreateFunctionRequest => ({
    FunctionName: name,
    Runtime: "nodejs20.x",
    Handler: "index.handler",
    Role: ROLE,
    Code: { ZipFile: zip },
  });

  before(async () => {
    t = await startTestGateway();
    lambda = lambdaClient(t.endpoint);
  });
  after(async () => {
    lambda.destroy();
    await t.close();
  });

  test("66: CreateFunction registers a function that is Active at once", async () => {
    const res = await lambda.send(
      new L.CreateFunctionCommand({ ...base("hello"), Timeout: 10, MemorySize: 256, Environment: { Variables: { A: "1" } }, Tags: { team: "core" } }),
    );
    assert.equal(res.$metadata.httpStatusCode, 201);
    assert.equal(res.FunctionArn, ARN("hello"));
    assert.equal(res.Version, "$LATEST");
    assert.equal(res.CodeSha256, codeSha256(zip));
    assert.equal(res.CodeSize, zip.length);
    assert.equal(res.Timeout, 10);
    assert.equal(res.MemorySize, 256);
    assert.deepEqual(res.Environment?.Variables, { A: "1" });
    assert.equal(res.Description, "");
    assert.equal(res.State, "Active");
    assert.equal(res.LastUpdateStatus, "Successful");
    assert.equal(res.PackageType, "Zip");
    assert.deepEqual(res.Architectures, ["x86_64"]);
    assert.deepEqual(res.TracingConfig, { Mode: "PassThrough" });
    assert.deepEqual(res.LoggingConfig, { LogFormat: "Text", LogGroup: "/aws/lambda/hello" });
    assert.match(res.LastModified ?? "", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    assert.match(res.RevisionId ?? "", /^[0-9a-f-]{36}$/);
    const waited = await L.waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: "hello" });
    assert.equal(waited.state, "SUCCESS");
  });

  test("defaults: Timeout 3, MemorySize 128, no Environment", async () => {
    const res = await lambda.send(new L.CreateFunctionCommand(base("defaults")));
    assert.equal(res.Timeout, 3);
    assert.equal(res.MemorySize, 128);
    assert.equal(res.Environment, undefined);
  });

  test("67: duplicate names, unknown functions and broken zips are refused with AWS's messages", async () => {
    await rejectsWith(lambda.send(new L.CreateFunctionCommand(base("hello"))), L.ResourceConflictException, 409, "Function already exist: hello");
    await rejectsWith(lambda.send(new L.GetFunctionCommand({ FunctionName: "nope" })), L.ResourceNotFoundException, 404, `Function not found: ${ARN("nope")}`);
    await rejectsWith(
      lambda.send(new L.CreateFunctionCommand({ ...base("badzip"), Code: { ZipFile: Buffer.from("not a zip") } })),
      L.InvalidParameterValueException,
      400,
      "Could not unzip uploaded file. Please check your file, then try to upload again.",
    );
    const raw = await t.signedFetch("GET", "/2015-03-31/functions/nope", { service: "lambda" });
    assert.equal(raw.status, 404);
    assert.equal(raw.headers.get("x-amzn-errortype"), "ResourceNotFoundException");
    assert.deepEqual(await raw.json(), { Type: "User", Message: `Function not found: ${ARN("nope")}` });
  });

  test("invalid settings: runtime, Runtime/Handler, role, limits, reserved and oversized environment", async () => {
    await rejectsWith(
      lambda.send(new L.CreateFunctionCommand({ ...base("py"), Runtime: "python3.12" })),
      L.InvalidParameterValueException,
      400,
      "Value python3.12 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [nodejs18.x, nodejs20.x, nodejs22.x] or be a valid ARN",
    );
    const { Handler: _omitted, ...noHandler } = base("nohandler");
    await rejectsWith(
      lambda.send(new L.CreateFunctionCommand(noHandler)),
      L.InvalidParameterValueException,
      400,
      /^Runtime and Handler are mandatory parameters/,
    );
    await rejectsValidation(
      lambda.send(new L.CreateFunctionCommand({ ...base("badrole"), Role: "not-a-role" })),
      "1 validation error detected: Value 'not-a-role' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
    );
    await rejectsValidation(
      lambda.send(new L.CreateFunctionCommand({ ...base("t0"), Timeout: 0 })),
      "1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await rejectsValidation(
      lambda.send(new L.CreateFunctionCommand({ ...base("t901"), Timeout: 901, MemorySize: 64 })),
      "2 validation errors detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900; Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
    );
    await rejectsValidation(
      lambda.send(new L.CreateFunctionCommand({ ...base("m"), MemorySize: 10241 })),
      "1 validation error detected: Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240",
    );
    await rejectsWith(
      lambda.send(new L.CreateFunctionCommand({ ...base("reserved"), Environment: { Variables: { AWS_REGION: "eu-west-1", OK: "1" } } })),
      L.InvalidParameterValueException,
      400,
      "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION",
    );
    await rejectsWith(
      lambda.send(new L.CreateFunctionCommand({ ...base("bigenv"), Environment: { Variables: { BIG: "x".repeat(5000) } } })),
      L.InvalidParameterValueException,
      400,
      /^Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit\./,
    );
    await rejectsValidation(
      lambda.send(new L.GetFunctionCommand({ FunctionName: "bad name!" })),
      "1 validation error detected: Value 'bad name!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
    );
    const list = await lambda.send(new L.ListFunctionsCommand({}));
    assert.equal(list.Functions?.some((f) => ["py", "badrole", "reserved", "bigenv"].includes(f.FunctionName ?? "")), false);
  });

  test("68: UpdateFunctionConfiguration and UpdateFunctionCode, waiters, ListFunctions and ARN forms", async () => {
    const conf = await lambda.send(new L.UpdateFunctionConfigurationCommand({ FunctionName: "hello", Timeout: 5, Environment: { Variables: { B: "2" } } }));
    assert.equal(conf.$metadata.httpStatusCode, 200);
    assert.equal(conf.Timeout, 5);
    assert.deepEqual(conf.Environment?.Variables, { B: "2" });
    assert.equal(conf.MemorySize, 256, "omitted settings keep their values");

    const before = await lambda.send(new L.GetFunctionConfigurationCommand({ FunctionName: "hello" }));
    const code = await lambda.send(new L.UpdateFunctionCodeCommand({ FunctionName: "hello", ZipFile: zip2 }));
    assert.equal(code.CodeSha256, codeSha256(zip2));
    assert.notEqual(code.CodeSha256, before.CodeSha256);
    assert.notEqual(code.RevisionId, before.RevisionId);
    const waited = await L.waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: "hello" });
    assert.equal(waited.state, "SUCCESS");
    const invoked = await lambda.send(new L.InvokeCommand({ FunctionName: "hello", Payload: Buffer.from("{}") }));
    assert.deepEqual(JSON.parse(Buffer.from(invoked.Payload!).toString()), { hello: "world", v: 2 });

    const list = await lambda.send(new L.ListFunctionsCommand({}));
    assert.ok(list.Functions?.some((f) => f.FunctionName === "hello"));
    const byArn = await lambda.send(new L.GetFunctionCommand({ FunctionName: ARN("hello") }));
    assert.equal(byArn.Configuration?.FunctionName, "hello");
    assert.equal(byArn.Configuration?.State, "Active");
    assert.deepEqual(byArn.Tags, { team: "core" });
    const byPartial = await lambda.send(new L.GetFunctionConfigurationCommand({ FunctionName: `${ACCOUNT}:function:hello` }));
    assert.equal(byPartial.FunctionArn, ARN("hello"));
    const qualified = await lambda.send(new L.GetFunctionConfigurationCommand({ FunctionName: "hello", Qualifier: "$LATEST" }));
    assert.equal(qualified.FunctionArn, ARN("hello", "$LATEST"));
    await rejectsWith(
      lambda.send(new L.GetFunctionConfigurationCommand({ FunctionName: "hello:prod" })),
      L.ResourceNotFoundException,
      404,
      `Function not found: ${ARN("hello", "prod")}`,
    );
    await rejectsWith(
      lambda.send(new L.UpdateFunctionConfigurationCommand({ FunctionName: "ghost", Timeout: 5 })),
      L.ResourceNotFoundException,
      404,
      `Function not found: ${ARN("ghost")}`,
    );
  });

  test("Environment is replaced wholesale and {Variables: {}} clears it", async () => {
    await lambda.send(new L.CreateFunctionCommand({ ...base("envs"), Environment: { Variables: { A: "1", B: "2" } } }));
    const replaced = await lambda.send(new L.UpdateFunctionConfigurationCommand({ FunctionName: "envs", Environment: { Variables: { C: "3" } } }));
    assert.deepEqual(replaced.Environment?.Variables, { C: "3" });
    const kept = await lambda.send(new L.UpdateFunctionConfigurationCommand({ FunctionName: "envs", Description: "d" }));
    assert.deepEqual(kept.Environment?.Variables, { C: "3" });
    assert.equal(kept.Description, "d");
    const cleared = await lambda.send(new L.UpdateFunctionConfigurationCommand({ FunctionName: "envs", Environment: { Variables: {} } }));
    assert.equal(cleared.Environment, undefined);
  });

  test("a stale RevisionId is PreconditionFailedException; a current one is accepted", async () => {
    const current = await lambda.send(new L.GetFunctionConfigurationCommand({ FunctionName: "hello" }));
    await rejectsWith(
      lambda.send(new L.UpdateFunctionConfigurationCommand({ FunctionName: "hello", Description: "x", RevisionId: "00000000-0000-0000-0000-000000000000" })),
      L.PreconditionFailedException,
      412,
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    );
    await rejectsWith(
      lambda.send(new L.UpdateFunctionCodeCommand({ FunctionName: "hello", ZipFile: zip, RevisionId: "stale" })),
      L.PreconditionFailedException,
      412,
      /^The Revision Id provided does not match/,
    );
    const ok = await lambda.send(new L.UpdateFunctionConfigurationCommand({ FunctionName: "hello", Description: "x", RevisionId: current.RevisionId }));
    assert.equal(ok.Description, "x");
  });

  test("UpdateFunctionCode with DryRun reports the new package without storing it", async () => {
    const before = await lambda.send(new L.GetFunctionConfigurationCommand({ FunctionName: "hello" }));
    const dry = await lambda.send(new L.UpdateFunctionCodeCommand({ FunctionName: "hello", ZipFile: zip, DryRun: true }));
    assert.equal(dry.CodeSha256, codeSha256(zip));
    const after = await lambda.send(new L.GetFunctionConfigurationCommand({ FunctionName: "hello" }));
    assert.equal(after.CodeSha256, before.CodeSha256);
    assert.equal(after.RevisionId, before.RevisionId);
    await rejectsWith(
      lambda.send(new L.UpdateFunctionCodeCommand({ FunctionName: "hello", ZipFile: Buffer.from("junk") })),
      L.InvalidParameterValueException,
      400,
      "Could not unzip uploaded file. Please check your file, then try to upload again.",
    );
  });

  test("GetFunction's Code.Location is a presigned URL that serves the zip to a plain HTTP client", async () => {
    const res = await lambda.send(new L.GetFunctionCommand({ FunctionName: "hello" }));
    assert.equal(res.Code?.RepositoryType, "S3");
    const location = res.Code?.Location ?? "";
    assert.ok(location.startsWith(`${t.endpoint}/2015-03-31/functions/hello/`));
    const download = await fetch(location);
    assert.equal(download.status, 200);
    const bytes = Buffer.from(await download.arrayBuffer());
    assert.equal(codeSha256(bytes), res.Configuration?.CodeSha256);
    const tampered = await fetch(location.replace(/X-Amz-Signature=[0-9a-f]{4}/, "X-Amz-Signature=0000"));
    assert.equal(tampered.status, 403);
    const unsigned = await fetch(location.slice(0, location.indexOf("?")));
    assert.equal(unsigned.status, 403);
  });

  test("ListFunctions is sorted by name and pages with Marker/NextMarker", async () => {
    const fresh = await startTestGateway();
    const client = lambdaClient(fresh.endpoint);
    try {
      for (const name of ["charlie", "alpha", "bravo"]) await client.send(new L.CreateFunctionCommand(base(name)));
      const first = await client.send(new L.ListFunctionsCommand({ MaxItems: 2 }));
      assert.deepEqual(first.Functions?.map((f) => f.FunctionName), ["alpha", "bravo"]);
      assert.ok(first.NextMarker);
      const second = await client.send(new L.ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker }));
      assert.deepEqual(second.Functions?.map((f) => f.FunctionName), ["charlie"]);
      assert.equal(second.NextMarker, undefined);
      const seen: string[] = [];
      for await (const page of L.paginateListFunctions({ client, pageSize: 1 }, {})) seen.push(...(page.Functions ?? []).map((f) => f.FunctionName!));
      assert.deepEqual(seen, ["alpha", "bravo", "charlie"]);
      await rejectsValidation(
        client.send(new L.ListFunctionsCommand({ MaxItems: 0 })),
        "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
    } finally {
      client.destroy();
      await fresh.close();
    }
  });

  test("69: AddPermission, GetPolicy and RemovePermission", async () => {
    const sourceArn = `arn:aws:execute-api:us-east-1:${ACCOUNT}:a1b2c3d4e5/*/GET/pets`;
    const added = await lambda.send(
      new L.AddPermissionCommand({ FunctionName: "hello", StatementId: "apigw", Action: "lambda:InvokeFunction", Principal: "apigateway.amazonaws.com", SourceArn: sourceArn }),
    );
    assert.equal(added.$metadata.httpStatusCode, 201);
    assert.equal(typeof added.Statement, "string");
    assert.deepEqual(JSON.parse(added.Statement!), {
      Sid: "apigw",
      Effect: "Allow",
      Principal: { Service: "apigateway.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: ARN("hello"),
      Condition: { ArnLike: { "AWS:SourceArn": sourceArn } },
    });
    await rejectsWith(
      lambda.send(new L.AddPermissionCommand({ FunctionName: "hello", StatementId: "apigw", Action: "lambda:InvokeFunction", Principal: "apigateway.amazonaws.com" })),
      L.ResourceConflictException,
      409,
      "The statement id (apigw) provided already exists. Please provide a new statement id, or remove the existing statement.",
    );
    const account = await lambda.send(
      new L.AddPermissionCommand({ FunctionName: "hello", StatementId: "acct", Action: "lambda:InvokeFunction", Principal: "111122223333", SourceAccount: ACCOUNT }),
    );
    assert.deepEqual(JSON.parse(account.Statement!).Principal, { AWS: "arn:aws:iam::111122223333:root" });
    assert.deepEqual(JSON.parse(account.Statement!).Condition, { StringEquals: { "AWS:SourceAccount": ACCOUNT } });
    const policy = await lambda.send(new L.GetPolicyCommand({ FunctionName: "hello" }));
    const doc = JSON.parse(policy.Policy!);
    assert.equal(doc.Version, "2012-10-17");
    assert.equal(doc.Id, "default");
    assert.equal(doc.Statement.length, 2);
    const config = await lambda.send(new L.GetFunctionConfigurationCommand({ FunctionName: "hello" }));
    assert.equal(policy.RevisionId, config.RevisionId);

    const removed = await lambda.send(new L.RemovePermissionCommand({ FunctionName: "hello", StatementId: "acct" }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    const after = await lambda.send(new L.GetPolicyCommand({ FunctionName: "hello" }));
    assert.equal(JSON.parse(after.Policy!).Statement.length, 1);
    await rejectsWith(
      lambda.send(new L.RemovePermissionCommand({ FunctionName: "hello", StatementId: "acct" })),
      L.ResourceNotFoundException,
      404,
      "Statement acct is not found in resource policy.",
    );
    await rejectsWith(
      lambda.send(new L.GetPolicyCommand({ FunctionName: "defaults" })),
      L.ResourceNotFoundException,
      404,
      "The resource you requested does not exist.",
    );
    await rejectsValidation(
      lambda.send(new L.AddPermissionCommand({ FunctionName: "hello", StatementId: "bad id!", Action: "lambda:InvokeFunction", Principal: "apigateway.amazonaws.com" })),
      "1 validation error detected: Value 'bad id!' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)",
    );
  });

  test("70: DeleteFunction answers 204; the function and its policy are gone", async () => {
    const deleted = await lambda.send(new L.DeleteFunctionCommand({ FunctionName: "hello" }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    assert.equal(deleted.StatusCode, 204);
    await rejectsWith(lambda.send(new L.GetFunctionCommand({ FunctionName: "hello" })), L.ResourceNotFoundException, 404, `Function not found: ${ARN("hello")}`);
    await rejectsWith(lambda.send(new L.DeleteFunctionCommand({ FunctionName: "hello" })), L.ResourceNotFoundException, 404, `Function not found: ${ARN("hello")}`);
    // Re-created under the same name: new revision, no permissions carried over.
    const again = await lambda.send(new L.CreateFunctionCommand(base("hello")));
    assert.equal(again.$metadata.httpStatusCode, 201);
    await rejectsWith(lambda.send(new L.GetPolicyCommand({ FunctionName: "hello" })), L.ResourceNotFoundException, 404, "The resource you requested does not exist.");
    await rejectsWith(
      lambda.send(new L.DeleteFunctionCommand({ FunctionName: "hello", Qualifier: "$LATEST" })),
      L.InvalidParameterValueException,
      400,
      "$LATEST version cannot be deleted without deleting the function.",
    );
  });

  test("functions and their packages survive a restart; a missing task root is unpacked again", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tollgate-lambda-restart-"));
    try {
      const first = await startTestGateway({}, dataDir);
      const c1 = lambdaClient(first.endpoint);
      const created = await c1.send(new L.CreateFunctionCommand(base("durable")));
      c1.destroy();
      await first.close();
      const hex = Buffer.from(created.CodeSha256!, "base64").toString("hex");
      const root = join(dataDir, "functions", "durable", hex);
      assert.ok(existsSync(join(root, "index.js")));
      rmSync(root, { recursive: true });

      const second = await startTestGateway({}, dataDir);
      const c2 = lambdaClient(second.endpoint);
      try {
        const res = await c2.send(new L.InvokeCommand({ FunctionName: "durable", Payload: Buffer.from('{"name":"again"}') }));
        assert.deepEqual(JSON.parse(Buffer.from(res.Payload!).toString()), { hello: "again", v: 1 });
        assert.ok(existsSync(join(root, "index.js")));
      } finally {
        c2.destroy();
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test("Invoke answers with X-Amz-Executed-Version and the invocation id; unknown functions are 404", async () => {
    const res = await t.signedFetch("POST", "/2015-03-31/functions/defaults/invocations", { service: "lambda", body: '{"name":"raw"}' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-amz-executed-version"), "$LATEST");
    assert.match(res.headers.get("x-amzn-requestid") ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.get("x-amz-function-error"), null);
    assert.deepEqual(await res.json(), { hello: "raw", v: 1 });
    await rejectsWith(
      lambda.send(new L.InvokeCommand({ FunctionName: "missing", Payload: Buffer.from("{}") })),
      L.ResourceNotFoundException,
      404,
      `Function not found: ${ARN("missing")}`,
    );
    const empty = await lambda.send(new L.InvokeCommand({ FunctionName: "defaults" }));
    assert.deepEqual(JSON.parse(Buffer.from(empty.Payload!).toString()), { hello: "world", v: 1 });
  });
});
