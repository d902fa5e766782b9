// Endpoint resolution (data-plane.md §2.1, §2.2): which API and stage a request addresses, and the raw resource
// path left for routing. Three addressing styles: `{restApiId}.{executeApiDomain}` + `/{stage}/{path}`, the
// host-independent `/restapis/{restApiId}/{stage}/_user_request_/{path}` that LocalStack popularised and that
// works without wildcard DNS, and custom domain names through their base path mappings (custom-domains.ts).
import type { CustomDomainLookup } from "./custom-domains.js";
import { firstSegment } from "./first-segment.js";

export interface EndpointTarget {
  readonly apiId: string;
  readonly stageName: string;
  /** Raw resource path after the stage, e.g. `/pets/1` or `` for the root. */
  readonly resourcePath: string;
  /** `$context.path`: `/{stage}{resource path as received}`; through a custom domain, the path as sent. */
  readonly contextPath: string;
  /** Set when a custom domain's mapping matched: its base path (`""` for the `(none)` mapping). */
  readonly basePathMatched?: string;
  /** Addressed the way only PRIVATE APIs are (`{id}-{vpce}` host, `x-apigw-api-id` header): public APIs refuse it. */
  readonly privateAddressing?: boolean;
}

const PATH_STYLE_PREFIX = "/restapis/";
const USER_REQUEST = "_user_request_";

export interface EndpointResolver {
  /**
   * `request` is asked for `x-apigw-api-id` (how a client of a VPC endpoint's own DNS name names a private API,
   * §2.4) only when neither the path nor the host names an API.
   */
  resolve(host: string | undefined, rawPath: string, request?: { header(name: string): string | undefined }): EndpointTarget | undefined;
}

export function createEndpointResolver(executeApiDomain: string, customDomains?: CustomDomainLookup): EndpointResolver {
  const suffix = "." + executeApiDomain.toLowerCase();
  return {
    resolve(host, rawPath, request) {
      if (rawPath.startsWith(PATH_STYLE_PREFIX)) {
        const target = resolvePathStyle(rawPath);
        if (target) return target;
      }
      const name = hostName(host);
      if (name === undefined) return byApiIdHeader(request, rawPath);
      const apiId = apiIdFromHostName(name, suffix);
      if (apiId !== undefined) {
        const target = splitStage(apiId.id, rawPath);
        return target && apiId.viaVpce ? { ...target, privateAddressing: true } : target;
      }
      const custom = customDomains?.resolve(name, rawPath);
      if (custom !== undefined) return custom === "no-mapping" ? undefined : custom;
      return byApiIdHeader(request, rawPath);
    },
  };
}

function byApiIdHeader(request: { header(name: string): string | undefined } | undefined, rawPath: string): EndpointTarget | undefined {
  const apiId = request?.header("x-apigw-api-id");
  const target = apiId ? splitStage(apiId.toLowerCase(), rawPath) : undefined;
  return target && { ...target, privateAddressing: true };
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

/** DNS is case-insensitive, so host names compare in lower case (§2.1). The port, if any, is ignored. */
function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined;
  let name = host;
  if (name.charCodeAt(0) !== 91 /* [ */) {
    const colon = name.indexOf(":");
    if (colon >= 0) name = name.slice(0, colon);
  }
  return name.toLowerCase();
}

function apiIdFromHostName(name: string, suffix: string): { id: string; viaVpce: boolean } | undefined {
  if (name.length <= suffix.length || !name.endsWith(suffix)) return undefined;
  let id = name.slice(0, name.length - suffix.length);
  // `{restApiId}-{vpceId}.execute-api…`: the Route 53 alias form of a private API (§2.4).
  const vpce = id.indexOf("-vpce-");
  if (vpce > 0) id = id.slice(0, vpce);
  return id.includes(".") ? undefined : { id, viaVpce: vpce > 0 };
}

/** The stage is the first path segment, compared case-sensitively; leading duplicate slashes are collapsed. */
function splitStage(apiId: string, rawPath: string): EndpointTarget | undefined {
  const { segment: stageName, rest: resourcePath } = firstSegment(rawPath);
  if (stageName === "") return undefined;
  return { apiId, stageName, resourcePath, contextPath: `/${stageName}${resourcePath}` };
}
