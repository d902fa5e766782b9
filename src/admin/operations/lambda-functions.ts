// Lambda 2015-03-31 operations (lambda-api.md §3): CreateFunction, GetFunction, GetFunctionConfiguration,
// ListFunctions, UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction, AddPermission, RemovePermission,
// GetPolicy and Invoke, plus GetFunctionCodePackage — the Tollgate URL behind GetFunction's `Code.Location`.
//
// `Code.Location` is a presigned SigV4 URL (service lambda, valid 10 minutes) for
// GET /2015-03-31/functions/{name}/tollgate-code/{sha256hex}.zip on the management port: AWS hands out a presigned
// S3 URL, and a presigned URL lets any plain HTTP client download the zip while the management port stays fully
// authenticated (the admin server verifies presigned requests like signed ones).
import { randomUUID } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { loadAdminCredentials } from "../../auth/admin-credentials.js";
import { ApiError, ERRORS, enumClause, validationError } from "../../errors/api-error.js";
import { readCodePackage, readStoredZip, storeCodePackage, type CodePackage } from "../../lambda/code-package.js";
import {
  DEFAULT_MEMORY,
  DEFAULT_TIMEOUT,
  LATEST,
  functionArn,
  lambdaTimestamp,
  shaHex,
  type FunctionDoc,
  type NodeRuntime,
} from "../../lambda/function-doc.js";
import { isFunctionHost, type InvocationType, type LogType } from "../../lambda/function-host.js";
import { functionNotFound, loadFunction, parseFunctionName, type FunctionRef } from "../../lambda/function-name.js";
import { buildStatement, policyDocument } from "../../lambda/function-policy.js";
import { checkSettings, isNodeRuntime, type SettingsInput } from "../../lambda/function-settings.js";
import type { StoreReader, StoreWriter } from "../../store/config-store.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optBool, optInt, optObject, optString, optStringList, optStringMap } from "../wire.js";

const PREFIX = "/2015-03-31/functions";
const LIST_PAGE = 50;
const CODE_URL_TTL_SECONDS = 600;
const INVOCATION_TYPES: readonly InvocationType[] = ["Event", "RequestResponse", "DryRun"];
const LOG_TYPES: readonly LogType[] = ["None", "Tail"];

type Body = Record<string, unknown>;

