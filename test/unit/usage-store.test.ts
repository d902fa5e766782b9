// The usage-store contract against SQLite (PostgreSQL runs it in test/integration/postgres-usage-store.test.ts),
// plus SQLite's own durability guarantee.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openSqliteUsageStore } from "../../src/store/sqlite-usage-store.js";
import { usageStoreContract } from "../helpers/usage-store-contract.js";

usageStoreContract({
  name: "SqliteUsageStore",
  async create() {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-usage-"));
    return { location: dir, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  open: async (dir) => openSqliteUsageStore(dir),
});

describe("SqliteUsageStore durability", () => {
  test("every count acknowledged before a SIGKILL is still there afterwards", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-usage-"));
    try {
      const storeModule = fileURLToPath(new URL("../../src/store/sqlite-usage-store.js", import.meta.url));
      // The child counts until killed and prints each acknowledged count; the parent kills it mid-stream.
      const script = `
        const { openSqliteUsageStore } = await import(${JSON.stringify(storeModule)});
        const store = openSqliteUsageStore(${JSON.stringify(dir)});
        for (;;) {
          const r = await store.consumeQuota({ usagePlanId: "p", keyId: "k", periodStart: "2024-06-01" }, 1e9);
          process.stdout.write(r.used + "\\n");
          // Yield like a server between requests, so stdout is flushed while counting goes on.
          await new Promise((resolve) => setImmediate(resolve));
        }`;
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      let acknowledged = 0;
      let buffered = "";
      // Bounded: a child that never reports 2000 counts is killed after 20 s and the assertion below fails.
      const guard = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await new Promise<void>((resolve) => {
        child.stdout.on("data", (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split("\n");
          buffered = lines.pop()!;
          if (lines.length) acknowledged = Number(lines[lines.length - 1]);
          if (acknowledged >= 2000 && child.exitCode === null && !child.killed) child.kill("SIGKILL");
        });
        child.on("exit", () => resolve());
      });
      clearTimeout(guard);
      assert.equal(child.signalCode, "SIGKILL");
      assert.ok(acknowledged >= 2000, `the child acknowledged ${acknowledged} counts before it was killed`);
      const store = openSqliteUsageStore(dir);
      const { used } = await store.readQuota({ usagePlanId: "p", keyId: "k", periodStart: "2024-06-01" }, 1e9);
      await store.close();
      assert.ok(used >= acknowledged, `stored ${used} >= acknowledged ${acknowledged}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
