// Integration and IntegrationResponse operations: Put/Get/Update/DeleteIntegration and
// Put/Get/Update/DeleteIntegrationResponse.
import { badRequest, conflict, enumClause, validationError } from "../../errors/api-error.js";
import { loadIntegration, loadMethod, nextSeq, responseNotFound, saveApi } from "../../domain/api-repository.js";
import { checkIntegrationUri } from "../../domain/integration-uri.js";
import type {
  ContentHandling,
  IntegrationDoc,
  IntegrationResponseDoc,
  IntegrationType,
  PassthroughBehavior,
} from "../../domain/rest-api.js";
import type { StoreReader } from "../../store/config-store.js";
import {
  checkContentTypes,
  checkMethodResponseParameterName,
  checkStatusCodeLabel,
  invalidHttpMethod,
  invalidMappingExpression,
  checkMappingSources,
  isHttpMethod,
  methodLabels,
  type MethodLabels,
} from "../method-inputs.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import {
  invalidPatchPath,
  patchBool,
  patchInt,
  readPatchOperations,
  replaceOnly,
  requireValue,
  splitPatchPath,
  type PatchOp,
} from "../patch.js";
import { patchMapEntry } from "../patch-map.js";
import { presentIntegration, presentIntegrationResponse } from "../presenters.js";
import type { RouteSpec } from "../route-table.js";
import {
  compact,
  optBool,
  optInt,
  optNullableStringMap,
  optObject,
  optString,
  optStringList,
  optStringMap,
  reqString,
} from "../wire.js";

const INTEGRATION_TYPES: readonly IntegrationType[] = ["HTTP", "MOCK", "AWS_PROXY", "HTTP_PROXY", "AWS"];
const CONTENT_HANDLING: readonly ContentHandling[] = ["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"];
const CONNECTION_TYPES = ["INTERNET", "VPC_LINK"] as const;
const TRANSFER_MODES = ["BUFFERED", "STREAM"] as const;
const PASSTHROUGH: readonly PassthroughBehavior[] = ["WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"];
const MIN_TIMEOUT = 50;
const MAX_TIMEOUT = 29_000;

const INTEGRATION_REQUEST_PARAMETER = /^integration\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\..+$/;

/** Model enums are checked before anything else and reported as ValidationException, as AWS's front end does. */
function readEnum<T extends string>(body: Record<string, unknown>, key: string, inputShape: string, allowed: readonly T[]): T | undefined {
  const value = optString(body, key);
  if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
    throw validationError([enumClause(value, `${inputShape}.${key}`, allowed)]);
  }
  return value as T | undefined;
}

function readPassthrough(value: string | undefined): PassthroughBehavior | undefined {
  if (value !== undefined && !(PASSTHROUGH as readonly string[]).includes(value)) {
    throw badRequest(`Invalid passthrough behavior specified: ${value}. Valid options are ${PASSTHROUGH.join(",")}`);
  }
  return value as PassthroughBehavior | undefined;
}

function checkTimeout(timeout: number): void {
  if (timeout < MIN_TIMEOUT || timeout > MAX_TIMEOUT) {
    throw badRequest(`Timeout should be between ${MIN_TIMEOUT} ms and ${MAX_TIMEOUT} ms`);
  }
}

function checkIntegrationRequestParameters(parameters: Record<string, string> | undefined): void {
  for (const name of Object.keys(parameters ?? {})) {
    if (!INTEGRATION_REQUEST_PARAMETER.test(name)) throw invalidMappingExpression(name);
  }
  checkMappingSources(parameters);
}

/** What must hold for a whole integration, after a Put or after all ops of an Update. */
function checkIntegration(integration: IntegrationDoc): void {
  if (integration.type !== "MOCK" && !integration.httpMethod) throw badRequest("Enumeration value for HttpMethod must be non-empty");
  if (integration.httpMethod !== undefined && !isHttpMethod(integration.httpMethod)) throw invalidHttpMethod();
  checkIntegrationUri(integration.type, integration.uri);
  checkTimeout(integration.timeoutInMillis);
  checkContentTypes(Object.keys(integration.requestTemplates ?? {}));
  checkIntegrationRequestParameters(integration.requestParameters);
}

function findIntegration(r: StoreReader, labels: MethodLabels): ReturnType<typeof loadIntegration> {
  return loadIntegration(r, labels.restApiId, labels.resourceId, labels.httpMethod);
}

