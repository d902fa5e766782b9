// Resource operations: CreateResource, GetResource, GetResources, UpdateResource, DeleteResource.
import { badRequest } from "../../errors/api-error.js";
import { loadApi, loadResource, resourceNotFound, saveApi } from "../../domain/api-repository.js";
import {
  checkGreedyRename,
  checkNotCyclic,
  checkPlacement,
  deleteSubtree,
  findResource,
  resourcesByPath,
} from "../../domain/resource-tree.js";
import type { ResourceDoc, RestApiDoc } from "../../domain/rest-api.js";
import { newShortId } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPathFor, readPatchOperations, requireValue, unsupportedOpFor, type PatchOp } from "../patch.js";
import { presentResource } from "../presenters.js";
import type { RouteSpec } from "../route-table.js";
import { paginate, queryList, reqString } from "../wire.js";

const RESOURCE_PATCH_PATHS = ["/parentId", "/pathPart"] as const;

const embedsMethods = (req: OpRequest): boolean => queryList(req.query, "embed").includes("methods");

async function createResource(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const pathPart = reqString(req.json(), "pathPart", "createResourceInput");
  const { restapi_id: restApiId, parent_id: parentId } = req.params as Record<string, string>;
  const { api, resource } = await ctx.store.write(async (w) => {
    const { api } = await loadResource(w, restApiId, parentId);
    checkPlacement(api, parentId, pathPart);
    const resource: ResourceDoc = { id: newShortId(), parentId, pathPart, methods: {} };
    api.resources[resource.id] = resource;
    await saveApi(w, api);
    return { api, resource };
  });
  return { status: 201, body: presentResource(api, resource) };
}

async function getResource(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { api, resource } = await loadResource(ctx.store.reader, req.params["restapi_id"]!, req.params["resource_id"]!);
  return { status: 200, body: presentResource(api, resource, { embedMethods: embedsMethods(req) }) };
}

async function getResources(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const api = await loadApi(ctx.store.reader, ctx.config.accountId, req.params["restapi_id"]!);
  const embedMethods = embedsMethods(req);
  const page = paginate(resourcesByPath(api), req.query);
  return { status: 200, body: { ...page, item: page.item.map(({ resource }) => presentResource(api, resource, { embedMethods })) } };
}

/** UpdateResource: replace `/pathPart` or `/parentId` (control-plane.md §5.1, messages recorded on AWS). */
function applyResourcePatch(api: RestApiDoc, resource: ResourceDoc, op: PatchOp): void {
  if (!(RESOURCE_PATCH_PATHS as readonly string[]).includes(op.path)) throw invalidPatchPathFor(op, RESOURCE_PATCH_PATHS);
  if (op.op !== "replace") throw unsupportedOpFor(op);
  const field = op.path.slice(1);
  if (resource.parentId === undefined) throw badRequest(`Root resource cannot update its ${field}.`);
  const value = requireValue(op);
  if (op.path === "/pathPart") {
    checkPlacement(api, resource.parentId, value, resource.id);
    checkGreedyRename(api, resource.id, value);
    resource.pathPart = value;
    return;
  }
  if (!findResource(api, value)) throw resourceNotFound();
  checkNotCyclic(api, resource.id, value);
  checkPlacement(api, value, resource.pathPart ?? "", resource.id);
  resource.parentId = value;
}

async function updateResource(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateResourceInput");
  const { restapi_id: restApiId, resource_id: resourceId } = req.params as Record<string, string>;
  const { api, resource } = await ctx.store.write(async (w) => {
    const { api, resource } = await loadResource(w, restApiId, resourceId);
    for (const op of ops) applyResourcePatch(api, resource, op);
    await saveApi(w, api);
    return { api, resource };
  });
  return { status: 200, body: presentResource(api, resource) };
}

async function deleteResource(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { restapi_id: restApiId, resource_id: resourceId } = req.params as Record<string, string>;
  await ctx.store.write(async (w) => {
    const { api, resource } = await loadResource(w, restApiId, resourceId);
    // Wording as AWS answers it (quoted by client code that handles this error); the root lives as long as the API.
    if (resource.parentId === undefined) throw badRequest("Root resource cannot be deleted");
    deleteSubtree(api, resourceId);
    await saveApi(w, api);
  });
  return { status: 202 };
}

export const resourceRoutes: readonly RouteSpec[] = [
  { operation: "GetResources", method: "GET", path: "/restapis/{restapi_id}/resources", handler: getResources },
  // The label of CreateResource is the *parent* id.
  { operation: "CreateResource", method: "POST", path: "/restapis/{restapi_id}/resources/{parent_id}", handler: createResource },
  { operation: "GetResource", method: "GET", path: "/restapis/{restapi_id}/resources/{resource_id}", handler: getResource },
  { operation: "UpdateResource", method: "PATCH", path: "/restapis/{restapi_id}/resources/{resource_id}", handler: updateResource },
  { operation: "DeleteResource", method: "DELETE", path: "/restapis/{restapi_id}/resources/{resource_id}", handler: deleteResource },
];
