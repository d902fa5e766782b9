// GatewayResponse operations: PutGatewayResponse, GetGatewayResponse, GetGatewayResponses, UpdateGatewayResponse,
// DeleteGatewayResponse. Only Put (or updated) types are stored, in `api.gatewayResponses`; every other type is
// shown with its catalogue default.
import { badRequest, enumClause, notFound, validationError } from "../../errors/api-error.js";
import {
  DEFAULT_GATEWAY_RESPONSE_TEMPLATE,
  GATEWAY_RESPONSE_TYPES,
  GATEWAY_RESPONSE_TYPE_NAMES,
  type GatewayResponseTypeName,
} from "../../errors/gateway-response-types.js";
import { loadApi, saveApi } from "../../domain/api-repository.js";
import { checkContentTypes, checkMappingSources } from "../method-inputs.js";
import type { GatewayResponseDoc, RestApiDoc } from "../../domain/rest-api.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPath, readPatchOperations, splitPatchPath, type PatchOp } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optString, optStringMap, paginate } from "../wire.js";

/** The order AWS lists the enum in its ValidationException (as localstack reproduces it) [emulator]. */
const ENUM_ORDER: readonly GatewayResponseTypeName[] = [
  "REQUEST_TOO_LARGE",
  "RESOURCE_NOT_FOUND",
  "AUTHORIZER_CONFIGURATION_ERROR",
  "MISSING_AUTHENTICATION_TOKEN",
  "BAD_REQUEST_BODY",
  "INVALID_SIGNATURE",
  "INVALID_API_KEY",
  "BAD_REQUEST_PARAMETERS",
  "AUTHORIZER_FAILURE",
  "UNAUTHORIZED",
  "INTEGRATION_TIMEOUT",
  "ACCESS_DENIED",
  "DEFAULT_4XX",
  "DEFAULT_5XX",
  "WAF_FILTERED",
  "QUOTA_EXCEEDED",
  "THROTTLED",
  "API_CONFIGURATION_ERROR",
  "UNSUPPORTED_MEDIA_TYPE",
  "INTEGRATION_FAILURE",
  "EXPIRED_TOKEN",
];
const STATUS_CODE = /^[1-5]\d\d$/;
const PARAMETER_TARGET = /^gatewayresponse\.(header|querystring|path)\.[^\s]+$/;

const defaultTemplates = (): Record<string, string> => ({ "application/json": DEFAULT_GATEWAY_RESPONSE_TEMPLATE });

function readResponseType(req: OpRequest): GatewayResponseTypeName {
  const type = req.params["response_type"]!;
  if (!(type in GATEWAY_RESPONSE_TYPES)) throw validationError([enumClause(type, "responseType", ENUM_ORDER)]);
  return type as GatewayResponseTypeName;
}

function defaultStatus(type: GatewayResponseTypeName): string | undefined {
  const status: number | undefined = GATEWAY_RESPONSE_TYPES[type].status;
  return status === undefined ? undefined : String(status);
}

function present(entry: GatewayResponseDoc, defaultResponse: boolean): Record<string, unknown> {
  return compact({
    responseType: entry.responseType,
    statusCode: entry.statusCode ?? defaultStatus(entry.responseType as GatewayResponseTypeName),
    responseParameters: entry.responseParameters,
    responseTemplates: entry.responseTemplates,
    defaultResponse,
  });
}

/**
 * What AWS shows for a type: the stored entry once Put or updated; otherwise the catalogue default, which
 * inherits statusCode, parameters and templates from a Put DEFAULT_4XX/DEFAULT_5XX of its class while still
 * reading `"defaultResponse": true` [AWS-recorded].
 */
function effectiveResponse(api: RestApiDoc, type: GatewayResponseTypeName): Record<string, unknown> {
  const stored = api.gatewayResponses[type];
  if (stored) return present(stored, false);
  const status = defaultStatus(type);
  const parent = status === undefined ? undefined : api.gatewayResponses[status.startsWith("4") ? "DEFAULT_4XX" : "DEFAULT_5XX"];
  const base: GatewayResponseDoc = parent
    ? { responseType: type, responseParameters: parent.responseParameters, responseTemplates: parent.responseTemplates, ...(parent.statusCode ? { statusCode: parent.statusCode } : {}) }
    : { responseType: type, responseParameters: {}, responseTemplates: defaultTemplates() };
  return present(base, true);
}

