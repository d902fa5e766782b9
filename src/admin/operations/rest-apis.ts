// RestApi operations: CreateRestApi, GetRestApi, GetRestApis, UpdateRestApi, DeleteRestApi.
import { ApiError, ERRORS, badRequest, enumClause, validationError } from "../../errors/api-error.js";
import { loadApi, saveApi } from "../../domain/api-repository.js";
import { deleteApiCascade } from "../../domain/cascade.js";
import { defaultModels } from "../../domain/default-models.js";
import type { EndpointConfiguration, EndpointType, RestApiDoc } from "../../domain/rest-api.js";
import { epochSeconds, newRestApiId, newRootResourceId, newShortId } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import {
  invalidPatchPath,
  patchBool,
  readPatchOperations,
  replaceOnly,
  requireValue,
  splitPatchPath,
  type PatchOp,
} from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import {
  compact,
  optBool,
  optInt,
  optObject,
  optString,
  optStringList,
  optStringMap,
  paginate,
  reqString,
} from "../wire.js";

const ENDPOINT_TYPES: readonly EndpointType[] = ["REGIONAL", "EDGE", "PRIVATE"];
const MAX_COMPRESSION = 10_485_760;

export function presentRestApi(api: RestApiDoc, opts: { alwaysTags?: boolean } = {}): Record<string, unknown> {
  return compact({
    id: api.id,
    name: api.name,
    description: api.description,
    createdDate: api.createdDate,
    version: api.version,
    binaryMediaTypes: api.binaryMediaTypes.length ? api.binaryMediaTypes : undefined,
    minimumCompressionSize: api.minimumCompressionSize,
    apiKeySource: api.apiKeySource,
    endpointConfiguration: api.endpointConfiguration,
    policy: api.policy,
    // AWS returns "tags": {} from UpdateRestApi even without tags, and omits empty tags elsewhere.
    tags: Object.keys(api.tags).length || opts.alwaysTags ? api.tags : undefined,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    rootResourceId: api.rootResourceId,
  });
}

function readEndpointConfiguration(body: Record<string, unknown>, inputShape: string): EndpointConfiguration {
  const raw = optObject(body, "endpointConfiguration");
  if (!raw) return { types: ["EDGE"], ipAddressType: "ipv4" };
  const types = optStringList(raw, "types") ?? ["EDGE"];
  const bad = types.filter((t) => !ENDPOINT_TYPES.includes(t as EndpointType));
  if (bad.length) {
    throw validationError(bad.map((t) => enumClause(t, `${inputShape}.endpointConfiguration.types`, ENDPOINT_TYPES)));
  }
  if (types.length === 0) throw badRequest("REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.");
  if (types.length > 1) throw badRequest("Cannot create an api with multiple Endpoint Types.");
  const type = types[0] as EndpointType;
  const ipRaw = optString(raw, "ipAddressType");
  if (ipRaw !== undefined && ipRaw !== "ipv4" && ipRaw !== "dualstack") {
    throw validationError([enumClause(ipRaw, `${inputShape}.endpointConfiguration.ipAddressType`, ["ipv4", "dualstack"])]);
  }
  if (type === "PRIVATE" && ipRaw === "ipv4") throw badRequest("Only dualstack ipAddressType is supported for Private APIs.");
  const ipAddressType = ipRaw ?? (type === "PRIVATE" ? "dualstack" : "ipv4");
  const vpcEndpointIds = optStringList(raw, "vpcEndpointIds");
  return compact({ types: [type], ipAddressType, vpcEndpointIds });
}

function checkCompressionSize(value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_COMPRESSION)) {
    throw badRequest("Invalid minimum compression size, must be between 0 and 10485760");
  }
}

function readApiKeySource(value: string | undefined, at: string): "HEADER" | "AUTHORIZER" {
  if (value === undefined) return "HEADER";
  if (value !== "HEADER" && value !== "AUTHORIZER") throw validationError([enumClause(value, at, ["HEADER", "AUTHORIZER"])]);
  return value;
}

/** A new, empty API: root resource `/` and the default models Empty and Error. */
export function newRestApi(fields: Partial<RestApiDoc> & { name: string }): RestApiDoc {
  const rootResourceId = newRootResourceId();
  return {
    id: newRestApiId(),
    createdDate: epochSeconds(),
    binaryMediaTypes: [],
    apiKeySource: "HEADER",
    endpointConfiguration: { types: ["EDGE"], ipAddressType: "ipv4" },
    tags: {},
    disableExecuteApiEndpoint: false,
    rootResourceId,
    resources: { [rootResourceId]: { id: rootResourceId, methods: {} } },
    models: defaultModels(),
    authorizers: {},
    requestValidators: {},
    gatewayResponses: {},
    documentationParts: {},
    documentationVersions: {},
    seq: 0,
    ...fields,
  };
}