async function putIntegration(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const labels = methodLabels(req);
  const body = req.json();
  const shape = "putIntegrationInput";
  const type = reqString(body, "type", shape);
  if (!(INTEGRATION_TYPES as readonly string[]).includes(type)) throw validationError([enumClause(type, `${shape}.type`, INTEGRATION_TYPES)]);
  const contentHandling = readEnum(body, "contentHandling", shape, CONTENT_HANDLING);
  const connectionType = readEnum(body, "connectionType", shape, CONNECTION_TYPES);
  const responseTransferMode = readEnum(body, "responseTransferMode", shape, TRANSFER_MODES);
  const passthroughBehavior = readPassthrough(optString(body, "passthroughBehavior"));
  const tls = optObject(body, "tlsConfig");
  const insecureSkipVerification = tls ? optBool(tls, "insecureSkipVerification") : undefined;
  // The SDK's integrationHttpMethod travels as body key "httpMethod"; the method's own verb is the path label.
  const httpMethod = optString(body, "httpMethod");
  const fields = compact({
    type: type as IntegrationType,
    httpMethod: httpMethod === "" ? undefined : httpMethod,
    uri: optString(body, "uri"),
    connectionType,
    connectionId: optString(body, "connectionId"),
    credentials: optString(body, "credentials"),
    requestParameters: optStringMap(body, "requestParameters"),
    requestTemplates: optNullableStringMap(body, "requestTemplates"),
    passthroughBehavior: passthroughBehavior ?? "WHEN_NO_MATCH",
    contentHandling,
    timeoutInMillis: optInt(body, "timeoutInMillis") ?? MAX_TIMEOUT,
    cacheKeyParameters: optStringList(body, "cacheKeyParameters") ?? [],
    tlsConfig: tls ? compact({ insecureSkipVerification }) : undefined,
    responseTransferMode,
    integrationTarget: optString(body, "integrationTarget"),
  });
  const cacheNamespace = optString(body, "cacheNamespace");
  const integration = await ctx.store.write(async (w) => {
    const { api, resource, method } = await loadMethod(w, labels.restApiId, labels.resourceId, labels.httpMethod);
    const integration: IntegrationDoc = {
      ...fields,
      cacheNamespace: cacheNamespace ?? resource.id,
      // Re-putting replaces the integration's settings but keeps its responses (AWS behaviour is unverified here;
      // keeping them is what clients that re-put to change the type expect).
      integrationResponses: method.integration?.integrationResponses ?? {},
    };
    checkIntegration(integration);
    method.integration = integration;
    await saveApi(w, api);
    return integration;
  });
  return { status: 201, body: presentIntegration(integration) };
}

async function getIntegration(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { integration } = await findIntegration(ctx.store.reader, methodLabels(req));
  return { status: 200, body: presentIntegration(integration) };
}

function setOptionalString<K extends "uri" | "credentials" | "connectionId" | "httpMethod">(integration: IntegrationDoc, key: K, op: PatchOp): void {
  if (op.value) integration[key] = op.value;
  else delete integration[key];
}

function patchEnum<T extends string>(op: PatchOp, allowed: readonly T[]): T | undefined {
  if (!op.value) return undefined;
  if (!(allowed as readonly string[]).includes(op.value)) {
    throw badRequest(`Invalid value ${op.value} specified for ${op.path}. Valid options are ${allowed.join(",")}`);
  }
  return op.value as T;
}

