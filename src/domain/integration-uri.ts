// Checks an integration's backend (type, verb, URI) the way PutIntegration/UpdateIntegration do: HTTP types need
// an absolute http(s) URL, AWS types an `arn:aws:apigateway:{region}:{service}:{path|action}/…` URI, and
// AWS_PROXY only reaches Lambda (and Firehose). Messages as AWS words them (control-plane.md §7).
import { badRequest } from "../errors/api-error.js";
import type { IntegrationType } from "./rest-api.js";

export interface AwsIntegrationUri {
  readonly region: string;
  /** `lambda`, `s3`, `sqs`, … (a `{subdomain}.{service}` prefix is stripped). */
  readonly service: string;
  /** `path` or `action` in a well-formed URI. */
  readonly kind: string;
  readonly target: string;
}

// Stage variables may stand anywhere in a URI (`http://${stageVariables.host}/x`); they are resolved per request.
const STAGE_VARIABLE = /\$\{stageVariables\.[A-Za-z0-9_]+\}/g;

export function isHttpEndpoint(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri.replace(STAGE_VARIABLE, "stagevar"));
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}

export function parseAwsIntegrationUri(uri: string): AwsIntegrationUri | undefined {
  const m = /^arn:(aws|aws-cn|aws-us-gov):apigateway:([^:]*):([^:]+):(.*)$/.exec(uri);
  if (!m) return undefined;
  const rest = m[4]!;
  const slash = rest.indexOf("/");
  const kind = slash > 0 ? rest.slice(0, slash) : rest;
  const service = m[3]!.split(".").pop()!;
  return { region: m[2]!, service, kind, target: slash > 0 ? rest.slice(slash + 1) : "" };
}

/** Validates `uri` for `type`; MOCK accepts anything (and nothing). */
export function checkIntegrationUri(type: IntegrationType, uri: string | undefined): void {
  if (type === "MOCK") return;
  if (type === "HTTP" || type === "HTTP_PROXY") {
    if (uri === undefined || !isHttpEndpoint(uri)) throw badRequest("Invalid HTTP endpoint specified for URI");
    return;
  }
  const parsed = uri === undefined ? undefined : parseAwsIntegrationUri(uri);
  if (!parsed) throw badRequest("Invalid ARN specified in the request");
  if ((parsed.kind !== "path" && parsed.kind !== "action") || parsed.target === "") {
    throw badRequest("AWS ARN for integration must contain path or action");
  }
  if (type === "AWS_PROXY" && parsed.service !== "lambda" && parsed.service !== "firehose") {
    throw badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
  }
}