/** cloneFrom: copy the definition of another API under fresh resource ids. */
function cloneDefinition(source: RestApiDoc, target: RestApiDoc): void {
  const idMap = new Map<string, string>([[source.rootResourceId, target.rootResourceId]]);
  for (const id of Object.keys(source.resources)) if (!idMap.has(id)) idMap.set(id, newShortId());
  target.resources = {};
  for (const r of Object.values(structuredClone(source.resources))) {
    const id = idMap.get(r.id)!;
    for (const m of Object.values(r.methods)) {
      if (m?.integration && m.integration.cacheNamespace === r.id) m.integration.cacheNamespace = id;
    }
    target.resources[id] = { ...r, id, ...(r.parentId !== undefined ? { parentId: idMap.get(r.parentId)! } : {}) };
  }
  target.models = structuredClone(source.models);
  target.authorizers = structuredClone(source.authorizers);
  target.requestValidators = structuredClone(source.requestValidators);
  target.gatewayResponses = structuredClone(source.gatewayResponses);
  target.binaryMediaTypes = [...source.binaryMediaTypes];
  target.seq = source.seq;
}

export async function checkApiLimit(ctx: OpContext, type: EndpointType, w: { list<T>(k: "restapi"): Promise<T[]> }): Promise<void> {
  const existing = await w.list<RestApiDoc>("restapi");
  const count = existing.filter((a) => a.endpointConfiguration.types[0] === type).length;
  const limit = type === "EDGE" ? ctx.config.limits.edgeApis : type === "REGIONAL" ? ctx.config.limits.regionalApis : ctx.config.limits.privateApis;
  if (count >= limit) {
    throw new ApiError(ERRORS.LimitExceeded, "Maximum number of APIs has been reached.  Please contact AWS if you need additional APIs.");
  }
}

async function createRestApi(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const shape = "createRestApiInput";
  const name = reqString(body, "name", shape);
  const description = optString(body, "description");
  if (description === "") throw badRequest("Description cannot be an empty string");
  const endpointConfiguration = readEndpointConfiguration(body, shape);
  const minimumCompressionSize = optInt(body, "minimumCompressionSize");
  checkCompressionSize(minimumCompressionSize);
  const api = newRestApi(
    compact({
      name,
      description,
      version: optString(body, "version"),
      binaryMediaTypes: optStringList(body, "binaryMediaTypes") ?? [],
      minimumCompressionSize,
      apiKeySource: readApiKeySource(optString(body, "apiKeySource"), `${shape}.apiKeySource`),
      endpointConfiguration,
      policy: optString(body, "policy"),
      tags: optStringMap(body, "tags") ?? {},
      disableExecuteApiEndpoint: optBool(body, "disableExecuteApiEndpoint") ?? false,
    }),
  );
  const cloneFrom = optString(body, "cloneFrom");
  const created = await ctx.store.write(async (w) => {
    await checkApiLimit(ctx, endpointConfiguration.types[0]!, w);
    if (cloneFrom !== undefined) cloneDefinition(await loadApi(w, ctx.config.accountId, cloneFrom), api);
    await saveApi(w, api);
    return api;
  });
  return { status: 201, body: presentRestApi(created) };
}

async function getRestApi(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const api = await loadApi(ctx.store.reader, ctx.config.accountId, req.params["restapi_id"]!);
  return { status: 200, body: presentRestApi(api) };
}

async function getRestApis(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const apis = await ctx.store.reader.list<RestApiDoc>("restapi");
  const page = paginate(apis, req.query);
  return { status: 200, body: { ...page, item: page.item.map((a) => presentRestApi(a)) } };
}

