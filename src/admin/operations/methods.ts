// Method and MethodResponse operations: Put/Get/Update/DeleteMethod and Put/Get/Update/DeleteMethodResponse.
// (TestInvokeMethod, POST on the method path, lives with the test-invoke operations.)
import { badRequest, conflict, notFound } from "../../errors/api-error.js";
import { loadMethod, loadResource, responseNotFound, saveApi } from "../../domain/api-repository.js";
import type { StoreReader } from "../../store/config-store.js";
import type { AuthorizationType, MethodDoc, MethodResponseDoc, RestApiDoc } from "../../domain/rest-api.js";
import {
  AUTHORIZATION_TYPES,
  checkAuthorizer,
  checkContentTypes,
  checkMethodRequestParameterName,
  checkMethodResponseParameterName,
  checkModelMap,
  checkModelName,
  checkRequestValidator,
  checkStatusCodeLabel,
  checkUniqueParameterNames,
  invalidHttpMethod,
  isHttpMethod,
  readMethodRequestParameters,
  methodLabels,
  type MethodLabels,
} from "../method-inputs.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPath, patchBool, readPatchOperations, replaceOnly, requireValue, splitPatchPath, type PatchOp } from "../patch.js";
import { patchMapEntry } from "../patch-map.js";
import { presentMethod, presentMethodResponse } from "../presenters.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optBool, optBoolMap, optObject, optString, optStringList, optStringMap, reqString } from "../wire.js";

function readAuthorizationType(value: string): AuthorizationType {
  if (!(AUTHORIZATION_TYPES as readonly string[]).includes(value)) {
    throw badRequest(`Invalid authorization type specified. Valid options are ${AUTHORIZATION_TYPES.join(",")}`);
  }
  return value as AuthorizationType;
}

function findMethod(r: StoreReader, labels: MethodLabels): ReturnType<typeof loadMethod> {
  return loadMethod(r, labels.restApiId, labels.resourceId, labels.httpMethod);
}

async function putMethod(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const labels = methodLabels(req);
  const body = req.json();
  const authorizationType = readAuthorizationType(reqString(body, "authorizationType", "putMethodInput"));
  const httpMethod = labels.httpMethod;
  if (!isHttpMethod(httpMethod)) throw invalidHttpMethod();
  const authorizerId = optString(body, "authorizerId");
  const requestValidatorId = optString(body, "requestValidatorId");
  const requestModels = optStringMap(body, "requestModels");
  const fields = compact({
    httpMethod,
    authorizationType,
    // An authorizer only means something for CUSTOM/COGNITO_USER_POOLS (UpdateMethod ignores it otherwise, too).
    authorizerId: authorizationType === "CUSTOM" || authorizationType === "COGNITO_USER_POOLS" ? authorizerId : undefined,
    apiKeyRequired: optBool(body, "apiKeyRequired") ?? false,
    requestValidatorId,
    operationName: optString(body, "operationName"),
    requestParameters: readMethodRequestParameters(optObject(body, "requestParameters")),
    requestModels,
    authorizationScopes: optStringList(body, "authorizationScopes"),
  });
  const method = await ctx.store.write(async (w) => {
    const { api, resource } = await loadResource(w, labels.restApiId, labels.resourceId);
    if (Object.hasOwn(resource.methods, httpMethod)) throw conflict("Method already exists for this resource");
    checkAuthorizer(api, authorizationType, authorizerId);
    if (requestValidatorId !== undefined) checkRequestValidator(api, requestValidatorId);
    checkModelMap(api, requestModels);
    const method: MethodDoc = { ...fields, methodResponses: {} };
    resource.methods[httpMethod] = method;
    await saveApi(w, api);
    return method;
  });
  return { status: 201, body: presentMethod(method) };
}

async function getMethod(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { method } = await findMethod(ctx.store.reader, methodLabels(req));
  return { status: 200, body: presentMethod(method) };
}

