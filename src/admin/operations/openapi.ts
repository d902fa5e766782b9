// OpenAPI import and export: ImportRestApi (POST /restapis?mode=import), PutRestApi (PUT /restapis/{id}) and
// GetExport (control-plane.md §8). The document body is raw bytes (JSON or YAML, told apart by content); the
// translation itself lives in src/domain/openapi/.
import { stringify as toYaml } from "yaml";
import { badRequest, enumClause, validationError } from "../../errors/api-error.js";
import { loadApi, saveApi } from "../../domain/api-repository.js";
import { exportOpenApi, EXPORT_EXTENSIONS, type ExportExtension, type ExportType } from "../../domain/openapi/export-openapi.js";
import { importOpenApi, type BasePathMode, type ImportMode } from "../../domain/openapi/import-openapi.js";
import { readOpenApiDocument, type OpenApiDocument } from "../../domain/openapi/openapi-document.js";
import type { EndpointType, RestApiDoc } from "../../domain/rest-api.js";
import { findDeployment, loadStage, stageNotFound } from "../../domain/stage-rules.js";
import { newShortId } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import type { RouteSpec } from "../route-table.js";
import { queryBool, queryList } from "../wire.js";
import { checkApiLimit, newRestApi, presentRestApi } from "./rest-apis.js";

const ENDPOINT_TYPES: readonly EndpointType[] = ["REGIONAL", "EDGE", "PRIVATE"];
const BASEPATH_MODES: readonly BasePathMode[] = ["ignore", "prepend", "split"];
/** AWS's limit on an imported definition (control-plane.md §8.1); the message wording is unverified. */
const MAX_DEFINITION_BYTES = 6 * 1024 * 1024;

function readDefinition(req: OpRequest): OpenApiDocument {
  if (req.rawBody.length > MAX_DEFINITION_BYTES) throw badRequest("API definition exceeds the maximum size of 6 MB");
  return readOpenApiDocument(req.rawBody);
}

/** The `parameters` map arrives as one query parameter per entry (`?basepath=split&ignore=documentation`). */
function readImportParameters(query: URLSearchParams): { basepath: BasePathMode; ignoreDocumentation: boolean; failOnWarnings: boolean } {
  const basepath = (query.get("basepath") ?? "ignore").toLowerCase() as BasePathMode;
  if (!BASEPATH_MODES.includes(basepath)) throw badRequest(`Invalid basepath parameter specified: ${query.get("basepath")}. Valid options are ignore,prepend,split`);
  return {
    basepath,
    ignoreDocumentation: queryList(query, "ignore").includes("documentation"),
    failOnWarnings: queryBool(query, "failonwarnings"),
  };
}

function presentImported(api: RestApiDoc, warnings: readonly string[]): Record<string, unknown> {
  return { ...presentRestApi(api), ...(warnings.length ? { warnings } : {}) };
}

async function importRestApi(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const params = readImportParameters(req.query);
  const typeParam = req.query.get("endpointConfigurationTypes");
  const type = (typeParam ?? "EDGE").toUpperCase() as EndpointType;
  if (!ENDPOINT_TYPES.includes(type)) throw badRequest("Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE");
  const doc = readDefinition(req);
  const api = newRestApi({ name: "", endpointConfiguration: { types: [type], ipAddressType: type === "PRIVATE" ? "dualstack" : "ipv4" } });
  const warnings = importOpenApi(api, doc, { ...params, mode: "create", newId: newShortId });
  await ctx.store.write(async (w) => {
    await checkApiLimit(ctx, type, w);
    await saveApi(w, api);
  });
  return { status: 201, body: presentImported(api, warnings) };
}

/** PutRestApi: `mode=merge` (the default) or `overwrite`; neither deploys. */
async function putRestApi(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const params = readImportParameters(req.query);
  const mode = (req.query.get("mode") ?? "merge") as ImportMode;
  if (mode !== "merge" && mode !== "overwrite") throw validationError([enumClause(mode, "mode", ["merge", "overwrite"])]);
  const restApiId = req.params["restapi_id"]!;
  await loadApi(ctx.store.reader, ctx.config.accountId, restApiId);
  const doc = readDefinition(req);
  const result = await ctx.store.write(async (w) => {
    const api = await loadApi(w, ctx.config.accountId, restApiId);
    const warnings = importOpenApi(api, doc, { ...params, mode, newId: newShortId });
    await saveApi(w, api);
    return { api, warnings };
  });
  return { status: 200, body: presentImported(result.api, result.warnings) };
}

function readExtensions(query: URLSearchParams): Set<ExportExtension> {
  const out = new Set<ExportExtension>();
  for (const value of queryList(query, "extensions")) {
    const ext = value.toLowerCase() as ExportExtension;
    if (!EXPORT_EXTENSIONS.includes(ext)) throw badRequest(`Invalid extensions specified: ${value}. Valid options are ${EXPORT_EXTENSIONS.join(",")}`);
    // Postman collections are a separate format this gateway does not generate.
    if (ext === "postman") throw badRequest("Export with postman extensions is not supported");
    out.add(ext);
  }
  return out;
}

/** `Accept: application/json` (default) or `application/yaml`; anything else is refused. */
function readFormat(accept: string | undefined): "json" | "yaml" {
  const types = (accept ?? "").split(",").map((t) => t.split(";")[0]!.trim().toLowerCase()).filter(Boolean);
  if (types.length === 0 || types.some((t) => t === "application/json" || t === "*/*" || t === "application/*")) return "json";
  if (types.some((t) => t === "application/yaml" || t === "application/x-yaml" || t === "text/yaml")) return "yaml";
  throw badRequest(`Unsupported export format specified: ${accept}. Valid options are application/json,application/yaml`);
}

/** GetExport: the deployment the stage points to (not the draft), as Swagger 2.0 or OpenAPI 3.0.1. */
async function getExport(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  const stageName = req.params["stage_name"]!;
  const type = req.params["export_type"]! as ExportType;
  const reader = ctx.store.reader;
  await loadApi(reader, ctx.config.accountId, restApiId);
  const stage = await loadStage(reader, restApiId, stageName);
  if (type !== "swagger" && type !== "oas30") throw badRequest(`Invalid export type specified: ${type}. Valid options are swagger,oas30`);
  const extensions = readExtensions(req.query);
  const format = readFormat(typeof req.headers.accept === "string" ? req.headers.accept : undefined);
  const deployment = await findDeployment(reader, restApiId, stage.deploymentId);
  if (!deployment) throw stageNotFound();
  const doc = exportOpenApi(deployment.snapshot, { type, stageName, region: ctx.config.region, extensions });
  const body = format === "yaml" ? toYaml(doc) : JSON.stringify(doc, null, 2);
  const stamp = new Date(deployment.createdDate * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    status: 200,
    rawBody: Buffer.from(body),
    headers: {
      "Content-Type": format === "yaml" ? "application/yaml" : "application/json",
      "Content-Disposition": `attachment; filename="${type}_${stamp}.${format}"`,
    },
  };
}

export const openApiRoutes: readonly RouteSpec[] = [
  { operation: "ImportRestApi", method: "POST", path: "/restapis", query: { mode: "import" }, handler: importRestApi },
  { operation: "PutRestApi", method: "PUT", path: "/restapis/{restapi_id}", handler: putRestApi },
  { operation: "GetExport", method: "GET", path: "/restapis/{restapi_id}/stages/{stage_name}/exports/{export_type}", handler: getExport },
];
