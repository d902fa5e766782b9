// Tag operations: TagResource, UntagResource, GetTags. The resource is named by its API Gateway ARN
// (`arn:aws:apigateway:{region}::/restapis/{id}[/stages/{stage}]`, `…::/apikeys/{id}`, `…::/usageplans/{id}`,
// `…::/domainnames/{name}`, `…::/clientcertificates/{id}`, `…::/vpclinks/{id}`),
// which arrives as one percent-encoded path segment; the tags live on the tagged document itself, so tags given
// at create time and tags set here are the same map.
import { badRequest, notFound, validationError, type ApiError } from "../../errors/api-error.js";
import { apiNotFound } from "../../domain/api-repository.js";
import { domainNotFound } from "../../domain/custom-domain.js";
import { stageDocId } from "../../domain/stage.js";
import { stageNotFound } from "../../domain/stage-rules.js";
import type { DocKind, StoreReader, StoreWriter } from "../../store/config-store.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import type { RouteSpec } from "../route-table.js";
import { optStringMap } from "../wire.js";

interface Tagged {
  tags: Record<string, string>;
}

/** Where a taggable resource is stored, and AWS's not-found error for it. */
interface TagTarget {
  kind: DocKind;
  id: string;
  parent?: string;
  /** A document that must exist first (a stage's REST API), with its own not-found error. */
  owner?: { kind: DocKind; id: string; notFound: () => ApiError };
  notFound: () => ApiError;
}

const ARN = /^arn:aws:apigateway:([a-z0-9-]+)::(\/.+)$/;

function resolveArn(arn: string, ctx: OpContext): TagTarget {
  const m = ARN.exec(arn);
  if (!m) throw badRequest("Invalid ARN specified in the request");
  const unknown = (): ApiError => notFound(`Invalid resource identifier specified: ${arn}`);
  // Resources live in the configured region only; an ARN of another region names nothing here.
  if (m[1] !== ctx.config.region) throw unknown();
  const [, collection, id, sub, subId, ...extra] = m[2]!.split("/");
  if (!collection || !id || extra.length) throw unknown();
  if (collection === "restapis" && sub === undefined) {
    return { kind: "restapi", id, notFound: () => apiNotFound(ctx.config.accountId, id) };
  }
  if (collection === "restapis" && sub === "stages" && subId) {
    return {
      kind: "stage",
      id: stageDocId(id, subId),
      parent: id,
      owner: { kind: "restapi", id, notFound: () => apiNotFound(ctx.config.accountId, id) },
      notFound: stageNotFound,
    };
  }
  if (sub !== undefined) throw unknown();
  if (collection === "apikeys") return { kind: "apikey", id, notFound: () => notFound("Invalid API Key identifier specified") };
  if (collection === "usageplans") return { kind: "usageplan", id, notFound: () => notFound("Invalid Usage Plan ID specified") };
  if (collection === "domainnames") return { kind: "domainname", id, notFound: domainNotFound };
  if (collection === "clientcertificates") {
    return { kind: "clientcertificate", id, notFound: () => notFound("Invalid Client Certificate identifier specified") };
  }
  if (collection === "vpclinks") return { kind: "vpclink", id, notFound: () => notFound("Invalid Vpc Link identifier specified") };
  throw unknown();
}

async function loadTagged(r: StoreReader, target: TagTarget): Promise<Tagged> {
  if (target.owner && !(await r.get(target.owner.kind, target.owner.id))) throw target.owner.notFound();
  const doc = await r.get<Tagged>(target.kind, target.id);
  if (!doc) throw target.notFound();
  return doc;
}

/** Loads the tagged document, lets `change` edit its tags, and stores it back in the same transaction. */
async function editTags(ctx: OpContext, target: TagTarget, change: (tags: Record<string, string>) => void): Promise<void> {
  await ctx.store.write(async (w: StoreWriter) => {
    const doc = await loadTagged(w, target);
    const tags = { ...(doc.tags ?? {}) };
    change(tags);
    await w.put(target.kind, target.id, { ...doc, tags }, target.parent);
  });
}

async function tagResource(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const target = resolveArn(req.params["resource_arn"]!, ctx);
  const tags = optStringMap(req.json(), "tags");
  if (tags === undefined) {
    throw validationError(["Value null at 'tagResourceInput.tags' failed to satisfy constraint: Member must not be null"]);
  }
  await editTags(ctx, target, (current) => Object.assign(current, tags));
  return { status: 204 };
}

async function untagResource(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const target = resolveArn(req.params["resource_arn"]!, ctx);
  const keys = req.query.getAll("tagKeys");
  await editTags(ctx, target, (current) => {
    for (const key of keys) delete current[key];
  });
  return { status: 204 };
}

/** GetTags nominally paginates, but a resource has at most 50 tags: the whole map comes back at once. */
async function getTags(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const doc = await loadTagged(ctx.store.reader, resolveArn(req.params["resource_arn"]!, ctx));
  return { status: 200, body: { tags: doc.tags ?? {} } };
}

export const tagRoutes: readonly RouteSpec[] = [
  { operation: "TagResource", method: "PUT", path: "/tags/{resource_arn}", handler: tagResource },
  { operation: "UntagResource", method: "DELETE", path: "/tags/{resource_arn}", handler: untagResource },
  { operation: "GetTags", method: "GET", path: "/tags/{resource_arn}", handler: getTags },
];