export function presentConfiguration(fn: FunctionDoc, ctx: OpContext, qualifier?: string): Record<string, unknown> {
  const { region, accountId } = ctx.config;
  return compact({
    FunctionName: fn.name,
    FunctionArn: functionArn(region, accountId, fn.name, qualifier),
    Runtime: fn.runtime,
    Role: fn.role,
    Handler: fn.handler,
    CodeSize: fn.codeSize,
    Description: fn.description,
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    LastModified: fn.lastModified,
    CodeSha256: fn.codeSha256,
    Version: LATEST,
    Environment: fn.environment && Object.keys(fn.environment).length ? { Variables: fn.environment } : undefined,
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: fn.revisionId,
    // Packages are unpacked synchronously, so a function is usable as soon as the call returns: waiters
    // (FunctionActiveV2, FunctionUpdatedV2) succeed on their first poll.
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Zip",
    Architectures: fn.architectures,
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${fn.name}` },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
  });
}

function refOf(req: OpRequest): FunctionRef {
  return parseFunctionName(req.params["FunctionName"]!, req.query.get("Qualifier"));
}

async function load(req: OpRequest, ctx: OpContext, reader = ctx.store.reader): Promise<{ ref: FunctionRef; fn: FunctionDoc }> {
  const ref = refOf(req);
  return { ref, fn: await loadFunction(reader, ctx.config, ref) };
}

function readZip(value: string | undefined): CodePackage {
  if (value === undefined) throw new ApiError(ERRORS.InvalidParameterValue, "Please provide a source for function code.");
  return readCodePackage(Buffer.from(value, "base64"));
}

function checkRevision(fn: FunctionDoc, revisionId: string | undefined | null): void {
  if (revisionId !== undefined && revisionId !== null && revisionId !== fn.revisionId) {
    throw new ApiError(
      ERRORS.PreconditionFailed,
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    );
  }
}

/** Environment: {Variables: {...}} — a present Environment replaces the variables wholesale. */
function readVariables(body: Body): Record<string, string> | undefined {
  const environment = optObject(body, "Environment");
  if (environment === undefined) return undefined;
  return optStringMap(environment, "Variables") ?? {};
}

function readSettings(body: Body): SettingsInput {
  return compact({
    runtime: optString(body, "Runtime"),
    handler: optString(body, "Handler"),
    role: optString(body, "Role"),
    description: optString(body, "Description"),
    timeout: optInt(body, "Timeout"),
    memorySize: optInt(body, "MemorySize"),
    variables: readVariables(body),
    architectures: optStringList(body, "Architectures"),
  });
}

const notNull = (at: string): string => `Value null at '${at}' failed to satisfy constraint: Member must not be null`;

async function createFunction(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const label = optString(body, "FunctionName");
  const role = optString(body, "Role");
  const code = optObject(body, "Code");
  const missing = [label === undefined && notNull("functionName"), role === undefined && notNull("role"), code === undefined && notNull("code")];
  const clauses = missing.filter((c): c is string => typeof c === "string");
  if (clauses.length) throw validationError(clauses);
  const ref = parseFunctionName(label!);
  if (ref.qualifier !== undefined) {
    throw validationError([`Value '${label}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)`]);
  }
  const settings = readSettings(body);
  checkSettings(settings);
  const packageType = optString(body, "PackageType");
  if (packageType !== undefined && packageType !== "Zip") {
    throw new ApiError(ERRORS.InvalidParameterValue, `Tollgate hosts Zip packages only; PackageType ${packageType} is not supported.`);
  }
  if (settings.runtime === undefined || settings.handler === undefined) {
    throw new ApiError(ERRORS.InvalidParameterValue, "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
  }
  // checkSettings has rejected every runtime that is not a hosted Node.js one.
  const runtime = settings.runtime as NodeRuntime;
  const handler = settings.handler;
  if (optString(code!, "S3Bucket") !== undefined || optString(code!, "ImageUri") !== undefined) {
    throw new ApiError(ERRORS.InvalidParameterValue, "Tollgate accepts deployment packages as Code.ZipFile only (S3 and image sources are not supported).");
  }
  const pkg = readZip(optString(code!, "ZipFile"));
  const tags = optStringMap(body, "Tags") ?? {};
  // Packages are content-addressed: writing one before the transaction (outside the store's lock) is harmless
  // if the transaction then fails; prunePackages removes what no function references.
  const exists = async (r: StoreReader): Promise<void> => {
    if (await r.get<FunctionDoc>("function", ref.name)) throw new ApiError(ERRORS.ResourceConflict, `Function already exist: ${ref.name}`);
  };
  await exists(ctx.store.reader);
  storeCodePackage(ctx.config.dataDir, ref.name, pkg);
  const fn = await ctx.store.write(async (w) => {
    await exists(w);
    const doc: FunctionDoc = {
      name: ref.name,
      runtime,
      role: role!,
      handler,
      description: settings.description ?? "",
      timeout: settings.timeout ?? DEFAULT_TIMEOUT,
      memorySize: settings.memorySize ?? DEFAULT_MEMORY,
      ...(settings.variables !== undefined ? { environment: settings.variables } : {}),
      architectures: settings.architectures ?? ["x86_64"],
      codeSize: pkg.codeSize,
      codeSha256: pkg.codeSha256,
      lastModified: lambdaTimestamp(),
      revisionId: randomUUID(),
      tags,
      policy: [],
    };
    await w.put("function", doc.name, doc);
    return doc;
  });
  return { status: 201, body: presentConfiguration(fn, ctx) };
}

async function codeLocation(req: OpRequest, ctx: OpContext, fn: FunctionDoc): Promise<string> {
  const host = req.headers.host ?? `127.0.0.1:${ctx.config.adminPort}`;
  const url = new URL(`http://${host}`);
  const { credentials } = loadAdminCredentials(ctx.config.dataDir, ctx.config.adminAccessKeyId, ctx.config.adminSecretAccessKey);
  const signer = new SignatureV4({ service: "lambda", region: ctx.config.region, credentials, sha256: Hash.bind(null, "sha256") });
  const path = `${PREFIX}/${fn.name}/tollgate-code/${shaHex(fn.codeSha256)}.zip`;
  const request = new HttpRequest({ method: "GET", protocol: "http:", hostname: url.hostname, port: url.port ? Number(url.port) : 80, path, headers: { host } });
  const signed = await signer.presign(request, { expiresIn: CODE_URL_TTL_SECONDS });
  const query = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) => (v === null ? [] : (Array.isArray(v) ? v : [v]).map((one) => `${encodeURIComponent(k)}=${encodeURIComponent(one)}`)))
    .join("&");
  return `http://${host}${path}?${query}`;
}

