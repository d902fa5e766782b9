// Documentation operations: Create/Get/GetDocumentationParts/Update/DeleteDocumentationPart,
// ImportDocumentationParts, and Create/Get/GetDocumentationVersions/Update/DeleteDocumentationVersion
// (control-plane.md §2 Documentation, §3.15). Parts and versions live in the REST API aggregate.
import { ApiError, badRequest, conflict, enumClause, notFound, validationError } from "../../errors/api-error.js";
import { loadApi, saveApi } from "../../domain/api-repository.js";
import {
  LOCATION_TYPES,
  checkLocation,
  checkProperties,
  isDocumented,
  locationPath,
  sameLocation,
  type DocumentationLocation,
} from "../../domain/documentation-parts.js";
import type { JsonValue } from "../../domain/model-schema.js";
import { mergeDocumentationParts, readDocumentationParts } from "../../domain/openapi/documentation-extension.js";
import { isObject, objectAt, parseDocumentText } from "../../domain/openapi/openapi-document.js";
import type { DocumentationPartDoc, DocumentationVersionDoc, RestApiDoc } from "../../domain/rest-api.js";
import { stageDocId, type StageDoc } from "../../domain/stage.js";
import { loadStage } from "../../domain/stage-rules.js";
import type { StoreReader } from "../../store/config-store.js";
import { epochSeconds, newShortId } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPathFor, readPatchOperations, requireValue, unsupportedOpFor, type PatchOp } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optObject, optString, paginate, queryBool, reqString } from "../wire.js";

const partNotFound = (): ApiError => notFound("Invalid Documentation part identifier specified");
/** Wording unverified against AWS; modelled on the part's message. */
const versionNotFound = (): ApiError => notFound("Invalid Documentation version identifier specified");

function presentPart(part: DocumentationPartDoc): Record<string, unknown> {
  return { id: part.id, location: compact({ ...part.location }), properties: part.properties };
}

function presentVersion(version: DocumentationVersionDoc): Record<string, unknown> {
  return compact({ version: version.version, createdDate: version.createdDate, description: version.description });
}

/** Single-part calls on an unknown API report the part's own not-found message (control-plane.md §7). */
async function loadPart(r: StoreReader, restApiId: string, partId: string): Promise<{ api: RestApiDoc; part: DocumentationPartDoc }> {
  const api = await r.get<RestApiDoc>("restapi", restApiId);
  const part = api && Object.hasOwn(api.documentationParts, partId) ? api.documentationParts[partId] : undefined;
  if (!api || !part) throw partNotFound();
  return { api, part };
}

function readLocation(body: Record<string, unknown>, shape: string): DocumentationLocation {
  const raw = optObject(body, "location");
  if (raw === undefined) throw validationError([`Value null at '${shape}.location' failed to satisfy constraint: Member must not be null`]);
  const location: DocumentationLocation = { type: reqString(raw, "type", `${shape}.location`) };
  for (const key of ["path", "method", "statusCode", "name"] as const) {
    const v = optString(raw, key);
    if (v !== undefined) location[key] = v;
  }
  return checkLocation(location, `${shape}.location`);
}

/** Wording unverified against AWS: one part per location, as the service enforces. */
function checkFreeLocation(api: RestApiDoc, location: DocumentationLocation, selfId?: string): void {
  const taken = Object.values(api.documentationParts).some((p) => p.id !== selfId && sameLocation(p.location, location));
  if (taken) throw conflict("Documentation part already exists for the given location");
}

async function createDocumentationPart(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const shape = "createDocumentationPartInput";
  const body = req.json();
  const location = readLocation(body, shape);
  const properties = reqString(body, "properties", shape);
  checkProperties(properties);
  const restApiId = req.params["restapi_id"]!;
  const part: DocumentationPartDoc = { id: newShortId(), location, properties };
  await ctx.store.write(async (w) => {
    const api = await loadApi(w, ctx.config.accountId, restApiId);
    checkFreeLocation(api, location);
    api.documentationParts[part.id] = part;
    await saveApi(w, api);
  });
  return { status: 201, body: presentPart(part) };
}

async function getDocumentationPart(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { part } = await loadPart(ctx.store.reader, req.params["restapi_id"]!, req.params["part_id"]!);
  return { status: 200, body: presentPart(part) };
}

