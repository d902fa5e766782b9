// ClientCertificate operations: GenerateClientCertificate, GetClientCertificate, GetClientCertificates,
// UpdateClientCertificate, DeleteClientCertificate (control-plane.md §2 ClientCertificate, §3.18).
import { notFound, type ApiError } from "../../errors/api-error.js";
import { generateClientCertificate, type ClientCertificateDoc } from "../../domain/client-certificate.js";
import type { StoreReader } from "../../store/config-store.js";
import { epochSeconds, newShortId } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPath, readPatchOperations, replaceOnly } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optString, optStringMap, paginate } from "../wire.js";

/** Wording unverified against AWS; modelled on the other "Invalid … identifier specified" messages. */
const certificateNotFound = (): ApiError => notFound("Invalid Client Certificate identifier specified");

/** The private key never leaves the server. */
function presentCertificate(c: ClientCertificateDoc): Record<string, unknown> {
  return compact({
    clientCertificateId: c.clientCertificateId,
    description: c.description,
    pemEncodedCertificate: c.pemEncodedCertificate,
    createdDate: c.createdDate,
    expirationDate: c.expirationDate,
    tags: Object.keys(c.tags).length ? c.tags : undefined,
  });
}

async function loadCertificate(r: StoreReader, id: string): Promise<ClientCertificateDoc> {
  const cert = await r.get<ClientCertificateDoc>("clientcertificate", id);
  if (!cert) throw certificateNotFound();
  return cert;
}

async function generate(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const id = newShortId();
  const cert: ClientCertificateDoc = compact({
    clientCertificateId: id,
    description: optString(body, "description"),
    tags: optStringMap(body, "tags") ?? {},
    ...(await generateClientCertificate(id, epochSeconds())),
  });
  await ctx.store.write((w) => w.put("clientcertificate", id, cert));
  return { status: 201, body: presentCertificate(cert) };
}

async function getClientCertificate(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  return { status: 200, body: presentCertificate(await loadCertificate(ctx.store.reader, req.params["clientcertificate_id"]!)) };
}

async function getClientCertificates(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const page = paginate(await ctx.store.reader.list<ClientCertificateDoc>("clientcertificate"), req.query);
  return { status: 200, body: { ...page, item: page.item.map(presentCertificate) } };
}

/** Only `/description` can change (replace). */
async function updateClientCertificate(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateClientCertificateInput");
  const id = req.params["clientcertificate_id"]!;
  const cert = await ctx.store.write(async (w) => {
    const cert = await loadCertificate(w, id);
    for (const op of ops) {
      if (op.path !== "/description") throw invalidPatchPath(op.path);
      if (op.op !== "replace") throw replaceOnly();
      if (op.value === undefined || op.value === "") delete cert.description;
      else cert.description = op.value;
    }
    await w.put("clientcertificate", id, cert);
    return cert;
  });
  return { status: 200, body: presentCertificate(cert) };
}

async function deleteClientCertificate(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const id = req.params["clientcertificate_id"]!;
  await ctx.store.write(async (w) => {
    await loadCertificate(w, id);
    await w.delete("clientcertificate", id);
  });
  return { status: 202 };
}

export const clientCertificateRoutes: readonly RouteSpec[] = [
  { operation: "GenerateClientCertificate", method: "POST", path: "/clientcertificates", handler: generate },
  { operation: "GetClientCertificates", method: "GET", path: "/clientcertificates", handler: getClientCertificates },
  { operation: "GetClientCertificate", method: "GET", path: "/clientcertificates/{clientcertificate_id}", handler: getClientCertificate },
  { operation: "UpdateClientCertificate", method: "PATCH", path: "/clientcertificates/{clientcertificate_id}", handler: updateClientCertificate },
  { operation: "DeleteClientCertificate", method: "DELETE", path: "/clientcertificates/{clientcertificate_id}", handler: deleteClientCertificate },
];
