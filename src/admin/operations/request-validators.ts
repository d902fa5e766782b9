// RequestValidator operations: CreateRequestValidator, GetRequestValidator, GetRequestValidators,
// UpdateRequestValidator, DeleteRequestValidator.
import { badRequest, notFound, type ApiError } from "../../errors/api-error.js";
import { loadApi, saveApi } from "../../domain/api-repository.js";
import type { RequestValidatorDoc, RestApiDoc } from "../../domain/rest-api.js";
import type { StoreReader } from "../../store/config-store.js";
import { newShortId } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPathFor, patchBool, readPatchOperations, unsupportedOpFor, type PatchOp } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optBool, optString, paginate } from "../wire.js";

/** AWS lists the allowed paths in this order. */
const VALIDATOR_PATCH_PATHS = ["/name", "/validateRequestParameters", "/validateRequestBody"] as const;

const validatorNotFound = (): ApiError => notFound("Invalid Request Validator identifier specified");

export function presentRequestValidator(v: RequestValidatorDoc): Record<string, unknown> {
  return compact({ id: v.id, name: v.name, validateRequestBody: v.validateRequestBody, validateRequestParameters: v.validateRequestParameters });
}

/** Single-validator calls on an unknown API report the validator's own not-found message (control-plane.md §7). */
async function loadValidator(r: StoreReader, restApiId: string, id: string): Promise<{ api: RestApiDoc; validator: RequestValidatorDoc }> {
  const api = await r.get<RestApiDoc>("restapi", restApiId);
  const validator = api?.requestValidators[id];
  if (!api || !validator) throw validatorNotFound();
  return { api, validator };
}

async function createRequestValidator(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const validator: RequestValidatorDoc = compact({
    id: newShortId(),
    name: optString(body, "name"),
    validateRequestBody: optBool(body, "validateRequestBody") ?? false,
    validateRequestParameters: optBool(body, "validateRequestParameters") ?? false,
  });
  const restApiId = req.params["restapi_id"]!;
  await ctx.store.write(async (w) => {
    // AWS answers an unknown API here with a BadRequest, unlike the NotFound of the other validator calls.
    const api = await loadApi(w, ctx.config.accountId, restApiId, () => badRequest("Invalid REST API identifier specified"));
    api.requestValidators[validator.id] = validator;
    await saveApi(w, api);
  });
  return { status: 201, body: presentRequestValidator(validator) };
}

async function getRequestValidator(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { validator } = await loadValidator(ctx.store.reader, req.params["restapi_id"]!, req.params["requestvalidator_id"]!);
  return { status: 200, body: presentRequestValidator(validator) };
}

async function getRequestValidators(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const api = await loadApi(ctx.store.reader, ctx.config.accountId, req.params["restapi_id"]!);
  const page = paginate(Object.values(api.requestValidators), req.query);
  return { status: 200, body: { ...page, item: page.item.map(presentRequestValidator) } };
}

function applyValidatorPatch(validator: RequestValidatorDoc, op: PatchOp): void {
  if (!(VALIDATOR_PATCH_PATHS as readonly string[]).includes(op.path)) throw invalidPatchPathFor(op, VALIDATOR_PATCH_PATHS);
  if (op.op !== "replace") throw unsupportedOpFor(op);
  switch (op.path) {
    case "/name":
      if (op.value === undefined || op.value.trim() === "") throw badRequest("Request Validator name cannot be blank");
      validator.name = op.value;
      return;
    case "/validateRequestBody":
      validator.validateRequestBody = patchBool(op);
      return;
    default:
      validator.validateRequestParameters = patchBool(op);
  }
}

async function updateRequestValidator(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateRequestValidatorInput");
  const restApiId = req.params["restapi_id"]!;
  const id = req.params["requestvalidator_id"]!;
  const validator = await ctx.store.write(async (w) => {
    const { api, validator } = await loadValidator(w, restApiId, id);
    for (const op of ops) applyValidatorPatch(validator, op);
    await saveApi(w, api);
    return validator;
  });
  return { status: 200, body: presentRequestValidator(validator) };
}

/** Methods that used the validator stop validating rather than pointing at nothing. */
async function deleteRequestValidator(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  const id = req.params["requestvalidator_id"]!;
  await ctx.store.write(async (w) => {
    const { api } = await loadValidator(w, restApiId, id);
    delete api.requestValidators[id];
    for (const resource of Object.values(api.resources)) {
      for (const method of Object.values(resource.methods)) {
        if (method?.requestValidatorId === id) delete method.requestValidatorId;
      }
    }
    await saveApi(w, api);
  });
  return { status: 202 };
}

export const requestValidatorRoutes: readonly RouteSpec[] = [
  { operation: "CreateRequestValidator", method: "POST", path: "/restapis/{restapi_id}/requestvalidators", handler: createRequestValidator },
  { operation: "GetRequestValidators", method: "GET", path: "/restapis/{restapi_id}/requestvalidators", handler: getRequestValidators },
  {
    operation: "GetRequestValidator",
    method: "GET",
    path: "/restapis/{restapi_id}/requestvalidators/{requestvalidator_id}",
    handler: getRequestValidator,
  },
  {
    operation: "UpdateRequestValidator",
    method: "PATCH",
    path: "/restapis/{restapi_id}/requestvalidators/{requestvalidator_id}",
    handler: updateRequestValidator,
  },
  {
    operation: "DeleteRequestValidator",
    method: "DELETE",
    path: "/restapis/{restapi_id}/requestvalidators/{requestvalidator_id}",
    handler: deleteRequestValidator,
  },
];