/** Filters: `type`, `name` (exact entity name), `path` (resource path), `locationStatus` (DOCUMENTED/UNDOCUMENTED). */
async function getDocumentationParts(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const api = await loadApi(ctx.store.reader, ctx.config.accountId, req.params["restapi_id"]!);
  const q = req.query;
  const type = q.get("type");
  if (type !== null && !(LOCATION_TYPES as readonly string[]).includes(type)) throw validationError([enumClause(type, "type", LOCATION_TYPES)]);
  const status = q.get("locationStatus");
  if (status !== null && status !== "DOCUMENTED" && status !== "UNDOCUMENTED") {
    throw validationError([enumClause(status, "locationStatus", ["DOCUMENTED", "UNDOCUMENTED"])]);
  }
  const name = q.get("name");
  const path = q.get("path");
  const parts = Object.values(api.documentationParts).filter(
    (p) =>
      (type === null || p.location.type === type) &&
      (name === null || p.location.name === name) &&
      (path === null || locationPath(p.location) === path) &&
      (status === null || isDocumented(p) === (status === "DOCUMENTED")),
  );
  const page = paginate(parts, q);
  return { status: 200, body: { ...page, item: page.item.map(presentPart) } };
}

/** Only `/properties` can change (replace); the location is fixed once created. */
function applyPartPatch(part: DocumentationPartDoc, op: PatchOp): void {
  if (op.path !== "/properties") throw invalidPatchPathFor(op, ["/properties"]);
  if (op.op !== "replace") throw unsupportedOpFor(op);
  const value = requireValue(op);
  checkProperties(value);
  part.properties = value;
}

async function updateDocumentationPart(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateDocumentationPartInput");
  const part = await ctx.store.write(async (w) => {
    const { api, part } = await loadPart(w, req.params["restapi_id"]!, req.params["part_id"]!);
    for (const op of ops) applyPartPatch(part, op);
    await saveApi(w, api);
    return part;
  });
  return { status: 200, body: presentPart(part) };
}

async function deleteDocumentationPart(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  const partId = req.params["part_id"]!;
  await ctx.store.write(async (w) => {
    const api = await loadApi(w, ctx.config.accountId, restApiId);
    if (!Object.hasOwn(api.documentationParts, partId)) throw partNotFound();
    delete api.documentationParts[partId];
    await saveApi(w, api);
  });
  return { status: 202 };
}

/**
 * ImportDocumentationParts: the body is an OpenAPI document whose `x-amazon-apigateway-documentation` lists the
 * parts. `overwrite` replaces every part (new ids); `merge` (default) replaces parts at the same location.
 */
async function importDocumentationParts(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const mode = req.query.get("mode") ?? "merge";
  if (mode !== "merge" && mode !== "overwrite") throw validationError([enumClause(mode, "mode", ["merge", "overwrite"])]);
  const failOnWarnings = queryBool(req.query, "failonwarnings");
  const unusable = (): ApiError => badRequest("Unable to build importer with provided input.");
  let root: JsonValue;
  try {
    root = parseDocumentText(req.rawBody);
  } catch {
    throw unusable();
  }
  if (!isObject(root)) throw unusable();
  const ext = objectAt(root, "x-amazon-apigateway-documentation") ?? {};
  const { parts, warnings } = readDocumentationParts(ext, newShortId);
  if (failOnWarnings && warnings.length) throw badRequest(`Warnings found during import:\n\t${warnings.join("\n\t")}`);
  const restApiId = req.params["restapi_id"]!;
  await ctx.store.write(async (w) => {
    const api = await loadApi(w, ctx.config.accountId, restApiId);
    api.documentationParts = mergeDocumentationParts(mode === "overwrite" ? {} : api.documentationParts, parts);
    await saveApi(w, api);
  });
  return { status: 200, body: { ids: parts.map((p) => p.id), warnings } };
}

async function loadVersion(r: StoreReader, accountId: string, restApiId: string, version: string): Promise<{ api: RestApiDoc; doc: DocumentationVersionDoc }> {
  const api = await loadApi(r, accountId, restApiId);
  const doc = Object.hasOwn(api.documentationVersions, version) ? api.documentationVersions[version] : undefined;
  if (!doc) throw versionNotFound();
  return { api, doc };
}

