// `$context` (data-plane.md §12.3) for one request: built only when something reads it (a template, a
// parameter mapping, a customised gateway response), never on the plain proxy path.
import type { Exchange } from "./exchange.js";

export interface ContextError {
  readonly message: string | null;
  readonly responseType: string;
  readonly validationErrorString?: string;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number): string => (n < 10 ? "0" + n : String(n));

/** CLF time, `09/Apr/2024:12:34:56 +0000`. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

export function buildContext(ex: Exchange, error?: ContextError): Record<string, unknown> {
  const stage = ex.stage;
  const route = ex.route;
  const host = ex.request.host ?? "";
  const domainName = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!;
  const context: Record<string, unknown> = {
    accountId: stage?.accountId ?? null,
    apiId: stage?.apiId ?? ex.target?.apiId ?? null,
    deploymentId: stage?.deploymentId ?? null,
    domainName,
    domainPrefix: domainName.split(".")[0] ?? "",
    extendedRequestId: ex.extendedRequestId,
    httpMethod: ex.request.method,
    identity: {
      accessKey: ex.iamIdentity?.accessKey ?? null,
      accountId: ex.iamIdentity?.accountId ?? null,
      apiKey: ex.apiKey?.value ?? null,
      apiKeyId: ex.apiKey?.id ?? null,
      caller: ex.iamIdentity?.caller ?? null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: ex.request.sourceIp,
      user: ex.iamIdentity?.user ?? null,
      userAgent: ex.request.header("user-agent") ?? null,
      userArn: ex.iamIdentity?.userArn ?? null,
      // PRIVATE APIs only: the interface VPC endpoint the call came through (§2.3).
      ...(stage?.vpceId !== undefined ? { vpceId: stage.vpceId } : {}),
    },
    path: ex.target?.contextPath ?? ex.request.rawPath,
    protocol: ex.request.protocol,
    requestId: ex.requestId,
    requestTime: formatRequestTime(ex.requestTimeEpoch),
    requestTimeEpoch: ex.requestTimeEpoch,
    resourceId: route?.resource.id ?? null,
    resourcePath: route?.resource.path ?? null,
    stage: stage?.stageName ?? ex.target?.stageName ?? null,
  };
  if (stage?.isCanary !== undefined) context["isCanaryRequest"] = stage.isCanary;
  // A Lambda authorizer's principal and context, values as strings (data-plane.md §5.3.5).
  if (ex.authorizer) {
    const { principalId, context: values, latencyMs, claims } = ex.authorizer;
    // A Cognito authorizer exposes the token's claims only (§5.4); a Lambda authorizer its principal and context.
    context["authorizer"] = claims !== undefined ? { claims } : { principalId, integrationLatency: Math.round(latencyMs), ...values };
  }
  if (error) {
    context["error"] = {
      message: error.message,
      messageString: error.message === null ? "null" : JSON.stringify(error.message),
      responseType: error.responseType,
      validationErrorString: error.validationErrorString ?? "",
    };
  }
  return context;
}
