// Authorizer operations: CreateAuthorizer, GetAuthorizer, GetAuthorizers, UpdateAuthorizer, DeleteAuthorizer.
// (TestInvokeAuthorizer, POST on a single authorizer, belongs to the authorizer run-time.)
import { badRequest, conflict, enumClause, notFound, validationError, type ApiError } from "../../errors/api-error.js";
import { loadApi, saveApi } from "../../domain/api-repository.js";
import { resourcePath, type AuthorizerDoc, type RestApiDoc } from "../../domain/rest-api.js";
import type { StoreReader } from "../../store/config-store.js";
import { newShortId } from "../../util/ids.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import { invalidPatchPath, patchInt, readPatchOperations, replaceOnly, requireValue, type PatchOp } from "../patch.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optInt, optString, optStringList, paginate, reqString } from "../wire.js";

type AuthorizerType = AuthorizerDoc["type"];
const AUTHORIZER_TYPES: readonly AuthorizerType[] = ["TOKEN", "REQUEST", "COGNITO_USER_POOLS"];
const DEFAULT_TTL = 300;
const MAX_TTL = 3600;

const LAMBDA_AUTHORIZER_URI = /^arn:aws[a-z-]*:apigateway:[a-z]{2}(-[a-z]+)+-\d+:lambda:path\/\d{4}-\d{2}-\d{2}\/functions\/.+\/invocations$/;
const USER_POOL_ARN = /^arn:aws[a-z-]*:cognito-idp:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:userpool\/.+$/;
const HEADER_SOURCE = /^method\.request\.header\.[a-zA-Z0-9._-]+$/;
/** REQUEST authorizers read headers, query strings, stage variables and context; path parameters are not allowed. */
const REQUEST_SOURCE = /^(method\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.[^\s,]+|stageVariables\.[^\s,]+|context\.[^\s,]+)$/;

const authorizerNotFound = (): ApiError => notFound("Invalid Authorizer identifier specified");

export function presentAuthorizer(a: AuthorizerDoc): Record<string, unknown> {
  return compact({
    id: a.id,
    name: a.name,
    type: a.type,
    providerARNs: a.providerARNs,
    authType: a.authType,
    authorizerUri: a.authorizerUri,
    authorizerCredentials: a.authorizerCredentials,
    identitySource: a.identitySource,
    identityValidationExpression: a.identityValidationExpression,
    authorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds,
  });
}

function checkAuthorizerUri(uri: string | undefined): void {
  if (uri === undefined || !LAMBDA_AUTHORIZER_URI.test(uri)) {
    throw badRequest(`Invalid Authorizer URI: ${uri ?? "null"}. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.`);
  }
}

function checkTokenSource(source: string | undefined): void {
  if (source === undefined || !HEADER_SOURCE.test(source)) {
    throw badRequest(
      `Invalid token source expression: ${source ?? "null"}. The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'.`,
    );
  }
}

function checkRequestSources(source: string | undefined, ttl: number): void {
  const entries = (source ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  // Without caching the identity sources are optional; with it API Gateway needs them for the cache key.
  if (entries.length === 0) {
    if (ttl > 0) throw badRequest("Identity source is required for REQUEST authorizers when authorizer caching is enabled");
    return;
  }
  const bad = entries.find((e) => !REQUEST_SOURCE.test(e));
  if (bad !== undefined) throw badRequest(`Invalid identity source expression specified: ${bad}`);
}

/** The whole authorizer as it will be stored: the rules CreateAuthorizer checks, re-checked after every update. */
function checkAuthorizer(a: AuthorizerDoc): void {
  const ttl = a.authorizerResultTtlInSeconds;
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL) {
    throw badRequest(`Invalid authorizerResultTtlInSeconds specified: ${ttl}. Must be between 0 and ${MAX_TTL}`);
  }
  if (a.type === "COGNITO_USER_POOLS") {
    const arns = a.providerARNs ?? [];
    const bad = arns.filter((arn) => !USER_POOL_ARN.test(arn));
    if (arns.length === 0 || bad.length) throw badRequest(`ProviderARNs need to be valid Cognito Userpools. Invalid ARNs- ${bad.join(", ")}`);
    if (a.identitySource !== undefined) checkTokenSource(a.identitySource);
  } else {
    checkAuthorizerUri(a.authorizerUri);
    if (a.type === "TOKEN") checkTokenSource(a.identitySource);
    else checkRequestSources(a.identitySource, ttl);
  }
  if (a.identityValidationExpression !== undefined) {
    try {
      new RegExp(a.identityValidationExpression);
    } catch {
      throw badRequest(`Invalid identity validation expression specified: ${a.identityValidationExpression}`);
    }
  }
}

