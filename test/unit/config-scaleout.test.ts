import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, helpText, loadConfig } from "../../src/config.js";
import { limiterKeyPrefix } from "../../src/limits/open-limiter.js";

const BIN = new URL("../../../bin/tollgate.js", import.meta.url).pathname;

describe("scale-out configuration", () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "tollgate-config-scaleout-"));
    env = { TOLLGATE_DATA_DIR: join(dir, "data") };
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function rejects(variable: string, extraEnv: Record<string, string>, detail: RegExp, args: readonly string[] = []): void {
    assert.throws(
      () => loadConfig(args, { ...env, ...extraEnv }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
        assert.equal(err.variable, variable);
        assert.match(err.message, detail);
        return true;
      },
    );
  }

  test("defaults: no Redis, the 'local' outage policy and one worker per core", () => {
    const c = loadConfig([], env);
    assert.equal(c.redisUrl, undefined);
    assert.equal(c.redisOutage, "local");
    assert.equal(c.workers, availableParallelism());
  });

  test("TOLLGATE_REDIS_URL accepts redis:// and rediss:// with an optional database number, from env or flag", () => {
    assert.equal(loadConfig([], { ...env, TOLLGATE_REDIS_URL: "redis://127.0.0.1:6379/12" }).redisUrl, "redis://127.0.0.1:6379/12");
    assert.equal(loadConfig(["--redis-url", "rediss://:secret@cache.internal:6380"], env).redisUrl, "rediss://:secret@cache.internal:6380");
    assert.equal(loadConfig(["--redis-url=redis://localhost"], { ...env, TOLLGATE_REDIS_URL: "redis://other" }).redisUrl, "redis://localhost");
  });

  test("a malformed Redis URL, a foreign scheme or a non-numeric database is refused naming the variable", () => {
    rejects("TOLLGATE_REDIS_URL", { TOLLGATE_REDIS_URL: "not a url" }, /malformed URL 'not a url'/);
    rejects("TOLLGATE_REDIS_URL", { TOLLGATE_REDIS_URL: "http://127.0.0.1:6379" }, /unsupported scheme 'http:'/);
    rejects("TOLLGATE_REDIS_URL", { TOLLGATE_REDIS_URL: "redis://127.0.0.1:6379/cache" }, /invalid database number 'cache'/);
  });

  test("TOLLGATE_REDIS_OUTAGE is 'local' or 'closed' and nothing else", () => {
    assert.equal(loadConfig([], { ...env, TOLLGATE_REDIS_OUTAGE: "closed" }).redisOutage, "closed");
    assert.equal(loadConfig(["--redis-outage", "local"], { ...env, TOLLGATE_REDIS_OUTAGE: "closed" }).redisOutage, "local");
    rejects("TOLLGATE_REDIS_OUTAGE", { TOLLGATE_REDIS_OUTAGE: "open" }, /must be 'local' or 'closed', got 'open'/);
  });

  test("TOLLGATE_WORKERS takes a positive integer; 1 means no cluster", () => {
    assert.equal(loadConfig([], { ...env, TOLLGATE_WORKERS: "1" }).workers, 1);
    assert.equal(loadConfig(["--workers", "3"], env).workers, 3);
    rejects("TOLLGATE_WORKERS", { TOLLGATE_WORKERS: "0" }, /positive integer, got '0'/);
    rejects("TOLLGATE_WORKERS", { TOLLGATE_WORKERS: "two" }, /positive integer, got 'two'/);
  });

  test("the generated help lists the three settings with their flags", () => {
    const help = helpText();
    for (const flag of ["--redis-url", "--redis-outage", "--workers"]) assert.match(help, new RegExp(`${flag} <value>`));
    assert.match(help, /TOLLGATE_REDIS_OUTAGE \(default local\)/);
  });

  test("`tollgate serve` exits with status 2 on a malformed Redis URL, before starting anything", () => {
    const out = spawnSync(process.execPath, [BIN, "serve"], {
      env: { ...process.env, ...env, TOLLGATE_REDIS_URL: "redis//nohost", TOLLGATE_WORKERS: "1" },
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.equal(out.status, 2);
    assert.match(out.stderr, /invalid configuration: TOLLGATE_REDIS_URL: malformed URL/);
  });

  test("Redis key prefixes differ between deployments and agree between nodes of one deployment", () => {
    const a = limiterKeyPrefix({ databaseUrl: "postgres://u:one@db:5432/gw", dataDir: "/a" });
    const b = limiterKeyPrefix({ databaseUrl: "postgres://u:two@db:5432/gw", dataDir: "/b" });
    const other = limiterKeyPrefix({ databaseUrl: "postgres://u:one@db:5432/gw2", dataDir: "/a" });
    assert.equal(a, b, "nodes of one PostgreSQL deployment share buckets whatever their data dir or password");
    assert.notEqual(a, other);
    assert.notEqual(limiterKeyPrefix({ databaseUrl: undefined, dataDir: "/a" }), limiterKeyPrefix({ databaseUrl: undefined, dataDir: "/b" }));
    assert.match(a, /^tollgate:[0-9a-f]{16}$/);
    assert.doesNotMatch(a, /one|db|gw/);
  });
});