/** UpdateIntegration patch paths (control-plane.md §5.1). */
function applyIntegrationPatch(integration: IntegrationDoc, op: PatchOp): void {
  const segments = splitPatchPath(op.path);
  const [head, key] = segments;
  const scalar = (apply: () => void): void => {
    if (segments.length !== 1) throw invalidPatchPath(op.path);
    if (op.op !== "replace") throw replaceOnly();
    apply();
  };
  switch (head) {
    case "uri":
    case "credentials":
    case "connectionId":
    case "httpMethod":
      return scalar(() => setOptionalString(integration, head, op));
    case "passthroughBehavior":
      return scalar(() => {
        integration.passthroughBehavior = readPassthrough(requireValue(op))!;
      });
    case "contentHandling":
      return scalar(() => {
        const value = patchEnum(op, CONTENT_HANDLING);
        if (value) integration.contentHandling = value;
        else delete integration.contentHandling;
      });
    case "connectionType":
      return scalar(() => {
        const value = patchEnum(op, CONNECTION_TYPES);
        if (value) integration.connectionType = value;
        else delete integration.connectionType;
      });
    case "timeoutInMillis":
      return scalar(() => {
        integration.timeoutInMillis = patchInt(op);
      });
    case "cacheNamespace":
      return scalar(() => {
        integration.cacheNamespace = requireValue(op);
      });
    case "tlsConfig":
      if (key !== "insecureSkipVerification" || segments.length !== 2) throw invalidPatchPath(op.path);
      if (op.op !== "replace") throw replaceOnly();
      integration.tlsConfig = { ...(integration.tlsConfig ?? {}), insecureSkipVerification: patchBool(op) };
      return;
    case "requestTemplates": {
      if (key === undefined || segments.length !== 2) throw invalidPatchPath(op.path);
      checkContentTypes([key]);
      // `add` without a value creates a passthrough (null) template, as in the AWS CLI examples.
      integration.requestTemplates = patchMapEntry(integration.requestTemplates, op, key, () => op.value ?? null);
      return;
    }
    case "requestParameters": {
      if (key === undefined || segments.length !== 2) throw invalidPatchPath(op.path);
      if (!INTEGRATION_REQUEST_PARAMETER.test(key)) throw invalidMappingExpression(key);
      integration.requestParameters = patchMapEntry(integration.requestParameters, op, key, () => requireValue(op));
      return;
    }
    case "cacheKeyParameters": {
      if (key === undefined || segments.length !== 2) throw invalidPatchPath(op.path);
      if (op.op === "add") integration.cacheKeyParameters = integration.cacheKeyParameters.includes(key) ? integration.cacheKeyParameters : [...integration.cacheKeyParameters, key];
      else if (op.op === "remove") integration.cacheKeyParameters = integration.cacheKeyParameters.filter((p) => p !== key);
      else throw invalidPatchPath(op.path);
      return;
    }
    default:
      throw invalidPatchPath(op.path || undefined);
  }
}

async function updateIntegration(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateIntegrationInput");
  const labels = methodLabels(req);
  const integration = await ctx.store.write(async (w) => {
    const { api, method, integration } = await findIntegration(w, labels);
    for (const op of ops) applyIntegrationPatch(integration, op);
    checkIntegration(integration);
    method.integration = integration;
    await saveApi(w, api);
    return integration;
  });
  return { status: 200, body: presentIntegration(integration) };
}

async function deleteIntegration(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const labels = methodLabels(req);
  await ctx.store.write(async (w) => {
    const { api, method } = await findIntegration(w, labels);
    // Its integration responses live inside it and go with it.
    delete method.integration;
    await saveApi(w, api);
  });
  return { status: 204 };
}

function findIntegrationResponse(integration: IntegrationDoc, statusCode: string): IntegrationResponseDoc {
  const response = Object.hasOwn(integration.integrationResponses, statusCode) ? integration.integrationResponses[statusCode] : undefined;
  if (!response) throw responseNotFound();
  return response;
}

/** Only one integration response may be the default (empty or absent selection pattern). */
function checkDefaultPattern(integration: IntegrationDoc, response: IntegrationResponseDoc): void {
  if (response.selectionPattern) return;
  const other = Object.values(integration.integrationResponses).find((r) => r.statusCode !== response.statusCode && !r.selectionPattern);
  if (other) throw conflict("Integration response with selection pattern default already exists");
}

function checkIntegrationResponseMaps(response: IntegrationResponseDoc): void {
  checkContentTypes(Object.keys(response.responseTemplates ?? {}));
  for (const name of Object.keys(response.responseParameters ?? {})) checkMethodResponseParameterName(name);
  checkMappingSources(response.responseParameters);
}

async function putIntegrationResponse(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const labels = methodLabels(req);
  const statusCode = req.params["status_code"]!;
  checkStatusCodeLabel(statusCode);
  const body = req.json();
  const fields = compact({
    statusCode,
    selectionPattern: optString(body, "selectionPattern"),
    responseParameters: optStringMap(body, "responseParameters"),
    responseTemplates: optNullableStringMap(body, "responseTemplates"),
    contentHandling: readEnum(body, "contentHandling", "putIntegrationResponseInput", CONTENT_HANDLING),
  });
  const response = await ctx.store.write(async (w) => {
    const { api, integration } = await findIntegration(w, labels);
    const existing = Object.hasOwn(integration.integrationResponses, statusCode) ? integration.integrationResponses[statusCode] : undefined;
    // Re-putting a status code keeps its place in the order selection patterns are tried in.
    const response: IntegrationResponseDoc = { ...fields, seq: existing?.seq ?? nextSeq(api) };
    checkIntegrationResponseMaps(response);
    checkDefaultPattern(integration, response);
    integration.integrationResponses[statusCode] = response;
    await saveApi(w, api);
    return response;
  });
  return { status: 201, body: presentIntegrationResponse(response) };
}

