// DomainName and BasePathMapping operations: Create/Get/GetDomainNames/Update/DeleteDomainName and
// Create/Get/GetBasePathMappings/Update/DeleteBasePathMapping (control-plane.md §2, §3.17, §5.1, §7).
// There is no certificate authority or DNS here: a domain is AVAILABLE at once and reports the regional
// (or CloudFront) target name AWS would ask you to point a CNAME/alias at.
import { badRequest, conflict, enumClause, validationError } from "../../errors/api-error.js";
import {
  CLOUDFRONT_HOSTED_ZONE_ID,
  NO_BASE_PATH,
  checkDomainName,
  checkFreeBasePath,
  domainNameArn,
  domainNotFound,
  mappingNotFound,
  normalizeBasePath,
  regionalHostedZoneId,
  type CustomDomainDoc,
} from "../../domain/custom-domain.js";
import type { EndpointType, RestApiDoc } from "../../domain/rest-api.js";
import { findStage } from "../../domain/stage-rules.js";
import type { BasePathMappingDoc } from "../../domain/usage.js";
import type { StoreReader, StoreWriter } from "../../store/config-store.js";
import { epochSeconds, randomString } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPath, readPatchOperations, replaceOnly, requireValue, splitPatchPath, type PatchOp } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optObject, optString, optStringList, optStringMap, paginate, reqString } from "../wire.js";

const ENDPOINT_TYPES: readonly EndpointType[] = ["REGIONAL", "EDGE", "PRIVATE"];
const SECURITY_POLICIES = ["TLS_1_0", "TLS_1_2"] as const;

function presentDomainName(d: CustomDomainDoc): Record<string, unknown> {
  return compact({
    domainName: d.domainName,
    domainNameArn: d.domainNameArn,
    certificateName: d.certificateName,
    certificateArn: d.certificateArn,
    certificateUploadDate: d.certificateUploadDate,
    regionalDomainName: d.regionalDomainName,
    regionalHostedZoneId: d.regionalHostedZoneId,
    regionalCertificateName: d.regionalCertificateName,
    regionalCertificateArn: d.regionalCertificateArn,
    distributionDomainName: d.distributionDomainName,
    distributionHostedZoneId: d.distributionHostedZoneId,
    endpointConfiguration: d.endpointConfiguration,
    domainNameStatus: d.domainNameStatus,
    domainNameStatusMessage: d.domainNameStatusMessage,
    securityPolicy: d.securityPolicy,
    tags: Object.keys(d.tags).length ? d.tags : undefined,
    mutualTlsAuthentication: d.mutualTlsAuthentication,
    ownershipVerificationCertificateArn: d.ownershipVerificationCertificateArn,
    routingMode: d.routingMode,
  });
}

function presentMapping(m: BasePathMappingDoc): Record<string, unknown> {
  return compact({ basePath: m.basePath, restApiId: m.restApiId, stage: m.stage });
}

async function loadDomain(r: StoreReader, name: string): Promise<CustomDomainDoc> {
  const domain = await r.get<CustomDomainDoc>("domainname", name);
  if (!domain) throw domainNotFound();
  return domain;
}

function checkSecurityPolicy(value: string, at: string): void {
  // Newer enhanced policies are named SecurityPolicy_*; the classic enum is checked strictly.
  if (!value.startsWith("SecurityPolicy_") && !(SECURITY_POLICIES as readonly string[]).includes(value)) {
    throw validationError([enumClause(value, at, SECURITY_POLICIES)]);
  }
}

/** The target names AWS hands out for the endpoint type: `d-xxxxxxxxxx.execute-api…` or `dxxxxxxxxxxxxx.cloudfront.net`. */
function assignEndpointNames(domain: CustomDomainDoc, type: EndpointType, region: string): void {
  delete domain.regionalDomainName;
  delete domain.regionalHostedZoneId;
  delete domain.distributionDomainName;
  delete domain.distributionHostedZoneId;
  if (type === "REGIONAL") {
    domain.regionalDomainName = `d-${randomString(10)}.execute-api.${region}.amazonaws.com`;
    const zone = regionalHostedZoneId(region);
    if (zone !== undefined) domain.regionalHostedZoneId = zone;
  } else {
    domain.distributionDomainName = `d${randomString(13)}.cloudfront.net`;
    domain.distributionHostedZoneId = CLOUDFRONT_HOSTED_ZONE_ID;
  }
}