async function loadAuthorizer(r: StoreReader, restApiId: string, id: string): Promise<{ api: RestApiDoc; authorizer: AuthorizerDoc }> {
  const api = await r.get<RestApiDoc>("restapi", restApiId);
  const authorizer = api?.authorizers[id];
  if (!api || !authorizer) throw authorizerNotFound();
  return { api, authorizer };
}

async function createAuthorizer(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const shape = "createAuthorizerInput";
  const name = reqString(body, "name", shape);
  const type = reqString(body, "type", shape);
  if (!AUTHORIZER_TYPES.includes(type as AuthorizerType)) throw validationError([enumClause(type, `${shape}.type`, AUTHORIZER_TYPES)]);
  const authorizer: AuthorizerDoc = compact({
    id: newShortId(),
    name,
    type: type as AuthorizerType,
    providerARNs: optStringList(body, "providerARNs"),
    // AWS labels authorizers "custom" / "cognito_user_pools" when the caller gives no authType (AWS CLI examples).
    authType: optString(body, "authType") ?? (type === "COGNITO_USER_POOLS" ? "cognito_user_pools" : "custom"),
    authorizerUri: optString(body, "authorizerUri"),
    authorizerCredentials: optString(body, "authorizerCredentials"),
    identitySource: optString(body, "identitySource"),
    identityValidationExpression: optString(body, "identityValidationExpression"),
    authorizerResultTtlInSeconds: optInt(body, "authorizerResultTtlInSeconds") ?? DEFAULT_TTL,
  });
  const restApiId = req.params["restapi_id"]!;
  await ctx.store.write(async (w) => {
    // AWS's (odd) answer to CreateAuthorizer on an unknown API [AWS-recorded].
    const api = await loadApi(w, ctx.config.accountId, restApiId, () =>
      conflict("Unable to complete operation due to concurrent modification. Please try again later."),
    );
    checkAuthorizer(authorizer);
    api.authorizers[authorizer.id] = authorizer;
    await saveApi(w, api);
  });
  return { status: 201, body: presentAuthorizer(authorizer) };
}

async function getAuthorizer(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const { authorizer } = await loadAuthorizer(ctx.store.reader, req.params["restapi_id"]!, req.params["authorizer_id"]!);
  return { status: 200, body: presentAuthorizer(authorizer) };
}

async function getAuthorizers(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const api = await loadApi(ctx.store.reader, ctx.config.accountId, req.params["restapi_id"]!);
  const page = paginate(Object.values(api.authorizers), req.query);
  return { status: 200, body: { ...page, item: page.item.map(presentAuthorizer) } };
}

type OptionalField = "authorizerCredentials" | "identitySource" | "identityValidationExpression" | "authType";

function setOptional(a: AuthorizerDoc, key: OptionalField, value: string | undefined): void {
  if (value === undefined || value === "") delete a[key];
  else a[key] = value;
}

