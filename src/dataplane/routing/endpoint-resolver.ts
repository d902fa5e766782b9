// Endpoint resolution (data-plane.md §2.1): which API and stage a request addresses, and the raw resource path
// left for routing. Two addressing styles: `{restApiId}.{executeApiDomain}` + `/{stage}/{path}`, and the
// host-independent `/restapis/{restApiId}/{stage}/_user_request_/{path}` that LocalStack popularised and that
// works without wildcard DNS.

export interface EndpointTarget {
  readonly apiId: string;
  readonly stageName: string;
  /** Raw resource path after the stage, e.g. `/pets/1` or `` for the root. */
  readonly resourcePath: string;
  /** `$context.path`: `/{stage}{resource path as received}`. */
  readonly contextPath: string;
}

const PATH_STYLE_PREFIX = "/restapis/";
const USER_REQUEST = "_user_request_";

export interface EndpointResolver {
  resolve(host: string | undefined, rawPath: string): EndpointTarget | undefined;
}

export function createEndpointResolver(executeApiDomain: string): EndpointResolver {
  const suffix = "." + executeApiDomain.toLowerCase();
  return {
    resolve(host, rawPath) {
      if (rawPath.startsWith(PATH_STYLE_PREFIX)) {
        const target = resolvePathStyle(rawPath);
        if (target) return target;
      }
      const apiId = apiIdFromHost(host, suffix);
      return apiId === undefined ? undefined : splitStage(apiId, rawPath);
    },
  };
}

/** `/restapis/{id}/{stage}/_user_request_{/path}`; anything else under /restapis/ is not path style. */
function resolvePathStyle(rawPath: string): EndpointTarget | undefined {
  const idEnd = rawPath.indexOf("/", PATH_STYLE_PREFIX.length);
  if (idEnd < 0) return undefined;
  const stageEnd = rawPath.indexOf("/", idEnd + 1);
  if (stageEnd < 0) return undefined;
  const markerEnd = stageEnd + 1 + USER_REQUEST.length;
  if (!rawPath.startsWith(USER_REQUEST, stageEnd + 1)) return undefined;
  if (markerEnd < rawPath.length && rawPath.charCodeAt(markerEnd) !== 47) return undefined;
  const apiId = rawPath.slice(PATH_STYLE_PREFIX.length, idEnd).toLowerCase();
  const stageName = rawPath.slice(idEnd + 1, stageEnd);
  if (apiId === "" || stageName === "") return undefined;
  const resourcePath = rawPath.slice(markerEnd);
  return { apiId, stageName, resourcePath, contextPath: `/${stageName}${resourcePath}` };
}

/** DNS is case-insensitive, so is the API id in the host (§2.1). The port, if any, is ignored. */
function apiIdFromHost(host: string | undefined, suffix: string): string | undefined {
  if (!host) return undefined;
  let name = host;
  if (name.charCodeAt(0) !== 91 /* [ */) {
    const colon = name.indexOf(":");
    if (colon >= 0) name = name.slice(0, colon);
  }
  name = name.toLowerCase();
  if (name.length <= suffix.length || !name.endsWith(suffix)) return undefined;
  const id = name.slice(0, name.length - suffix.length);
  return id.includes(".") ? undefined : id;
}

/** The stage is the first path segment, compared case-sensitively; leading duplicate slashes are collapsed. */
function splitStage(apiId: string, rawPath: string): EndpointTarget | undefined {
  let start = 0;
  while (start < rawPath.length && rawPath.charCodeAt(start) === 47) start++;
  const end = rawPath.indexOf("/", start);
  const stageName = end < 0 ? rawPath.slice(start) : rawPath.slice(start, end);
  if (stageName === "") return undefined;
  const resourcePath = end < 0 ? "" : rawPath.slice(end);
  return { apiId, stageName, resourcePath, contextPath: `/${stageName}${resourcePath}` };
}