function readEndpointType(body: Record<string, unknown>): EndpointType {
  const raw = optObject(body, "endpointConfiguration");
  const types = (raw && optStringList(raw, "types")) ?? ["EDGE"];
  const bad = types.filter((t) => !ENDPOINT_TYPES.includes(t as EndpointType));
  if (bad.length) throw validationError(bad.map((t) => enumClause(t, "createDomainNameInput.endpointConfiguration.types", ENDPOINT_TYPES)));
  if (types.length !== 1) throw badRequest("Cannot create a domain name with multiple Endpoint Types.");
  const type = types[0] as EndpointType;
  // Private custom domains (domainNameId, management policies, access associations) are not offered here.
  if (type === "PRIVATE") throw badRequest("Private custom domain names are not supported by this gateway");
  return type;
}

async function createDomainName(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const shape = "createDomainNameInput";
  const body = req.json();
  const name = reqString(body, "domainName", shape);
  checkDomainName(name);
  const type = readEndpointType(body);
  const securityPolicy = optString(body, "securityPolicy") ?? "TLS_1_2";
  checkSecurityPolicy(securityPolicy, `${shape}.securityPolicy`);
  const mtls = optObject(body, "mutualTlsAuthentication");
  const certificateArn = optString(body, "certificateArn");
  const certificateBody = optString(body, "certificateBody");
  const domain: CustomDomainDoc = compact({
    domainName: name,
    domainNameArn: domainNameArn(ctx.config.region, name),
    certificateName: optString(body, "certificateName"),
    certificateArn,
    // AWS stamps the upload time of an edge certificate (imported body or ACM ARN).
    certificateUploadDate: type === "EDGE" && (certificateArn !== undefined || certificateBody !== undefined) ? epochSeconds() : undefined,
    regionalCertificateName: optString(body, "regionalCertificateName"),
    regionalCertificateArn: optString(body, "regionalCertificateArn"),
    endpointConfiguration: { types: [type], ipAddressType: "ipv4" as const },
    domainNameStatus: "AVAILABLE" as const,
    securityPolicy,
    tags: optStringMap(body, "tags") ?? {},
    mutualTlsAuthentication: mtls
      ? compact({ truststoreUri: optString(mtls, "truststoreUri"), truststoreVersion: optString(mtls, "truststoreVersion") })
      : undefined,
    ownershipVerificationCertificateArn: optString(body, "ownershipVerificationCertificateArn"),
    routingMode: optString(body, "routingMode"),
    basePathMappings: {},
  });
  assignEndpointNames(domain, type, ctx.config.region);
  await ctx.store.write(async (w) => {
    if (await w.get("domainname", name)) throw conflict(`Domain name with ID ${name} already exists`);
    await w.put("domainname", name, domain);
  });
  return { status: 201, body: presentDomainName(domain) };
}

async function getDomainName(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  return { status: 200, body: presentDomainName(await loadDomain(ctx.store.reader, req.params["domain_name"]!)) };
}

async function getDomainNames(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const page = paginate(await ctx.store.reader.list<CustomDomainDoc>("domainname"), req.query);
  return { status: 200, body: { ...page, item: page.item.map(presentDomainName) } };
}

type CertificateField = "certificateArn" | "certificateName" | "regionalCertificateArn" | "regionalCertificateName";
const CERTIFICATE_FIELDS: readonly CertificateField[] = ["certificateArn", "certificateName", "regionalCertificateArn", "regionalCertificateName"];