/** UpdateRestApi patch paths (control-plane.md §5.1). */
function applyRestApiPatch(api: RestApiDoc, op: PatchOp): void {
  const segments = splitPatchPath(op.path);
  const [head, second, third] = segments;
  const scalar = (apply: () => void): void => {
    if (op.op !== "replace") throw replaceOnly();
    if (segments.length !== 1) throw invalidPatchPath(op.path);
    apply();
  };
  switch (head) {
    case "name":
      return scalar(() => {
        const v = requireValue(op);
        if (!v.trim()) throw badRequest("Invalid REST API name specified");
        api.name = v;
      });
    case "description":
      return scalar(() => setOptional(api, "description", op.value));
    case "version":
      return scalar(() => setOptional(api, "version", op.value));
    case "policy":
      return scalar(() => setOptional(api, "policy", op.value));
    case "apiKeySource":
      return scalar(() => {
        api.apiKeySource = readApiKeySource(requireValue(op), "apiKeySource");
      });
    case "disableExecuteApiEndpoint":
      return scalar(() => {
        api.disableExecuteApiEndpoint = patchBool(op);
      });
    case "minimumCompressionSize":
      return scalar(() => {
        if (!op.value) {
          delete api.minimumCompressionSize;
          return;
        }
        const n = Number(op.value);
        checkCompressionSize(Number.isFinite(n) && /^\d+$/.test(op.value) ? n : -1);
        api.minimumCompressionSize = n;
      });
    case "binaryMediaTypes": {
      if (second === undefined || segments.length !== 2) throw invalidPatchPath(op.path);
      const list = api.binaryMediaTypes.filter((t) => t !== second);
      if (op.op === "add") api.binaryMediaTypes = api.binaryMediaTypes.includes(second) ? api.binaryMediaTypes : [...api.binaryMediaTypes, second];
      else if (op.op === "remove") api.binaryMediaTypes = list;
      // replace = remove the old entry and append the value at the end (recorded on AWS).
      else if (op.op === "replace") api.binaryMediaTypes = [...list, requireValue(op)];
      else throw invalidPatchPath(op.path);
      return;
    }
    case "endpointConfiguration": {
      if (second === "types" && third !== undefined && segments.length === 3) {
        if (op.op !== "replace") throw badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
        const value = requireValue(op);
        if (!ENDPOINT_TYPES.includes(value as EndpointType)) {
          throw badRequest("Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE");
        }
        if (!api.endpointConfiguration.types.includes(third as EndpointType)) throw invalidPatchPath(op.path);
        const type = value as EndpointType;
        api.endpointConfiguration = { ...api.endpointConfiguration, types: [type], ipAddressType: type === "PRIVATE" ? "dualstack" : api.endpointConfiguration.ipAddressType ?? "ipv4" };
        return;
      }
      if (second === "ipAddressType" && segments.length === 2) {
        if (op.op !== "replace") throw replaceOnly();
        const v = requireValue(op);
        if (v !== "ipv4" && v !== "dualstack") throw badRequest("ipAddressType must be either ipv4 or dualstack.");
        if (api.endpointConfiguration.types[0] === "PRIVATE" && v === "ipv4") {
          throw badRequest("Only dualstack ipAddressType is supported for Private APIs.");
        }
        api.endpointConfiguration = { ...api.endpointConfiguration, ipAddressType: v };
        return;
      }
      if (second === "vpcEndpointIds" && segments.length === 2) {
        const ids = api.endpointConfiguration.vpcEndpointIds ?? [];
        const v = requireValue(op);
        if (op.op === "add") api.endpointConfiguration.vpcEndpointIds = ids.includes(v) ? ids : [...ids, v];
        else if (op.op === "remove") api.endpointConfiguration.vpcEndpointIds = ids.filter((i) => i !== v);
        else if (op.op === "replace") api.endpointConfiguration.vpcEndpointIds = v.split(",").map((s) => s.trim()).filter(Boolean);
        else throw invalidPatchPath(op.path);
        return;
      }
      throw invalidPatchPath(op.path);
    }
    default:
      throw invalidPatchPath(op.path || undefined);
  }
}

function setOptional<K extends "description" | "version" | "policy">(api: RestApiDoc, key: K, value: string | undefined): void {
  if (value === undefined || value === "") delete api[key];
  else api[key] = value;
}

async function updateRestApi(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateRestApiInput");
  const restApiId = req.params["restapi_id"]!;
  const api = await ctx.store.write(async (w) => {
    const api = await loadApi(w, ctx.config.accountId, restApiId);
    for (const op of ops) applyRestApiPatch(api, op);
    await saveApi(w, api);
    return api;
  });
  return { status: 200, body: presentRestApi(api, { alwaysTags: true }) };
}

async function deleteRestApi(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  await ctx.store.write(async (w) => {
    await loadApi(w, ctx.config.accountId, restApiId);
    await deleteApiCascade(w, restApiId);
  });
  return { status: 202 };
}

export const restApiRoutes: readonly RouteSpec[] = [
  { operation: "CreateRestApi", method: "POST", path: "/restapis", handler: createRestApi },
  { operation: "GetRestApis", method: "GET", path: "/restapis", handler: getRestApis },
  { operation: "GetRestApi", method: "GET", path: "/restapis/{restapi_id}", handler: getRestApi },
  { operation: "UpdateRestApi", method: "PATCH", path: "/restapis/{restapi_id}", handler: updateRestApi },
  { operation: "DeleteRestApi", method: "DELETE", path: "/restapis/{restapi_id}", handler: deleteRestApi },
];

