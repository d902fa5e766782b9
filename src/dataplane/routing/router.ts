// The resource-tree router of one deployment (data-plane.md §3). Built once per compiled stage; matching works
// on the raw, still percent-encoded resource path and never decodes it: AWS hands path parameters to the
// integration exactly as the client sent them (`test%2Balias@gmail.com` stays encoded, `%2F` does not split).

/** The verbs `ANY` stands for (data-plane.md §3.2: HEAD is not served by GET, but ANY covers it). */
const ANY_VERBS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]);

export interface RouteResource<M> {
  readonly id: string;
  /** Template path, `/pets/{petId}`; `/` for the root. */
  readonly path: string;
  readonly methods: ReadonlyMap<string, M>;
}

export interface ResourceInput<M> {
  readonly id: string;
  readonly parentId?: string;
  readonly pathPart?: string;
  readonly methods: ReadonlyMap<string, M>;
}

interface RouteNode<M> {
  readonly resource: RouteResource<M>;
  readonly literals: Map<string, RouteNode<M>>;
  param?: { readonly name: string; readonly node: RouteNode<M> };
  greedy?: { readonly name: string; readonly node: RouteNode<M> };
}

export interface RouteMatch<M> {
  readonly resource: RouteResource<M>;
  readonly method: M;
  /** Raw (percent-encoded) values by parameter name. */
  readonly pathParams: Readonly<Record<string, string>>;
}

export interface Router<M> {
  /** `rawPath` is the resource path after stage removal, e.g. `/pets/123/` or `` for the root. */
  match(verb: string, rawPath: string): RouteMatch<M> | undefined;
  /** Resources by id, for TestInvokeMethod, which names its resource instead of routing to it. */
  resource(id: string): RouteResource<M> | undefined;
}

export function compileRouter<M>(resources: readonly ResourceInput<M>[], rootId: string): Router<M> {
  const byParent = new Map<string, ResourceInput<M>[]>();
  for (const r of resources) {
    if (r.parentId === undefined) continue;
    const siblings = byParent.get(r.parentId);
    if (siblings) siblings.push(r);
    else byParent.set(r.parentId, [r]);
  }
  const byId = new Map<string, RouteResource<M>>();
  const build = (input: ResourceInput<M>, path: string): RouteNode<M> => {
    const resource: RouteResource<M> = { id: input.id, path, methods: input.methods };
    byId.set(input.id, resource);
    const node: RouteNode<M> = { resource, literals: new Map() };
    for (const child of byParent.get(input.id) ?? []) {
      const part = child.pathPart ?? "";
      const childNode = build(child, path === "/" ? `/${part}` : `${path}/${part}`);
      if (part.startsWith("{") && part.endsWith("+}")) node.greedy = { name: part.slice(1, -2), node: childNode };
      else if (part.startsWith("{") && part.endsWith("}")) node.param = { name: part.slice(1, -1), node: childNode };
      else node.literals.set(part, childNode);
    }
    return node;
  };
  const rootInput = resources.find((r) => r.id === rootId);
  const root = build(rootInput ?? { id: rootId, methods: new Map() }, "/");

  return {
    match(verb, rawPath) {
      const segments = splitResourcePath(rawPath);
      const params: Record<string, string> = {};
      const found = walk(root, segments, 0, verb, params);
      return found ? { resource: found.resource, method: found.method, pathParams: params } : undefined;
    },
    resource: (id) => byId.get(id),
  };
}

/**
 * §3.2 steps 2–4: drop one trailing slash, collapse leading duplicate slashes, split on `/` (an encoded `%2F`
 * stays inside its segment). Interior empty segments are kept: `/a//b` has an empty middle segment.
 */
export function splitResourcePath(rawPath: string): string[] {
  let start = 0;
  while (start < rawPath.length && rawPath.charCodeAt(start) === 47 /* / */) start++;
  let end = rawPath.length;
  if (end > start && rawPath.charCodeAt(end - 1) === 47) end--;
  if (end <= start) return [];
  return rawPath.slice(start, end).split("/");
}

function pickMethod<M>(resource: RouteResource<M>, verb: string): M | undefined {
  return resource.methods.get(verb) ?? (ANY_VERBS.has(verb) ? resource.methods.get("ANY") : undefined);
}

/**
 * Depth-first in AWS's precedence (literal, then `{param}`, then `{greedy+}`), backtracking to the next candidate
 * when a branch ends without a method for the verb: a specific resource wins over a generic one at the same
 * level, but `POST /pets` still reaches `/{proxy+}` ANY when `/pets` only has GET.
 */
function walk<M>(
  node: RouteNode<M>,
  segments: readonly string[],
  index: number,
  verb: string,
  params: Record<string, string>,
): { resource: RouteResource<M>; method: M } | undefined {
  if (index === segments.length) {
    const method = pickMethod(node.resource, verb);
    return method === undefined ? undefined : { resource: node.resource, method };
  }
  const segment = segments[index]!;
  const literal = node.literals.get(segment);
  if (literal) {
    const found = walk(literal, segments, index + 1, verb, params);
    if (found) return found;
  }
  if (node.param && segment !== "") {
    const found = walk(node.param.node, segments, index + 1, verb, params);
    if (found) {
      params[node.param.name] = segment;
      return found;
    }
  }
  if (node.greedy) {
    // A greedy parameter needs at least one segment; it swallows the rest, empty interior segments included.
    const value = index === segments.length - 1 ? segment : segments.slice(index).join("/");
    const method = value === "" ? undefined : pickMethod(node.greedy.node.resource, verb);
    if (method !== undefined) {
      params[node.greedy.name] = value;
      return { resource: node.greedy.node.resource, method };
    }
  }
  return undefined;
}
