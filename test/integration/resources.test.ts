import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { rejectsWith } from "../helpers/fixtures.js";


describe("Resource operations", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  async function newApi(): Promise<{ api: string; root: string }> {
    const res = await t.ag.send(new AG.CreateRestApiCommand({ name: "resources" }));
    return { api: res.id!, root: res.rootResourceId! };
  }

  async function create(api: string, parentId: string, pathPart: string): Promise<AG.CreateResourceCommandOutput> {
    return t.ag.send(new AG.CreateResourceCommand({ restApiId: api, parentId, pathPart }));
  }

  async function paths(api: string): Promise<string[]> {
    const res = await t.ag.send(new AG.GetResourcesCommand({ restApiId: api, limit: 500 }));
    return (res.items ?? []).map((r) => r.path!);
  }

  test("a new API lists exactly its root resource, without parentId, pathPart or resourceMethods", async () => {
    const { api, root } = await newApi();
    const res = await t.ag.send(new AG.GetResourcesCommand({ restApiId: api }));
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.deepEqual(
      res.items?.map((r) => ({ ...r })),
      [{ id: root, path: "/" }],
    );
  });

  test("CreateResource under the root answers 201 with a 6-character id and the full path", async () => {
    const { api, root } = await newApi();
    const res = await create(api, root, "pets");
    assert.equal(res.$metadata.httpStatusCode, 201);
    assert.match(res.id!, /^[a-z0-9]{6}$/);
    assert.equal(res.path, "/pets");
    assert.equal(res.parentId, root);
    assert.equal(res.pathPart, "pets");
    assert.equal(res.resourceMethods, undefined);
  });

  test("a second child with the same path part is a ConflictException", async () => {
    const { api, root } = await newApi();
    await create(api, root, "pets");
    await rejectsWith(create(api, root, "pets"), "ConflictException", 409, "Another resource with the same parent already has this name: pets");
  });

  test("an unknown parent or unknown API is NotFoundException 'Invalid Resource identifier specified'", async () => {
    const { api } = await newApi();
    await rejectsWith(create(api, "zzzzzz", "x"), "NotFoundException", 404, "Invalid Resource identifier specified");
    await rejectsWith(create("nosuchapi0", "zzzzzz", "x"), "NotFoundException", 404, "Invalid Resource identifier specified");
    await rejectsWith(
      t.ag.send(new AG.GetResourceCommand({ restApiId: api, resourceId: "constructor" })),
      "NotFoundException",
      404,
      "Invalid Resource identifier specified",
    );
  });

  test("GetResources of an unknown API names the API and the account", async () => {
    await rejectsWith(
      t.ag.send(new AG.GetResourcesCommand({ restApiId: "nosuchapi0" })),
      "NotFoundException",
      404,
      `Invalid API identifier specified ${ACCOUNT}:nosuchapi0`,
    );
  });

  test("greedy resources take no children and a parent takes only one variable child", async () => {
    const { api, root } = await newApi();
    const proxy = await create(api, root, "{proxy+}");
    assert.equal(proxy.path, "/{proxy+}");
    await rejectsWith(
      create(api, proxy.id!, "child"),
      "BadRequestException",
      400,
      "Cannot create a child of a resource with a greedy path variable: {proxy+}",
    );
    await rejectsWith(
      create(api, root, "{id}"),
      "BadRequestException",
      400,
      "A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed",
    );
    const literal = await create(api, root, "literal.name_1-x");
    assert.equal(literal.path, "/literal.name_1-x");
  });

  test("path parts outside AWS's character rules are rejected", async () => {
    const { api, root } = await newApi();
    const message =
      "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.";
    for (const bad of ["a b", "a/b", "{id", "x{id}", "{a+b}", "", "{}"]) {
      await rejectsWith(create(api, root, bad), "BadRequestException", 400, message);
    }
  });

  test("renaming a resource changes its descendants' paths; add on /pathPart is not supported", async () => {
    const { api, root } = await newApi();
    const pets = await create(api, root, "pets");
    await create(api, pets.id!, "{petId}");
    const res = await t.ag.send(
      new AG.UpdateResourceCommand({ restApiId: api, resourceId: pets.id!, patchOperations: [{ op: "replace", path: "/pathPart", value: "dogs" }] }),
    );
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.path, "/dogs");
    assert.deepEqual(await paths(api), ["/", "/dogs", "/dogs/{petId}"]);
    await rejectsWith(
      t.ag.send(new AG.UpdateResourceCommand({ restApiId: api, resourceId: pets.id!, patchOperations: [{ op: "add", path: "/pathPart", value: "x" }] })),
      "BadRequestException",
      400,
      "Invalid patch path  '/pathPart' specified for op 'add'. Please choose supported operations",
    );
    await rejectsWith(
      t.ag.send(new AG.UpdateResourceCommand({ restApiId: api, resourceId: pets.id!, patchOperations: [{ op: "replace", path: "/path", value: "x" }] })),
      "BadRequestException",
      400,
      "Invalid patch path  '/path' specified for op 'replace'. Must be one of: [/parentId, /pathPart]",
    );
  });

  test("moving a resource re-parents its subtree; cycles, clashes, unknown parents and the root are refused", async () => {
    const { api, root } = await newApi();
    const a = await create(api, root, "a");
    const b = await create(api, root, "b");
    const child = await create(api, a.id!, "child");
    const grandchild = await create(api, child.id!, "leaf");
    await create(api, b.id!, "child");
    const update = (resourceId: string, path: string, value: string) =>
      t.ag.send(new AG.UpdateResourceCommand({ restApiId: api, resourceId, patchOperations: [{ op: "replace", path, value }] }));

    await rejectsWith(update(a.id!, "/parentId", grandchild.id!), "BadRequestException", 400, "Resources cannot be cyclical.");
    await rejectsWith(update(a.id!, "/parentId", a.id!), "BadRequestException", 400, "Resources cannot be cyclical.");
    await rejectsWith(update(child.id!, "/parentId", b.id!), "ConflictException", 409, "Another resource with the same parent already has this name: child");
    await rejectsWith(update(a.id!, "/pathPart", "b"), "ConflictException", 409, "Another resource with the same parent already has this name: b");
    await rejectsWith(update(child.id!, "/parentId", "zzzzzz"), "NotFoundException", 404, "Invalid Resource identifier specified");
    await rejectsWith(update(root, "/pathPart", "x"), "BadRequestException", 400, "Root resource cannot update its pathPart.");
    await rejectsWith(update(root, "/parentId", a.id!), "BadRequestException", 400, "Root resource cannot update its parentId.");

    const moved = await update(child.id!, "/parentId", root);
    assert.equal(moved.parentId, root);
    assert.equal(moved.path, "/child");
    assert.deepEqual(await paths(api), ["/", "/a", "/b", "/b/child", "/child", "/child/leaf"]);
  });

  test("a failing op in an UpdateResource request leaves the resource unchanged", async () => {
    const { api, root } = await newApi();
    const a = await create(api, root, "a");
    await assert.rejects(
      t.ag.send(
        new AG.UpdateResourceCommand({
          restApiId: api,
          resourceId: a.id!,
          patchOperations: [
            { op: "replace", path: "/pathPart", value: "renamed" },
            { op: "replace", path: "/parentId", value: "zzzzzz" },
          ],
        }),
      ),
      AG.NotFoundException,
    );
    assert.deepEqual(await paths(api), ["/", "/a"]);
  });

  test("DeleteResource answers 202 and removes the whole subtree; the root cannot be deleted", async () => {
    const { api, root } = await newApi();
    const pets = await create(api, root, "pets");
    const pet = await create(api, pets.id!, "{petId}");
    await create(api, root, "other");
    const res = await t.ag.send(new AG.DeleteResourceCommand({ restApiId: api, resourceId: pets.id! }));
    assert.equal(res.$metadata.httpStatusCode, 202);
    assert.deepEqual(await paths(api), ["/", "/other"]);
    await rejectsWith(
      t.ag.send(new AG.GetResourceCommand({ restApiId: api, resourceId: pet.id! })),
      "NotFoundException",
      404,
      "Invalid Resource identifier specified",
    );
    await rejectsWith(t.ag.send(new AG.DeleteResourceCommand({ restApiId: api, resourceId: root })), "BadRequestException", 400, "Root resource cannot be deleted");
  });

  test("GetResources lists in path order with / first and pages without a position on the last page", async () => {
    const { api, root } = await newApi();
    for (const part of ["zeta", "alpha", "mid"]) await create(api, root, part);
    const first = await t.ag.send(new AG.GetResourcesCommand({ restApiId: api, limit: 3 }));
    assert.deepEqual(first.items?.map((r) => r.path), ["/", "/alpha", "/mid"]);
    assert.ok(first.position);
    const second = await t.ag.send(new AG.GetResourcesCommand({ restApiId: api, limit: 3, position: first.position }));
    assert.deepEqual(second.items?.map((r) => r.path), ["/zeta"]);
    assert.equal(second.position, undefined);
  });

  test("embed=methods shows full methods; without it each verb maps to an empty object", async () => {
    const { api, root } = await newApi();
    const pets = await create(api, root, "pets");
    await t.ag.send(new AG.PutMethodCommand({ restApiId: api, resourceId: pets.id!, httpMethod: "GET", authorizationType: "NONE" }));
    await t.ag.send(
      new AG.PutIntegrationCommand({
        restApiId: api,
        resourceId: pets.id!,
        httpMethod: "GET",
        type: "MOCK",
        requestTemplates: { "application/json": '{"statusCode": 200}' },
      }),
    );
    const embedded = await t.ag.send(new AG.GetResourcesCommand({ restApiId: api, embed: ["methods"] }));
    const item = embedded.items?.find((r) => r.path === "/pets");
    assert.equal(item?.resourceMethods?.["GET"]?.methodIntegration?.type, "MOCK");
    assert.equal(item?.resourceMethods?.["GET"]?.methodIntegration?.cacheNamespace, pets.id);

    const plain = await t.ag.send(new AG.GetResourcesCommand({ restApiId: api }));
    assert.deepEqual(plain.items?.find((r) => r.path === "/pets")?.resourceMethods, { GET: {} });
    const raw = await t.signedFetch("GET", `/restapis/${api}/resources?embed=methods`);
    const json = (await raw.json()) as { item: { path: string; resourceMethods?: Record<string, unknown> }[] };
    assert.equal(json.item.find((r) => r.path === "/")?.resourceMethods, undefined);

    const single = await t.ag.send(new AG.GetResourceCommand({ restApiId: api, resourceId: pets.id!, embed: ["methods"] }));
    assert.equal(single.resourceMethods?.["GET"]?.httpMethod, "GET");
    const singlePlain = await t.ag.send(new AG.GetResourceCommand({ restApiId: api, resourceId: pets.id! }));
    assert.deepEqual(singlePlain.resourceMethods, { GET: {} });
  });
});
