// GetExport: the deployment a stage serves, as a Swagger 2.0 or OpenAPI 3.0.1 document (control-plane.md §8.2).
// `extensions=integrations` adds `x-amazon-apigateway-integration`, `extensions=authorizers` the authorizer
// definitions, `extensions=apigateway` both plus the API-level extensions (validators, gateway responses, binary
// media types, API key source, policy, minimum compression size) — enough for ImportRestApi to rebuild the API.
import { parseModelSchema, type JsonObject, type JsonValue } from "../model-schema.js";
import { resourcesByPath } from "../resource-tree.js";
import type { AuthorizerDoc, IntegrationDoc, MethodDoc, RestApiDoc } from "../rest-api.js";
import type { ApiSnapshot } from "../stage.js";
import { isObject } from "./openapi-document.js";

export type ExportType = "swagger" | "oas30";
export type ExportExtension = "integrations" | "apigateway" | "authorizers" | "postman";
export const EXPORT_EXTENSIONS: readonly ExportExtension[] = ["integrations", "apigateway", "authorizers", "postman"];

export interface ExportOptions {
  readonly type: ExportType;
  readonly stageName: string;
  readonly region: string;
  readonly extensions: ReadonlySet<ExportExtension>;
}

const MODEL_URL = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#?]+)$/;
const PARAMETER = /^method\.request\.(path|querystring|header)\.(.+)$/;
const LOCATION_IN: Readonly<Record<string, string>> = { path: "path", querystring: "query", header: "header" };
const API_KEY_SCHEME = "api_key";
const SIGV4_SCHEME = "sigv4";

/** Epoch seconds → `2024-06-10T08:00:00Z`, the form AWS puts into `info.version` when the API has no version. */
const isoSeconds = (epoch: number): string => new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

class Exporter {
  private readonly oas3: boolean;
  private readonly withIntegrations: boolean;
  private readonly withAuthorizers: boolean;
  private readonly withApiGateway: boolean;
  private readonly schemes: JsonObject = {};

  constructor(
    private readonly api: ApiSnapshot,
    private readonly opts: ExportOptions,
  ) {
    this.oas3 = opts.type === "oas30";
    this.withApiGateway = opts.extensions.has("apigateway");
    this.withIntegrations = this.withApiGateway || opts.extensions.has("integrations");
    this.withAuthorizers = this.withApiGateway || opts.extensions.has("authorizers");
  }

  private modelRef(name: string): JsonObject {
    return { $ref: this.oas3 ? `#/components/schemas/${name}` : `#/definitions/${name}` };
  }

  build(): JsonObject {
    const api = this.api;
    const info: JsonObject = { version: api.version ?? isoSeconds(api.createdDate), title: api.name };
    if (api.description !== undefined) info["description"] = api.description;
    const host = `${api.id}.execute-api.${this.opts.region}.amazonaws.com`;
    const doc: JsonObject = this.oas3
      ? {
          openapi: "3.0.1",
          info,
          servers: [{ url: `https://${host}/{basePath}`, variables: { basePath: { default: this.opts.stageName } } }],
        }
      : { swagger: "2.0", info, host, basePath: `/${this.opts.stageName}`, schemes: ["https"] };
    doc["paths"] = this.paths();
    const schemas = this.schemas();
    if (this.oas3) {
      const components: JsonObject = {};
      if (Object.keys(schemas).length) components["schemas"] = schemas;
      if (Object.keys(this.schemes).length) components["securitySchemes"] = this.schemes;
      if (Object.keys(components).length) doc["components"] = components;
    } else {
      if (Object.keys(this.schemes).length) doc["securityDefinitions"] = this.schemes;
      if (Object.keys(schemas).length) doc["definitions"] = schemas;
    }
    if (this.withApiGateway) Object.assign(doc, this.apiExtensions());
    return doc;
  }

  private paths(): JsonObject {
    const paths: JsonObject = {};
    // resourcesByPath only reads `resources`, which a snapshot has exactly as the live API does.
    for (const { resource, path } of resourcesByPath(this.api as RestApiDoc)) {
      const methods = Object.values(resource.methods).filter((m): m is MethodDoc => m !== undefined);
      if (!methods.length) continue;
      const item: JsonObject = {};
      for (const method of methods) {
        item[method.httpMethod === "ANY" ? "x-amazon-apigateway-any-method" : method.httpMethod.toLowerCase()] = this.operation(method, resource.id);
      }
      paths[path] = item;
    }
    return paths;
  }

