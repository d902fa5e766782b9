import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("remote Lambda endpoint configuration", () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "tollgate-config-lambda-"));
    env = { TOLLGATE_DATA_DIR: join(dir, "data") };
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test("unset by default: functions run locally only", () => {
    const config = loadConfig([], env);
    assert.equal(config.lambdaEndpoint, undefined);
  });

  test("--lambda-endpoint with TOLLGATE_LAMBDA_* credentials", () => {
    const config = loadConfig(["--lambda-endpoint", "https://lambda.us-east-1.amazonaws.com"], {
      ...env,
      TOLLGATE_LAMBDA_ACCESS_KEY_ID: "AKIA1",
      TOLLGATE_LAMBDA_SECRET_ACCESS_KEY: "s1",
      AWS_ACCESS_KEY_ID: "AKIA2",
      AWS_SECRET_ACCESS_KEY: "s2",
    });
    assert.equal(config.lambdaEndpoint, "https://lambda.us-east-1.amazonaws.com");
    assert.deepEqual(config.lambdaCredentials, { accessKeyId: "AKIA1", secretAccessKey: "s1" });
  });

  test("the credentials fall back to AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY", () => {
    const config = loadConfig([], { ...env, TOLLGATE_LAMBDA_ENDPOINT: "http://127.0.0.1:9001", AWS_ACCESS_KEY_ID: "AKIA2", AWS_SECRET_ACCESS_KEY: "s2" });
    assert.deepEqual(config.lambdaCredentials, { accessKeyId: "AKIA2", secretAccessKey: "s2" });
  });

  test("an endpoint that is not an http(s) URL, or one without credentials, stops start-up", () => {
    assert.throws(() => loadConfig([], { ...env, TOLLGATE_LAMBDA_ENDPOINT: "lambda.local", AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.variable, "TOLLGATE_LAMBDA_ENDPOINT");
      return true;
    });
    assert.throws(() => loadConfig([], { ...env, TOLLGATE_LAMBDA_ENDPOINT: "http://127.0.0.1:9001" }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.variable, "TOLLGATE_LAMBDA_ACCESS_KEY_ID");
      return true;
    });
  });

  test("functions run in worker threads by default; --lambda-isolation process selects child processes", () => {
    assert.equal(loadConfig([], env).lambdaIsolation, "thread");
    assert.equal(loadConfig(["--lambda-isolation", "process"], env).lambdaIsolation, "process");
    assert.equal(loadConfig([], { ...env, TOLLGATE_LAMBDA_ISOLATION: "process" }).lambdaIsolation, "process");
    assert.throws(
      () => loadConfig([], { ...env, TOLLGATE_LAMBDA_ISOLATION: "container" }),
      (err: ConfigError) => err instanceof ConfigError && err.message === "TOLLGATE_LAMBDA_ISOLATION: must be thread or process, got 'container'",
    );
  });

  test("TOLLGATE_COGNITO_ENDPOINT: unset means AWS's user pools; a value must be an http(s) URL", () => {
    assert.equal(loadConfig([], env).cognitoEndpoint, undefined);
    assert.equal(loadConfig(["--cognito-endpoint", "http://127.0.0.1:9229"], env).cognitoEndpoint, "http://127.0.0.1:9229");
    assert.throws(() => loadConfig([], { ...env, TOLLGATE_COGNITO_ENDPOINT: "localhost:9229" }), /TOLLGATE_COGNITO_ENDPOINT: must be an http\(s\) URL/);
  });

  test("TOLLGATE_VPC_ENDPOINT_ID must be a vpce- id", () => {
    assert.equal(loadConfig([], env).vpcEndpointId, undefined);
    assert.equal(loadConfig([], { ...env, TOLLGATE_VPC_ENDPOINT_ID: "vpce-0a1b2c3d" }).vpcEndpointId, "vpce-0a1b2c3d");
    assert.throws(() => loadConfig(["--vpc-endpoint-id", "endpoint-1"], env), /TOLLGATE_VPC_ENDPOINT_ID: must look like vpce-/);
  });
});
