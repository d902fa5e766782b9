// Loading and saving REST API aggregates, with AWS's not-found messages (which differ by operation family).
import { notFound, type ApiError } from "../errors/api-error.js";
import type { StoreReader, StoreWriter } from "../store/config-store.js";
import type { HttpMethod, IntegrationDoc, MethodDoc, ResourceDoc, RestApiDoc } from "./rest-api.js";

export const apiNotFound = (accountId: string, restApiId: string): ApiError =>
  notFound(`Invalid API identifier specified ${accountId}:${restApiId}`);
export const resourceNotFound = (): ApiError => notFound("Invalid Resource identifier specified");
export const methodNotFound = (): ApiError => notFound("Invalid Method identifier specified");
export const integrationNotFound = (): ApiError => notFound("Invalid Integration identifier specified");
export const responseNotFound = (): ApiError => notFound("Invalid Response status code specified");

export async function findApi(r: StoreReader, restApiId: string): Promise<RestApiDoc | undefined> {
  return r.get<RestApiDoc>("restapi", restApiId);
}

/** The API, or `orElse()` thrown (default: "Invalid API identifier specified {account}:{id}"). */
export async function loadApi(r: StoreReader, accountId: string, restApiId: string, orElse?: () => ApiError): Promise<RestApiDoc> {
  const api = await findApi(r, restApiId);
  if (!api) throw (orElse ?? (() => apiNotFound(accountId, restApiId)))();
  return api;
}

export async function saveApi(w: StoreWriter, api: RestApiDoc): Promise<void> {
  await w.put("restapi", api.id, api);
}

/** Resource-level calls on an unknown API report "Invalid Resource identifier specified", as AWS does. */
export async function loadResource(r: StoreReader, restApiId: string, resourceId: string): Promise<{ api: RestApiDoc; resource: ResourceDoc }> {
  const api = await findApi(r, restApiId);
  // Own properties only: an id like "constructor" must not resolve to an Object.prototype member.
  const resource = api && Object.hasOwn(api.resources, resourceId) ? api.resources[resourceId] : undefined;
  if (!api || !resource) throw resourceNotFound();
  return { api, resource };
}

export async function loadMethod(
  r: StoreReader,
  restApiId: string,
  resourceId: string,
  httpMethod: string,
): Promise<{ api: RestApiDoc; resource: ResourceDoc; method: MethodDoc }> {
  const { api, resource } = await loadResource(r, restApiId, resourceId);
  const method = Object.hasOwn(resource.methods, httpMethod) ? resource.methods[httpMethod as HttpMethod] : undefined;
  if (!method) throw methodNotFound();
  return { api, resource, method };
}

export async function loadIntegration(
  r: StoreReader,
  restApiId: string,
  resourceId: string,
  httpMethod: string,
): Promise<{ api: RestApiDoc; resource: ResourceDoc; method: MethodDoc; integration: IntegrationDoc }> {
  const found = await loadMethod(r, restApiId, resourceId, httpMethod);
  if (!found.method.integration) throw integrationNotFound();
  return { ...found, integration: found.method.integration };
}

export function nextSeq(api: RestApiDoc): number {
  api.seq = (api.seq ?? 0) + 1;
  return api.seq;
}