/** UpdateDomainName paths (control-plane.md §5.1): all replace-only. */
function applyDomainPatch(domain: CustomDomainDoc, op: PatchOp, region: string): void {
  const segments = splitPatchPath(op.path);
  const [head, second, third] = segments;
  if (op.op !== "replace") {
    if (head && ["certificateArn", "certificateName", "regionalCertificateArn", "regionalCertificateName", "securityPolicy", "endpointConfiguration", "mutualTlsAuthentication"].includes(head)) {
      throw replaceOnly();
    }
    throw invalidPatchPath(op.path);
  }
  if (segments.length === 1 && CERTIFICATE_FIELDS.includes(head as CertificateField)) {
    const field = head as CertificateField;
    if (op.value === undefined || op.value === "") delete domain[field];
    else domain[field] = op.value;
    if (field === "certificateArn" && op.value) domain.certificateUploadDate = epochSeconds();
    return;
  }
  if (segments.length === 1 && head === "securityPolicy") {
    const value = requireValue(op);
    checkSecurityPolicy(value, "securityPolicy");
    domain.securityPolicy = value;
    return;
  }
  if (head === "endpointConfiguration" && second === "types" && third !== undefined && segments.length === 3) {
    const value = requireValue(op);
    if (!ENDPOINT_TYPES.includes(value as EndpointType) || value === "PRIVATE") {
      throw badRequest("Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE");
    }
    if (!domain.endpointConfiguration.types.includes(third as EndpointType)) throw invalidPatchPath(op.path);
    if (value !== third) {
      domain.endpointConfiguration = { ...domain.endpointConfiguration, types: [value as EndpointType] };
      assignEndpointNames(domain, value as EndpointType, region);
    }
    return;
  }
  if (head === "mutualTlsAuthentication" && (second === "truststoreUri" || second === "truststoreVersion") && segments.length === 2) {
    const mtls = { ...(domain.mutualTlsAuthentication ?? {}) };
    if (op.value === undefined || op.value === "") delete mtls[second];
    else mtls[second] = op.value;
    if (Object.keys(mtls).length) domain.mutualTlsAuthentication = mtls;
    else delete domain.mutualTlsAuthentication;
    return;
  }
  throw invalidPatchPath(op.path);
}

async function updateDomainName(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateDomainNameInput");
  const name = req.params["domain_name"]!;
  const domain = await ctx.store.write(async (w) => {
    const domain = await loadDomain(w, name);
    for (const op of ops) applyDomainPatch(domain, op, ctx.config.region);
    await w.put("domainname", name, domain);
    return domain;
  });
  return { status: 200, body: presentDomainName(domain) };
}

async function deleteDomainName(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const name = req.params["domain_name"]!;
  await ctx.store.write(async (w) => {
    await loadDomain(w, name);
    await w.delete("domainname", name);
  });
  return { status: 202 };
}

/** A mapping's target must exist: unknown API and unknown stage are BadRequests here, not NotFounds. */
async function checkMappingTarget(r: StoreReader, restApiId: string, stage: string | undefined): Promise<void> {
  if (!(await r.get<RestApiDoc>("restapi", restApiId))) throw badRequest("Invalid REST API identifier specified");
  if (stage !== undefined && !(await findStage(r, restApiId, stage))) throw badRequest("Invalid stage identifier specified");
}

async function createBasePathMapping(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const restApiId = reqString(body, "restApiId", "createBasePathMappingInput");
  const basePath = normalizeBasePath(optString(body, "basePath"));
  const stageRaw = optString(body, "stage");
  const mapping: BasePathMappingDoc = compact({ basePath, restApiId, stage: stageRaw === "" ? undefined : stageRaw });
  const name = req.params["domain_name"]!;
  await ctx.store.write(async (w) => {
    const domain = await loadDomain(w, name);
    await checkMappingTarget(w, restApiId, mapping.stage);
    checkFreeBasePath(domain, basePath);
    domain.basePathMappings[basePath] = mapping;
    await w.put("domainname", name, domain);
  });
  return { status: 201, body: presentMapping(mapping) };
}