async function getFunction(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { ref, fn } = await load(req, ctx);
  return {
    status: 200,
    body: compact({
      Configuration: presentConfiguration(fn, ctx, ref.qualifier),
      Code: { RepositoryType: "S3", Location: await codeLocation(req, ctx, fn) },
      Tags: Object.keys(fn.tags).length ? fn.tags : undefined,
    }),
  };
}

async function getFunctionConfiguration(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { ref, fn } = await load(req, ctx);
  return { status: 200, body: presentConfiguration(fn, ctx, ref.qualifier) };
}

async function getFunctionCodePackage(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { ref, fn } = await load(req, ctx);
  const file = req.params["Package"]!;
  const hex = shaHex(fn.codeSha256);
  const zip = file === `${hex}.zip` ? readStoredZip(ctx.config.dataDir, fn.name, hex) : undefined;
  if (!zip) throw functionNotFound(ctx.config, ref);
  return { status: 200, rawBody: zip, headers: { "Content-Type": "application/zip" } };
}

/** Markers are opaque to clients: the base64url of the last name of the previous page. */
async function listFunctions(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const maxRaw = req.query.get("MaxItems");
  let max = LIST_PAGE;
  if (maxRaw !== null) {
    const n = Number(maxRaw);
    if (!Number.isInteger(n) || n < 1 || n > 10000) {
      const bound = n < 1 ? "greater than or equal to 1" : "less than or equal to 10000";
      throw validationError([`Value '${maxRaw}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`]);
    }
    max = Math.min(n, LIST_PAGE);
  }
  const all = (await ctx.store.reader.list<FunctionDoc>("function")).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const marker = req.query.get("Marker");
  const after = marker ? Buffer.from(marker, "base64url").toString("utf8") : undefined;
  const rest = after === undefined ? all : all.filter((fn) => fn.name > after);
  const page = rest.slice(0, max);
  const more = rest.length > page.length;
  return {
    status: 200,
    body: compact({
      Functions: page.map((fn) => presentConfiguration(fn, ctx)),
      NextMarker: more ? Buffer.from(page[page.length - 1]!.name, "utf8").toString("base64url") : undefined,
    }),
  };
}

async function updateFunctionCode(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const ref = refOf(req);
  const dryRun = optBool(body, "DryRun") ?? false;
  const revisionId = optString(body, "RevisionId");
  const architectures = optStringList(body, "Architectures");
  if (architectures !== undefined) checkSettings({ architectures });
  if (optString(body, "S3Bucket") !== undefined || optString(body, "ImageUri") !== undefined) {
    throw new ApiError(ERRORS.InvalidParameterValue, "Tollgate accepts deployment packages as ZipFile only (S3 and image sources are not supported).");
  }
  const pkg = readZip(optString(body, "ZipFile"));
  if (!dryRun) {
    await loadFunction(ctx.store.reader, ctx.config, ref);
    storeCodePackage(ctx.config.dataDir, ref.name, pkg);
  }
  const fn = await ctx.store.write(async (w) => {
    const current = await loadFunction(w, ctx.config, ref);
    checkRevision(current, revisionId);
    const next: FunctionDoc = {
      ...current,
      codeSize: pkg.codeSize,
      codeSha256: pkg.codeSha256,
      ...(architectures !== undefined ? { architectures } : {}),
      lastModified: lambdaTimestamp(),
      revisionId: randomUUID(),
    };
    // DryRun validates the package and the preconditions and reports the would-be configuration.
    if (dryRun) return { ...next, revisionId: current.revisionId };
    await w.put("function", next.name, next);
    return next;
  });
  return { status: 200, body: presentConfiguration(fn, ctx) };
}

