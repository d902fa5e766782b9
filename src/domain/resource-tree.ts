// The resource tree of a REST API: path-part syntax, the rules AWS applies to siblings (unique names, at most one
// variable part) and to greedy `{x+}` resources (no children), moves without cycles, and path-ordered listings.
import { badRequest, conflict, type ApiError } from "../errors/api-error.js";
import { descendants, resourcePath, type ResourceDoc, type RestApiDoc } from "./rest-api.js";

// AWS's wording of the rule: literals of a-zA-Z0-9._- or one variable `{name}` / greedy `{name+}`.
const PATH_PART = /^(?:[a-zA-Z0-9._-]+|\{[a-zA-Z0-9._-]+\+?\})$/;

export const invalidPathPart = (): ApiError =>
  badRequest(
    "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
  );

export function isValidPathPart(pathPart: string): boolean {
  return PATH_PART.test(pathPart);
}

/** `{id}` or `{proxy+}`. */
export function isVariablePathPart(pathPart: string | undefined): boolean {
  return pathPart !== undefined && pathPart.startsWith("{") && pathPart.endsWith("}");
}

export function isGreedyPathPart(pathPart: string | undefined): boolean {
  return pathPart !== undefined && pathPart.endsWith("+}");
}

/** Own-property lookup, so ids such as `constructor` never resolve to Object.prototype members. */
export function findResource(api: RestApiDoc, resourceId: string): ResourceDoc | undefined {
  return Object.hasOwn(api.resources, resourceId) ? api.resources[resourceId] : undefined;
}

export function childrenOf(api: RestApiDoc, parentId: string): ResourceDoc[] {
  return Object.values(api.resources).filter((r) => r.parentId === parentId);
}

/**
 * Checks that a resource named `pathPart` may sit under `parentId` (`selfId` is the resource being renamed or
 * moved, which is not its own sibling). Order of checks follows AWS: syntax, greedy parent, name clash, variable.
 */
export function checkPlacement(api: RestApiDoc, parentId: string, pathPart: string, selfId?: string): void {
  if (!isValidPathPart(pathPart)) throw invalidPathPart();
  const parent = api.resources[parentId];
  if (parent && isGreedyPathPart(parent.pathPart)) {
    throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
  }
  const siblings = childrenOf(api, parentId).filter((r) => r.id !== selfId);
  if (siblings.some((s) => s.pathPart === pathPart)) {
    throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
  }
  const variableSibling = siblings.find((s) => isVariablePathPart(s.pathPart));
  if (variableSibling && isVariablePathPart(pathPart)) {
    throw badRequest(`A sibling (${variableSibling.pathPart}) of this resource already has a variable path part -- only one is allowed`);
  }
}

/** A greedy resource is a leaf: renaming a resource that has children to `{x+}` would break that. */
export function checkGreedyRename(api: RestApiDoc, resourceId: string, pathPart: string): void {
  if (isGreedyPathPart(pathPart) && childrenOf(api, resourceId).length > 0) {
    throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${pathPart}`);
  }
}

/** Moving a resource under itself or one of its descendants (recorded AWS message). */
export function checkNotCyclic(api: RestApiDoc, resourceId: string, newParentId: string): void {
  if (newParentId === resourceId || descendants(api, resourceId).includes(newParentId)) {
    throw badRequest("Resources cannot be cyclical.");
  }
}

/** Every resource with its full path, in path order (`/` first), the order AWS lists resources in. */
export function resourcesByPath(api: RestApiDoc): { resource: ResourceDoc; path: string }[] {
  return Object.values(api.resources)
    .map((resource) => ({ resource, path: resourcePath(api, resource.id) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Removes a resource and all of its descendants (with their methods, which live inside them). */
export function deleteSubtree(api: RestApiDoc, resourceId: string): void {
  for (const id of [resourceId, ...descendants(api, resourceId)]) delete api.resources[id];
}
