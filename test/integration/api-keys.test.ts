import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { deployPetsApi } from "../helpers/deployed-api.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { rejectsWith } from "../helpers/fixtures.js";

const VALUE_24 = "abcdefghijklmnopqrstuvwx";


describe("API key operations", () => {
  let t: TestGateway;
  let apiId: string;
  before(async () => {
    t = await startTestGateway();
    apiId = await deployPetsApi(t.ag, ["dev", "prod"]);
  });
  after(async () => {
    await t.close();
  });

  test("CreateApiKey generates a 10-char id and a 40-char value, disabled by default (scenario 50)", async () => {
    const created = await t.ag.send(new AG.CreateApiKeyCommand({ name: "k1" }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.id!, /^[a-z0-9]{10}$/);
    assert.match(created.value!, /^[A-Za-z0-9]{40}$/);
    assert.equal(created.enabled, false);
    assert.ok(created.createdDate instanceof Date);
    assert.ok(created.lastUpdatedDate instanceof Date);
    assert.deepEqual(created.stageKeys, []);
    const plain = await t.ag.send(new AG.GetApiKeyCommand({ apiKey: created.id! }));
    assert.equal(plain.value, undefined);
    assert.equal(plain.name, "k1");
    const withValue = await t.ag.send(new AG.GetApiKeyCommand({ apiKey: created.id!, includeValue: true }));
    assert.equal(withValue.value, created.value);
  });

  test("a supplied value needs 20 characters and must be unique (scenario 51)", async () => {
    await rejectsWith(t.ag.send(new AG.CreateApiKeyCommand({ name: "k2", value: "short" })), AG.BadRequestException, 400, "API Key value should be at least 20 characters");
    const k3 = await t.ag.send(new AG.CreateApiKeyCommand({ name: "k3", value: VALUE_24 }));
    assert.equal(k3.$metadata.httpStatusCode, 201);
    assert.equal(k3.value, VALUE_24);
    await rejectsWith(t.ag.send(new AG.CreateApiKeyCommand({ name: "k3-again", value: VALUE_24 })), AG.ConflictException, 409, "API Key already exists");
    await rejectsWith(t.ag.send(new AG.CreateApiKeyCommand({ value: "x".repeat(129) })), AG.BadRequestException, 400, /at most 128/);
  });

  test("enabled, description, customerId, tags and stageKeys are kept as given", async () => {
    const created = await t.ag.send(
      new AG.CreateApiKeyCommand({
        name: "full",
        description: "d",
        enabled: true,
        customerId: "cust-1",
        tags: { team: "a" },
        stageKeys: [{ restApiId: apiId, stageName: "dev" }],
      }),
    );
    assert.equal(created.enabled, true);
    assert.equal(created.description, "d");
    assert.equal(created.customerId, "cust-1");
    assert.deepEqual(created.tags, { team: "a" });
    assert.deepEqual(created.stageKeys, [`${apiId}/dev`]);
  });

  test("a stage key naming an unknown stage is BadRequest", async () => {
    await rejectsWith(
      t.ag.send(new AG.CreateApiKeyCommand({ name: "bad", stageKeys: [{ restApiId: apiId, stageName: "nope" }] })),
      AG.BadRequestException,
      400,
      "Invalid stage identifier specified",
    );
  });

  test("GetApiKeys filters by name prefix and customerId, and shows values only when asked (scenario 52)", async () => {
    await t.ag.send(new AG.CreateApiKeyCommand({ name: "other", customerId: "cust-2" }));
    const withValues = await t.ag.send(new AG.GetApiKeysCommand({ includeValues: true, nameQuery: "k" }));
    assert.ok(withValues.items!.length >= 2);
    for (const item of withValues.items!) {
      assert.match(item.value ?? "", /^.{20,}$/);
      assert.ok(item.name!.startsWith("k"), item.name);
    }
    const all = await t.ag.send(new AG.GetApiKeysCommand({}));
    assert.ok(all.items!.some((k) => k.name === "other"));
    assert.ok(all.items!.every((k) => k.value === undefined));
    const byCustomer = await t.ag.send(new AG.GetApiKeysCommand({ customerId: "cust-2" }));
    assert.deepEqual(byCustomer.items!.map((k) => k.name), ["other"]);
  });

  test("GetApiKeys pages with position and omits it on the last page", async () => {
    const fresh = await startTestGateway();
    try {
      for (const name of ["a", "b", "c"]) await fresh.ag.send(new AG.CreateApiKeyCommand({ name }));
      const first = await fresh.ag.send(new AG.GetApiKeysCommand({ limit: 2 }));
      assert.deepEqual(first.items!.map((k) => k.name), ["a", "b"]);
      assert.ok(first.position);
      const second = await fresh.ag.send(new AG.GetApiKeysCommand({ limit: 2, position: first.position }));
      assert.deepEqual(second.items!.map((k) => k.name), ["c"]);
      assert.equal(second.position, undefined);
    } finally {
      await fresh.close();
    }
  });

  test("UpdateApiKey replaces fields, bumps lastUpdatedDate, and DeleteApiKey makes the key unknown (scenario 53)", async () => {
    const created = await t.ag.send(new AG.CreateApiKeyCommand({ name: "k1", enabled: true }));
    await new Promise((r) => setTimeout(r, 1100));
    const updated = await t.ag.send(
      new AG.UpdateApiKeyCommand({
        apiKey: created.id!,
        patchOperations: [
          { op: "replace", path: "/enabled", value: "false" },
          { op: "replace", path: "/name", value: "k1b" },
          { op: "replace", path: "/description", value: "renamed" },
          { op: "replace", path: "/customerId", value: "c9" },
        ],
      }),
    );
    assert.equal(updated.$metadata.httpStatusCode, 200);
    assert.equal(updated.enabled, false);
    assert.equal(updated.name, "k1b");
    assert.equal(updated.description, "renamed");
    assert.equal(updated.customerId, "c9");
    assert.equal(updated.value, undefined);
    assert.ok(updated.lastUpdatedDate! > created.lastUpdatedDate!, "lastUpdatedDate moves forward");
    assert.equal(updated.createdDate!.getTime(), created.createdDate!.getTime());
    const deleted = await t.ag.send(new AG.DeleteApiKeyCommand({ apiKey: created.id! }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await rejectsWith(t.ag.send(new AG.GetApiKeyCommand({ apiKey: created.id! })), AG.NotFoundException, 404, "Invalid API Key identifier specified");
    await rejectsWith(t.ag.send(new AG.DeleteApiKeyCommand({ apiKey: created.id! })), AG.NotFoundException, 404, "Invalid API Key identifier specified");
  });

  test("UpdateApiKey adds and removes stage keys, checking the stage exists", async () => {
    const key = await t.ag.send(new AG.CreateApiKeyCommand({ name: "stages" }));
    const added = await t.ag.send(
      new AG.UpdateApiKeyCommand({
        apiKey: key.id!,
        patchOperations: [
          { op: "add", path: "/stages", value: `${apiId}/dev` },
          { op: "add", path: "/stages", value: `${apiId}/prod` },
        ],
      }),
    );
    assert.deepEqual(added.stageKeys, [`${apiId}/dev`, `${apiId}/prod`]);
    const removed = await t.ag.send(new AG.UpdateApiKeyCommand({ apiKey: key.id!, patchOperations: [{ op: "remove", path: "/stages", value: `${apiId}/dev` }] }));
    assert.deepEqual(removed.stageKeys, [`${apiId}/prod`]);
    await rejectsWith(
      t.ag.send(new AG.UpdateApiKeyCommand({ apiKey: key.id!, patchOperations: [{ op: "add", path: "/stages", value: `${apiId}/nope` }] })),
      AG.BadRequestException,
      400,
      "Invalid stage identifier specified",
    );
    await rejectsWith(
      t.ag.send(new AG.UpdateApiKeyCommand({ apiKey: key.id!, patchOperations: [{ op: "replace", path: "/value", value: "x" }] })),
      AG.BadRequestException,
      400,
      /^Invalid patch path {2}'\/value' specified for op 'replace'/,
    );
  });

  test("a failed patch applies nothing", async () => {
    const key = await t.ag.send(new AG.CreateApiKeyCommand({ name: "atomic" }));
    await rejectsWith(
      t.ag.send(
        new AG.UpdateApiKeyCommand({
          apiKey: key.id!,
          patchOperations: [
            { op: "replace", path: "/name", value: "changed" },
            { op: "replace", path: "/enabled", value: "maybe" },
          ],
        }),
      ),
      AG.BadRequestException,
      400,
      /boolean/,
    );
    assert.equal((await t.ag.send(new AG.GetApiKeyCommand({ apiKey: key.id! }))).name, "atomic");
  });

  test("DeleteApiKey removes the key from every usage plan", async () => {
    const key = await t.ag.send(new AG.CreateApiKeyCommand({ name: "planned" }));
    const plan = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "with-key" }));
    await t.ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: "API_KEY" }));
    await t.ag.send(new AG.DeleteApiKeyCommand({ apiKey: key.id! }));
    const keys = await t.ag.send(new AG.GetUsagePlanKeysCommand({ usagePlanId: plan.id! }));
    assert.deepEqual(keys.items, []);
    const plans = await t.ag.send(new AG.GetUsagePlansCommand({ keyId: key.id! }));
    assert.deepEqual(plans.items, []);
  });

  test("ImportApiKeys creates keys from CSV, enabled as the file says (scenario 54)", async () => {
    const res = await t.ag.send(
      new AG.ImportApiKeysCommand({ format: "csv", body: Buffer.from("Name,Key,Enabled\nimported,abcdefghij0123456789xyz,TRUE\n") }),
    );
    assert.equal(res.$metadata.httpStatusCode, 201);
    assert.equal(res.ids!.length, 1);
    assert.deepEqual(res.warnings, []);
    const key = await t.ag.send(new AG.GetApiKeyCommand({ apiKey: res.ids![0]!, includeValue: true }));
    assert.equal(key.name, "imported");
    assert.equal(key.value, "abcdefghij0123456789xyz");
    assert.equal(key.enabled, true);
  });

  test("ImportApiKeys reads headers in any case and order, quoted plan lists, and updates a re-imported key", async () => {
    const planA = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "import-a" }));
    const planB = await t.ag.send(new AG.CreateUsagePlanCommand({ name: "import-b" }));
    const csv = [
      "key,usageplanIds,NAME,description,Extra,enabled",
      `importedkey0000000001,"${planA.id},${planB.id}",first,"with, comma",x,false`,
      "importedkey0000000002,,second,,,",
      "",
    ].join("\r\n");
    const res = await t.ag.send(new AG.ImportApiKeysCommand({ format: "csv", body: Buffer.from(csv) }));
    assert.equal(res.ids!.length, 2);
    const first = await t.ag.send(new AG.GetApiKeyCommand({ apiKey: res.ids![0]!, includeValue: true }));
    assert.equal(first.name, "first");
    assert.equal(first.description, "with, comma");
    assert.equal(first.enabled, false);
    const second = await t.ag.send(new AG.GetApiKeyCommand({ apiKey: res.ids![1]! }));
    assert.equal(second.enabled, true, "Enabled defaults to true in the key file");
    for (const plan of [planA, planB]) {
      const keys = await t.ag.send(new AG.GetUsagePlanKeysCommand({ usagePlanId: plan.id! }));
      assert.deepEqual(keys.items!.map((k) => k.id), [res.ids![0]]);
    }
    const again = await t.ag.send(
      new AG.ImportApiKeysCommand({ format: "csv", body: Buffer.from(`Name,Key,UsagePlanIds\nrenamed,importedkey0000000001,${planA.id}\n`) }),
    );
    assert.deepEqual(again.ids, [res.ids![0]], "the same value maps to the same key");
    assert.equal((await t.ag.send(new AG.GetApiKeyCommand({ apiKey: res.ids![0]! }))).name, "renamed");
  });

  test("ImportApiKeys rejects short keys, a missing Key column and an unknown plan, importing nothing", async () => {
    const before = (await t.ag.send(new AG.GetApiKeysCommand({ limit: 500 }))).items!.length;
    await rejectsWith(
      t.ag.send(new AG.ImportApiKeysCommand({ format: "csv", body: Buffer.from("Name,Key\nok,importedkey0000000009\nbad,short\n") })),
      AG.BadRequestException,
      400,
      "API Key value should be at least 20 characters",
    );
    await rejectsWith(t.ag.send(new AG.ImportApiKeysCommand({ format: "csv", body: Buffer.from("Name,Value\nx,importedkey0000000008\n") })), AG.BadRequestException, 400, /Key/);
    await rejectsWith(
      t.ag.send(new AG.ImportApiKeysCommand({ format: "csv", body: Buffer.from("Name,Key,UsagePlanIds\nx,importedkey0000000007,zzzzzz\n") })),
      AG.NotFoundException,
      404,
      "Invalid Usage Plan ID specified",
    );
    assert.equal((await t.ag.send(new AG.GetApiKeysCommand({ limit: 500 }))).items!.length, before);
  });

  test("POST /apikeys without mode=import is CreateApiKey, with it ImportApiKeys", async () => {
    const create = await t.signedFetch("POST", "/apikeys", { body: '{"name":"raw"}', headers: { "content-type": "application/json" } });
    assert.equal(create.status, 201);
    assert.equal(((await create.json()) as { name: string }).name, "raw");
    const imported = await t.signedFetch("POST", "/apikeys?format=csv&mode=import", { body: "Name,Key\nraw2,rawimportedkey00000001\n" });
    assert.equal(imported.status, 201);
    assert.equal(((await imported.json()) as { ids: string[] }).ids.length, 1);
  });

  test("the key file format is CSV only", async () => {
    const res = await t.signedFetch("POST", "/apikeys?format=json&mode=import", { body: "[]" });
    assert.equal(res.status, 400);
    assert.match(res.headers.get("x-amzn-errortype") ?? "", /^BadRequestException/);
  });
});
