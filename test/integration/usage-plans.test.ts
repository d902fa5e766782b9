import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { deployPetsApi } from "../helpers/deployed-api.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { rejectsWith } from "../helpers/fixtures.js";


const today = (): string => new Date().toISOString().slice(0, 10);

describe("usage plan, usage plan key and usage operations", () => {
  let t: TestGateway;
  let API: string;
  before(async () => {
    t = await startTestGateway();
    API = await deployPetsApi(t.ag, ["dev", "prod"]);
  });
  after(async () => {
    await t.close();
  });

  const newKey = async (name = "k") => (await t.ag.send(new AG.CreateApiKeyCommand({ name, enabled: true }))).id!;

  test("CreateUsagePlan, UpdateUsagePlan of throttle and quota, unknown plan (scenario 55)", async () => {
    const plan = await t.ag.send(
      new AG.CreateUsagePlanCommand({
        name: "basic",
        description: "100 a day",
        apiStages: [{ apiId: API, stage: "dev" }],
        throttle: { rateLimit: 10, burstLimit: 20 },
        quota: { limit: 100, period: "DAY" },
        tags: { tier: "basic" },
      }),
    );
    assert.equal(plan.$metadata.httpStatusCode, 201);
    assert.match(plan.id!, /^[a-z0-9]{6}$/);
    assert.equal(plan.name, "basic");
    assert.deepEqual(plan.apiStages, [{ apiId: API, stage: "dev" }]);
    assert.deepEqual(plan.throttle, { rateLimit: 10, burstLimit: 20 });
    assert.deepEqual(plan.quota, { limit: 100, offset: 0, period: "DAY" });
    assert.deepEqual(plan.tags, { tier: "basic" });
    const updated = await t.ag.send(
      new AG.UpdateUsagePlanCommand({
        usagePlanId: plan.id!,
        patchOperations: [
          { op: "replace", path: "/throttle/rateLimit", value: "50" },
          { op: "replace", path: "/quota/limit", value: "1000" },
          { op: "replace", path: "/name", value: "basic+" },
          { op: "replace", path: "/productCode", value: "pc-1" },
        ],
      }),
    );
    assert.equal(updated.$metadata.httpStatusCode, 200);
    assert.equal(updated.throttle!.rateLimit, 50);
    assert.equal(updated.throttle!.burstLimit, 20);
    assert.equal(updated.quota!.limit, 1000);
    assert.equal(updated.name, "basic+");
    assert.equal(updated.productCode, "pc-1");
    const got = await t.ag.send(new AG.GetUsagePlanCommand({ usagePlanId: plan.id! }));
    assert.equal(got.quota!.limit, 1000);
    await rejectsWith(t.ag.send(new AG.GetUsagePlanCommand({ usagePlanId: "nope00" })), AG.NotFoundException, 404, "Invalid Usage Plan ID specified");
  });

  test("a plan's API stages must exist, and the quota period is DAY, WEEK or MONTH", async () => {
    await rejectsWith(
      t.ag.send(new AG.CreateUsagePlanCommand({ name: "x", apiStages: [{ apiId: API, stage: "nope" }] })),
      AG.NotFoundException,
      404,
      `API Stage not found: ${API}:nope`,
    );
    await assert.rejects(
      t.ag.send(new AG.CreateUsagePlanCommand({ name: "x", quota: { limit: 5, period: "YEAR" as AG.QuotaPeriodType } })),
      (err: Error) => {
        assert.equal(err.name, "ValidationException");
        assert.match(err.message, /at 'createUsagePlanInput\.quota\.period' failed to satisfy constraint: Member must satisfy enum value set: \[DAY, WEEK, MONTH\]/);
        return true;
      },
    );
    const empty = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "bare" }));
    assert.deepEqual(empty.apiStages, []);
    assert.equal(empty.quota, undefined);
    assert.equal(empty.throttle, undefined);
  });

  test("API stages are removed and added, and per-method throttles set in either path spelling (scenario 56)", async () => {
    const plan = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "stages", apiStages: [{ apiId: API, stage: "dev" }] }));
    const id = plan.id!;
    const patch = (patchOperations: AG.PatchOperation[]) => t.ag.send(new AG.UpdateUsagePlanCommand({ usagePlanId: id, patchOperations }));
    assert.deepEqual((await patch([{ op: "remove", path: "/apiStages", value: `${API}:dev` }])).apiStages, []);
    assert.deepEqual((await patch([{ op: "add", path: "/apiStages", value: `${API}:dev` }])).apiStages, [{ apiId: API, stage: "dev" }]);
    const escaped = await patch([{ op: "replace", path: `/apiStages/${API}:dev/throttle/~1pets/GET/rateLimit`, value: "5" }]);
    assert.equal(escaped.apiStages![0]!.throttle!["/pets/GET"]!.rateLimit, 5);
    // Terraform writes the resource path raw: …/throttle//pets/GET/burstLimit.
    const raw = await patch([{ op: "replace", path: `/apiStages/${API}:dev/throttle//pets/GET/burstLimit`, value: "10" }]);
    assert.deepEqual(raw.apiStages![0]!.throttle, { "/pets/GET": { rateLimit: 5, burstLimit: 10 } });
    const root = await patch([{ op: "replace", path: `/apiStages/${API}:dev/throttle/~1/GET/rateLimit`, value: "1.5" }]);
    assert.deepEqual(root.apiStages![0]!.throttle!["//GET"], { rateLimit: 1.5 });
    const removed = await patch([
      { op: "remove", path: `/apiStages/${API}:dev/throttle/~1pets/GET` },
      { op: "remove", path: `/apiStages/${API}:dev/throttle///GET` },
    ]);
    assert.deepEqual(removed.apiStages, [{ apiId: API, stage: "dev" }]);
  });

  test("throttles given at creation keep their method keys", async () => {
    const plan = await t.ag.send(
      new AG.CreateUsagePlanCommand({ name: "create-throttle", apiStages: [{ apiId: API, stage: "prod", throttle: { "/pets/GET": { burstLimit: 10, rateLimit: 5 } } }] }),
    );
    assert.deepEqual(plan.apiStages, [{ apiId: API, stage: "prod", throttle: { "/pets/GET": { burstLimit: 10, rateLimit: 5 } } }]);
  });

  test("bad API stage patches are rejected with AWS's messages and change nothing", async () => {
    const plan = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "bad-patches", apiStages: [{ apiId: API, stage: "dev" }] }));
    const id = plan.id!;
    const patch = (patchOperations: AG.PatchOperation[]) => t.ag.send(new AG.UpdateUsagePlanCommand({ usagePlanId: id, patchOperations }));
    await rejectsWith(patch([{ op: "remove", path: "/apiStages", value: "garbled" }]), AG.BadRequestException, 400, "Invalid API Stage specified");
    await rejectsWith(
      patch([{ op: "add", path: "/apiStages", value: `${API}:nope` }]),
      AG.NotFoundException,
      404,
      `Invalid API Stage {api: ${API}, stage: nope} specified for usageplan ${id}`,
    );
    await rejectsWith(
      patch([{ op: "replace", path: `/apiStages/${API}:prod/throttle/~1pets/GET/rateLimit`, value: "1" }]),
      AG.NotFoundException,
      404,
      `Invalid API Stage {api: ${API}, stage: prod} specified for usageplan ${id}`,
    );
    await rejectsWith(patch([{ op: "replace", path: "/quota/period", value: "YEAR" }]), AG.BadRequestException, 400, /Invalid quota period/);
    await rejectsWith(
      patch([
        { op: "replace", path: "/name", value: "renamed" },
        { op: "replace", path: "/bogus", value: "1" },
      ]),
      AG.BadRequestException,
      400,
      "Invalid patch path /bogus",
    );
    assert.equal((await t.ag.send(new AG.GetUsagePlanCommand({ usagePlanId: id }))).name, "bad-patches");
  });

  test("throttle and quota are created by replace and dropped by remove", async () => {
    const plan = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "tq" }));
    const patch = (patchOperations: AG.PatchOperation[]) => t.ag.send(new AG.UpdateUsagePlanCommand({ usagePlanId: plan.id!, patchOperations }));
    const set = await patch([
      { op: "replace", path: "/throttle/burstLimit", value: "3" },
      { op: "replace", path: "/quota/limit", value: "500" },
      { op: "replace", path: "/quota/period", value: "WEEK" },
      { op: "replace", path: "/quota/offset", value: "20" },
    ]);
    assert.deepEqual(set.throttle, { burstLimit: 3 });
    assert.deepEqual(set.quota, { limit: 500, offset: 20, period: "WEEK" });
    const dropped = await patch([
      { op: "remove", path: "/throttle" },
      { op: "remove", path: "/quota" },
    ]);
    assert.equal(dropped.throttle, undefined);
    assert.equal(dropped.quota, undefined);
  });

  test("usage plan keys: create, list, filter plans by key, unknown key, delete (scenario 57)", async () => {
    const plan = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "keys", apiStages: [{ apiId: API, stage: "dev" }] }));
    const other = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "keys-other" }));
    const created = await t.ag.send(new AG.CreateApiKeyCommand({ name: "plankey" }));
    const keyId = created.id!;
    const pk = await t.ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId, keyType: "API_KEY" }));
    assert.equal(pk.$metadata.httpStatusCode, 201);
    assert.deepEqual({ id: pk.id, type: pk.type, name: pk.name, value: pk.value }, { id: keyId, type: "API_KEY", name: "plankey", value: created.value });
    const listed = await t.ag.send(new AG.GetUsagePlanKeysCommand({ usagePlanId: plan.id! }));
    assert.equal(listed.items!.length, 1);
    assert.equal(listed.items![0]!.id, keyId);
    assert.deepEqual((await t.ag.send(new AG.GetUsagePlanKeysCommand({ usagePlanId: plan.id!, nameQuery: "zz" }))).items, []);
    assert.equal((await t.ag.send(new AG.GetUsagePlanKeysCommand({ usagePlanId: plan.id!, nameQuery: "plan" }))).items!.length, 1);
    const one = await t.ag.send(new AG.GetUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId }));
    assert.equal(one.value, created.value);
    const plans = await t.ag.send(new AG.GetUsagePlansCommand({ keyId }));
    assert.deepEqual(plans.items!.map((p) => p.id), [plan.id]);
    assert.ok((await t.ag.send(new AG.GetUsagePlansCommand({}))).items!.some((p) => p.id === other.id));
    await rejectsWith(
      t.ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: "doesnotexi", keyType: "API_KEY" })),
      AG.NotFoundException,
      404,
      "Invalid API Key identifier specified",
    );
    await rejectsWith(
      t.ag.send(new AG.GetUsagePlanKeyCommand({ usagePlanId: other.id!, keyId })),
      AG.NotFoundException,
      404,
      "Invalid API Key identifier specified",
    );
    const deleted = await t.ag.send(new AG.DeleteUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    assert.deepEqual((await t.ag.send(new AG.GetUsagePlanKeysCommand({ usagePlanId: plan.id! }))).items, []);
    await rejectsWith(
      t.ag.send(new AG.DeleteUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId })),
      AG.NotFoundException,
      404,
      "Invalid API Key identifier specified",
    );
  });

  test("a key cannot be in two plans that share an API stage", async () => {
    const keyId = await newKey("shared");
    const a = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "a", apiStages: [{ apiId: API, stage: "prod" }] }));
    const b = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "b", apiStages: [{ apiId: API, stage: "prod" }] }));
    const c = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "c" }));
    await t.ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: a.id!, keyId, keyType: "API_KEY" }));
    await rejectsWith(
      t.ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: b.id!, keyId, keyType: "API_KEY" })),
      AG.ConflictException,
      409,
      `Usage Plan ${b.id} cannot be added because API Key ${keyId} cannot reference multiple Usage Plans with the same API Stage: ${API}:prod`,
    );
    // A plan without that stage takes the key; adding the stage to it afterwards is the same conflict.
    await t.ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: c.id!, keyId, keyType: "API_KEY" }));
    await rejectsWith(
      t.ag.send(new AG.UpdateUsagePlanCommand({ usagePlanId: c.id!, patchOperations: [{ op: "add", path: "/apiStages", value: `${API}:prod` }] })),
      AG.ConflictException,
      409,
      /cannot reference multiple Usage Plans with the same API Stage/,
    );
    await rejectsWith(
      t.ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: a.id!, keyId, keyType: "API_KEY" })),
      AG.ConflictException,
      409,
      /already in Usage Plan/,
    );
  });

  test("GetUsage reports one [used, remaining] pair per day per key (scenario 58)", async () => {
    const plan = await t.ag.send(
      new AG.CreateUsagePlanCommand({ name: "usage", apiStages: [{ apiId: API, stage: "dev" }], quota: { limit: 100, period: "DAY" } }),
    );
    const keyId = await newKey("usage-key");
    await t.ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId, keyType: "API_KEY" }));
    const usage = await t.ag.send(new AG.GetUsageCommand({ usagePlanId: plan.id!, startDate: "2024-06-01", endDate: "2024-06-03" }));
    assert.equal(usage.$metadata.httpStatusCode, 200);
    assert.equal(usage.usagePlanId, plan.id);
    assert.equal(usage.startDate, "2024-06-01");
    assert.equal(usage.endDate, "2024-06-03");
    assert.deepEqual(usage.items, { [keyId]: [[0, 100], [0, 100], [0, 100]] });
    const raw = await t.signedFetch("GET", `/usageplans/${plan.id}/usage?startDate=2024-06-01&endDate=2024-06-01`);
    assert.deepEqual(await raw.json(), { usagePlanId: plan.id, startDate: "2024-06-01", endDate: "2024-06-01", values: { [keyId]: [[0, 100]] } }, "wire key is values");
  });

  test("UpdateUsage sets the remaining quota of the current period (scenario 58)", async () => {
    const plan = await t.ag.send(
      new AG.CreateUsagePlanCommand({ name: "update-usage", apiStages: [{ apiId: API, stage: "dev" }], quota: { limit: 100, period: "MONTH" } }),
    );
    const keyId = await newKey("extend");
    const otherKey = await newKey("other");
    await t.ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId, keyType: "API_KEY" }));
    await t.ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: otherKey, keyType: "API_KEY" }));
    const res = await t.ag.send(
      new AG.UpdateUsageCommand({ usagePlanId: plan.id!, keyId, patchOperations: [{ op: "replace", path: "/remaining", value: "50" }] }),
    );
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.usagePlanId, plan.id);
    assert.equal(res.endDate, today());
    assert.equal(res.startDate, `${today().slice(0, 8)}01`, "the current MONTH period");
    const pairs = res.items![keyId]!;
    assert.deepEqual(pairs[pairs.length - 1], [0, 50]);
    const usage = await t.ag.send(new AG.GetUsageCommand({ usagePlanId: plan.id!, startDate: today(), endDate: today(), keyId }));
    assert.deepEqual(usage.items, { [keyId]: [[0, 50]] }, "keyId restricts the report to that key");
    const both = await t.ag.send(new AG.GetUsageCommand({ usagePlanId: plan.id!, startDate: today(), endDate: today() }));
    assert.deepEqual(both.items, { [keyId]: [[0, 50]], [otherKey]: [[0, 100]] });
    const raised = await t.ag.send(
      new AG.UpdateUsageCommand({ usagePlanId: plan.id!, keyId, patchOperations: [{ op: "replace", path: "/remaining", value: "250" }] }),
    );
    assert.deepEqual(raised.items![keyId]!.at(-1), [0, 250], "an extension may exceed the limit");
  });

  test("UpdateUsage and GetUsage reject what they cannot answer", async () => {
    const noQuota = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "no-quota" }));
    const keyId = await newKey("nq");
    await t.ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: noQuota.id!, keyId, keyType: "API_KEY" }));
    const withQuota = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "q", quota: { limit: 5, period: "DAY" } }));
    await rejectsWith(
      t.ag.send(new AG.UpdateUsageCommand({ usagePlanId: noQuota.id!, keyId, patchOperations: [{ op: "replace", path: "/remaining", value: "1" }] })),
      AG.BadRequestException,
      400,
      /has no quota/,
    );
    await rejectsWith(
      t.ag.send(new AG.UpdateUsageCommand({ usagePlanId: withQuota.id!, keyId, patchOperations: [{ op: "replace", path: "/remaining", value: "1" }] })),
      AG.NotFoundException,
      404,
      "Invalid API Key identifier specified",
    );
    await rejectsWith(
      t.ag.send(new AG.UpdateUsageCommand({ usagePlanId: "nope00", keyId, patchOperations: [{ op: "replace", path: "/remaining", value: "1" }] })),
      AG.NotFoundException,
      404,
      "Invalid Usage Plan ID specified",
    );
    const noQuotaUsage = await t.ag.send(new AG.GetUsageCommand({ usagePlanId: noQuota.id!, startDate: "2024-06-01", endDate: "2024-06-02" }));
    assert.deepEqual(noQuotaUsage.items, { [keyId]: [[0, 0], [0, 0]] });
    await rejectsWith(
      t.ag.send(new AG.GetUsageCommand({ usagePlanId: noQuota.id!, startDate: "2024-06-03", endDate: "2024-06-01" })),
      AG.BadRequestException,
      400,
      /end date/,
    );
    await rejectsWith(
      t.ag.send(new AG.GetUsageCommand({ usagePlanId: noQuota.id!, startDate: "2024-13-01", endDate: "2024-12-31" })),
      AG.BadRequestException,
      400,
      /Invalid startDate/,
    );
  });

  test("DeleteUsagePlan answers 202 and the plan is gone", async () => {
    const plan = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "doomed", apiStages: [{ apiId: API, stage: "dev" }] }));
    const res = await t.ag.send(new AG.DeleteUsagePlanCommand({ usagePlanId: plan.id! }));
    assert.equal(res.$metadata.httpStatusCode, 202);
    await rejectsWith(t.ag.send(new AG.GetUsagePlanCommand({ usagePlanId: plan.id! })), AG.NotFoundException, 404, "Invalid Usage Plan ID specified");
    await rejectsWith(t.ag.send(new AG.DeleteUsagePlanCommand({ usagePlanId: plan.id! })), AG.NotFoundException, 404, "Invalid Usage Plan ID specified");
  });

  test("GetUsagePlans pages with position and omits it on the last page", async () => {
    const fresh = await startTestGateway();
    try {
      for (const name of ["a", "b", "c"]) await fresh.ag.send(new AG.CreateUsagePlanCommand({ name }));
      const names: string[] = [];
      let pages = 0;
      for await (const page of AG.paginateGetUsagePlans({ client: fresh.ag, pageSize: 2 }, {})) {
        pages++;
        names.push(...page.items!.map((p) => p.name!));
      }
      assert.deepEqual(names, ["a", "b", "c"]);
      assert.equal(pages, 2);
    } finally {
      await fresh.close();
    }
  });

  test("deleting a stage removes it from usage plans", async () => {
    const api = await deployPetsApi(t.ag, ["gone"]);
    const plan = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "cascade", apiStages: [{ apiId: api, stage: "gone" }, { apiId: API, stage: "dev" }] }));
    await t.ag.send(new AG.DeleteStageCommand({ restApiId: api, stageName: "gone" }));
    const after = await t.ag.send(new AG.GetUsagePlanCommand({ usagePlanId: plan.id! }));
    assert.deepEqual(after.apiStages, [{ apiId: API, stage: "dev" }]);
  });
});