/** A version may be attached to a stage at creation (`stageName`): the stage then shows it as documentationVersion. */
async function createDocumentationVersion(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const shape = "createDocumentationVersionInput";
  const body = req.json();
  const version = reqString(body, "documentationVersion", shape);
  if (version.trim() === "") throw badRequest("Documentation version cannot be blank");
  const stageName = optString(body, "stageName");
  const doc: DocumentationVersionDoc = compact({ version, createdDate: epochSeconds(), description: optString(body, "description") });
  const restApiId = req.params["restapi_id"]!;
  await ctx.store.write(async (w) => {
    const api = await loadApi(w, ctx.config.accountId, restApiId);
    // Wording unverified against AWS.
    if (Object.hasOwn(api.documentationVersions, version)) throw conflict("Documentation version already exists");
    if (stageName !== undefined) {
      const stage: StageDoc = await loadStage(w, restApiId, stageName);
      await w.put("stage", stageDocId(restApiId, stageName), { ...stage, documentationVersion: version, lastUpdatedDate: doc.createdDate }, restApiId);
    }
    api.documentationVersions[version] = doc;
    await saveApi(w, api);
  });
  return { status: 201, body: presentVersion(doc) };
}

async function getDocumentationVersion(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { doc } = await loadVersion(ctx.store.reader, ctx.config.accountId, req.params["restapi_id"]!, req.params["doc_version"]!);
  return { status: 200, body: presentVersion(doc) };
}

async function getDocumentationVersions(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const api = await loadApi(ctx.store.reader, ctx.config.accountId, req.params["restapi_id"]!);
  // Creation order; a numeric label would otherwise jump ahead in the object's key order.
  const versions = Object.values(api.documentationVersions).sort((a, b) => a.createdDate - b.createdDate);
  const page = paginate(versions, req.query);
  return { status: 200, body: { ...page, item: page.item.map(presentVersion) } };
}

async function updateDocumentationVersion(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateDocumentationVersionInput");
  const doc = await ctx.store.write(async (w) => {
    const { api, doc } = await loadVersion(w, ctx.config.accountId, req.params["restapi_id"]!, req.params["doc_version"]!);
    for (const op of ops) {
      if (op.path !== "/description") throw invalidPatchPathFor(op, ["/description"]);
      if (op.op !== "replace") throw unsupportedOpFor(op);
      if (op.value === undefined || op.value === "") delete doc.description;
      else doc.description = op.value;
    }
    await saveApi(w, api);
    return doc;
  });
  return { status: 200, body: presentVersion(doc) };
}

async function deleteDocumentationVersion(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  await ctx.store.write(async (w) => {
    const { api, doc } = await loadVersion(w, ctx.config.accountId, req.params["restapi_id"]!, req.params["doc_version"]!);
    delete api.documentationVersions[doc.version];
    await saveApi(w, api);
  });
  return { status: 202 };
}

export const documentationRoutes: readonly RouteSpec[] = [
  { operation: "CreateDocumentationPart", method: "POST", path: "/restapis/{restapi_id}/documentation/parts", handler: createDocumentationPart },
  { operation: "GetDocumentationParts", method: "GET", path: "/restapis/{restapi_id}/documentation/parts", handler: getDocumentationParts },
  { operation: "ImportDocumentationParts", method: "PUT", path: "/restapis/{restapi_id}/documentation/parts", handler: importDocumentationParts },
  { operation: "GetDocumentationPart", method: "GET", path: "/restapis/{restapi_id}/documentation/parts/{part_id}", handler: getDocumentationPart },
  { operation: "UpdateDocumentationPart", method: "PATCH", path: "/restapis/{restapi_id}/documentation/parts/{part_id}", handler: updateDocumentationPart },
  { operation: "DeleteDocumentationPart", method: "DELETE", path: "/restapis/{restapi_id}/documentation/parts/{part_id}", handler: deleteDocumentationPart },
  { operation: "CreateDocumentationVersion", method: "POST", path: "/restapis/{restapi_id}/documentation/versions", handler: createDocumentationVersion },
  { operation: "GetDocumentationVersions", method: "GET", path: "/restapis/{restapi_id}/documentation/versions", handler: getDocumentationVersions },
  { operation: "GetDocumentationVersion", method: "GET", path: "/restapis/{restapi_id}/documentation/versions/{doc_version}", handler: getDocumentationVersion },
  { operation: "UpdateDocumentationVersion", method: "PATCH", path: "/restapis/{restapi_id}/documentation/versions/{doc_version}", handler: updateDocumentationVersion },
  { operation: "DeleteDocumentationVersion", method: "DELETE", path: "/restapis/{restapi_id}/documentation/versions/{doc_version}", handler: deleteDocumentationVersion },
];
