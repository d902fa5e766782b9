// Model operations: CreateModel, GetModel, GetModels, UpdateModel, DeleteModel, GetModelTemplate.
import { badRequest, conflict, notFound, type ApiError } from "../../errors/api-error.js";
import { loadApi, saveApi } from "../../domain/api-repository.js";
import { resourcePath, type ModelDoc, type RestApiDoc } from "../../domain/rest-api.js";
import { parseModelSchema, renderModelTemplate, flattenModelSchema } from "../../domain/model-schema.js";
import type { StoreReader } from "../../store/config-store.js";
import { newShortId } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPathFor, readPatchOperations, requireValue, unsupportedOpFor, type PatchOp } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optString, paginate, queryBool, reqString } from "../wire.js";

const MODEL_PATCH_PATHS = ["/description", "/schema"] as const;
const MODEL_NAME = /^[A-Za-z0-9]+$/;

const modelNotFound = (name: string): ApiError => notFound(`Invalid model name specified: ${name}`);

export function presentModel(model: ModelDoc, schema: string | undefined = model.schema): Record<string, unknown> {
  return compact({ id: model.id, name: model.name, description: model.description, schema, contentType: model.contentType });
}

/** AWS rejects a schema that defines nothing to validate (the default models are the only exception). */
function checkSchema(schema: string | undefined): void {
  const parsed = schema === undefined || schema.trim() === "" ? undefined : parseModelSchema(schema);
  if (parsed === null) {
    throw badRequest("Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]");
  }
  const props = parsed?.["properties"];
  const hasProperties = typeof props === "object" && props !== null && !Array.isArray(props) && Object.keys(props).length > 0;
  if (!hasProperties && parsed?.["items"] === undefined) {
    throw badRequest("Model schema must have at least 1 property or array items defined");
  }
}

/** Single-model calls report an unknown API with the model's own not-found message, as AWS does. */
async function loadModel(r: StoreReader, restApiId: string, name: string): Promise<{ api: RestApiDoc; model: ModelDoc }> {
  const api = await r.get<RestApiDoc>("restapi", restApiId);
  const model = api?.models[name];
  if (!api || !model) throw modelNotFound(name);
  return { api, model };
}

async function createModel(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const shape = "createModelInput";
  const name = reqString(body, "name", shape);
  const contentType = reqString(body, "contentType", shape);
  const description = optString(body, "description");
  const schema = optString(body, "schema");
  const restApiId = req.params["restapi_id"]!;
  const model = await ctx.store.write(async (w) => {
    const api = await loadApi(w, ctx.config.accountId, restApiId);
    if (name === "") throw badRequest("Model name must be non-empty");
    if (!MODEL_NAME.test(name)) throw badRequest(`Model name must be alphanumeric: ${name}`);
    if (api.models[name]) throw conflict("Model name already exists for this REST API");
    checkSchema(schema);
    const model: ModelDoc = compact({ id: newShortId(), name, description: description || undefined, schema, contentType });
    api.models[name] = model;
    await saveApi(w, api);
    return model;
  });
  return { status: 201, body: presentModel(model) };
}

async function getModel(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { api, model } = await loadModel(ctx.store.reader, req.params["restapi_id"]!, req.params["model_name"]!);
  const schema = queryBool(req.query, "flatten") && model.schema !== undefined ? flattenModelSchema(api, model.name, model.schema) : model.schema;
  return { status: 200, body: presentModel(model, schema) };
}

/** Listed in name order (control-plane.md §4). */
async function getModels(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const api = await loadApi(ctx.store.reader, ctx.config.accountId, req.params["restapi_id"]!);
  const models = Object.values(api.models).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = paginate(models, req.query);
  return { status: 200, body: { ...page, item: page.item.map((m) => presentModel(m)) } };
}

function applyModelPatch(model: ModelDoc, op: PatchOp): void {
  if (!(MODEL_PATCH_PATHS as readonly string[]).includes(op.path)) throw invalidPatchPathFor(op, MODEL_PATCH_PATHS);
  if (op.op !== "replace") throw unsupportedOpFor(op);
  if (op.path === "/description") {
    if (op.value === undefined || op.value === "") delete model.description;
    else model.description = op.value;
    return;
  }
  const schema = requireValue(op);
  checkSchema(schema);
  model.schema = schema;
}

async function updateModel(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateModelInput");
  const restApiId = req.params["restapi_id"]!;
  const name = req.params["model_name"]!;
  const model = await ctx.store.write(async (w) => {
    const { api, model } = await loadModel(w, restApiId, name);
    for (const op of ops) applyModelPatch(model, op);
    await saveApi(w, api);
    return model;
  });
  return { status: 200, body: presentModel(model) };
}

/** The first method that still names the model, rendered as AWS does (`/pets/POST`; root is `//ANY`). */
function modelReference(api: RestApiDoc, name: string): string | undefined {
  for (const resource of Object.values(api.resources)) {
    for (const method of Object.values(resource.methods)) {
      if (!method) continue;
      const where = `${resourcePath(api, resource.id)}/${method.httpMethod}`;
      if (Object.values(method.requestModels ?? {}).includes(name)) return `method request: ${where}`;
      for (const response of Object.values(method.methodResponses)) {
        if (Object.values(response.responseModels ?? {}).includes(name)) return `method response: ${where}/${response.statusCode}`;
      }
    }
  }
  return undefined;
}

async function deleteModel(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  const name = req.params["model_name"]!;
  await ctx.store.write(async (w) => {
    const { api } = await loadModel(w, restApiId, name);
    const reference = modelReference(api, name);
    if (reference) throw conflict(`Cannot delete model '${name}', is referenced in ${reference}`);
    delete api.models[name];
    await saveApi(w, api);
  });
  return { status: 202 };
}

async function getModelTemplate(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { api, model } = await loadModel(ctx.store.reader, req.params["restapi_id"]!, req.params["model_name"]!);
  return { status: 200, body: { value: renderModelTemplate(api, model) } };
}

export const modelRoutes: readonly RouteSpec[] = [
  { operation: "CreateModel", method: "POST", path: "/restapis/{restapi_id}/models", handler: createModel },
  { operation: "GetModels", method: "GET", path: "/restapis/{restapi_id}/models", handler: getModels },
  { operation: "GetModel", method: "GET", path: "/restapis/{restapi_id}/models/{model_name}", handler: getModel },
  { operation: "UpdateModel", method: "PATCH", path: "/restapis/{restapi_id}/models/{model_name}", handler: updateModel },
  { operation: "DeleteModel", method: "DELETE", path: "/restapis/{restapi_id}/models/{model_name}", handler: deleteModel },
  {
    operation: "GetModelTemplate",
    method: "GET",
    path: "/restapis/{restapi_id}/models/{model_name}/default_template",
    handler: getModelTemplate,
  },
];
