// VpcLink operations: CreateVpcLink (202), GetVpcLink, GetVpcLinks, UpdateVpcLink, DeleteVpcLink
// (control-plane.md §2 VpcLink, §3.18). A link is a named set of target NLB ARNs that VPC_LINK integrations
// reference by id.
import { badRequest, notFound, validationError, type ApiError } from "../../errors/api-error.js";
import { VPC_LINK_READY_MESSAGE, isWellFormedArn, type VpcLinkDoc } from "../../domain/vpc-link.js";
import type { StoreReader } from "../../store/config-store.js";
import { newShortId } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPath, readPatchOperations, replaceOnly } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optString, optStringList, optStringMap, paginate } from "../wire.js";

const vpcLinkNotFound = (): ApiError => notFound("Invalid Vpc Link identifier specified");

/** Get/GetVpcLinks show `tags: {}` even without tags [AWS-recorded]. */
function presentVpcLink(link: VpcLinkDoc, status: VpcLinkDoc["status"] = link.status): Record<string, unknown> {
  return compact({
    id: link.id,
    name: link.name,
    description: link.description,
    targetArns: link.targetArns,
    status,
    statusMessage: status === link.status ? link.statusMessage : undefined,
    tags: link.tags,
  });
}

async function loadVpcLink(r: StoreReader, id: string): Promise<VpcLinkDoc> {
  const link = await r.get<VpcLinkDoc>("vpclink", id);
  if (!link) throw vpcLinkNotFound();
  return link;
}

async function createVpcLink(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const shape = "createVpcLinkInput";
  const body = req.json();
  const name = optString(body, "name");
  const targetArns = optStringList(body, "targetArns");
  const missing = [name === undefined ? "name" : undefined, targetArns === undefined ? "targetArns" : undefined].filter(
    (m): m is string => m !== undefined,
  );
  if (missing.length) throw validationError(missing.map((m) => `Value null at '${shape}.${m}' failed to satisfy constraint: Member must not be null`));
  if (name!.trim() === "") throw badRequest("Name cannot be empty");
  for (const arn of targetArns!) if (!isWellFormedArn(arn)) throw badRequest(`Invalid ARN. ARN is not well formed ${arn}`);
  const link: VpcLinkDoc = compact({
    id: newShortId(),
    name: name!,
    description: optString(body, "description"),
    targetArns: targetArns!,
    status: "AVAILABLE" as const,
    statusMessage: VPC_LINK_READY_MESSAGE,
    tags: optStringMap(body, "tags") ?? {},
  });
  await ctx.store.write((w) => w.put("vpclink", link.id, link));
  // AWS answers 202 while the link is still being provisioned; the stored link is ready by the next Get.
  return { status: 202, body: presentVpcLink(link, "PENDING") };
}

async function getVpcLink(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  return { status: 200, body: presentVpcLink(await loadVpcLink(ctx.store.reader, req.params["vpclink_id"]!)) };
}

async function getVpcLinks(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const page = paginate(await ctx.store.reader.list<VpcLinkDoc>("vpclink"), req.query);
  return { status: 200, body: { ...page, item: page.item.map((l) => presentVpcLink(l)) } };
}

/** Replace `/name` and `/description`. */
async function updateVpcLink(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateVpcLinkInput");
  const id = req.params["vpclink_id"]!;
  const link = await ctx.store.write(async (w) => {
    const link = await loadVpcLink(w, id);
    for (const op of ops) {
      if (op.path !== "/name" && op.path !== "/description") throw invalidPatchPath(op.path);
      if (op.op !== "replace") throw replaceOnly();
      if (op.path === "/name") {
        if (op.value === undefined || op.value.trim() === "") throw badRequest("Name cannot be empty");
        link.name = op.value;
      } else if (op.value === undefined || op.value === "") delete link.description;
      else link.description = op.value;
    }
    await w.put("vpclink", id, link);
    return link;
  });
  return { status: 200, body: presentVpcLink(link) };
}

async function deleteVpcLink(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const id = req.params["vpclink_id"]!;
  await ctx.store.write(async (w) => {
    await loadVpcLink(w, id);
    await w.delete("vpclink", id);
  });
  return { status: 202 };
}

export const vpcLinkRoutes: readonly RouteSpec[] = [
  { operation: "CreateVpcLink", method: "POST", path: "/vpclinks", handler: createVpcLink },
  { operation: "GetVpcLinks", method: "GET", path: "/vpclinks", handler: getVpcLinks },
  { operation: "GetVpcLink", method: "GET", path: "/vpclinks/{vpclink_id}", handler: getVpcLink },
  { operation: "UpdateVpcLink", method: "PATCH", path: "/vpclinks/{vpclink_id}", handler: updateVpcLink },
  { operation: "DeleteVpcLink", method: "DELETE", path: "/vpclinks/{vpclink_id}", handler: deleteVpcLink },
];