/** UpdateMethod patch paths (control-plane.md §5.1); messages of the `Invalid patch path /x` family. */
function applyMethodPatch(api: RestApiDoc, method: MethodDoc, op: PatchOp): void {
  const segments = splitPatchPath(op.path);
  const [head, key] = segments;
  const scalar = (apply: () => void): void => {
    if (segments.length !== 1) throw invalidPatchPath(op.path);
    if (op.op !== "replace") throw replaceOnly();
    apply();
  };
  switch (head) {
    case "authorizationType":
      return scalar(() => {
        method.authorizationType = readAuthorizationType(requireValue(op));
      });
    case "authorizerId":
      return scalar(() => {
        if (op.value) method.authorizerId = op.value;
        else delete method.authorizerId;
      });
    case "apiKeyRequired":
      return scalar(() => {
        method.apiKeyRequired = patchBool(op);
      });
    case "operationName":
      return scalar(() => {
        if (op.value) method.operationName = op.value;
        else delete method.operationName;
      });
    case "requestValidatorId":
      return scalar(() => {
        if (!op.value) {
          delete method.requestValidatorId;
          return;
        }
        checkRequestValidator(api, op.value);
        method.requestValidatorId = op.value;
      });
    case "requestParameters":
      if (key === undefined || segments.length !== 2) throw invalidPatchPath(op.path);
      checkMethodRequestParameterName(key);
      method.requestParameters = patchMapEntry(method.requestParameters, op, key, () => (op.value === undefined ? false : patchBool(op)));
      return;
    case "requestModels":
      if (key === undefined || segments.length !== 2) throw invalidPatchPath(op.path);
      if (key !== "$default") checkContentTypes([key]);
      method.requestModels = patchMapEntry(method.requestModels, op, key, () => {
        const name = requireValue(op);
        checkModelName(api, name);
        return name;
      });
      return;
    case "authorizationScopes": {
      if (segments.length !== 1) throw invalidPatchPath(op.path);
      const scope = requireValue(op);
      const scopes = method.authorizationScopes ?? [];
      if (op.op === "add") method.authorizationScopes = scopes.includes(scope) ? scopes : [...scopes, scope];
      else if (op.op === "remove") method.authorizationScopes = scopes.filter((s) => s !== scope);
      else throw invalidPatchPath(op.path);
      if (method.authorizationScopes.length === 0) delete method.authorizationScopes;
      return;
    }
    default:
      throw invalidPatchPath(op.path || undefined);
  }
}

async function updateMethod(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateMethodInput");
  const labels = methodLabels(req);
  const method = await ctx.store.write(async (w) => {
    const { api, method } = await findMethod(w, labels);
    for (const op of ops) applyMethodPatch(api, method, op);
    // The authorizer may be set before or after the type within one request, so the pair is checked at the end;
    // an authorizerId on a method that does not use one is dropped (AWS ignores it).
    checkAuthorizer(api, method.authorizationType, method.authorizerId);
    if (method.authorizationType !== "CUSTOM" && method.authorizationType !== "COGNITO_USER_POOLS") delete method.authorizerId;
    checkUniqueParameterNames(method.requestParameters);
    await saveApi(w, api);
    return method;
  });
  return { status: 200, body: presentMethod(method) };
}

async function deleteMethod(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const labels = methodLabels(req);
  await ctx.store.write(async (w) => {
    const { api, resource, method } = await findMethod(w, labels);
    // The method's responses, integration and integration responses live inside it and go with it.
    delete resource.methods[method.httpMethod];
    await saveApi(w, api);
  });
  return { status: 204 };
}

function findMethodResponse(method: MethodDoc, statusCode: string): MethodResponseDoc {
  const response = Object.hasOwn(method.methodResponses, statusCode) ? method.methodResponses[statusCode] : undefined;
  if (!response) throw responseNotFound();
  return response;
}

function readMethodResponseParameters(body: Record<string, unknown>): Record<string, boolean> | undefined {
  const parameters = optBoolMap(body, "responseParameters");
  for (const name of Object.keys(parameters ?? {})) checkMethodResponseParameterName(name);
  return parameters;
}

