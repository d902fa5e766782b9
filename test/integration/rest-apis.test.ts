import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";

describe("RestApi operations", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  test("CreateRestApi returns 201 with AWS's ids and defaults", async () => {
    const res = await t.ag.send(new AG.CreateRestApiCommand({ name: "demo" }));
    assert.equal(res.$metadata.httpStatusCode, 201);
    assert.match(res.id!, /^[a-z0-9]{10}$/);
    assert.match(res.rootResourceId!, /^[a-z0-9]{10}$/);
    assert.ok(res.createdDate instanceof Date);
    assert.equal(res.apiKeySource, "HEADER");
    assert.equal(res.disableExecuteApiEndpoint, false);
    assert.deepEqual(res.endpointConfiguration?.types, ["EDGE"]);
  });

  test("a raw signed POST gets 201, JSON and an epoch-number createdDate", async () => {
    const res = await t.signedFetch("POST", "/restapis", {
      body: '{"name":"raw"}',
      headers: { "content-type": "application/json", accept: "application/json" },
    });
    assert.equal(res.status, 201);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    const json = (await res.json()) as { createdDate: unknown };
    assert.equal(typeof json.createdDate, "number");
  });

  test("an unknown API is NotFoundException with the account in the message", async () => {
    await assert.rejects(t.ag.send(new AG.GetRestApiCommand({ restApiId: "doesnotexi" })), (err: AG.NotFoundException) => {
      assert.ok(err instanceof AG.NotFoundException);
      assert.equal(err.$metadata.httpStatusCode, 404);
      assert.equal(err.message, `Invalid API identifier specified ${ACCOUNT}:doesnotexi`);
      return true;
    });
    const raw = await t.signedFetch("GET", "/restapis/doesnotexi");
    assert.match(raw.headers.get("x-amzn-errortype") ?? "", /^NotFoundException/);
    assert.equal(((await raw.json()) as { message: string }).message, `Invalid API identifier specified ${ACCOUNT}:doesnotexi`);
  });

  test("GetRestApis pages with position and omits it on the last page", async () => {
    const fresh = await startTestGateway();
    try {
      for (const name of ["a", "b", "c"]) await fresh.ag.send(new AG.CreateRestApiCommand({ name }));
      const first = await fresh.ag.send(new AG.GetRestApisCommand({ limit: 2 }));
      assert.equal(first.items?.length, 2);
      assert.ok(first.position);
      const second = await fresh.ag.send(new AG.GetRestApisCommand({ limit: 2, position: first.position }));
      assert.equal(second.items?.length, 1);
      assert.equal(second.position, undefined);
      const seen: string[] = [];
      for await (const page of AG.paginateGetRestApis({ client: fresh.ag, pageSize: 2 }, {})) {
        for (const api of page.items ?? []) seen.push(api.name!);
      }
      assert.deepEqual(seen.sort(), ["a", "b", "c"]);
    } finally {
      await fresh.close();
    }
  });

  test("DeleteRestApi answers 202 and the API is gone", async () => {
    const { id } = await t.ag.send(new AG.CreateRestApiCommand({ name: "gone" }));
    const res = await t.ag.send(new AG.DeleteRestApiCommand({ restApiId: id }));
    assert.equal(res.$metadata.httpStatusCode, 202);
    await assert.rejects(t.ag.send(new AG.GetRestApiCommand({ restApiId: id })), AG.NotFoundException);
  });

  test("UpdateRestApi applies replace and binaryMediaTypes add/remove with ~1 escapes", async () => {
    const { id } = await t.ag.send(new AG.CreateRestApiCommand({ name: "patch-me" }));
    const res = await t.ag.send(
      new AG.UpdateRestApiCommand({
        restApiId: id,
        patchOperations: [
          { op: "replace", path: "/name", value: "renamed" },
          { op: "add", path: "/binaryMediaTypes/image~1png" },
        ],
      }),
    );
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.name, "renamed");
    assert.deepEqual(res.binaryMediaTypes, ["image/png"]);
    const removed = await t.ag.send(new AG.UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op: "remove", path: "/binaryMediaTypes/image~1png" }] }));
    assert.ok(removed.binaryMediaTypes === undefined || removed.binaryMediaTypes.length === 0);
  });

  test("an invalid patch path is BadRequestException naming the path", async () => {
    const { id } = await t.ag.send(new AG.CreateRestApiCommand({ name: "bad-patch" }));
    await assert.rejects(
      t.ag.send(new AG.UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op: "add", path: "/binaryMediaTypes", value: "image/png" }] })),
      (err: Error) => err instanceof AG.BadRequestException && err.message === "Invalid patch path /binaryMediaTypes",
    );
  });

  test("an op outside the enum is a ValidationException listing the allowed ops", async () => {
    const { id } = await t.ag.send(new AG.CreateRestApiCommand({ name: "bad-op" }));
    const res = await t.signedFetch("PATCH", `/restapis/${id}`, {
      body: JSON.stringify({ patchOperations: [{ op: "wrong-op", path: "/name", value: "x" }] }),
      headers: { "content-type": "application/json" },
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("x-amzn-errortype"), "ValidationException");
    assert.equal(
      ((await res.json()) as { message: string }).message,
      "1 validation error detected: Value 'wrong-op' at 'updateRestApiInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    );
  });

  test("create-time validation rejects an empty description and several endpoint types", async () => {
    await assert.rejects(
      t.ag.send(new AG.CreateRestApiCommand({ name: "x", description: "" })),
      (err: Error) => err instanceof AG.BadRequestException && err.message === "Description cannot be an empty string",
    );
    await assert.rejects(
      t.ag.send(new AG.CreateRestApiCommand({ name: "x", endpointConfiguration: { types: ["EDGE", "REGIONAL"] } })),
      (err: Error) => err instanceof AG.BadRequestException && err.message === "Cannot create an api with multiple Endpoint Types.",
    );
  });

  test("the per-account API limit answers LimitExceededException", async () => {
    const limited = await startTestGateway({ TOLLGATE_MAX_EDGE_APIS: "2" });
    try {
      await limited.ag.send(new AG.CreateRestApiCommand({ name: "one" }));
      await limited.ag.send(new AG.CreateRestApiCommand({ name: "two" }));
      await assert.rejects(limited.ag.send(new AG.CreateRestApiCommand({ name: "three" })), (err: Error) => {
        assert.equal(err.name, "LimitExceededException");
        return true;
      });
      await limited.ag.send(new AG.CreateRestApiCommand({ name: "regional", endpointConfiguration: { types: ["REGIONAL"] } }));
    } finally {
      await limited.close();
    }
  });
});
