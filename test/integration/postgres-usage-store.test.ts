// The usage-store contract against PostgreSQL, and a gateway on PostgreSQL answering GetUsage/UpdateUsage from it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { PostgresUsageStore } from "../../src/store/postgres-usage-store.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { usageStoreContract } from "../helpers/usage-store-contract.js";

usageStoreContract({
  name: "PostgresUsageStore",
  async create() {
    const db = await createTestDatabase();
    return { location: db.url, dispose: () => db.drop() };
  },
  open: (url) => PostgresUsageStore.open(url),
});

describe("PostgresUsageStore across stores", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  test("two stores on one database (two nodes) admit exactly Q of 200 concurrent calls between them", async () => {
    const [a, b] = await Promise.all([PostgresUsageStore.open(db.url), PostgresUsageStore.open(db.url)]);
    try {
      const key = { usagePlanId: "p", keyId: "k", periodStart: "2024-06-01" };
      const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).consumeQuota(key, 61)));
      assert.equal(outcomes.filter((o) => o.allowed).length, 61);
      assert.deepEqual(await a.readQuota(key, 61), { used: 61, remaining: 0 });
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("a gateway on PostgreSQL keeps UpdateUsage's remaining in the shared store", async () => {
    let t: TestGateway | undefined = await startTestGateway({ TOLLGATE_DATABASE_URL: db.url });
    try {
      const plan = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "pg", quota: { limit: 10, period: "DAY" } }));
      const key = await t.ag.send(new AG.CreateApiKeyCommand({ name: "pg-key" }));
      await t.ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: "API_KEY" }));
      await t.ag.send(new AG.UpdateUsageCommand({ usagePlanId: plan.id!, keyId: key.id!, patchOperations: [{ op: "replace", path: "/remaining", value: "4" }] }));
      await t.close();
      t = await startTestGateway({ TOLLGATE_DATABASE_URL: db.url });
      const day = new Date().toISOString().slice(0, 10);
      const usage = await t.ag.send(new AG.GetUsageCommand({ usagePlanId: plan.id!, startDate: day, endDate: day }));
      assert.deepEqual(usage.items, { [key.id!]: [[0, 4]] }, "another gateway process sees the same counter");
    } finally {
      await t?.close();
    }
  });
});