async function updateFunctionConfiguration(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const ref = refOf(req);
  const settings = readSettings(body);
  checkSettings(settings);
  const revisionId = optString(body, "RevisionId");
  const fn = await ctx.store.write(async (w) => {
    const current = await loadFunction(w, ctx.config, ref);
    checkRevision(current, revisionId);
    const next: FunctionDoc = {
      ...current,
      ...(settings.runtime !== undefined && isNodeRuntime(settings.runtime) ? { runtime: settings.runtime } : {}),
      ...(settings.handler !== undefined ? { handler: settings.handler } : {}),
      ...(settings.role !== undefined ? { role: settings.role } : {}),
      ...(settings.description !== undefined ? { description: settings.description } : {}),
      ...(settings.timeout !== undefined ? { timeout: settings.timeout } : {}),
      ...(settings.memorySize !== undefined ? { memorySize: settings.memorySize } : {}),
      ...(settings.variables !== undefined ? { environment: settings.variables } : {}),
      lastModified: lambdaTimestamp(),
      revisionId: randomUUID(),
    };
    await w.put("function", next.name, next);
    return next;
  });
  return { status: 200, body: presentConfiguration(fn, ctx) };
}

async function deleteFunction(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ref = refOf(req);
  if (ref.qualifier === LATEST) {
    throw new ApiError(ERRORS.InvalidParameterValue, "$LATEST version cannot be deleted without deleting the function.");
  }
  await ctx.store.write(async (w) => {
    await loadFunction(w, ctx.config, ref);
    await w.delete("function", ref.name);
  });
  // AWS answers 204 with an empty body (lambda-api.md §3); the host retires the instances via the change feed.
  return { status: 204 };
}

const STATEMENT_ID_PATTERN = "([a-zA-Z0-9-_.]+)";
const ACTION_PATTERN = "(lambda:[*]|lambda:[a-zA-Z]+|[*])";

