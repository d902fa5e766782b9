import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as L from "@aws-sdk/client-lambda";
import pino from "pino";
import { ApiError } from "../../src/errors/api-error.js";
import { LocalFunctionHost } from "../../src/lambda/local-function-host.js";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { ROLE, lambdaClient, zipOf } from "../helpers/lambda-fixtures.js";

// One CommonJS module with a handler per behaviour; each test function points Handler at one of them.
const HANDLERS = `
let count = 0;
let background = "none";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.echo = async (event) => event;
exports.nothing = async () => undefined;
const { threadId } = require("node:worker_threads");
const instance = process.pid + "/" + threadId;
exports.counter = async () => ({ count: ++count, pid: process.pid, thread: threadId, instance });
exports.context = async (event, context) => ({
  awsRequestId: context.awsRequestId,
  functionName: context.functionName,
  functionVersion: context.functionVersion,
  invokedFunctionArn: context.invokedFunctionArn,
  memoryLimitInMB: context.memoryLimitInMB,
  logGroupName: context.logGroupName,
  logStreamName: context.logStreamName,
  remaining: context.getRemainingTimeInMillis(),
  waits: context.callbackWaitsForEmptyEventLoop,
  clientContext: context.clientContext ?? null,
  legacy: [typeof context.done, typeof context.succeed, typeof context.fail],
});
exports.env = async () => ({ ...process.env });
exports.callbackWaits = (event, context, callback) => {
  setTimeout(() => { background = "done"; }, 300);
  callback(null, { background });
};
exports.callbackNoWait = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = false;
  const seen = background;
  setTimeout(() => { background = "ran-later"; }, 300);
  callback(null, { seen });
};
exports.callbackTwice = (event, context, callback) => { callback(null, "first"); callback(null, "second"); };
exports.syncNoCallback = () => { setTimeout(() => {}, 50); };
exports.neverSettles = async () => new Promise(() => {});
exports.throws = async () => { throw new TypeError("bad input"); };
exports.customError = async () => { class NotAllowed extends Error {} const e = new NotAllowed("nope"); e.name = "NotAllowed"; e.extra = 1; throw e; };
exports.callbackString = (event, context, callback) => callback("Unauthorized");
exports.failEmpty = (event, context) => context.fail();
exports.succeedLegacy = (event, context) => context.succeed({ legacy: true });
exports.spin = async () => { for (;;) {} };
exports.slow = async (event) => { await sleep(event.ms ?? 400); return { instance, tag: event.tag ?? null }; };
// Touches a file every 20 ms for as long as this instance lives (unref'd: it never holds an invocation open).
exports.heartbeat = async (event) => {
  setInterval(() => require("node:fs").writeFileSync(event.path, String(Date.now())), 20).unref();
  await sleep(event.ms);
  return { tag: event.tag };
};
exports.exit = async () => { console.log("about to exit"); process.exit(3); };
exports.hog = async () => { const keep = []; for (;;) keep.push(new Array(1e6).fill(Math.random())); };
exports.uncaught = async () => { setTimeout(() => { throw new RangeError("late boom"); }, 10); await sleep(500); return "unreachable"; };
exports.chatty = async (event) => {
  console.log("line one");
  console.error("an error line");
  process.stdout.write("raw write\\n");
  if (event.bulk) for (let i = 0; i < 200; i++) console.log("bulk line " + i + " " + "x".repeat(40));
  return "ok";
};
exports.writeFile = async (event) => { require("node:fs").writeFileSync(event.path, "written"); return null; };
exports.notAFunction = 42;
`;