async function getIntegrationResponse(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const statusCode = req.params["status_code"]!;
  checkStatusCodeLabel(statusCode);
  const { integration } = await findIntegration(ctx.store.reader, methodLabels(req));
  return { status: 200, body: presentIntegrationResponse(findIntegrationResponse(integration, statusCode)) };
}

/** UpdateIntegrationResponse patch paths (control-plane.md §5.1). */
function applyIntegrationResponsePatch(response: IntegrationResponseDoc, op: PatchOp): void {
  const segments = splitPatchPath(op.path);
  const [head, key] = segments;
  switch (head) {
    case "selectionPattern":
      if (segments.length !== 1) throw invalidPatchPath(op.path);
      if (op.op !== "replace") throw replaceOnly();
      response.selectionPattern = op.value ?? "";
      return;
    case "contentHandling": {
      if (segments.length !== 1) throw invalidPatchPath(op.path);
      if (op.op !== "replace") throw replaceOnly();
      const value = patchEnum(op, CONTENT_HANDLING);
      if (value) response.contentHandling = value;
      else delete response.contentHandling;
      return;
    }
    case "responseTemplates":
      if (key === undefined || segments.length !== 2) throw invalidPatchPath(op.path);
      checkContentTypes([key]);
      response.responseTemplates = patchMapEntry(response.responseTemplates, op, key, () => op.value ?? null);
      return;
    case "responseParameters":
      if (key === undefined || segments.length !== 2) throw invalidPatchPath(op.path);
      checkMethodResponseParameterName(key);
      if (op.op !== "remove" && op.value !== undefined) checkMappingSources({ [key]: op.value });
      response.responseParameters = patchMapEntry(response.responseParameters, op, key, () => requireValue(op));
      return;
    default:
      throw invalidPatchPath(op.path || undefined);
  }
}

async function updateIntegrationResponse(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateIntegrationResponseInput");
  const labels = methodLabels(req);
  const statusCode = req.params["status_code"]!;
  checkStatusCodeLabel(statusCode);
  const response = await ctx.store.write(async (w) => {
    const { api, integration } = await findIntegration(w, labels);
    const response = findIntegrationResponse(integration, statusCode);
    for (const op of ops) applyIntegrationResponsePatch(response, op);
    checkDefaultPattern(integration, response);
    await saveApi(w, api);
    return response;
  });
  return { status: 200, body: presentIntegrationResponse(response) };
}

async function deleteIntegrationResponse(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const labels = methodLabels(req);
  const statusCode = req.params["status_code"]!;
  checkStatusCodeLabel(statusCode);
  await ctx.store.write(async (w) => {
    const { api, integration } = await findIntegration(w, labels);
    findIntegrationResponse(integration, statusCode);
    delete integration.integrationResponses[statusCode];
    await saveApi(w, api);
  });
  return { status: 204 };
}

const INTEGRATION_PATH = "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}/integration";
const RESPONSE_PATH = `${INTEGRATION_PATH}/responses/{status_code}`;

export const integrationRoutes: readonly RouteSpec[] = [
  { operation: "PutIntegration", method: "PUT", path: INTEGRATION_PATH, handler: putIntegration },
  { operation: "GetIntegration", method: "GET", path: INTEGRATION_PATH, handler: getIntegration },
  { operation: "UpdateIntegration", method: "PATCH", path: INTEGRATION_PATH, handler: updateIntegration },
  { operation: "DeleteIntegration", method: "DELETE", path: INTEGRATION_PATH, handler: deleteIntegration },
  { operation: "PutIntegrationResponse", method: "PUT", path: RESPONSE_PATH, handler: putIntegrationResponse },
  { operation: "GetIntegrationResponse", method: "GET", path: RESPONSE_PATH, handler: getIntegrationResponse },
  { operation: "UpdateIntegrationResponse", method: "PATCH", path: RESPONSE_PATH, handler: updateIntegrationResponse },
  { operation: "DeleteIntegrationResponse", method: "DELETE", path: RESPONSE_PATH, handler: deleteIntegrationResponse },
];