async function putMethodResponse(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const labels = methodLabels(req);
  const statusCode = req.params["status_code"]!;
  checkStatusCodeLabel(statusCode);
  const body = req.json();
  const responseParameters = readMethodResponseParameters(body);
  const responseModels = optStringMap(body, "responseModels");
  const response = await ctx.store.write(async (w) => {
    const { api, method } = await findMethod(w, labels);
    if (Object.hasOwn(method.methodResponses, statusCode)) throw conflict("Response already exists for this resource");
    checkModelMap(api, responseModels);
    // AWS answers a bare PutMethodResponse with empty maps: {"statusCode":"200","responseModels":{},"responseParameters":{}}.
    const response: MethodResponseDoc = { statusCode, responseParameters: responseParameters ?? {}, responseModels: responseModels ?? {} };
    method.methodResponses[statusCode] = response;
    await saveApi(w, api);
    return response;
  });
  return { status: 201, body: presentMethodResponse(response) };
}

async function getMethodResponse(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const statusCode = req.params["status_code"]!;
  checkStatusCodeLabel(statusCode);
  const { method } = await findMethod(ctx.store.reader, methodLabels(req));
  return { status: 200, body: presentMethodResponse(findMethodResponse(method, statusCode)) };
}

/** UpdateMethodResponse: map entries only; touching a missing entry is NotFound (messages recorded on AWS). */
function applyMethodResponsePatch(api: RestApiDoc, response: MethodResponseDoc, op: PatchOp): void {
  const segments = splitPatchPath(op.path);
  const [head, key] = segments;
  if (key === undefined || segments.length !== 2 || (head !== "responseParameters" && head !== "responseModels")) {
    throw invalidPatchPath(op.path || undefined);
  }
  if (op.op !== "add" && op.op !== "remove" && op.op !== "replace") throw invalidPatchPath(op.path);
  if (head === "responseParameters") {
    checkMethodResponseParameterName(key);
    if (op.op !== "add" && !Object.hasOwn(response.responseParameters ?? {}, key)) throw notFound("Invalid parameter name specified");
    response.responseParameters = patchMapEntry(response.responseParameters, op, key, () => (op.value === undefined ? false : patchBool(op)));
    return;
  }
  checkContentTypes([key]);
  if (op.op !== "add" && !Object.hasOwn(response.responseModels ?? {}, key)) throw notFound("Content-Type specified was not found");
  response.responseModels = patchMapEntry(response.responseModels, op, key, () => {
    const name = requireValue(op);
    checkModelName(api, name);
    return name;
  });
}

async function updateMethodResponse(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateMethodResponseInput");
  const labels = methodLabels(req);
  const statusCode = req.params["status_code"]!;
  checkStatusCodeLabel(statusCode);
  const response = await ctx.store.write(async (w) => {
    const { api, method } = await findMethod(w, labels);
    const response = findMethodResponse(method, statusCode);
    for (const op of ops) applyMethodResponsePatch(api, response, op);
    await saveApi(w, api);
    return response;
  });
  // The only PATCH of the API that answers 201 (service model; recorded on AWS).
  return { status: 201, body: presentMethodResponse(response) };
}

async function deleteMethodResponse(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const labels = methodLabels(req);
  const statusCode = req.params["status_code"]!;
  checkStatusCodeLabel(statusCode);
  await ctx.store.write(async (w) => {
    const { api, method } = await findMethod(w, labels);
    findMethodResponse(method, statusCode);
    delete method.methodResponses[statusCode];
    await saveApi(w, api);
  });
  return { status: 204 };
}

const METHOD_PATH = "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}";
const RESPONSE_PATH = `${METHOD_PATH}/responses/{status_code}`;

export const methodRoutes: readonly RouteSpec[] = [
  { operation: "PutMethod", method: "PUT", path: METHOD_PATH, handler: putMethod },
  { operation: "GetMethod", method: "GET", path: METHOD_PATH, handler: getMethod },
  { operation: "UpdateMethod", method: "PATCH", path: METHOD_PATH, handler: updateMethod },
  { operation: "DeleteMethod", method: "DELETE", path: METHOD_PATH, handler: deleteMethod },
  { operation: "PutMethodResponse", method: "PUT", path: RESPONSE_PATH, handler: putMethodResponse },
  { operation: "GetMethodResponse", method: "GET", path: RESPONSE_PATH, handler: getMethodResponse },
  { operation: "UpdateMethodResponse", method: "PATCH", path: RESPONSE_PATH, handler: updateMethodResponse },
  { operation: "DeleteMethodResponse", method: "DELETE", path: RESPONSE_PATH, handler: deleteMethodResponse },
];
