// One contract suite run against every ConfigStore implementation (SQLite and PostgreSQL).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfigStore, DocChange } from "../../src/store/config-store.js";
import { PostgresConfigStore } from "../../src/store/postgres-store.js";
import { SqliteConfigStore } from "../../src/store/sqlite-store.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";

interface Counter {
  n: number;
}

function contract(name: string, open: () => Promise<ConfigStore>, cleanup: () => Promise<void>): void {
  describe(`${name} configuration store`, () => {
    let store: ConfigStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    test("documents come back as written, listed oldest first, and a replace keeps its place", async () => {
      await store.write(async (w) => {
        await w.put("restapi", "a", { n: 1 }, "");
        await w.put("restapi", "b", { n: 2 }, "");
        await w.put("stage", "a/dev", { n: 3 }, "a");
      });
      await store.write(async (w) => w.put("restapi", "a", { n: 10 }, ""));
      assert.deepEqual(await store.reader.get<Counter>("restapi", "a"), { n: 10 });
      assert.deepEqual(await store.reader.list<Counter>("restapi"), [{ n: 10 }, { n: 2 }]);
      assert.deepEqual(await store.reader.list<Counter>("stage", "a"), [{ n: 3 }]);
      assert.equal(await store.reader.count("restapi"), 2);
      assert.equal(await store.reader.get("restapi", "missing"), undefined);
    });

    test("a transaction that throws leaves nothing behind", async () => {
      await assert.rejects(
        store.write(async (w) => {
          await w.put("apikey", "x1", { n: 1 });
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.equal(await store.reader.get("apikey", "x1"), undefined);
    });

    test("concurrent read-modify-write transactions are serialised", async () => {
      await store.write(async (w) => w.put("account", "counter", { n: 0 }));
      await Promise.all(
        Array.from({ length: 40 }, () =>
          store.write(async (w) => {
            const c = (await w.get<Counter>("account", "counter"))!;
            await w.put("account", "counter", { n: c.n + 1 });
          }),
        ),
      );
      assert.deepEqual(await store.reader.get("account", "counter"), { n: 40 });
    });

    test("listeners hear committed changes only, with kind, id, parent and op", async () => {
      const heard: DocChange[] = [];
      const off = store.onChange((changes) => heard.push(...changes));
      await store.write(async (w) => {
        await w.put("stage", "z/prod", { n: 1 }, "z");
        await w.delete("stage", "z/prod");
      });
      await store.write(async (w) => w.delete("stage", "never-existed")).catch(() => undefined);
      off();
      assert.deepEqual(heard, [
        { kind: "stage", id: "z/prod", parent: "z", op: "put" },
        { kind: "stage", id: "z/prod", parent: "z", op: "delete" },
      ]);
    });
  });
}

const sqliteDir = mkdtempSync(join(tmpdir(), "tollgate-store-"));
contract("SQLite", async () => new SqliteConfigStore(sqliteDir), async () => rmSync(sqliteDir, { recursive: true, force: true }));

let db: TestDatabase | undefined;
contract(
  "PostgreSQL",
  async () => {
    db = await createTestDatabase();
    return PostgresConfigStore.open(db.url);
  },
  async () => db?.drop(),
);

describe("SQLite configuration store shared by several processes", () => {
  test("a change committed by one store instance reaches another instance on the same file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-store-shared-"));
    const a = new SqliteConfigStore(dir);
    const b = new SqliteConfigStore(dir);
    try {
      const heard = new Promise<DocChange[]>((resolve) => b.onChange((changes) => resolve([...changes])));
      await a.write(async (w) => w.put("stage", "api/dev", { n: 1 }, "api"));
      const changes = await Promise.race([heard, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no change heard")), 1000))]);
      assert.deepEqual(changes, [{ kind: "stage", id: "api/dev", parent: "api", op: "put" }]);
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("PostgreSQL configuration store across nodes", () => {
  test("a change committed on one node reaches another node's listeners within a second", async () => {
    const shared = await createTestDatabase();
    const [a, b] = [await PostgresConfigStore.open(shared.url), await PostgresConfigStore.open(shared.url)];
    try {
      const heard = new Promise<DocChange[]>((resolve) => b.onChange((changes) => resolve([...changes])));
      const started = Date.now();
      await a.write(async (w) => w.put("deployment", "api/dep1", { n: 1 }, "api"));
      const changes = await Promise.race([heard, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no notification")), 1000))]);
      assert.deepEqual(changes, [{ kind: "deployment", id: "api/dep1", parent: "api", op: "put" }]);
      assert.ok(Date.now() - started < 1000);
      assert.deepEqual(await b.reader.get("deployment", "api/dep1"), { n: 1 });
    } finally {
      await a.close();
      await b.close();
      await shared.drop();
    }
  });
});