// Every behaviour holds in both kinds of sandbox (TOLLGATE_LAMBDA_ISOLATION).
for (const isolation of ["thread", "process"] as const) describe(`Lambda runtime (${isolation}s): handlers, context, errors and isolation`, () => {
  let t: TestGateway;
  let lambda: L.LambdaClient;
  const scratch = mkdtempSync(join(tmpdir(), "tollgate-lambda-rt-"));
  const zip = zipOf({
    "index.js": HANDLERS,
    "esm/app.mjs": "const config = await Promise.resolve({ loaded: 'top-level await' });\nexport const handler = async (event) => ({ ...config, event });\n",
    "cjs/app.cjs": "module.exports.handler = async () => ({ style: 'cjs' });\n",
    "typed/package.json": '{"type":"module"}',
    "typed/app.js": "export const handler = async () => ({ style: 'esm-js', isModule: typeof require === 'undefined' });\n",
    "broken.js": "exports.handler = async () => { return 1 +; };\n",
    "bad-import.js": "require('./does-not-exist');\nexports.handler = async () => 1;\n",
  });

  async function createFn(name: string, handler: string, extra: Partial<L.CreateFunctionRequest> = {}): Promise<void> {
    await lambda.send(new L.CreateFunctionCommand({ FunctionName: name, Runtime: "nodejs20.x", Handler: handler, Role: ROLE, Code: { ZipFile: zip }, ...extra }));
  }

  interface Invoked {
    status: number | undefined;
    body: unknown;
    functionError: string | undefined;
    log: string;
  }

  async function invoke(name: string, event: unknown = {}, extra: Partial<L.InvocationRequest> = {}): Promise<Invoked> {
    const res = await lambda.send(
      new L.InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: "Tail", ...extra }),
    );
    const text = Buffer.from(res.Payload ?? new Uint8Array()).toString("utf8");
    return {
      status: res.StatusCode,
      body: text ? JSON.parse(text) : undefined,
      functionError: res.FunctionError,
      log: Buffer.from(res.LogResult ?? "", "base64").toString("utf8"),
    };
  }

  before(async () => {
    t = await startTestGateway({ TOLLGATE_LAMBDA_ISOLATION: isolation });
    lambda = lambdaClient(t.endpoint);
  });
  after(async () => {
    lambda.destroy();
    await t.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  test("an async handler's result is the JSON payload, and undefined becomes null", async () => {
    await createFn("echo", "index.echo");
    const res = await invoke("echo", { a: [1, "two", { three: true }] });
    assert.equal(res.status, 200);
    assert.equal(res.functionError, undefined);
    assert.deepEqual(res.body, { a: [1, "two", { three: true }] });
    await createFn("nothing", "index.nothing");
    assert.equal((await invoke("nothing")).body, null);
  });

  test("a warm instance is reused: module state survives between invocations", async () => {
    await createFn("counter", "index.counter");
    type Counted = { count: number; pid: number; thread: number; instance: string };
    const first = (await invoke("counter")).body as Counted;
    const second = (await invoke("counter")).body as Counted;
    assert.equal(second.count, first.count + 1);
    assert.equal(second.instance, first.instance);
    // Not the gateway's own thread: another process, or another thread of this one.
    if (isolation === "process") assert.notEqual(first.pid, process.pid);
    else assert.deepEqual([first.pid, first.thread !== 0], [process.pid, true]);
  });

  test("the context object carries the request id, names, memory as a string and the remaining time", async () => {
    await createFn("ctx", "index.context", { MemorySize: 256, Timeout: 7 });
    const clientContext = Buffer.from(JSON.stringify({ custom: { app: "x" } })).toString("base64");
    const res = await invoke("ctx", {}, { ClientContext: clientContext });
    const c = res.body as Record<string, unknown>;
    assert.match(String(c["awsRequestId"]), /^[0-9a-f-]{36}$/);
    assert.match(res.log, new RegExp(`START RequestId: ${String(c["awsRequestId"])} Version: \\$LATEST`));
    assert.equal(c["functionName"], "ctx");
    assert.equal(c["functionVersion"], "$LATEST");
    assert.equal(c["invokedFunctionArn"], `arn:aws:lambda:us-east-1:${ACCOUNT}:function:ctx`);
    assert.equal(c["memoryLimitInMB"], "256");
    assert.equal(c["logGroupName"], "/aws/lambda/ctx");
    assert.match(String(c["logStreamName"]), /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok(typeof c["remaining"] === "number" && c["remaining"] > 5000 && c["remaining"] <= 7000);
    assert.equal(c["waits"], true);
    assert.deepEqual(c["clientContext"], { custom: { app: "x" } });
    assert.deepEqual(c["legacy"], ["function", "function", "function"]);
    const byArn = await invoke(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:ctx:$LATEST`);
    assert.equal((byArn.body as Record<string, unknown>)["invokedFunctionArn"], `arn:aws:lambda:us-east-1:${ACCOUNT}:function:ctx:$LATEST`);
  });

  test("the process environment holds Lambda's variables and the configured ones, and nothing of the gateway", async () => {
    process.env["TOLLGATE_TEST_LEAK_MARKER"] = "must-not-leak";
    await createFn("env", "index.env", { MemorySize: 192, Environment: { Variables: { GREETING: "hi", TZ: ":UTC" } } });
    const env = (await invoke("env")).body as Record<string, string>;
    delete process.env["TOLLGATE_TEST_LEAK_MARKER"];
    assert.equal(env["GREETING"], "hi");
    assert.equal(env["AWS_LAMBDA_FUNCTION_NAME"], "env");
    assert.equal(env["AWS_REGION"], "us-east-1");
    assert.equal(env["AWS_DEFAULT_REGION"], "us-east-1");
    assert.equal(env["AWS_EXECUTION_ENV"], "AWS_Lambda_nodejs20.x");
    assert.equal(env["AWS_LAMBDA_FUNCTION_VERSION"], "$LATEST");
    assert.equal(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "192");
    assert.equal(env["AWS_LAMBDA_LOG_GROUP_NAME"], "/aws/lambda/env");
    assert.match(env["AWS_LAMBDA_LOG_STREAM_NAME"] ?? "", /\[\$LATEST\]/);
    assert.equal(env["_HANDLER"], "index.env");
    assert.ok(env["LAMBDA_TASK_ROOT"] && existsSync(join(env["LAMBDA_TASK_ROOT"], "index.js")));
    assert.equal(env["TZ"], ":UTC");
    assert.equal(env["TOLLGATE_TEST_LEAK_MARKER"], undefined);
    assert.equal(Object.keys(env).some((k) => k.startsWith("TOLLGATE_")), false);
  });

  test("ES modules load from .mjs (with top-level await) and from .js under a module package.json; .cjs is CommonJS", async () => {
    await createFn("esm", "esm/app.handler");
    assert.deepEqual((await invoke("esm", { n: 1 })).body, { loaded: "top-level await", event: { n: 1 } });
    await createFn("esmjs", "typed/app.handler");
    assert.deepEqual((await invoke("esmjs")).body, { style: "esm-js", isModule: true });
    await createFn("cjs", "cjs/app.handler");
    assert.deepEqual((await invoke("cjs")).body, { style: "cjs" });
  });

  test("callback(null, v) waits for the event loop to drain unless callbackWaitsForEmptyEventLoop is false", async () => {
    await createFn("cbwait", "index.callbackWaits");
    const started = performance.now();
    const waited = await invoke("cbwait");
    assert.ok(performance.now() - started >= 280, "the response waited for the pending timer");
    assert.deepEqual(waited.body, { background: "none" });

    await createFn("cbnowait", "index.callbackNoWait");
    assert.deepEqual((await invoke("cbnowait")).body, { seen: "none" });
    // Warm now: a response that waited for its 300 ms timer could not come back this fast.
    const t0 = performance.now();
    const second = await invoke("cbnowait");
    assert.ok(performance.now() - t0 < 250, `responded without waiting for the timer (${Math.round(performance.now() - t0)} ms)`);
    assert.deepEqual(second.body, { seen: "none" });
    await new Promise((r) => setTimeout(r, 350));
    // The timer kept running after the response, in the same (frozen-then-thawed) instance.
    assert.deepEqual((await invoke("cbnowait")).body, { seen: "ran-later" });
  });

  test("completion rules: only the first callback counts, legacy succeed/fail, a sync handler that never calls back returns null", async () => {
    await createFn("twice", "index.callbackTwice");
    assert.equal((await invoke("twice")).body, "first");
    await createFn("succeed", "index.succeedLegacy");
    assert.deepEqual((await invoke("succeed")).body, { legacy: true });
    await createFn("failempty", "index.failEmpty");
    const failed = await invoke("failempty");
    assert.equal(failed.functionError, "Unhandled");
    assert.deepEqual(failed.body, { errorType: "string", errorMessage: "handled", trace: [] });
    await createFn("syncnull", "index.syncNoCallback");
    const sync = await invoke("syncnull");
    assert.equal(sync.functionError, undefined);
    assert.equal(sync.body, null);
  });

  test("a promise that never settles is Runtime.NodeJsExit once the event loop drains", async () => {
    await createFn("never", "index.neverSettles");
    const res = await invoke("never");
    assert.equal(res.functionError, "Unhandled");
    const body = res.body as { errorType: string; errorMessage: string };
    assert.equal(body.errorType, "Runtime.NodeJsExit");
    assert.match(body.errorMessage, /Promise that was never settled/);
  });

  test("thrown errors become 200 + X-Amz-Function-Error: Unhandled with errorType, errorMessage and trace only", async () => {
    await createFn("throws", "index.throws");
    const res = await invoke("throws");
    assert.equal(res.status, 200);
    assert.equal(res.functionError, "Unhandled");
    const body = res.body as { errorType: string; errorMessage: string; trace: string[] };
    assert.deepEqual(Object.keys(body), ["errorType", "errorMessage", "trace"]);
    assert.equal(body.errorType, "TypeError");
    assert.equal(body.errorMessage, "bad input");
    assert.equal(body.trace[0], "TypeError: bad input");
    assert.match(body.trace[1] ?? "", /index\.js/);

    await createFn("custom", "index.customError");
    const custom = (await invoke("custom")).body as Record<string, unknown>;
    assert.equal(custom["errorType"], "NotAllowed");
    assert.equal(custom["extra"], undefined, "custom enumerable properties are not included");

    await createFn("unauth", "index.callbackString");
    assert.deepEqual((await invoke("unauth")).body, { errorType: "string", errorMessage: "Unauthorized", trace: [] });
  });

  test("init failures are reported to the invocation: ImportModuleError, HandlerNotFound, MalformedHandlerName, UserCodeSyntaxError", async () => {
    await createFn("nomodule", "missing.handler");
    const missing = await invoke("nomodule");
    assert.equal(missing.functionError, "Unhandled");
    assert.deepEqual(
      { type: (missing.body as Record<string, unknown>)["errorType"], message: (missing.body as Record<string, unknown>)["errorMessage"] },
      { type: "Runtime.ImportModuleError", message: "Error: Cannot find module 'missing'\nRequire stack:\n- /var/runtime/index.mjs" },
    );
    await createFn("badimport", "bad-import.handler");
    const bad = (await invoke("badimport")).body as Record<string, string>;
    assert.equal(bad["errorType"], "Runtime.ImportModuleError");
    assert.match(bad["errorMessage"] ?? "", /Cannot find module '\.\/does-not-exist'/);

    await createFn("nohandler", "index.absent");
    assert.deepEqual(
      pick((await invoke("nohandler")).body),
      { errorType: "Runtime.HandlerNotFound", errorMessage: "index.absent is undefined or not exported" },
    );
    await createFn("notfn", "index.notAFunction");
    assert.deepEqual(pick((await invoke("notfn")).body), { errorType: "Runtime.HandlerNotFound", errorMessage: "index.notAFunction is not a function" });

    await createFn("malformed", "index");
    assert.deepEqual(pick((await invoke("malformed")).body), { errorType: "Runtime.MalformedHandlerName", errorMessage: "Bad handler" });

    await createFn("syntax", "broken.handler");
    const syntax = await invoke("syntax");
    const doc = syntax.body as Record<string, string>;
    assert.equal(doc["errorType"], "Runtime.UserCodeSyntaxError");
    assert.match(doc["errorMessage"] ?? "", /^SyntaxError: Unexpected token/);
    // Init is retried on the next invocation (a fresh instance), and fails the same way.
    assert.equal(((await invoke("syntax")).body as Record<string, string>)["errorType"], "Runtime.UserCodeSyntaxError");
  });

  test("a handler past its Timeout is killed: Sandbox.Timedout, and the next call gets a fresh instance", async () => {
    await createFn("spin", "index.spin", { Timeout: 1 });
    await createFn("bystander", "index.counter");
    await invoke("bystander");
    const started = performance.now();
    const spinning = invoke("spin");
    // While one function burns a CPU, the gateway and other functions keep answering.
    const t0 = performance.now();
    assert.equal((await invoke("bystander")).functionError, undefined);
    assert.ok(performance.now() - t0 < 900, "a bystander function is not blocked");
    const res = await spinning;
    const elapsed = performance.now() - started;
    assert.equal(res.functionError, "Unhandled");
    const body = res.body as Record<string, string>;
    assert.equal(body["errorType"], "Sandbox.Timedout");
    assert.match(body["errorMessage"] ?? "", /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
    assert.ok(elapsed >= 950 && elapsed < 4000, `timed out after ${elapsed} ms`);
    assert.match(res.log, /Task timed out after 1\.00 seconds/);
    assert.match(res.log, /REPORT RequestId: .*Status: timeout/);
    // The killed instance is replaced; the function keeps working.
    await lambda.send(new L.UpdateFunctionConfigurationCommand({ FunctionName: "spin", Handler: "index.counter" }));
    assert.equal(((await invoke("spin")).body as { count: number }).count, 1);
  });

  test("process.exit in a handler is Runtime.ExitError for that call only", async () => {
    await createFn("exit", "index.exit");
    const res = await invoke("exit");
    assert.equal(res.functionError, "Unhandled");
    const body = res.body as Record<string, string>;
    assert.equal(body["errorType"], "Runtime.ExitError");
    assert.match(body["errorMessage"] ?? "", /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/);
    assert.match(res.log, /about to exit/);
    assert.equal((await invoke("exit")).functionError, "Unhandled", "the function can be invoked again");
    assert.equal((await invoke("echo", { still: "up" })).functionError, undefined);
  });

  test("a handler that exhausts its MemorySize dies alone with Runtime.OutOfMemory", async () => {
    await createFn("hog", "index.hog", { MemorySize: 128, Timeout: 20 });
    const res = await invoke("hog");
    assert.equal(res.functionError, "Unhandled");
    const body = res.body as Record<string, string>;
    assert.equal(body["errorType"], "Runtime.OutOfMemory");
    assert.match(body["errorMessage"] ?? "", /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: /);
    assert.deepEqual((await invoke("echo", { after: "oom" })).body, { after: "oom" });
  });

  // A thread dies with its gateway; a process has to notice.
  test("an instance whose gateway died without stopping it kills itself, even inside an endless loop", { skip: isolation === "thread" }, async () => {
    // A stand-in gateway process: starts an instance on a spinning handler, then dies abruptly.
    const root = mkdtempSync(join(scratch, "orphan-"));
    writeFileSync(join(root, "index.js"), "exports.handler = async () => { for (;;) {} };\n");
    writeFileSync(join(root, "package.json"), '{"type":"commonjs"}');
    const bootstrap = fileURLToPath(new URL("../../src/lambda/runtime-bootstrap.js", import.meta.url));
    const parent = `
      const { fork } = require("node:child_process");
      const child = fork(${JSON.stringify(bootstrap)}, [], { cwd: ${JSON.stringify(root)}, stdio: ["ignore", "ignore", "ignore", "ipc"],
        env: { _HANDLER: "index.handler", LAMBDA_TASK_ROOT: ${JSON.stringify(root)} } });
      child.on("message", (m) => {
        if (m.t !== "ready") return;
        child.send({ t: "invoke", requestId: "r", event: "{}", deadlineMs: Date.now() + 60000, invokedFunctionArn: "arn" });
        setTimeout(() => { process.stdout.write(String(child.pid)); process.kill(process.pid, "SIGKILL"); }, 200);
      });`;
    const pid = await new Promise<number>((resolve, reject) => {
      execFile(process.execPath, ["-e", parent], (_err, stdout) => (/^\d+$/.test(stdout) ? resolve(Number(stdout)) : reject(new Error(`no pid: ${stdout}`))));
    });
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    assert.equal(alive(), true, "the orphan is still spinning right after its parent died");
    for (let i = 0; i < 60 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(), false);
  });

  test("an uncaught exception during an invocation fails it and recycles the instance", async () => {
    await createFn("uncaught", "index.uncaught");
    const res = await invoke("uncaught");
    assert.equal(res.functionError, "Unhandled");
    assert.deepEqual(pick(res.body), { errorType: "RangeError", errorMessage: "late boom" });
    assert.equal((await invoke("uncaught")).functionError, "Unhandled");
  });

  test("Tail returns this invocation's log: console lines with request id and level, then END and REPORT", async () => {
    await createFn("chatty", "index.chatty");
    const res = await invoke("chatty");
    const lines = res.log.trimEnd().split("\n");
    const id = /START RequestId: (\S+)/.exec(res.log)?.[1];
    assert.ok(id);
    assert.match(res.log, new RegExp(`\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${id}\\tINFO\\tline one`));
    assert.match(res.log, new RegExp(`\\t${id}\\tERROR\\tan error line`));
    assert.match(res.log, /raw write/);
    assert.match(lines.at(-2) ?? "", new RegExp(`^END RequestId: ${id}$`));
    assert.match(lines.at(-1) ?? "", new RegExp(`^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB`));
    const second = await invoke("chatty");
    assert.equal((second.log.match(/START RequestId/g) ?? []).length, 1, "only that invocation's lines");
    assert.doesNotMatch(second.log, /Init Duration/);

    const bulk = await invoke("chatty", { bulk: true });
    assert.ok(Buffer.from(bulk.log, "utf8").length <= 4096);
    assert.match(bulk.log, /REPORT RequestId/);
    assert.match(bulk.log, /bulk line 199/);
    assert.doesNotMatch(bulk.log, /bulk line 0 /);
    const none = await lambda.send(new L.InvokeCommand({ FunctionName: "chatty", Payload: Buffer.from("{}") }));
    assert.equal(none.LogResult, undefined);
  });

  test("Event invocations answer 202 at once and run in the background; DryRun answers 204 without running", async () => {
    await createFn("writer", "index.writeFile");
    const path = join(scratch, "event.txt");
    const res = await lambda.send(new L.InvokeCommand({ FunctionName: "writer", InvocationType: "Event", Payload: Buffer.from(JSON.stringify({ path })) }));
    assert.equal(res.StatusCode, 202);
    assert.equal(Buffer.from(res.Payload ?? new Uint8Array()).length, 0);
    const written = (): string => (existsSync(path) ? readFileSync(path, "utf8") : "");
    for (let i = 0; i < 60 && written() !== "written"; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(written(), "written");

    const dryPath = join(scratch, "dry.txt");
    const dry = await lambda.send(new L.InvokeCommand({ FunctionName: "writer", InvocationType: "DryRun", Payload: Buffer.from(JSON.stringify({ path: dryPath })) }));
    assert.equal(dry.StatusCode, 204);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(existsSync(dryPath), false);
  });

  test("invocations of one function run in parallel on separate instances", async () => {
    await createFn("parallel", "index.slow");
    // Three cold starts first (each busy instance forces another), so the timed round measures warm instances.
    await Promise.all([1, 2, 3].map(() => invoke("parallel", { ms: 300 })));
    const started = performance.now();
    const results = await Promise.all([1, 2, 3].map((i) => invoke("parallel", { ms: 800, tag: i })));
    const elapsed = performance.now() - started;
    const instances = new Set(results.map((r) => (r.body as { instance: string }).instance));
    assert.equal(instances.size, 3);
    assert.ok(elapsed < 2000, `three 800 ms calls overlapped (took ${Math.round(elapsed)} ms; one after another is 2400)`);
  });

  test("a new code version takes over without dropping the call in flight; the old instance then retires", async () => {
    await createFn("rollover", "index.heartbeat");
    const beat = join(scratch, `rollover-${isolation}.beat`);
    const inFlight = invoke("rollover", { ms: 600, tag: "old", path: beat });
    await new Promise((r) => setTimeout(r, 150));
    await lambda.send(
      new L.UpdateFunctionCodeCommand({ FunctionName: "rollover", ZipFile: zipOf({ "index.js": "exports.heartbeat = async (e) => ({ tag: 'new code' });" }) }),
    );
    assert.deepEqual((await invoke("rollover", { tag: "x" })).body, { tag: "new code" });
    const old = await inFlight;
    assert.equal(old.functionError, undefined);
    assert.deepEqual(old.body, { tag: "old" });
    // Its call done, the old-code instance retires: its heartbeat stops.
    const lastBeat = (): string => readFileSync(beat, "utf8");
    const alive = async (): Promise<boolean> => {
      const before = lastBeat();
      await new Promise((r) => setTimeout(r, 100));
      return lastBeat() !== before;
    };
    for (let i = 0; i < 10 && (await alive()); i++);
    assert.equal(await alive(), false);
  });

  test("a changed environment reaches the next invocation", async () => {
    await createFn("reconf", "index.env", { Environment: { Variables: { STAGE: "one" } } });
    assert.equal(((await invoke("reconf")).body as Record<string, string>)["STAGE"], "one");
    await lambda.send(new L.UpdateFunctionConfigurationCommand({ FunctionName: "reconf", Environment: { Variables: { STAGE: "two" } } }));
    assert.equal(((await invoke("reconf")).body as Record<string, string>)["STAGE"], "two");
  });

  test("a payload that is not JSON is InvalidRequestContentException (400)", async () => {
    await assert.rejects(
      lambda.send(new L.InvokeCommand({ FunctionName: "echo", Payload: Buffer.from("{not json") })),
      (err: L.InvalidRequestContentException) => {
        assert.ok(err instanceof L.InvalidRequestContentException);
        assert.equal(err.$metadata.httpStatusCode, 400);
        assert.match(err.message, /^Could not parse request body into json: /);
        return true;
      },
    );
  });

  test("concurrency is bounded per function: excess calls queue, beyond the queue TooManyRequestsException", async () => {
    await createFn("bounded", "index.slow");
    const host = new LocalFunctionHost({ config: t.gw.config, store: t.gw.store, logger: pino({ level: "silent" }), limits: { maxInstances: 2, maxQueue: 1 } });
    try {
      const call = (tag: number): Promise<{ statusCode: number; payload: Buffer }> =>
        host.invoke("bounded", Buffer.from(JSON.stringify({ ms: 400, tag })), { invocationType: "RequestResponse" });
      const started = performance.now();
      const running = [call(1), call(2), call(3)];
      await assert.rejects(call(4), (err: ApiError) => {
        assert.ok(err instanceof ApiError);
        assert.equal(err.kind.type, "TooManyRequestsException");
        assert.equal(err.kind.status, 429);
        return true;
      });
      const results = await Promise.all(running);
      const elapsed = performance.now() - started;
      assert.deepEqual(results.map((r) => JSON.parse(r.payload.toString()).tag), [1, 2, 3]);
      assert.ok(elapsed >= 780, `the third call waited for a free instance (${Math.round(elapsed)} ms)`);
    } finally {
      await host.close();
    }
  });
});

function pick(body: unknown): { errorType: unknown; errorMessage: unknown } {
  const doc = body as Record<string, unknown>;
  return { errorType: doc["errorType"], errorMessage: doc["errorMessage"] };
}