/** UpdateAuthorizer patch paths (control-plane.md §5.1). */
function applyAuthorizerPatch(a: AuthorizerDoc, op: PatchOp): void {
  if (op.path === "/providerARNs") {
    const arns = a.providerARNs ?? [];
    if (op.op === "add") {
      const v = requireValue(op);
      a.providerARNs = arns.includes(v) ? arns : [...arns, v];
    } else if (op.op === "remove") {
      a.providerARNs = op.value === undefined ? [] : arns.filter((x) => x !== op.value);
    } else {
      throw invalidPatchPath(op.path);
    }
    return;
  }
  const scalar = (apply: () => void): void => {
    if (op.op !== "replace") throw replaceOnly();
    apply();
  };
  switch (op.path) {
    case "/name":
      return scalar(() => {
        const v = requireValue(op);
        if (!v.trim()) throw badRequest(`Invalid null or empty value in ${op.path}`);
        a.name = v;
      });
    case "/type":
      return scalar(() => {
        const v = requireValue(op);
        if (!AUTHORIZER_TYPES.includes(v as AuthorizerType)) {
          throw badRequest(`Invalid authorizer type specified: ${v}. Valid options are ${AUTHORIZER_TYPES.join(",")}`);
        }
        a.type = v as AuthorizerType;
      });
    case "/authorizerUri":
      return scalar(() => {
        a.authorizerUri = requireValue(op);
      });
    case "/authorizerResultTtlInSeconds":
      return scalar(() => {
        a.authorizerResultTtlInSeconds = patchInt(op);
      });
    case "/authorizerCredentials":
    case "/identitySource":
    case "/identityValidationExpression":
    case "/authType":
      return scalar(() => setOptional(a, op.path.slice(1) as OptionalField, op.value));
    default:
      throw invalidPatchPath(op.path || undefined);
  }
}

async function updateAuthorizer(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const ops = readPatchOperations(req.json(), "updateAuthorizerInput");
  const restApiId = req.params["restapi_id"]!;
  const id = req.params["authorizer_id"]!;
  const authorizer = await ctx.store.write(async (w) => {
    const { api, authorizer } = await loadAuthorizer(w, restApiId, id);
    for (const op of ops) applyAuthorizerPatch(authorizer, op);
    if (authorizer.providerARNs?.length === 0) delete authorizer.providerARNs;
    checkAuthorizer(authorizer);
    await saveApi(w, api);
    return authorizer;
  });
  return { status: 200, body: presentAuthorizer(authorizer) };
}

/** The first method still bound to the authorizer, as `/pets/GET` (root: `//GET`). */
function authorizerReference(api: RestApiDoc, id: string): string | undefined {
  for (const resource of Object.values(api.resources)) {
    for (const method of Object.values(resource.methods)) {
      if (method?.authorizerId === id) return `${resourcePath(api, resource.id)}/${method.httpMethod}`;
    }
  }
  return undefined;
}

async function deleteAuthorizer(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const restApiId = req.params["restapi_id"]!;
  const id = req.params["authorizer_id"]!;
  await ctx.store.write(async (w) => {
    const { api, authorizer } = await loadAuthorizer(w, restApiId, id);
    const reference = authorizerReference(api, id);
    if (reference) throw conflict(`Cannot delete authorizer '${authorizer.name}', is referenced in method: ${reference}`);
    delete api.authorizers[id];
    await saveApi(w, api);
  });
  return { status: 202 };
}

export const authorizerRoutes: readonly RouteSpec[] = [
  { operation: "CreateAuthorizer", method: "POST", path: "/restapis/{restapi_id}/authorizers", handler: createAuthorizer },
  { operation: "GetAuthorizers", method: "GET", path: "/restapis/{restapi_id}/authorizers", handler: getAuthorizers },
  { operation: "GetAuthorizer", method: "GET", path: "/restapis/{restapi_id}/authorizers/{authorizer_id}", handler: getAuthorizer },
  { operation: "UpdateAuthorizer", method: "PATCH", path: "/restapis/{restapi_id}/authorizers/{authorizer_id}", handler: updateAuthorizer },
  { operation: "DeleteAuthorizer", method: "DELETE", path: "/restapis/{restapi_id}/authorizers/{authorizer_id}", handler: deleteAuthorizer },
];
