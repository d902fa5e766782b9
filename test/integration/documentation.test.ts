// Documentation parts and versions (control-plane.md §2 Documentation, §3.15; sdk-conformance.md scenario 60).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { createDeployedPetsApi, createPetsApi, sdkError } from "../helpers/fixtures.js";

describe("Documentation parts and versions", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  test("a part is created with its properties as a string, updated, and unknown ids are NotFound (scenario 60)", async () => {
    const { restApiId } = await createPetsApi(t.ag);
    const created = await t.ag.send(new AG.CreateDocumentationPartCommand({ restApiId, location: { type: "API" }, properties: '{"description":"d"}' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(typeof created.properties, "string");
    assert.match(created.id!, /^[a-z0-9]{6}$/);
    assert.deepEqual(created.location, { type: "API" });

    const updated = await t.ag.send(
      new AG.UpdateDocumentationPartCommand({
        restApiId,
        documentationPartId: created.id!,
        patchOperations: [{ op: "replace", path: "/properties", value: '{"description":"e"}' }],
      }),
    );
    assert.equal(updated.$metadata.httpStatusCode, 200);
    assert.equal(updated.properties, '{"description":"e"}');
    const got = await t.ag.send(new AG.GetDocumentationPartCommand({ restApiId, documentationPartId: created.id! }));
    assert.equal(got.properties, '{"description":"e"}');

    await assert.rejects(
      t.ag.send(new AG.GetDocumentationPartCommand({ restApiId, documentationPartId: "nope00" })),
      sdkError(AG.NotFoundException, 404, "Invalid Documentation part identifier specified"),
    );
    await assert.rejects(
      t.ag.send(new AG.GetDocumentationPartCommand({ restApiId: "doesnotexi", documentationPartId: created.id! })),
      sdkError(AG.NotFoundException, 404, "Invalid Documentation part identifier specified"),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateDocumentationPartCommand({ restApiId: "doesnotexi", location: { type: "API" }, properties: "{}" })),
      sdkError(AG.NotFoundException, 404, `Invalid API identifier specified ${ACCOUNT}:doesnotexi`),
    );
    const version = await t.ag.send(new AG.CreateDocumentationVersionCommand({ restApiId, documentationVersion: "1.0" }));
    assert.equal(version.$metadata.httpStatusCode, 201);
    assert.equal(version.version, "1.0");
    assert.ok(version.createdDate instanceof Date);
  });

  test("only /properties can be patched, with AWS's two-space messages", async () => {
    const { restApiId } = await createPetsApi(t.ag);
    const part = await t.ag.send(
      new AG.CreateDocumentationPartCommand({ restApiId, location: { type: "METHOD", path: "/pets", method: "GET" }, properties: '{"summary":"list"}' }),
    );
    const patch = (op: AG.PatchOperation) =>
      t.ag.send(new AG.UpdateDocumentationPartCommand({ restApiId, documentationPartId: part.id!, patchOperations: [op] }));
    await assert.rejects(
      patch({ op: "replace", path: "/location/path", value: "/x" }),
      sdkError(AG.BadRequestException, 400, "Invalid patch path  '/location/path' specified for op 'replace'. Must be one of: [/properties]"),
    );
    await assert.rejects(
      patch({ op: "remove", path: "/properties" }),
      sdkError(AG.BadRequestException, 400, "Invalid patch path  '/properties' specified for op 'remove'. Please choose supported operations"),
    );
    await assert.rejects(patch({ op: "replace", path: "/properties", value: "not json" }), sdkError(AG.BadRequestException, 400));
  });

  test("locations are validated, unique per API, and shown as given", async () => {
    const { restApiId } = await createPetsApi(t.ag);
    const create = (location: AG.DocumentationPartLocation) =>
      t.ag.send(new AG.CreateDocumentationPartCommand({ restApiId, location, properties: '{"description":"x"}' }));
    const param = await create({ type: "QUERY_PARAMETER", path: "/pets", method: "GET", name: "limit" });
    assert.deepEqual(param.location, { type: "QUERY_PARAMETER", path: "/pets", method: "GET", name: "limit" });
    await assert.rejects(create({ type: "QUERY_PARAMETER", path: "/pets", method: "GET", name: "limit" }), sdkError(AG.ConflictException, 409));
    await assert.rejects(create({ type: "MODEL" }), sdkError(AG.BadRequestException, 400));
    await assert.rejects(
      create({ type: "WRONG" as AG.DocumentationPartType }),
      sdkError("ValidationException", 400, /^1 validation error detected: Value 'WRONG' at 'createDocumentationPartInput\.location\.type'/),
    );
    // A RESOURCE part with the default path `/` and one naming `/` explicitly are the same location.
    await create({ type: "RESOURCE" });
    await assert.rejects(create({ type: "RESOURCE", path: "/" }), sdkError(AG.ConflictException, 409));
  });

  test("GetDocumentationParts filters by type, name, path and locationStatus", async () => {
    const { restApiId } = await createPetsApi(t.ag);
    const create = (location: AG.DocumentationPartLocation, properties = '{"description":"x"}') =>
      t.ag.send(new AG.CreateDocumentationPartCommand({ restApiId, location, properties }));
    const api = await create({ type: "API" });
    const method = await create({ type: "METHOD", path: "/pets", method: "GET" });
    const model = await create({ type: "MODEL", name: "Empty" }, "{}");
    const list = async (filter: Partial<AG.GetDocumentationPartsRequest>) =>
      (await t.ag.send(new AG.GetDocumentationPartsCommand({ restApiId, ...filter }))).items!.map((p) => p.id).sort();
    assert.deepEqual(await list({}), [api.id, method.id, model.id].sort());
    assert.deepEqual(await list({ type: "METHOD" }), [method.id]);
    assert.deepEqual(await list({ nameQuery: "Empty" }), [model.id]);
    assert.deepEqual(await list({ path: "/pets" }), [method.id]);
    assert.deepEqual(await list({ locationStatus: "UNDOCUMENTED" }), [model.id]);
    assert.deepEqual(await list({ locationStatus: "DOCUMENTED" }), [api.id, method.id].sort());
    const page = await t.ag.send(new AG.GetDocumentationPartsCommand({ restApiId, limit: 2 }));
    assert.equal(page.items!.length, 2);
    assert.ok(page.position);

    const del = await t.ag.send(new AG.DeleteDocumentationPartCommand({ restApiId, documentationPartId: api.id! }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await assert.rejects(
      t.ag.send(new AG.DeleteDocumentationPartCommand({ restApiId, documentationPartId: api.id! })),
      sdkError(AG.NotFoundException, 404, "Invalid Documentation part identifier specified"),
    );
  });

  test("ImportDocumentationParts merges by location or overwrites everything, and answers {ids, warnings}", async () => {
    const { restApiId } = await createPetsApi(t.ag);
    const existing = await t.ag.send(
      new AG.CreateDocumentationPartCommand({ restApiId, location: { type: "RESOURCE", path: "/pets" }, properties: '{"description":"old"}' }),
    );
    const kept = await t.ag.send(new AG.CreateDocumentationPartCommand({ restApiId, location: { type: "API" }, properties: '{"description":"api"}' }));
    const doc = {
      swagger: "2.0",
      info: { title: "docs", version: "1" },
      paths: {},
      "x-amazon-apigateway-documentation": {
        version: "1",
        documentationParts: [
          { location: { type: "RESOURCE", path: "/pets" }, properties: { description: "new" } },
          { location: { type: "METHOD", path: "/pets", method: "GET" }, properties: { summary: "list" } },
          { location: { type: "NOPE" }, properties: {} },
        ],
      },
    };
    const merged = await t.ag.send(new AG.ImportDocumentationPartsCommand({ restApiId, body: Buffer.from(JSON.stringify(doc)) }));
    assert.equal(merged.$metadata.httpStatusCode, 200);
    assert.equal(merged.ids!.length, 2);
    assert.equal(merged.warnings!.length, 1);
    const after = (await t.ag.send(new AG.GetDocumentationPartsCommand({ restApiId }))).items!;
    assert.equal(after.length, 3);
    assert.ok(after.some((p) => p.id === kept.id));
    assert.ok(!after.some((p) => p.id === existing.id), "the part at the same location was replaced");
    assert.equal(after.find((p) => p.location?.type === "RESOURCE")!.properties, '{"description":"new"}');

    await assert.rejects(
      t.ag.send(new AG.ImportDocumentationPartsCommand({ restApiId, body: Buffer.from(JSON.stringify(doc)), failOnWarnings: true })),
      sdkError(AG.BadRequestException, 400, /^Warnings found during import:/),
    );
    const overwritten = await t.ag.send(
      new AG.ImportDocumentationPartsCommand({ restApiId, mode: "overwrite", body: Buffer.from(JSON.stringify(doc)) }),
    );
    const final = (await t.ag.send(new AG.GetDocumentationPartsCommand({ restApiId }))).items!;
    assert.deepEqual(final.map((p) => p.id).sort(), [...overwritten.ids!].sort());
    await assert.rejects(
      t.ag.send(new AG.ImportDocumentationPartsCommand({ restApiId, body: Buffer.from("{ not: [valid") })),
      sdkError(AG.BadRequestException, 400, "Unable to build importer with provided input."),
    );
  });

  test("documentation versions: list, update description, attach to a stage, delete", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const v1 = await t.ag.send(new AG.CreateDocumentationVersionCommand({ restApiId, documentationVersion: "1", description: "first", stageName: "dev" }));
    assert.equal(v1.description, "first");
    const stage = await t.ag.send(new AG.GetStageCommand({ restApiId, stageName: "dev" }));
    assert.equal(stage.documentationVersion, "1");
    await t.ag.send(new AG.CreateDocumentationVersionCommand({ restApiId, documentationVersion: "v2" }));
    await assert.rejects(
      t.ag.send(new AG.CreateDocumentationVersionCommand({ restApiId, documentationVersion: "v2" })),
      sdkError(AG.ConflictException, 409),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateDocumentationVersionCommand({ restApiId, documentationVersion: "v3", stageName: "nope" })),
      sdkError(AG.NotFoundException, 404, "Invalid stage identifier specified"),
    );
    const list = await t.ag.send(new AG.GetDocumentationVersionsCommand({ restApiId }));
    assert.deepEqual(list.items!.map((v) => v.version), ["1", "v2"]);
    const updated = await t.ag.send(
      new AG.UpdateDocumentationVersionCommand({ restApiId, documentationVersion: "v2", patchOperations: [{ op: "replace", path: "/description", value: "second" }] }),
    );
    assert.equal(updated.description, "second");
    await assert.rejects(
      t.ag.send(new AG.UpdateDocumentationVersionCommand({ restApiId, documentationVersion: "v2", patchOperations: [{ op: "replace", path: "/version", value: "x" }] })),
      sdkError(AG.BadRequestException, 400, "Invalid patch path  '/version' specified for op 'replace'. Must be one of: [/description]"),
    );
    const del = await t.ag.send(new AG.DeleteDocumentationVersionCommand({ restApiId, documentationVersion: "v2" }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await assert.rejects(t.ag.send(new AG.GetDocumentationVersionCommand({ restApiId, documentationVersion: "v2" })), sdkError(AG.NotFoundException, 404));
  });
});
