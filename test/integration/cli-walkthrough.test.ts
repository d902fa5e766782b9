// The AWS CLI rows of sdk-conformance.md §I that concern stages, deployments and tags (36, 41, 9), plus the
// `tollgate` command's own contract: --version, --help, and exit code 2 with one line for bad configuration.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ACCOUNT, REGION, TEST_CREDENTIALS, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { createPetsApi } from "../helpers/fixtures.js";

const run = promisify(execFile);
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(REPO, "bin", "tollgate.js");

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command and reports its exit code instead of throwing on a non-zero one. */
async function exec(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(file, args, { env, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw err;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** The parent environment without any TOLLGATE_* or AWS_* settings that could leak into a child. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("TOLLGATE_") && !k.startsWith("AWS_")) env[k] = v;
  return { ...env, ...extra };
}

describe("AWS CLI walkthrough (conformance rows 36, 41, 9)", () => {
  let t: TestGateway;
  let restApiId: string;
  let cliEnv: NodeJS.ProcessEnv;
  before(async () => {
    t = await startTestGateway();
    ({ restApiId } = await createPetsApi(t.ag));
    cliEnv = cleanEnv({
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_DEFAULT_REGION: REGION,
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
    });
  });
  after(async () => {
    await t.close();
  });

  const aws = async (...args: string[]): Promise<Outcome> => exec("aws", ["apigateway", ...args, "--endpoint-url", t.endpoint], cliEnv);
  const awsJson = async (...args: string[]): Promise<Record<string, unknown>> => {
    const out = await aws(...args);
    assert.equal(out.code, 0, out.stderr);
    return JSON.parse(out.stdout) as Record<string, unknown>;
  };

  test("row 36: create-deployment with --stage-name and --variables, then get-stage", async () => {
    const dep = await awsJson("create-deployment", "--rest-api-id", restApiId, "--stage-name", "dev", "--variables", "v=1");
    assert.match(String(dep["id"]), /^[a-z0-9]{6}$/);
    assert.equal(typeof dep["createdDate"], "number", "CLI v1 prints epoch numbers");
    const stage = await awsJson("get-stage", "--rest-api-id", restApiId, "--stage-name", "dev");
    assert.equal(stage["deploymentId"], dep["id"]);
    assert.deepEqual(stage["variables"], { v: "1" });
  });

  test("row 41: update-stage with method-setting paths in shorthand syntax", async () => {
    const stage = await awsJson(
      "update-stage",
      "--rest-api-id",
      restApiId,
      "--stage-name",
      "dev",
      "--patch-operations",
      "op=replace,path=/*/*/throttling/rateLimit,value=100",
      "op=replace,path=/~1pets/GET/caching/enabled,value=true",
    );
    const settings = stage["methodSettings"] as Record<string, Record<string, unknown>>;
    assert.equal(settings["*/*"]?.["throttlingRateLimit"], 100);
    assert.equal(settings["~1pets/GET"]?.["cachingEnabled"], true);
  });

  test("row 9: tag-resource prints nothing, get-tags prints the map", async () => {
    const arn = `arn:aws:apigateway:${REGION}::/restapis/${restApiId}`;
    const tagged = await aws("tag-resource", "--resource-arn", arn, "--tags", "a=1");
    assert.equal(tagged.code, 0, tagged.stderr);
    assert.equal(tagged.stdout.trim(), "");
    assert.deepEqual(await awsJson("get-tags", "--resource-arn", arn), { tags: { a: "1" } });
  });

  test("a service error exits non-zero with AWS's one-line message", async () => {
    const out = await aws("get-stage", "--rest-api-id", restApiId, "--stage-name", "nope");
    assert.equal(out.code, 255);
    assert.match(out.stderr, /An error occurred \(NotFoundException\) when calling the GetStage operation: Invalid stage identifier specified/);
    const missingApi = await aws("get-stages", "--rest-api-id", "doesnotexi");
    assert.match(missingApi.stderr, new RegExp(`Invalid API identifier specified ${ACCOUNT}:doesnotexi`));
  });
});

describe("the tollgate command", () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "tollgate-cli-"));
  });
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  const tollgate = (args: string[], env: Record<string, string> = {}): Promise<Outcome> =>
    exec(process.execPath, [BIN, ...args], cleanEnv({ TOLLGATE_DATA_DIR: dataDir, ...env }));

  test("--version prints the package version", async () => {
    const out = await tollgate(["--version"]);
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };
    assert.equal(out.code, 0);
    assert.equal(out.stdout.trim(), pkg.version);
  });

  test("--help lists the serve command and its environment variables", async () => {
    const out = await tollgate(["--help"]);
    assert.equal(out.code, 0);
    assert.match(out.stdout, /Usage: tollgate/);
    assert.match(out.stdout, /serve/);
    assert.match(out.stdout, /TOLLGATE_ADMIN_PORT/);
  });

  for (const [variable, value] of [
    ["TOLLGATE_ADMIN_PORT", "99999"],
    ["TOLLGATE_DATABASE_URL", "notaurl"],
  ] as const) {
    test(`serve with a bad ${variable} exits 2 with one line naming the variable`, async () => {
      const out = await tollgate(["serve"], { TOLLGATE_ADMIN_PORT: "0", TOLLGATE_PORT: "0", [variable]: value });
      assert.equal(out.code, 2);
      const lines = out.stderr.trim().split("\n");
      assert.equal(lines.length, 1, out.stderr);
      assert.match(lines[0]!, new RegExp(variable));
      assert.equal(out.stdout, "");
    });
  }
});
