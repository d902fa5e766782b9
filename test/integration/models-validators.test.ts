import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import velocity from "velocityjs";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { rejectsWith } from "../helpers/fixtures.js";

/** Rejects with exactly this exception name, status and message. */

const PET_SCHEMA = JSON.stringify({
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    tags: { type: "array", items: { type: "string" } },
    owner: { type: "object", properties: { email: { type: "string" } } },
  },
});

describe("Model operations", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  async function newApi(): Promise<{ apiId: string; rootId: string }> {
    const api = await t.ag.send(new AG.CreateRestApiCommand({ name: "models" }));
    return { apiId: api.id!, rootId: api.rootResourceId! };
  }

  async function createPet(apiId: string, name = "Pet", schema = PET_SCHEMA): Promise<AG.CreateModelCommandOutput> {
    return t.ag.send(new AG.CreateModelCommand({ restApiId: apiId, name, contentType: "application/json", schema }));
  }

  test("a new API has the Empty and Error models, listed in name order, and Empty's template is AWS's", async () => {
    const { apiId } = await newApi();
    const list = await t.ag.send(new AG.GetModelsCommand({ restApiId: apiId }));
    assert.deepEqual(
      list.items?.map((m) => m.name),
      ["Empty", "Error"],
    );
    const empty = await t.ag.send(new AG.GetModelCommand({ restApiId: apiId, modelName: "Empty" }));
    assert.equal(typeof empty.schema, "string");
    assert.equal(JSON.parse(empty.schema!).title, "Empty Schema");
    assert.equal(empty.description, "This is a default empty schema model");
    assert.match(empty.id!, /^[a-z0-9]{6}$/);
    const template = await t.ag.send(new AG.GetModelTemplateCommand({ restApiId: apiId, modelName: "Empty" }));
    assert.equal(template.value, "#set($inputRoot = $input.path('$'))\n{ }");
    const error = await t.ag.send(new AG.GetModelTemplateCommand({ restApiId: apiId, modelName: "Error" }));
    assert.equal(error.value, `#set($inputRoot = $input.path('$'))\n{\n  "message" : "$inputRoot.message"\n}`);
  });

  test("CreateModel returns 201 with a 6-char id; a second model of that name is a conflict; an unknown name is NotFound", async () => {
    const { apiId } = await newApi();
    const pet = await createPet(apiId);
    assert.equal(pet.$metadata.httpStatusCode, 201);
    assert.match(pet.id!, /^[a-z0-9]{6}$/);
    assert.equal(pet.name, "Pet");
    assert.equal(pet.contentType, "application/json");
    assert.equal(pet.schema, PET_SCHEMA);
    assert.equal(pet.description, undefined);
    await rejectsWith(createPet(apiId), "ConflictException", 409, "Model name already exists for this REST API");
    await rejectsWith(t.ag.send(new AG.GetModelCommand({ restApiId: apiId, modelName: "Nope" })), "NotFoundException", 404, "Invalid model name specified: Nope");
    const got = await t.ag.send(new AG.GetModelCommand({ restApiId: apiId, modelName: "Pet" }));
    assert.equal(got.id, pet.id);
  });

  test("CreateModel validates the name, the content type and the schema", async () => {
    const { apiId } = await newApi();
    await rejectsWith(createPet(apiId, ""), "BadRequestException", 400, "Model name must be non-empty");
    await rejectsWith(createPet(apiId, "Pet-1"), "BadRequestException", 400, "Model name must be alphanumeric: Pet-1");
    const must = "Model schema must have at least 1 property or array items defined";
    await rejectsWith(
      t.ag.send(new AG.CreateModelCommand({ restApiId: apiId, name: "NoSchema", contentType: "application/json" })),
      "BadRequestException",
      400,
      must,
    );
    await rejectsWith(createPet(apiId, "Bare", '{"type":"object"}'), "BadRequestException", 400, must);
    await rejectsWith(createPet(apiId, "NoProps", '{"type":"object","properties":{}}'), "BadRequestException", 400, must);
    await rejectsWith(
      createPet(apiId, "Broken", "{not json"),
      "BadRequestException",
      400,
      "Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]",
    );
    const raw = await t.signedFetch("POST", `/restapis/${apiId}/models`, {
      body: JSON.stringify({ name: "NoType", schema: PET_SCHEMA }),
      headers: { "content-type": "application/json" },
    });
    assert.equal(raw.status, 400);
    assert.equal(raw.headers.get("x-amzn-errortype")?.split(":")[0], "ValidationException");
    assert.match(((await raw.json()) as { message: string }).message, /Value null at 'createModelInput\.contentType' failed to satisfy constraint: Member must not be null/);
    const list = await createPet(apiId, "Tags", '{"type":"array","items":{"type":"string"}}');
    assert.equal(list.$metadata.httpStatusCode, 201);
  });

  test("model calls on an unknown API: list and create name the API, single-model calls name the model", async () => {
    const missing = `Invalid API identifier specified ${ACCOUNT}:nosuchapi0`;
    await rejectsWith(t.ag.send(new AG.GetModelsCommand({ restApiId: "nosuchapi0" })), "NotFoundException", 404, missing);
    await rejectsWith(createPet("nosuchapi0"), "NotFoundException", 404, missing);
    await rejectsWith(t.ag.send(new AG.GetModelCommand({ restApiId: "nosuchapi0", modelName: "Empty" })), "NotFoundException", 404, "Invalid model name specified: Empty");
    await rejectsWith(t.ag.send(new AG.DeleteModelCommand({ restApiId: "nosuchapi0", modelName: "Empty" })), "NotFoundException", 404, "Invalid model name specified: Empty");
  });

  test("GetModels pages in name order and omits position on the last page", async () => {
    const { apiId } = await newApi();
    for (const name of ["Zebra", "Apple", "Mango"]) await createPet(apiId, name);
    const first = await t.ag.send(new AG.GetModelsCommand({ restApiId: apiId, limit: 3 }));
    assert.deepEqual(
      first.items?.map((m) => m.name),
      ["Apple", "Empty", "Error"],
    );
    assert.ok(first.position);
    const second = await t.ag.send(new AG.GetModelsCommand({ restApiId: apiId, limit: 3, position: first.position }));
    assert.deepEqual(
      second.items?.map((m) => m.name),
      ["Mango", "Zebra"],
    );
    assert.equal(second.position, undefined);
  });

  test("UpdateModel replaces /description and /schema and re-validates the schema", async () => {
    const { apiId } = await newApi();
    await createPet(apiId);
    const newSchema = '{"type":"object","properties":{"x":{"type":"string"}}}';
    const res = await t.ag.send(
      new AG.UpdateModelCommand({
        restApiId: apiId,
        modelName: "Pet",
        patchOperations: [
          { op: "replace", path: "/description", value: "A pet" },
          { op: "replace", path: "/schema", value: newSchema },
        ],
      }),
    );
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.description, "A pet");
    assert.equal(res.schema, newSchema);
    const cleared = await t.ag.send(
      new AG.UpdateModelCommand({ restApiId: apiId, modelName: "Pet", patchOperations: [{ op: "replace", path: "/description", value: "" }] }),
    );
    assert.equal(cleared.description, undefined);
    const update = (op: AG.PatchOperation): Promise<unknown> =>
      t.ag.send(new AG.UpdateModelCommand({ restApiId: apiId, modelName: "Pet", patchOperations: [op] }));
    await rejectsWith(
      update({ op: "replace", path: "/schema", value: '{"type":"object"}' }),
      "BadRequestException",
      400,
      "Model schema must have at least 1 property or array items defined",
    );
    await rejectsWith(
      update({ op: "replace", path: "/name", value: "Cat" }),
      "BadRequestException",
      400,
      "Invalid patch path  '/name' specified for op 'replace'. Must be one of: [/description, /schema]",
    );
    await rejectsWith(
      update({ op: "add", path: "/description", value: "x" }),
      "BadRequestException",
      400,
      "Invalid patch path  '/description' specified for op 'add'. Please choose supported operations",
    );
    await rejectsWith(
      t.ag.send(new AG.UpdateModelCommand({ restApiId: apiId, modelName: "Cat", patchOperations: [] })),
      "NotFoundException",
      404,
      "Invalid model name specified: Cat",
    );
    // A failed update changes nothing.
    const after = await t.ag.send(new AG.GetModelCommand({ restApiId: apiId, modelName: "Pet" }));
    assert.equal(after.schema, newSchema);
  });

  test("GetModel with flatten=true inlines references to the API's other models, and survives a cycle", async () => {
    const { apiId } = await newApi();
    await createPet(apiId);
    const ref = (name: string): string => `https://apigateway.amazonaws.com/restapis/${apiId}/models/${name}`;
    const listSchema = JSON.stringify({ type: "array", items: { $ref: ref("Pet") } });
    await createPet(apiId, "PetList", listSchema);
    const plain = await t.ag.send(new AG.GetModelCommand({ restApiId: apiId, modelName: "PetList" }));
    assert.equal(plain.schema, listSchema);
    const flat = await t.ag.send(new AG.GetModelCommand({ restApiId: apiId, modelName: "PetList", flatten: true }));
    assert.deepEqual(JSON.parse(flat.schema!), { type: "array", items: JSON.parse(PET_SCHEMA) });
    const noRefs = await t.ag.send(new AG.GetModelCommand({ restApiId: apiId, modelName: "Pet", flatten: true }));
    assert.equal(noRefs.schema, PET_SCHEMA);

    await createPet(apiId, "Node", JSON.stringify({ type: "object", properties: { next: { $ref: ref("Link") } } }));
    await createPet(apiId, "Link", JSON.stringify({ type: "object", properties: { node: { $ref: ref("Node") } } }));
    const cyclic = await t.ag.send(new AG.GetModelCommand({ restApiId: apiId, modelName: "Node", flatten: true }));
    assert.deepEqual(JSON.parse(cyclic.schema!), {
      type: "object",
      properties: { next: { type: "object", properties: { node: { $ref: ref("Node") } } } },
    });
  });

  test("GetModelTemplate writes a VTL skeleton that rebuilds a body of the model's shape", async () => {
    const { apiId } = await newApi();
    await createPet(apiId);
    const res = await t.ag.send(new AG.GetModelTemplateCommand({ restApiId: apiId, modelName: "Pet" }));
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(
      res.value,
      [
        "#set($inputRoot = $input.path('$'))",
        "{",
        '  "id" : $inputRoot.id,',
        '  "name" : "$inputRoot.name",',
        '  "tags" : [',
        "#foreach($elem in $inputRoot.tags)",
        '    "$elem"#if($foreach.hasNext),#end',
        "#end",
        "  ],",
        '  "owner" : {',
        '    "email" : "$inputRoot.owner.email"',
        "  }",
        "}",
      ].join("\n"),
    );
    const pet = { id: 7, name: "rex", tags: ["a", "b"], owner: { email: "o@example.com" } };
    assert.deepEqual(JSON.parse(velocity.render(res.value!, { input: { path: () => pet } })), pet);

    const ref = `https://apigateway.amazonaws.com/restapis/${apiId}/models/Pet`;
    await createPet(apiId, "PetList", JSON.stringify({ type: "array", items: { $ref: ref } }));
    const list = await t.ag.send(new AG.GetModelTemplateCommand({ restApiId: apiId, modelName: "PetList" }));
    const pets = [pet, { id: 8, name: "tom", tags: [], owner: { email: "t@example.com" } }];
    assert.deepEqual(JSON.parse(velocity.render(list.value!, { input: { path: () => pets } })), pets);
    await rejectsWith(
      t.ag.send(new AG.GetModelTemplateCommand({ restApiId: apiId, modelName: "Nope" })),
      "NotFoundException",
      404,
      "Invalid model name specified: Nope",
    );
  });

  test("DeleteModel returns 202 and the model is gone", async () => {
    const { apiId } = await newApi();
    await createPet(apiId);
    const res = await t.ag.send(new AG.DeleteModelCommand({ restApiId: apiId, modelName: "Pet" }));
    assert.equal(res.$metadata.httpStatusCode, 202);
    await rejectsWith(t.ag.send(new AG.GetModelCommand({ restApiId: apiId, modelName: "Pet" })), "NotFoundException", 404, "Invalid model name specified: Pet");
    await rejectsWith(t.ag.send(new AG.DeleteModelCommand({ restApiId: apiId, modelName: "Pet" })), "NotFoundException", 404, "Invalid model name specified: Pet");
  });

  test("a model used by a method request cannot be deleted until the method is gone (root renders //ANY)", async () => {
    const { apiId, rootId } = await newApi();
    await createPet(apiId);
    const pets = await t.ag.send(new AG.CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: "pets" }));
    await t.ag.send(
      new AG.PutMethodCommand({
        restApiId: apiId,
        resourceId: pets.id!,
        httpMethod: "POST",
        authorizationType: "NONE",
        requestModels: { "application/json": "Pet" },
      }),
    );
    await rejectsWith(
      t.ag.send(new AG.DeleteModelCommand({ restApiId: apiId, modelName: "Pet" })),
      "ConflictException",
      409,
      "Cannot delete model 'Pet', is referenced in method request: /pets/POST",
    );
    await t.ag.send(new AG.DeleteMethodCommand({ restApiId: apiId, resourceId: pets.id!, httpMethod: "POST" }));
    await t.ag.send(
      new AG.PutMethodCommand({
        restApiId: apiId,
        resourceId: rootId,
        httpMethod: "ANY",
        authorizationType: "NONE",
        requestModels: { "application/json": "Pet" },
      }),
    );
    await rejectsWith(
      t.ag.send(new AG.DeleteModelCommand({ restApiId: apiId, modelName: "Pet" })),
      "ConflictException",
      409,
      "Cannot delete model 'Pet', is referenced in method request: //ANY",
    );
    await t.ag.send(new AG.DeleteMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: "ANY" }));
    const res = await t.ag.send(new AG.DeleteModelCommand({ restApiId: apiId, modelName: "Pet" }));
    assert.equal(res.$metadata.httpStatusCode, 202);
  });
});