  private operation(method: MethodDoc, resourceId: string): JsonObject {
    const op: JsonObject = {};
    if (method.operationName !== undefined) op["operationId"] = method.operationName;
    const parameters: JsonValue[] = [];
    for (const [key, required] of Object.entries(method.requestParameters ?? {})) {
      const m = PARAMETER.exec(key);
      if (!m) continue;
      const param: JsonObject = { name: m[2]!, in: LOCATION_IN[m[1]!]!, required: m[1] === "path" ? true : required };
      if (this.oas3) param["schema"] = { type: "string" };
      else param["type"] = "string";
      parameters.push(param);
    }
    const models = Object.entries(method.requestModels ?? {});
    if (models.length && this.oas3) {
      op["requestBody"] = {
        content: Object.fromEntries(models.map(([ct, name]) => [ct, { schema: this.modelRef(name) }])),
        required: true,
      };
    } else if (models.length) {
      op["consumes"] = models.map(([ct]) => ct);
      parameters.push({ in: "body", name: models[0]![1], required: true, schema: this.modelRef(models[0]![1]) });
    }
    if (parameters.length) op["parameters"] = parameters;
    op["responses"] = this.responses(method, op);
    const security = this.security(method);
    if (security.length) op["security"] = security;
    if (this.withApiGateway && method.requestValidatorId !== undefined) {
      const validator = this.api.requestValidators[method.requestValidatorId];
      if (validator?.name !== undefined) op["x-amazon-apigateway-request-validator"] = validator.name;
    }
    if (this.withIntegrations && method.integration) op["x-amazon-apigateway-integration"] = this.integration(method.integration, resourceId);
    return op;
  }

  private responses(method: MethodDoc, op: JsonObject): JsonObject {
    const out: JsonObject = {};
    const produces = new Set<string>();
    for (const response of Object.values(method.methodResponses)) {
      const entry: JsonObject = { description: `${response.statusCode} response` };
      const headers = Object.keys(response.responseParameters ?? {})
        .filter((k) => k.startsWith("method.response.header."))
        .map((k) => k.slice("method.response.header.".length));
      if (headers.length) {
        const header = (): JsonObject => (this.oas3 ? { schema: { type: "string" } } : { type: "string" });
        entry["headers"] = Object.fromEntries(headers.map((h) => [h, header()]));
      }
      const models = Object.entries(response.responseModels ?? {});
      if (models.length && this.oas3) {
        entry["content"] = Object.fromEntries(models.map(([ct, name]) => [ct, { schema: this.modelRef(name) }]));
      } else if (models.length) {
        for (const [ct] of models) produces.add(ct);
        entry["schema"] = this.modelRef(models[0]![1]);
      }
      out[response.statusCode] = entry;
    }
    if (produces.size) op["produces"] = [...produces];
    return out;
  }