function checkParameterTargets(parameters: Record<string, string>): void {
  for (const key of Object.keys(parameters)) {
    if (!PARAMETER_TARGET.test(key)) {
      throw badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${key}]`);
    }
  }
}

async function putGatewayResponse(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  await loadApi(ctx.store.reader, ctx.config.accountId, restApiId);
  const responseType = readResponseType(req);
  const body = req.json();
  const statusCode = optString(body, "statusCode");
  if (statusCode !== undefined && !STATUS_CODE.test(statusCode)) {
    throw validationError([
      `Value '${statusCode}' at 'putGatewayResponseInput.statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d`,
    ]);
  }
  const parameters = optStringMap(body, "responseParameters");
  const templates = optStringMap(body, "responseTemplates");
  if (parameters) checkParameterTargets(parameters);
  checkMappingSources(parameters);
  checkContentTypes(Object.keys(templates ?? {}));
  // Members left out (or sent empty) fall back to the type's defaults.
  const entry: GatewayResponseDoc = {
    responseType,
    ...(statusCode !== undefined ? { statusCode } : {}),
    responseParameters: parameters ?? {},
    responseTemplates: templates && Object.keys(templates).length ? templates : defaultTemplates(),
  };
  await ctx.store.write(async (w) => {
    const api = await loadApi(w, ctx.config.accountId, restApiId);
    api.gatewayResponses[responseType] = entry;
    await saveApi(w, api);
  });
  return { status: 201, body: present(entry, false) };
}

async function getGatewayResponse(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const api = await loadApi(ctx.store.reader, ctx.config.accountId, req.params["restapi_id"]!);
  return { status: 200, body: effectiveResponse(api, readResponseType(req)) };
}

async function getGatewayResponses(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const api = await loadApi(ctx.store.reader, ctx.config.accountId, req.params["restapi_id"]!);
  const page = paginate(GATEWAY_RESPONSE_TYPE_NAMES, req.query);
  return { status: 200, body: { ...page, item: page.item.map((type) => effectiveResponse(api, type)) } };
}

/** UpdateGatewayResponse patch paths (control-plane.md §5.1). */
function applyGatewayResponsePatch(entry: GatewayResponseDoc, op: PatchOp): void {
  const [head, key, ...rest] = splitPatchPath(op.path);
  if (head === "statusCode" && key === undefined) {
    if (op.op !== "replace") throw invalidPatchPath(op.path);
    if (op.value === undefined || op.value === "") throw badRequest("Invalid null or empty value in statusCode");
    if (!STATUS_CODE.test(op.value)) throw badRequest(`Invalid status code specified: ${op.value}`);
    entry.statusCode = op.value;
    return;
  }
  if ((head !== "responseParameters" && head !== "responseTemplates") || key === undefined || key === "" || rest.length) {
    throw invalidPatchPath(op.path || undefined);
  }
  const map = entry[head];
  switch (op.op) {
    case "add":
    case "replace":
      if (op.value === undefined || op.value === "") throw badRequest(`Invalid null or empty value in ${head}`);
      if (op.op === "replace" && !(key in map)) throw notFound("Invalid parameter name specified");
      if (head === "responseParameters") {
        checkParameterTargets({ [key]: op.value });
        checkMappingSources({ [key]: op.value });
      } else {
        checkContentTypes([key]);
      }
      map[key] = op.value;
      return;
    case "remove":
      delete map[key];
      return;
    default:
      throw invalidPatchPath(op.path);
  }
}

async function updateGatewayResponse(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  await loadApi(ctx.store.reader, ctx.config.accountId, restApiId);
  const responseType = readResponseType(req);
  const ops = readPatchOperations(req.json(), "updateGatewayResponseInput");
  const entry = await ctx.store.write(async (w) => {
    const api = await loadApi(w, ctx.config.accountId, restApiId);
    // Updating a type that was never Put starts from its default and makes it a customised entry [AWS-recorded].
    const entry: GatewayResponseDoc = api.gatewayResponses[responseType] ?? {
      responseType,
      responseParameters: {},
      responseTemplates: defaultTemplates(),
    };
    for (const op of ops) applyGatewayResponsePatch(entry, op);
    api.gatewayResponses[responseType] = entry;
    await saveApi(w, api);
    return entry;
  });
  return { status: 200, body: present(entry, false) };
}

async function deleteGatewayResponse(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  await loadApi(ctx.store.reader, ctx.config.accountId, restApiId);
  const responseType = readResponseType(req);
  await ctx.store.write(async (w) => {
    const api = await loadApi(w, ctx.config.accountId, restApiId);
    if (!api.gatewayResponses[responseType]) throw notFound("Gateway response type not defined on api");
    delete api.gatewayResponses[responseType];
    await saveApi(w, api);
  });
  return { status: 202 };
}

export const gatewayResponseRoutes: readonly RouteSpec[] = [
  { operation: "GetGatewayResponses", method: "GET", path: "/restapis/{restapi_id}/gatewayresponses", handler: getGatewayResponses },
  { operation: "PutGatewayResponse", method: "PUT", path: "/restapis/{restapi_id}/gatewayresponses/{response_type}", handler: putGatewayResponse },
  { operation: "GetGatewayResponse", method: "GET", path: "/restapis/{restapi_id}/gatewayresponses/{response_type}", handler: getGatewayResponse },
  {
    operation: "UpdateGatewayResponse",
    method: "PATCH",
    path: "/restapis/{restapi_id}/gatewayresponses/{response_type}",
    handler: updateGatewayResponse,
  },
  {
    operation: "DeleteGatewayResponse",
    method: "DELETE",
    path: "/restapis/{restapi_id}/gatewayresponses/{response_type}",
    handler: deleteGatewayResponse,
  },
];