describe("RequestValidator operations", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  async function newApi(): Promise<{ apiId: string; rootId: string }> {
    const api = await t.ag.send(new AG.CreateRestApiCommand({ name: "validators" }));
    return { apiId: api.id!, rootId: api.rootResourceId! };
  }

  test("CreateRequestValidator returns 201 with both flags false by default; Get and GetRequestValidators return it", async () => {
    const { apiId } = await newApi();
    const res = await t.ag.send(new AG.CreateRequestValidatorCommand({ restApiId: apiId, name: "body" }));
    assert.equal(res.$metadata.httpStatusCode, 201);
    assert.match(res.id!, /^[a-z0-9]{6}$/);
    assert.equal(res.name, "body");
    assert.equal(res.validateRequestBody, false);
    assert.equal(res.validateRequestParameters, false);
    const both = await t.ag.send(
      new AG.CreateRequestValidatorCommand({ restApiId: apiId, name: "both", validateRequestBody: true, validateRequestParameters: true }),
    );
    assert.equal(both.validateRequestBody, true);
    assert.equal(both.validateRequestParameters, true);
    const got = await t.ag.send(new AG.GetRequestValidatorCommand({ restApiId: apiId, requestValidatorId: res.id! }));
    assert.deepEqual(
      { id: got.id, name: got.name, b: got.validateRequestBody, p: got.validateRequestParameters },
      { id: res.id, name: "body", b: false, p: false },
    );
    const list = await t.ag.send(new AG.GetRequestValidatorsCommand({ restApiId: apiId }));
    assert.deepEqual(
      list.items?.map((v) => v.name),
      ["body", "both"],
    );
    const page = await t.ag.send(new AG.GetRequestValidatorsCommand({ restApiId: apiId, limit: 1 }));
    assert.equal(page.items?.length, 1);
    const rest = await t.ag.send(new AG.GetRequestValidatorsCommand({ restApiId: apiId, limit: 1, position: page.position }));
    assert.equal(rest.items?.[0]?.name, "both");
    assert.equal(rest.position, undefined);
  });

  test("UpdateRequestValidator replaces the three paths and rejects anything else in AWS's words", async () => {
    const { apiId } = await newApi();
    const v = await t.ag.send(new AG.CreateRequestValidatorCommand({ restApiId: apiId, name: "body" }));
    const update = (...ops: AG.PatchOperation[]): Promise<AG.UpdateRequestValidatorCommandOutput> =>
      t.ag.send(new AG.UpdateRequestValidatorCommand({ restApiId: apiId, requestValidatorId: v.id!, patchOperations: ops }));
    const res = await update(
      { op: "replace", path: "/name", value: "params" },
      { op: "replace", path: "/validateRequestBody", value: "true" },
      { op: "replace", path: "/validateRequestParameters", value: "true" },
    );
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.deepEqual([res.name, res.validateRequestBody, res.validateRequestParameters], ["params", true, true]);
    await rejectsWith(
      update({ op: "replace", path: "/invalidPath", value: "x" }),
      "BadRequestException",
      400,
      "Invalid patch path  '/invalidPath' specified for op 'replace'. Must be one of: [/name, /validateRequestParameters, /validateRequestBody]",
    );
    await rejectsWith(
      update({ op: "add", path: "/name", value: "x" }),
      "BadRequestException",
      400,
      "Invalid patch path  '/name' specified for op 'add'. Please choose supported operations",
    );
    await rejectsWith(update({ op: "replace", path: "/name", value: " " }), "BadRequestException", 400, "Request Validator name cannot be blank");
    await rejectsWith(
      update({ op: "replace", path: "/validateRequestBody", value: "yes" }),
      "BadRequestException",
      400,
      "Invalid boolean value yes for /validateRequestBody",
    );
    await rejectsWith(
      update({ op: "wrong-op" as AG.Op, path: "/name", value: "x" }),
      "ValidationException",
      400,
      "1 validation error detected: Value 'wrong-op' at 'updateRequestValidatorInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    );
    const unchanged = await t.ag.send(new AG.GetRequestValidatorCommand({ restApiId: apiId, requestValidatorId: v.id! }));
    assert.equal(unchanged.name, "params");
  });

  test("an unknown API: Create is a BadRequest, single-validator calls name the validator, the list names the API", async () => {
    const { apiId } = await newApi();
    await rejectsWith(
      t.ag.send(new AG.CreateRequestValidatorCommand({ restApiId: "nosuchapi0", name: "x" })),
      "BadRequestException",
      400,
      "Invalid REST API identifier specified",
    );
    const notFound = "Invalid Request Validator identifier specified";
    await rejectsWith(t.ag.send(new AG.GetRequestValidatorCommand({ restApiId: "nosuchapi0", requestValidatorId: "abc123" })), "NotFoundException", 404, notFound);
    await rejectsWith(t.ag.send(new AG.GetRequestValidatorCommand({ restApiId: apiId, requestValidatorId: "abc123" })), "NotFoundException", 404, notFound);
    await rejectsWith(
      t.ag.send(new AG.UpdateRequestValidatorCommand({ restApiId: apiId, requestValidatorId: "abc123", patchOperations: [] })),
      "NotFoundException",
      404,
      notFound,
    );
    await rejectsWith(t.ag.send(new AG.DeleteRequestValidatorCommand({ restApiId: apiId, requestValidatorId: "abc123" })), "NotFoundException", 404, notFound);
    await rejectsWith(
      t.ag.send(new AG.GetRequestValidatorsCommand({ restApiId: "nosuchapi0" })),
      "NotFoundException",
      404,
      `Invalid API identifier specified ${ACCOUNT}:nosuchapi0`,
    );
  });

  test("PutMethod refuses an unknown validator, and deleting a validator detaches it from its methods", async () => {
    const { apiId, rootId } = await newApi();
    await rejectsWith(
      t.ag.send(new AG.PutMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: "GET", authorizationType: "NONE", requestValidatorId: "nope00" })),
      "BadRequestException",
      400,
      "Invalid Request Validator identifier specified",
    );
    const v = await t.ag.send(new AG.CreateRequestValidatorCommand({ restApiId: apiId, name: "body", validateRequestBody: true }));
    await t.ag.send(new AG.PutMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: "GET", authorizationType: "NONE", requestValidatorId: v.id! }));
    const before = await t.ag.send(new AG.GetMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: "GET" }));
    assert.equal(before.requestValidatorId, v.id);
    const res = await t.ag.send(new AG.DeleteRequestValidatorCommand({ restApiId: apiId, requestValidatorId: v.id! }));
    assert.equal(res.$metadata.httpStatusCode, 202);
    const after = await t.ag.send(new AG.GetMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: "GET" }));
    assert.equal(after.requestValidatorId, undefined);
    await rejectsWith(
      t.ag.send(new AG.GetRequestValidatorCommand({ restApiId: apiId, requestValidatorId: v.id! })),
      "NotFoundException",
      404,
      "Invalid Request Validator identifier specified",
    );
  });
});