async function loadMapping(r: StoreReader, name: string, basePathLabel: string): Promise<{ domain: CustomDomainDoc; mapping: BasePathMappingDoc }> {
  const domain = await loadDomain(r, name);
  const key = basePathLabel === "" ? NO_BASE_PATH : basePathLabel;
  const mapping = Object.hasOwn(domain.basePathMappings, key) ? domain.basePathMappings[key] : undefined;
  if (!mapping) throw mappingNotFound();
  return { domain, mapping };
}

async function getBasePathMapping(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { mapping } = await loadMapping(ctx.store.reader, req.params["domain_name"]!, req.params["base_path"]!);
  return { status: 200, body: presentMapping(mapping) };
}

async function getBasePathMappings(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const domain = await loadDomain(ctx.store.reader, req.params["domain_name"]!);
  const page = paginate(Object.values(domain.basePathMappings), req.query);
  return { status: 200, body: { ...page, item: page.item.map(presentMapping) } };
}

/** UpdateBasePathMapping: replace `/basePath`, `/restapiId` (AWS's spelling; `/restApiId` accepted too), `/stage`. */
async function updateBasePathMapping(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateBasePathMappingInput");
  const name = req.params["domain_name"]!;
  const mapping = await ctx.store.write(async (w: StoreWriter) => {
    const { domain, mapping: current } = await loadMapping(w, name, req.params["base_path"]!);
    const next: BasePathMappingDoc = { ...current };
    for (const op of ops) {
      if (!["/basePath", "/restapiId", "/restApiId", "/stage"].includes(op.path)) throw invalidPatchPath(op.path);
      if (op.op !== "replace") throw replaceOnly();
      if (op.path === "/basePath") next.basePath = normalizeBasePath(op.value);
      else if (op.path === "/stage") {
        if (op.value === undefined || op.value === "") delete next.stage;
        else next.stage = op.value;
      } else next.restApiId = requireValue(op);
    }
    await checkMappingTarget(w, next.restApiId, next.stage);
    if (next.basePath !== current.basePath) checkFreeBasePath(domain, next.basePath);
    const mappings = Object.entries(domain.basePathMappings).map(([k, m]) => (k === current.basePath ? [next.basePath, next] : [k, m]));
    domain.basePathMappings = Object.fromEntries(mappings);
    await w.put("domainname", name, domain);
    return next;
  });
  return { status: 200, body: presentMapping(mapping) };
}

async function deleteBasePathMapping(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const name = req.params["domain_name"]!;
  await ctx.store.write(async (w) => {
    const { domain, mapping } = await loadMapping(w, name, req.params["base_path"]!);
    delete domain.basePathMappings[mapping.basePath];
    await w.put("domainname", name, domain);
  });
  return { status: 202 };
}

export const domainNameRoutes: readonly RouteSpec[] = [
  { operation: "CreateDomainName", method: "POST", path: "/domainnames", handler: createDomainName },
  { operation: "GetDomainNames", method: "GET", path: "/domainnames", handler: getDomainNames },
  { operation: "GetDomainName", method: "GET", path: "/domainnames/{domain_name}", handler: getDomainName },
  { operation: "UpdateDomainName", method: "PATCH", path: "/domainnames/{domain_name}", handler: updateDomainName },
  { operation: "DeleteDomainName", method: "DELETE", path: "/domainnames/{domain_name}", handler: deleteDomainName },
  { operation: "CreateBasePathMapping", method: "POST", path: "/domainnames/{domain_name}/basepathmappings", handler: createBasePathMapping },
  { operation: "GetBasePathMappings", method: "GET", path: "/domainnames/{domain_name}/basepathmappings", handler: getBasePathMappings },
  { operation: "GetBasePathMapping", method: "GET", path: "/domainnames/{domain_name}/basepathmappings/{base_path}", handler: getBasePathMapping },
  { operation: "UpdateBasePathMapping", method: "PATCH", path: "/domainnames/{domain_name}/basepathmappings/{base_path}", handler: updateBasePathMapping },
  { operation: "DeleteBasePathMapping", method: "DELETE", path: "/domainnames/{domain_name}/basepathmappings/{base_path}", handler: deleteBasePathMapping },
];