  private security(method: MethodDoc): JsonValue[] {
    const out: JsonValue[] = [];
    if (method.apiKeyRequired) {
      this.schemes[API_KEY_SCHEME] = { type: "apiKey", name: "x-api-key", in: "header" };
      out.push({ [API_KEY_SCHEME]: [] });
    }
    if (method.authorizationType === "AWS_IAM") {
      this.schemes[SIGV4_SCHEME] = { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" };
      out.push({ [SIGV4_SCHEME]: [] });
    }
    const authorizer = method.authorizerId !== undefined ? this.api.authorizers[method.authorizerId] : undefined;
    if (authorizer && (method.authorizationType === "CUSTOM" || method.authorizationType === "COGNITO_USER_POOLS")) {
      this.schemes[authorizer.name] = this.authorizerScheme(authorizer);
      out.push({ [authorizer.name]: method.authorizationScopes ?? [] });
    }
    return out;
  }

  private authorizerScheme(a: AuthorizerDoc): JsonObject {
    const header = /^method\.request\.header\.([^,\s]+)$/.exec(a.identitySource ?? "")?.[1];
    const scheme: JsonObject = { type: "apiKey", name: header ?? "Unused", in: "header" };
    if (a.authType !== undefined) scheme["x-amazon-apigateway-authtype"] = a.authType;
    if (!this.withAuthorizers) return scheme;
    const ext: JsonObject = { type: a.type.toLowerCase() };
    const fields: [string, JsonValue | undefined][] = [
      ["authorizerUri", a.authorizerUri],
      ["authorizerCredentials", a.authorizerCredentials],
      ["identitySource", a.identitySource],
      ["identityValidationExpression", a.identityValidationExpression],
      ["providerARNs", a.providerARNs],
      ["authorizerResultTtlInSeconds", a.authorizerResultTtlInSeconds],
    ];
    for (const [k, v] of fields) if (v !== undefined) ext[k] = v;
    scheme["x-amazon-apigateway-authorizer"] = ext;
    return scheme;
  }

  /** The cache namespace is left out when it is the default (the resource id), so an import re-derives it. */
  private integration(i: IntegrationDoc, resourceId: string): JsonObject {
    const ext: JsonObject = { type: i.type.toLowerCase() };
    const fields: [string, JsonValue | undefined][] = [
      ["httpMethod", i.httpMethod],
      ["uri", i.uri],
      ["connectionType", i.connectionType],
      ["connectionId", i.connectionId],
      ["credentials", i.credentials],
      ["requestParameters", i.requestParameters],
      ["requestTemplates", i.requestTemplates],
      ["passthroughBehavior", i.passthroughBehavior.toLowerCase()],
      ["contentHandling", i.contentHandling],
      ["timeoutInMillis", i.timeoutInMillis],
      ["cacheNamespace", i.cacheNamespace !== resourceId ? i.cacheNamespace : undefined],
      ["cacheKeyParameters", i.cacheKeyParameters.length ? i.cacheKeyParameters : undefined],
      ["tlsConfig", i.tlsConfig],
    ];
    for (const [k, v] of fields) if (v !== undefined) ext[k] = v;
    const responses = Object.values(i.integrationResponses).sort((a, b) => a.seq - b.seq);
    if (responses.length) {
      ext["responses"] = Object.fromEntries(
        responses.map((r) => {
          const entry: JsonObject = { statusCode: r.statusCode };
          if (r.responseParameters) entry["responseParameters"] = r.responseParameters;
          if (r.responseTemplates) entry["responseTemplates"] = r.responseTemplates;
          if (r.contentHandling) entry["contentHandling"] = r.contentHandling;
          return [r.selectionPattern ? r.selectionPattern : "default", entry];
        }),
      );
    }
    return ext;
  }

  /** Models as schemas; model URLs inside them become document-local references again. */
  private schemas(): JsonObject {
    const out: JsonObject = {};
    const rewrite = (value: JsonValue): JsonValue => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (!isObject(value)) return value;
      const res: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        const m = k === "$ref" && typeof v === "string" ? MODEL_URL.exec(v) : null;
        res[k] = m ? this.modelRef(decodeURIComponent(m[1]!))["$ref"]! : rewrite(v);
      }
      return res;
    };
    for (const model of Object.values(this.api.models)) {
      const parsed = model.schema !== undefined ? parseModelSchema(model.schema) : null;
      if (!parsed) continue;
      const { $schema: _draft, ...schema } = parsed;
      out[model.name] = rewrite(schema);
    }
    return out;
  }

  private apiExtensions(): JsonObject {
    const api = this.api;
    const ext: JsonObject = {};
    const validators = Object.values(api.requestValidators).filter((v) => v.name !== undefined);
    if (validators.length) {
      ext["x-amazon-apigateway-request-validators"] = Object.fromEntries(
        validators.map((v) => [v.name!, { validateRequestBody: v.validateRequestBody, validateRequestParameters: v.validateRequestParameters }]),
      );
    }
    const gatewayResponses = Object.values(api.gatewayResponses);
    if (gatewayResponses.length) {
      ext["x-amazon-apigateway-gateway-responses"] = Object.fromEntries(
        gatewayResponses.map((g) => {
          const entry: JsonObject = { responseParameters: g.responseParameters, responseTemplates: g.responseTemplates };
          if (g.statusCode !== undefined) entry["statusCode"] = g.statusCode;
          return [g.responseType, entry];
        }),
      );
    }
    if (api.binaryMediaTypes.length) ext["x-amazon-apigateway-binary-media-types"] = api.binaryMediaTypes;
    ext["x-amazon-apigateway-api-key-source"] = api.apiKeySource;
    if (api.minimumCompressionSize !== undefined) ext["x-amazon-apigateway-minimum-compression-size"] = api.minimumCompressionSize;
    if (api.policy !== undefined) ext["x-amazon-apigateway-policy"] = parseModelSchema(api.policy) ?? api.policy;
    return ext;
  }
}

export function exportOpenApi(snapshot: ApiSnapshot, opts: ExportOptions): JsonObject {
  return new Exporter(snapshot, opts).build();
}
