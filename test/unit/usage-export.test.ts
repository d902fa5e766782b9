// `tollgate usage export`'s CSV: header, one row per metering row, RFC 4180 quoting, key names and the plan that
// covers the key on that API stage, and the date check of --from/--to.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { exportUsageCsv, isDay } from "../../src/billing/usage-export.js";
import type { ApiKeyDoc, UsagePlanDoc } from "../../src/domain/usage.js";
import type { DocKind, StoreReader } from "../../src/store/config-store.js";
import type { MeteringRow, UsageStore } from "../../src/store/usage-store.js";

const key = (id: string, name: string): ApiKeyDoc => ({ id, name, value: `${id}-value-0123456789`, enabled: true, createdDate: 0, lastUpdatedDate: 0, stageKeys: [], tags: {} });
const plan = (id: string, keyIds: string[]): UsagePlanDoc => ({ id, name: id, apiStages: [{ apiId: "api1", stage: "prod" }], tags: {}, keyIds });

function reader(docs: Partial<Record<DocKind, unknown[]>>): StoreReader {
  return {
    get: async () => undefined,
    list: async <T>(kind: DocKind) => (docs[kind] ?? []) as T[],
    count: async (kind: DocKind) => (docs[kind] ?? []).length,
  };
}

function usageWith(rows: MeteringRow[], seen: [string, string][]): UsageStore {
  const unused = async (): Promise<never> => {
    throw new Error("not used by the export");
  };
  return {
    consumeQuota: unused,
    readQuota: unused,
    setRemaining: unused,
    meter: unused,
    readMetering: unused,
    deletePlanUsage: unused,
    exportMetering: async (from, to) => {
      seen.push([from, to]);
      return rows;
    },
    close: async () => {},
  };
}

describe("usage export", () => {
  test("prints the header and one row per key, API, stage and day, quoting names that need it", async () => {
    const seen: [string, string][] = [];
    const rows: MeteringRow[] = [
      { day: "2026-11-01", keyId: "k1", apiId: "api1", stage: "prod", calls: 3, responseBytes: 120 },
      { day: "2026-11-01", keyId: "k2", apiId: "api1", stage: "test", calls: 1, responseBytes: 7 },
    ];
    const csv = await exportUsageCsv(usageWith(rows, seen), reader({ apikey: [key("k1", 'Acme, "Inc"'), key("k2", "beta")], usageplan: [plan("p1", ["k1", "k2"])] }), "2026-11-01", "2026-11-30");
    assert.deepEqual(seen, [["2026-11-01", "2026-11-30"]]);
    assert.equal(
      csv,
      "day,apiKeyId,apiKeyName,apiId,stage,usagePlanId,calls,responseBytes\n" +
        '2026-11-01,k1,"Acme, ""Inc""",api1,prod,p1,3,120\n' +
        "2026-11-01,k2,beta,api1,test,,1,7\n",
    );
  });

  test("dates must be real calendar days", () => {
    assert.equal(isDay("2026-02-28"), true);
    assert.equal(isDay("2026-02-30"), false);
    assert.equal(isDay("2026-13-01"), false);
    assert.equal(isDay("2026-2-1"), false);
  });
});
