import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, SETTINGS, helpText, loadConfig } from "../../src/config.js";

describe("configuration", () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "tollgate-config-"));
    env = { TOLLGATE_DATA_DIR: join(dir, "data") };
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** loadConfig must throw a ConfigError naming `variable`, with a message that starts with it. */
  function rejects(variable: string, args: readonly string[], extraEnv: Record<string, string>, detail?: RegExp): void {
    assert.throws(
      () => loadConfig(args, { ...env, ...extraEnv }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
        assert.equal(err.variable, variable);
        assert.ok(err.message.startsWith(`${variable}: `), err.message);
        if (detail) assert.match(err.message, detail);
        return true;
      },
    );
  }

  test("defaults: every setting has AWS-like or local-first defaults", () => {
    const c = loadConfig([], env);
    assert.equal(c.adminHost, "127.0.0.1");
    assert.equal(c.adminPort, 9001);
    assert.equal(c.host, "0.0.0.0");
    assert.equal(c.port, 8443);
    assert.equal(c.region, "us-east-1");
    assert.equal(c.accountId, "000000000000");
    assert.equal(c.adminAccessKeyId, undefined);
    assert.equal(c.adminSecretAccessKey, undefined);
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.logLevel, "info");
    assert.equal(c.tlsCert, undefined);
    assert.equal(c.tlsKey, undefined);
    assert.equal(c.executeApiDomain, "execute-api.localhost");
    assert.deepEqual(c.limits, { regionalApis: 600, privateApis: 600, edgeApis: 120, stagesPerApi: 10 });
    assert.equal(SETTINGS.dataDir.defaultValue, "./.tollgate");
  });

  test("the data dir is created (mode 0700) and resolved to an absolute path", () => {
    const c = loadConfig([], { TOLLGATE_DATA_DIR: join(dir, "nested", "deeper") });
    assert.equal(c.dataDir, join(dir, "nested", "deeper"));
    assert.ok(statSync(c.dataDir).isDirectory());
    assert.equal(statSync(c.dataDir).mode & 0o777, 0o700);
  });

  test("environment variables set values; an empty variable means the default", () => {
    const c = loadConfig([], {
      ...env,
      TOLLGATE_ADMIN_PORT: "0",
      TOLLGATE_REGION: "eu-west-1",
      TOLLGATE_ACCOUNT_ID: "123456789012",
      TOLLGATE_LOG_LEVEL: "silent",
      TOLLGATE_EXECUTE_API_DOMAIN: "API.Example.test",
      TOLLGATE_MAX_STAGES_PER_API: "25",
      TOLLGATE_DATABASE_URL: "postgres://u:p@localhost:5432/tollgate",
      TOLLGATE_PORT: "",
    });
    assert.equal(c.adminPort, 0);
    assert.equal(c.port, 8443);
    assert.equal(c.region, "eu-west-1");
    assert.equal(c.accountId, "123456789012");
    assert.equal(c.logLevel, "silent");
    assert.equal(c.executeApiDomain, "api.example.test");
    assert.equal(c.limits.stagesPerApi, 25);
    assert.equal(c.databaseUrl, "postgres://u:p@localhost:5432/tollgate");
  });

  test("flags override environment variables, in both --flag value and --flag=value forms", () => {
    const c = loadConfig(["--admin-port", "1234", "--region=ap-southeast-2", "--log-level", "debug", "--max-edge-apis=7"], {
      ...env,
      TOLLGATE_ADMIN_PORT: "9999",
      TOLLGATE_REGION: "us-west-2",
      TOLLGATE_LOG_LEVEL: "warn",
    });
    assert.equal(c.adminPort, 1234);
    assert.equal(c.region, "ap-southeast-2");
    assert.equal(c.logLevel, "debug");
    assert.equal(c.limits.edgeApis, 7);
  });

  test("unknown flags and flags without a value are ConfigErrors naming the flag", () => {
    rejects("--nope", ["--nope", "1"], {}, /unknown option/);
    rejects("--admin-port", ["--admin-port"], {}, /needs a value/);
  });

  test("each invalid value throws a ConfigError naming its variable", () => {
    for (const [variable, value, quoted] of [
      ["TOLLGATE_ADMIN_PORT", "abc"],
      ["TOLLGATE_ADMIN_PORT", "65536"],
      ["TOLLGATE_ADMIN_PORT", "-1"],
      ["TOLLGATE_PORT", "8443x"],
      ["TOLLGATE_REGION", "US-EAST-1"],
      ["TOLLGATE_REGION", "mars"],
      ["TOLLGATE_ACCOUNT_ID", "12345"],
      ["TOLLGATE_ACCOUNT_ID", "12345678901a"],
      ["TOLLGATE_LOG_LEVEL", "loud"],
      ["TOLLGATE_DATABASE_URL", "not a url"],
      ["TOLLGATE_DATABASE_URL", "mysql://localhost/db", "unsupported scheme 'mysql:'"],
      ["TOLLGATE_EXECUTE_API_DOMAIN", "bad_domain!"],
      ["TOLLGATE_EXECUTE_API_DOMAIN", "-leading.example"],
      ["TOLLGATE_MAX_REGIONAL_APIS", "0"],
      ["TOLLGATE_MAX_PRIVATE_APIS", "many"],
      ["TOLLGATE_MAX_EDGE_APIS", "1.5"],
      ["TOLLGATE_MAX_STAGES_PER_API", "-3"],
    ] as [string, string, string?][]) {
      // The message quotes the offending value (or, for a URL, the part that is wrong).
      const detail = (quoted ?? value).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      rejects(variable, [], { [variable]: value }, new RegExp(detail));
    }
  });

  test("an invalid value given as a flag still names the variable", () => {
    rejects("TOLLGATE_PORT", ["--port", "http"], {}, /invalid port 'http'/);
  });

  test("admin credentials and TLS files must come in pairs; the missing half is named", () => {
    rejects("TOLLGATE_ADMIN_SECRET_ACCESS_KEY", [], { TOLLGATE_ADMIN_ACCESS_KEY_ID: "AKIAX" }, /both admin credentials/);
    rejects("TOLLGATE_ADMIN_ACCESS_KEY_ID", [], { TOLLGATE_ADMIN_SECRET_ACCESS_KEY: "s" }, /both admin credentials/);
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    writeFileSync(cert, "cert");
    writeFileSync(key, "key");
    rejects("TOLLGATE_TLS_KEY", [], { TOLLGATE_TLS_CERT: cert }, /set together/);
    rejects("TOLLGATE_TLS_CERT", [], { TOLLGATE_TLS_KEY: key }, /set together/);
    rejects("TOLLGATE_TLS_KEY", [], { TOLLGATE_TLS_CERT: cert, TOLLGATE_TLS_KEY: join(dir, "missing.pem") }, /cannot read/);
    const c = loadConfig([], { ...env, TOLLGATE_TLS_CERT: cert, TOLLGATE_TLS_KEY: key, TOLLGATE_ADMIN_ACCESS_KEY_ID: "AKIAX", TOLLGATE_ADMIN_SECRET_ACCESS_KEY: "s" });
    assert.deepEqual([c.tlsCert, c.tlsKey, c.adminAccessKeyId, c.adminSecretAccessKey], [cert, key, "AKIAX", "s"]);
  });

  test("a data dir that cannot be created is named in the error", () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    rejects("TOLLGATE_DATA_DIR", [], { TOLLGATE_DATA_DIR: file }, /is not a readable, writable directory/);
    rejects("TOLLGATE_DATA_DIR", [], { TOLLGATE_DATA_DIR: join(file, "sub") }, /ENOTDIR/);
  });

  test("the help text lists every setting with its flag and variable", () => {
    const help = helpText();
    for (const s of Object.values(SETTINGS)) {
      assert.ok(help.includes(s.flag), s.flag);
      assert.ok(help.includes(s.env), s.env);
    }
  });
});
