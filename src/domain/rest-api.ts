// The REST API aggregate as stored: one document per API holding its resources, methods, integrations, models,
// authorizers, validators, gateway responses and documentation. Management writes load it, change it and save
// it in one transaction; CreateDeployment snapshots it.

export type EndpointType = "EDGE" | "REGIONAL" | "PRIVATE";
export type ApiKeySource = "HEADER" | "AUTHORIZER";
export const HTTP_METHODS = ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export type AuthorizationType = "NONE" | "AWS_IAM" | "CUSTOM" | "COGNITO_USER_POOLS";
export type IntegrationType = "HTTP" | "AWS" | "MOCK" | "HTTP_PROXY" | "AWS_PROXY";
export type PassthroughBehavior = "WHEN_NO_MATCH" | "WHEN_NO_TEMPLATES" | "NEVER";
export type ContentHandling = "CONVERT_TO_BINARY" | "CONVERT_TO_TEXT";

export interface EndpointConfiguration {
  types: EndpointType[];
  ipAddressType?: "ipv4" | "dualstack";
  vpcEndpointIds?: string[];
}

export interface MethodResponseDoc {
  statusCode: string;
  responseParameters?: Record<string, boolean>;
  responseModels?: Record<string, string>;
}

export interface IntegrationResponseDoc {
  statusCode: string;
  selectionPattern?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string | null>;
  contentHandling?: ContentHandling;
  /** Creation order: when several selection patterns match, the first created wins (observed on AWS). */
  seq: number;
}

export interface IntegrationDoc {
  type: IntegrationType;
  httpMethod?: string;
  uri?: string;
  connectionType?: "INTERNET" | "VPC_LINK";
  connectionId?: string;
  credentials?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string | null>;
  passthroughBehavior: PassthroughBehavior;
  contentHandling?: ContentHandling;
  timeoutInMillis: number;
  cacheNamespace: string;
  cacheKeyParameters: string[];
  tlsConfig?: { insecureSkipVerification?: boolean };
  responseTransferMode?: "BUFFERED" | "STREAM";
  integrationTarget?: string;
  integrationResponses: Record<string, IntegrationResponseDoc>;
}

export interface MethodDoc {
  httpMethod: HttpMethod;
  authorizationType: AuthorizationType;
  authorizerId?: string;
  apiKeyRequired: boolean;
  requestValidatorId?: string;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
  authorizationScopes?: string[];
  methodResponses: Record<string, MethodResponseDoc>;
  integration?: IntegrationDoc;
}

export interface ResourceDoc {
  id: string;
  /** Absent on the root resource. */
  parentId?: string;
  pathPart?: string;
  methods: Partial<Record<HttpMethod, MethodDoc>>;
}

export interface ModelDoc {
  id: string;
  name: string;
  description?: string;
  schema?: string;
  contentType: string;
}

export interface AuthorizerDoc {
  id: string;
  name: string;
  type: "TOKEN" | "REQUEST" | "COGNITO_USER_POOLS";
  providerARNs?: string[];
  authType?: string;
  authorizerUri?: string;
  authorizerCredentials?: string;
  identitySource?: string;
  identityValidationExpression?: string;
  authorizerResultTtlInSeconds: number;
}

export interface RequestValidatorDoc {
  id: string;
  name?: string;
  validateRequestBody: boolean;
  validateRequestParameters: boolean;
}

export interface GatewayResponseDoc {
  responseType: string;
  statusCode?: string;
  responseParameters: Record<string, string>;
  responseTemplates: Record<string, string>;
}

export interface DocumentationPartDoc {
  id: string;
  location: { type: string; path?: string; method?: string; statusCode?: string; name?: string };
  properties: string;
}

export interface DocumentationVersionDoc {
  version: string;
  createdDate: number;
  description?: string;
}

export interface RestApiDoc {
  id: string;
  name: string;
  description?: string;
  createdDate: number;
  version?: string;
  binaryMediaTypes: string[];
  minimumCompressionSize?: number;
  apiKeySource: ApiKeySource;
  endpointConfiguration: EndpointConfiguration;
  policy?: string;
  tags: Record<string, string>;
  disableExecuteApiEndpoint: boolean;
  rootResourceId: string;
  resources: Record<string, ResourceDoc>;
  models: Record<string, ModelDoc>;
  authorizers: Record<string, AuthorizerDoc>;
  requestValidators: Record<string, RequestValidatorDoc>;
  gatewayResponses: Record<string, GatewayResponseDoc>;
  documentationParts: Record<string, DocumentationPartDoc>;
  documentationVersions: Record<string, DocumentationVersionDoc>;
  /** Monotonic counter for creation-ordered children (integration responses). */
  seq: number;
}

/** The full path of a resource, e.g. `/pets/{petId}`; `/` for the root. */
export function resourcePath(api: RestApiDoc, resourceId: string): string {
  const parts: string[] = [];
  let current = api.resources[resourceId];
  while (current && current.parentId !== undefined) {
    parts.unshift(current.pathPart ?? "");
    current = api.resources[current.parentId];
  }
  return "/" + parts.join("/");
}

/** Every descendant of a resource (not the resource itself). */
export function descendants(api: RestApiDoc, resourceId: string): string[] {
  const out: string[] = [];
  const walk = (id: string): void => {
    for (const r of Object.values(api.resources)) {
      if (r.parentId === id) {
        out.push(r.id);
        walk(r.id);
      }
    }
  };
  walk(resourceId);
  return out;
}