async function addPermission(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const ref = refOf(req);
  const sid = optString(body, "StatementId");
  const action = optString(body, "Action");
  const principal = optString(body, "Principal");
  const clauses: string[] = [];
  if (sid === undefined) clauses.push(notNull("statementId"));
  else if (!/^[a-zA-Z0-9._-]{1,100}$/.test(sid)) {
    clauses.push(`Value '${sid}' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ${STATEMENT_ID_PATTERN}`);
  }
  if (action === undefined) clauses.push(notNull("action"));
  else if (!/^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/.test(action)) {
    clauses.push(`Value '${action}' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ACTION_PATTERN}`);
  }
  if (principal === undefined) clauses.push(notNull("principal"));
  else if (!/^[^\s]+$/.test(principal)) {
    clauses.push(`Value '${principal}' at 'principal' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+`);
  }
  if (clauses.length) throw validationError(clauses);
  const revisionId = optString(body, "RevisionId");
  const statement = await ctx.store.write(async (w: StoreWriter) => {
    const fn = await loadFunction(w, ctx.config, ref);
    checkRevision(fn, revisionId);
    if (fn.policy.some((s) => s.Sid === sid)) {
      throw new ApiError(
        ERRORS.ResourceConflict,
        `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
      );
    }
    const created = buildStatement(
      compact({
        sid: sid!,
        action: action!,
        principal: principal!,
        resource: functionArn(ctx.config.region, ctx.config.accountId, fn.name, ref.qualifier),
        sourceArn: optString(body, "SourceArn"),
        sourceAccount: optString(body, "SourceAccount"),
        principalOrgId: optString(body, "PrincipalOrgID"),
        eventSourceToken: optString(body, "EventSourceToken"),
      }),
    );
    await w.put("function", fn.name, { ...fn, policy: [...fn.policy, created], revisionId: randomUUID() });
    return created;
  });
  return { status: 201, body: { Statement: JSON.stringify(statement) } };
}

async function removePermission(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ref = refOf(req);
  const sid = req.params["StatementId"]!;
  await ctx.store.write(async (w) => {
    const fn = await loadFunction(w, ctx.config, ref);
    checkRevision(fn, req.query.get("RevisionId"));
    if (!fn.policy.some((s) => s.Sid === sid)) {
      throw new ApiError(ERRORS.ResourceNotFound, `Statement ${sid} is not found in resource policy.`);
    }
    await w.put("function", fn.name, { ...fn, policy: fn.policy.filter((s) => s.Sid !== sid), revisionId: randomUUID() });
  });
  return { status: 204 };
}

async function getPolicy(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { fn } = await load(req, ctx);
  if (fn.policy.length === 0) throw new ApiError(ERRORS.ResourceNotFound, "The resource you requested does not exist.");
  return { status: 200, body: { Policy: policyDocument(fn.policy), RevisionId: fn.revisionId } };
}

function headerValue(req: OpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function invoke(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const host = ctx.services["functions"];
  if (!isFunctionHost(host)) throw new ApiError(ERRORS.LambdaService, "No function host is running.");
  const invocationType = headerValue(req, "x-amz-invocation-type") ?? "RequestResponse";
  const logType = headerValue(req, "x-amz-log-type") ?? "None";
  const clauses: string[] = [];
  if (!INVOCATION_TYPES.includes(invocationType as InvocationType)) clauses.push(enumClause(invocationType, "invocationType", INVOCATION_TYPES));
  if (!LOG_TYPES.includes(logType as LogType)) clauses.push(enumClause(logType, "logType", LOG_TYPES));
  if (clauses.length) throw validationError(clauses);
  const clientContext = headerValue(req, "x-amz-client-context");
  const qualifier = req.query.get("Qualifier");
  const result = await host.invoke(req.params["FunctionName"]!, req.rawBody, {
    invocationType: invocationType as InvocationType,
    logType: logType as LogType,
    ...(clientContext !== undefined ? { clientContext } : {}),
    ...(qualifier !== null ? { qualifier } : {}),
  });
  const headers: Record<string, string> = {
    "x-amzn-RequestId": result.requestId,
    "X-Amz-Executed-Version": result.executedVersion,
  };
  if (result.statusCode === 200) headers["Content-Type"] = "application/json";
  if (result.functionError) headers["X-Amz-Function-Error"] = result.functionError;
  if (result.logResult !== undefined) headers["X-Amz-Log-Result"] = result.logResult;
  return { status: result.statusCode, rawBody: result.payload, headers };
}

export const lambdaFunctionRoutes: readonly RouteSpec[] = [
  { operation: "CreateFunction", method: "POST", path: PREFIX, handler: createFunction },
  { operation: "ListFunctions", method: "GET", path: PREFIX, handler: listFunctions },
  { operation: "GetFunction", method: "GET", path: `${PREFIX}/{FunctionName}`, handler: getFunction },
  { operation: "DeleteFunction", method: "DELETE", path: `${PREFIX}/{FunctionName}`, handler: deleteFunction },
  { operation: "GetFunctionConfiguration", method: "GET", path: `${PREFIX}/{FunctionName}/configuration`, handler: getFunctionConfiguration },
  { operation: "UpdateFunctionConfiguration", method: "PUT", path: `${PREFIX}/{FunctionName}/configuration`, handler: updateFunctionConfiguration },
  { operation: "UpdateFunctionCode", method: "PUT", path: `${PREFIX}/{FunctionName}/code`, handler: updateFunctionCode },
  { operation: "GetFunctionCodePackage", method: "GET", path: `${PREFIX}/{FunctionName}/tollgate-code/{Package}`, handler: getFunctionCodePackage },
  { operation: "Invoke", method: "POST", path: `${PREFIX}/{FunctionName}/invocations`, handler: invoke },
  { operation: "AddPermission", method: "POST", path: `${PREFIX}/{FunctionName}/policy`, handler: addPermission },
  { operation: "GetPolicy", method: "GET", path: `${PREFIX}/{FunctionName}/policy`, handler: getPolicy },
  { operation: "RemovePermission", method: "DELETE", path: `${PREFIX}/{FunctionName}/policy/{StatementId}`, handler: removePermission },
];
