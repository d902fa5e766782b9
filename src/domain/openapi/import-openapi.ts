// ImportRestApi / PutRestApi: an OpenAPI 2.0 or 3.0 definition applied to a REST API aggregate
// (control-plane.md §8.1). Paths become resource chains, operations methods, `x-amazon-apigateway-*` extensions the
// API Gateway parts (integrations with their responses, authorizers, validators, gateway responses, API settings).
// Problems AWS reports as errors abort the import ("Errors found during import:"); things it skips are warnings,
// which abort only with failonwarnings=true ("Warnings found during import:").
import { ApiError, badRequest } from "../../errors/api-error.js";
import { DEFAULT_GATEWAY_RESPONSE_TEMPLATE, GATEWAY_RESPONSE_TYPES } from "../../errors/gateway-response-types.js";
import { checkIntegrationUri } from "../integration-uri.js";
import { defaultModels } from "../default-models.js";
import type { JsonObject, JsonValue } from "../model-schema.js";
import { isValidPathPart } from "../resource-tree.js";
import { nextSeq } from "../api-repository.js";
import {
  type AuthorizationType,
  type AuthorizerDoc,
  type ContentHandling,
  type HttpMethod,
  type IntegrationDoc,
  type IntegrationResponseDoc,
  type IntegrationType,
  type MethodDoc,
  type MethodResponseDoc,
  type PassthroughBehavior,
  type ResourceDoc,
  type RestApiDoc,
} from "../rest-api.js";
import {
  boolAt,
  isObject,
  modelRefName,
  nullableStringMapAt,
  numberAt,
  objectAt,
  resolveLocalRef,
  stringAt,
  stringListAt,
  stringMapAt,
  type OpenApiDocument,
} from "./openapi-document.js";
import { mergeDocumentationParts, readDocumentationParts } from "./documentation-extension.js";

export type ImportMode = "create" | "overwrite" | "merge";
export type BasePathMode = "ignore" | "prepend" | "split";

export interface ImportOptions {
  readonly mode: ImportMode;
  readonly basepath: BasePathMode;
  readonly ignoreDocumentation: boolean;
  readonly failOnWarnings: boolean;
  /** Fresh 6-character ids for resources, models, authorizers, validators and documentation parts. */
  readonly newId: () => string;
}

const OPERATION_KEYS: Readonly<Record<string, HttpMethod>> = {
  get: "GET",
  put: "PUT",
  post: "POST",
  delete: "DELETE",
  patch: "PATCH",
  options: "OPTIONS",
  head: "HEAD",
  "x-amazon-apigateway-any-method": "ANY",
};
const INTEGRATION_TYPES: readonly IntegrationType[] = ["HTTP", "AWS", "MOCK", "HTTP_PROXY", "AWS_PROXY"];
const PASSTHROUGH: readonly PassthroughBehavior[] = ["WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"];
const CONTENT_HANDLING: readonly ContentHandling[] = ["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"];
const PARAMETER_LOCATIONS: Readonly<Record<string, string>> = { path: "path", query: "querystring", header: "header" };
const STATUS_CODE = /^[1-5]\d\d$/;
const MODEL_NAME = /^[A-Za-z0-9]+$/;
const MAX_COMPRESSION = 10_485_760;

/** A security scheme as it applies to a method. */
type SchemeEffect =
  | { kind: "authorizer"; authorizationType: AuthorizationType; authorizerName: string }
  | { kind: "iam" }
  | { kind: "apiKey" };

class ImportRun {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  private readonly schemes = new Map<string, SchemeEffect>();

  constructor(
    private readonly api: RestApiDoc,
    private readonly doc: OpenApiDocument,
    private readonly opts: ImportOptions,
  ) {}

  run(): void {
    const root = this.doc.root;
    if (this.opts.mode !== "merge") this.resetDefinition();
    this.applyInfo(objectAt(root, "info"));
    this.applyApiSettings(root);
    this.importModels();
    this.importValidators(objectAt(root, "x-amazon-apigateway-request-validators"));
    this.importSecuritySchemes();
    this.importGatewayResponses(objectAt(root, "x-amazon-apigateway-gateway-responses"));
    this.importPaths();
    if (!this.opts.ignoreDocumentation) this.importDocumentation(objectAt(root, "x-amazon-apigateway-documentation"));
  }

  /** create/overwrite: the document is the whole definition; the root resource keeps its id. */
  private resetDefinition(): void {
    const api = this.api;
    api.resources = { [api.rootResourceId]: { id: api.rootResourceId, methods: {} } };
    api.models = defaultModels();
    api.authorizers = {};
    api.requestValidators = {};
    api.gatewayResponses = {};
    if (!this.opts.ignoreDocumentation) api.documentationParts = {};
    api.binaryMediaTypes = [];
    delete api.minimumCompressionSize;
    delete api.policy;
    api.apiKeySource = "HEADER";
  }

  /** merge keeps the API's own name, description and version; create and overwrite take the document's. */
  private applyInfo(info: JsonObject | undefined): void {
    if (this.opts.mode === "merge") return;
    const title = info ? stringAt(info, "title") : undefined;
    if (title !== undefined && title.trim() !== "") this.api.name = title;
    else if (this.opts.mode === "create") this.errors.push("Invalid or missing title in the info object");
    if (!info) return;
    const description = stringAt(info, "description");
    const version = stringAt(info, "version");
    if (description !== undefined && description !== "") this.api.description = description;
    else delete this.api.description;
    if (version !== undefined) this.api.version = version;
  }

  private applyApiSettings(root: JsonObject): void {
    const api = this.api;
    const keySource = stringAt(root, "x-amazon-apigateway-api-key-source");
    if (keySource !== undefined) {
      const upper = keySource.toUpperCase();
      if (upper === "HEADER" || upper === "AUTHORIZER") api.apiKeySource = upper;
      else this.errors.push(`Invalid API key source specified: ${keySource}`);
    }
    const binary = stringListAt(root, "x-amazon-apigateway-binary-media-types");
    if (binary) api.binaryMediaTypes = [...new Set([...(this.opts.mode === "merge" ? api.binaryMediaTypes : []), ...binary])];
    const compression = root["x-amazon-apigateway-minimum-compression-size"];
    if (compression !== undefined) {
      if (typeof compression === "number" && Number.isInteger(compression) && compression >= 0 && compression <= MAX_COMPRESSION) {
        api.minimumCompressionSize = compression;
      } else {
        this.errors.push("Invalid minimum compression size, must be between 0 and 10485760");
      }
    }
    const policy = root["x-amazon-apigateway-policy"];
    if (typeof policy === "string") api.policy = policy;
    else if (isObject(policy)) api.policy = JSON.stringify(policy);
    const endpoint = this.endpointExtension(root);
    if (endpoint) {
      const disable = boolAt(endpoint, "disableExecuteApiEndpoint");
      if (disable !== undefined) api.disableExecuteApiEndpoint = disable;
      const vpcEndpointIds = stringListAt(endpoint, "vpcEndpointIds");
      if (vpcEndpointIds && api.endpointConfiguration.types[0] === "PRIVATE") {
        api.endpointConfiguration = { ...api.endpointConfiguration, vpcEndpointIds };
      }
    }
  }

  /** Swagger 2.0 carries it at the root, OpenAPI 3 on a `servers[]` entry. */
  private endpointExtension(root: JsonObject): JsonObject | undefined {
    const atRoot = objectAt(root, "x-amazon-apigateway-endpoint-configuration");
    if (atRoot) return atRoot;
    const servers = root["servers"];
    if (!Array.isArray(servers)) return undefined;
    for (const server of servers) {
      const ext = isObject(server) ? objectAt(server, "x-amazon-apigateway-endpoint-configuration") : undefined;
      if (ext) return ext;
    }
    return undefined;
  }

  private schemaDefinitions(): JsonObject | undefined {
    const root = this.doc.root;
    if (this.doc.version === "swagger2") return objectAt(root, "definitions");
    const components = objectAt(root, "components");
    return components ? objectAt(components, "schemas") : undefined;
  }

  /** Schemas become models; `$ref`s between them become the model URLs API Gateway itself uses. */
  private importModels(): void {
    const definitions = this.schemaDefinitions();
    if (!definitions) return;
    for (const [name, schema] of Object.entries(definitions)) {
      if (!MODEL_NAME.test(name)) {
        this.errors.push(`Model name must be alphanumeric: ${name}`);
        continue;
      }
      if (!isObject(schema)) {
        this.errors.push(`Invalid model schema specified for model ${name}`);
        continue;
      }
      const existing = Object.hasOwn(this.api.models, name) ? this.api.models[name] : undefined;
      this.api.models[name] = {
        id: existing?.id ?? this.opts.newId(),
        name,
        contentType: "application/json",
        schema: JSON.stringify(this.rewriteRefs(schema), null, 2),
        ...(existing?.description !== undefined ? { description: existing.description } : {}),
      };
    }
  }

  private rewriteRefs(value: JsonValue): JsonValue {
    if (Array.isArray(value)) return value.map((v) => this.rewriteRefs(v));
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const model = k === "$ref" ? modelRefName({ $ref: v }) : undefined;
      out[k] = model !== undefined ? `https://apigateway.amazonaws.com/restapis/${this.api.id}/models/${model}` : this.rewriteRefs(v);
    }
    return out;
  }

  private importValidators(validators: JsonObject | undefined): void {
    if (!validators) return;
    for (const [name, raw] of Object.entries(validators)) {
      const spec = isObject(raw) ? raw : {};
      const existing = Object.values(this.api.requestValidators).find((v) => v.name === name);
      const id = existing?.id ?? this.opts.newId();
      this.api.requestValidators[id] = {
        id,
        name,
        validateRequestBody: boolAt(spec, "validateRequestBody") ?? false,
        validateRequestParameters: boolAt(spec, "validateRequestParameters") ?? false,
      };
    }
  }

  private securitySchemes(): JsonObject | undefined {
    const root = this.doc.root;
    if (this.doc.version === "swagger2") return objectAt(root, "securityDefinitions");
    const components = objectAt(root, "components");
    return components ? objectAt(components, "securitySchemes") : undefined;
  }

  /**
   * Security schemes: `x-amazon-apigateway-authorizer` makes an authorizer, `x-amazon-apigateway-authtype: awsSigv4`
   * means AWS_IAM, and a plain `apiKey` scheme on header `x-api-key` means "API key required".
   */
  private importSecuritySchemes(): void {
    const schemes = this.securitySchemes();
    if (!schemes) return;
    for (const [name, raw] of Object.entries(schemes)) {
      if (!isObject(raw)) continue;
      const authType = stringAt(raw, "x-amazon-apigateway-authtype");
      const ext = objectAt(raw, "x-amazon-apigateway-authorizer");
      if (ext) {
        const authorizer = this.readAuthorizer(name, raw, ext, authType);
        if (!authorizer) continue;
        this.api.authorizers[authorizer.id] = authorizer;
        this.schemes.set(name, {
          kind: "authorizer",
          authorizationType: authorizer.type === "COGNITO_USER_POOLS" ? "COGNITO_USER_POOLS" : "CUSTOM",
          authorizerName: name,
        });
      } else if (authType?.toLowerCase() === "awssigv4") {
        this.schemes.set(name, { kind: "iam" });
      } else if (stringAt(raw, "type") === "apiKey" && stringAt(raw, "in") === "header" && stringAt(raw, "name")?.toLowerCase() === "x-api-key") {
        this.schemes.set(name, { kind: "apiKey" });
      } else {
        this.warnings.push(`Unsupported security definition type for '${name}', ignoring`);
      }
    }
  }

  private readAuthorizer(name: string, scheme: JsonObject, ext: JsonObject, authType: string | undefined): AuthorizerDoc | undefined {
    const rawType = (stringAt(ext, "type") ?? "token").toUpperCase();
    if (rawType !== "TOKEN" && rawType !== "REQUEST" && rawType !== "COGNITO_USER_POOLS") {
      this.errors.push(`Invalid authorizer type specified for '${name}': ${rawType.toLowerCase()}`);
      return undefined;
    }
    const headerName = stringAt(scheme, "in") === "header" ? stringAt(scheme, "name") : undefined;
    const identitySource =
      stringAt(ext, "identitySource") ?? (headerName !== undefined && rawType !== "REQUEST" ? `method.request.header.${headerName}` : undefined);
    const ttl = numberAt(ext, "authorizerResultTtlInSeconds");
    const existing = Object.values(this.api.authorizers).find((a) => a.name === name);
    const fields: Partial<AuthorizerDoc> = {
      authType: authType ?? (rawType === "COGNITO_USER_POOLS" ? "cognito_user_pools" : "custom"),
      authorizerUri: stringAt(ext, "authorizerUri"),
      authorizerCredentials: stringAt(ext, "authorizerCredentials"),
      identitySource,
      identityValidationExpression: stringAt(ext, "identityValidationExpression"),
      providerARNs: stringListAt(ext, "providerARNs"),
    };
    const authorizer: AuthorizerDoc = {
      id: existing?.id ?? this.opts.newId(),
      name,
      type: rawType,
      authorizerResultTtlInSeconds: ttl !== undefined && Number.isInteger(ttl) ? ttl : 300,
    };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) Object.assign(authorizer, { [k]: v });
    if (rawType !== "COGNITO_USER_POOLS" && authorizer.authorizerUri === undefined) {
      this.errors.push(`Authorizer URI must be specified for authorizer '${name}'`);
      return undefined;
    }
    return authorizer;
  }

  private importGatewayResponses(responses: JsonObject | undefined): void {
    if (!responses) return;
    for (const [type, raw] of Object.entries(responses)) {
      if (!isObject(raw)) continue;
      if (!Object.hasOwn(GATEWAY_RESPONSE_TYPES, type)) {
        this.errors.push(`Invalid gateway response type specified: ${type}`);
        continue;
      }
      const statusCode = stringAt(raw, "statusCode") ?? (typeof raw["statusCode"] === "number" ? String(raw["statusCode"]) : undefined);
      if (statusCode !== undefined && !STATUS_CODE.test(statusCode)) {
        this.errors.push(`Invalid status code specified for gateway response ${type}: ${statusCode}`);
        continue;
      }
      const templates = stringMapAt(raw, "responseTemplates");
      this.api.gatewayResponses[type] = {
        responseType: type,
        ...(statusCode !== undefined ? { statusCode } : {}),
        responseParameters: stringMapAt(raw, "responseParameters") ?? {},
        responseTemplates: templates && Object.keys(templates).length ? templates : { "application/json": DEFAULT_GATEWAY_RESPONSE_TEMPLATE },
      };
    }
  }

  /** The path prefix `basepath=prepend|split` adds, from Swagger's basePath or the first OpenAPI 3 server URL. */
  private pathPrefix(): string {
    if (this.opts.basepath === "ignore") return "";
    const base = this.documentBasePath();
    const segments = base.split("/").filter(Boolean);
    // split: the first segment of the base path is the stage, the rest is prepended.
    if (this.opts.basepath === "split") segments.shift();
    return segments.length ? "/" + segments.join("/") : "";
  }

  private documentBasePath(): string {
    const root = this.doc.root;
    if (this.doc.version === "swagger2") return stringAt(root, "basePath") ?? "";
    const servers = root["servers"];
    const first = Array.isArray(servers) && isObject(servers[0]) ? servers[0] : undefined;
    if (!first) return "";
    let url = stringAt(first, "url") ?? "";
    const variables = objectAt(first, "variables") ?? {};
    url = url.replace(/\{([^}]+)\}/g, (_, v: string) => {
      const variable = variables[v];
      return isObject(variable) ? (stringAt(variable, "default") ?? "") : "";
    });
    try {
      return new URL(url, "https://placeholder.invalid").pathname;
    } catch {
      return "";
    }
  }

  private importPaths(): void {
    const paths = objectAt(this.doc.root, "paths");
    if (!paths) {
      this.warnings.push("No paths found in the definition");
      return;
    }
    const prefix = this.pathPrefix();
    for (const [rawPath, rawItem] of Object.entries(paths)) {
      const item = resolveLocalRef(this.doc.root, rawItem);
      if (!rawPath.startsWith("/") || !isObject(item)) {
        this.errors.push(`Invalid path specified: ${rawPath}`);
        continue;
      }
      const resource = this.ensureResource(prefix + (rawPath === "/" && prefix ? "" : rawPath));
      if (!resource) continue;
      const shared = Array.isArray(item["parameters"]) ? item["parameters"] : [];
      for (const [key, value] of Object.entries(item)) {
        // Own keys only: a path item key such as "constructor" must not resolve to an Object.prototype member.
        const verb = Object.hasOwn(OPERATION_KEYS, key) ? OPERATION_KEYS[key] : undefined;
        if (verb === undefined) continue;
        if (!isObject(value)) {
          this.errors.push(`Invalid operation specified for ${verb} ${rawPath}`);
          continue;
        }
        const method = this.readMethod(verb, value, shared, rawPath, resource.id);
        if (method) resource.methods[verb] = method;
      }
    }
  }

  /** Walks (and creates) the resource chain for a path such as `/pets/{petId}`. */
  private ensureResource(path: string): ResourceDoc | undefined {
    let current = this.api.resources[this.api.rootResourceId]!;
    for (const part of path.split("/").filter(Boolean)) {
      if (!isValidPathPart(part)) {
        this.errors.push(`Resource name '${part}' is not valid in path ${path}`);
        return undefined;
      }
      const children = Object.values(this.api.resources).filter((r) => r.parentId === current.id);
      const existing = children.find((r) => r.pathPart === part);
      if (existing) {
        current = existing;
        continue;
      }
      if (part.startsWith("{")) {
        const variable = children.find((r) => r.pathPart?.startsWith("{"));
        if (variable) {
          this.errors.push(`A sibling (${variable.pathPart}) of this resource already has a variable path part -- only one is allowed: ${path}`);
          return undefined;
        }
      }
      if (current.pathPart?.endsWith("+}")) {
        this.errors.push(`Cannot create a child of a resource with a greedy path variable: ${current.pathPart}`);
        return undefined;
      }
      const id = this.opts.newId();
      const child: ResourceDoc = { id, parentId: current.id, pathPart: part, methods: {} };
      this.api.resources[id] = child;
      current = child;
    }
    return current;
  }

  private readMethod(verb: HttpMethod, op: JsonObject, shared: JsonValue[], path: string, resourceId: string): MethodDoc | undefined {
    const where = `${verb} ${path}`;
    const method: MethodDoc = { httpMethod: verb, authorizationType: "NONE", apiKeyRequired: false, methodResponses: {} };
    const operationId = stringAt(op, "operationId");
    if (operationId !== undefined) method.operationName = operationId;
    this.applySecurity(method, op, where);
    this.applyParameters(method, [...shared, ...(Array.isArray(op["parameters"]) ? op["parameters"] : [])], op, where);
    const validatorName = stringAt(op, "x-amazon-apigateway-request-validator") ?? stringAt(this.doc.root, "x-amazon-apigateway-request-validator");
    if (validatorName !== undefined) {
      const validator = Object.values(this.api.requestValidators).find((v) => v.name === validatorName);
      if (validator) method.requestValidatorId = validator.id;
      else this.errors.push(`Invalid request validator name '${validatorName}' for ${where}`);
    }
    this.applyResponses(method, objectAt(op, "responses"), op, where);
    const integration = objectAt(op, "x-amazon-apigateway-integration");
    if (integration) {
      const doc = this.readIntegration(integration, resourceId, where);
      if (doc) method.integration = doc;
    }
    return method;
  }

  private applySecurity(method: MethodDoc, op: JsonObject, where: string): void {
    const security = op["security"] ?? this.doc.root["security"];
    if (!Array.isArray(security)) return;
    for (const requirement of security) {
      if (!isObject(requirement)) continue;
      for (const [name, scopes] of Object.entries(requirement)) {
        const effect = this.schemes.get(name);
        if (!effect) {
          this.warnings.push(`Security scheme '${name}' used by ${where} is not supported, ignoring`);
          continue;
        }
        if (effect.kind === "apiKey") method.apiKeyRequired = true;
        else if (effect.kind === "iam") method.authorizationType = "AWS_IAM";
        else {
          const authorizer = Object.values(this.api.authorizers).find((a) => a.name === effect.authorizerName);
          if (!authorizer) continue;
          method.authorizationType = effect.authorizationType;
          method.authorizerId = authorizer.id;
          const list = Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === "string") : [];
          if (effect.authorizationType === "COGNITO_USER_POOLS" && list.length) method.authorizationScopes = list;
        }
      }
    }
  }

  private applyParameters(method: MethodDoc, params: JsonValue[], op: JsonObject, where: string): void {
    const requestParameters: Record<string, boolean> = {};
    const requestModels: Record<string, string> = {};
    for (const raw of params) {
      const param = resolveLocalRef(this.doc.root, raw);
      if (!isObject(param)) continue;
      const name = stringAt(param, "name");
      const location = stringAt(param, "in");
      if (location === "body") {
        const model = this.modelFor(param["schema"], where);
        if (model !== undefined) {
          const consumes = stringListAt(op, "consumes") ?? stringListAt(this.doc.root, "consumes") ?? ["application/json"];
          for (const contentType of consumes) requestModels[contentType] = model;
        }
        continue;
      }
      const target = location !== undefined && Object.hasOwn(PARAMETER_LOCATIONS, location) ? PARAMETER_LOCATIONS[location] : undefined;
      if (!name || target === undefined) {
        if (location !== "cookie" && location !== "formData") continue;
        this.warnings.push(`Parameter '${name ?? ""}' in '${location}' of ${where} is not supported, ignoring`);
        continue;
      }
      requestParameters[`method.request.${target}.${name}`] = location === "path" ? true : (boolAt(param, "required") ?? false);
    }
    const body = resolveLocalRef(this.doc.root, op["requestBody"]);
    if (isObject(body)) {
      for (const [contentType, media] of Object.entries(objectAt(body, "content") ?? {})) {
        if (!isObject(media)) continue;
        const model = this.modelFor(media["schema"], where);
        if (model !== undefined) requestModels[contentType] = model;
      }
    }
    if (Object.keys(requestParameters).length) method.requestParameters = requestParameters;
    if (Object.keys(requestModels).length) method.requestModels = requestModels;
  }

  /** A schema that is a reference to a known model; inline schemas are not turned into models here. */
  private modelFor(schema: JsonValue | undefined, where: string): string | undefined {
    if (schema === undefined) return undefined;
    const name = modelRefName(schema);
    if (name === undefined) {
      this.warnings.push(`Inline schema in ${where} is not supported, only references to models; ignoring`);
      return undefined;
    }
    if (!Object.hasOwn(this.api.models, name)) {
      this.errors.push(`Invalid model identifier specified: ${name}`);
      return undefined;
    }
    return name;
  }

  private applyResponses(method: MethodDoc, responses: JsonObject | undefined, op: JsonObject, where: string): void {
    if (!responses) return;
    for (const [statusCode, raw] of Object.entries(responses)) {
      if (!STATUS_CODE.test(statusCode)) {
        this.warnings.push(`Response code '${statusCode}' of ${where} is not a valid status code, ignoring`);
        continue;
      }
      const response = resolveLocalRef(this.doc.root, raw);
      const doc: MethodResponseDoc = { statusCode };
      if (isObject(response)) {
        const headers = objectAt(response, "headers");
        if (headers && Object.keys(headers).length) {
          doc.responseParameters = Object.fromEntries(Object.keys(headers).map((h) => [`method.response.header.${h}`, false]));
        }
        const models: Record<string, string> = {};
        if (this.doc.version === "swagger2") {
          if (response["schema"] !== undefined) {
            const model = this.modelFor(response["schema"], where);
            const produces = stringListAt(op, "produces") ?? stringListAt(this.doc.root, "produces") ?? ["application/json"];
            if (model !== undefined) for (const contentType of produces) models[contentType] = model;
          }
        } else {
          for (const [contentType, media] of Object.entries(objectAt(response, "content") ?? {})) {
            const model = isObject(media) ? this.modelFor(media["schema"], where) : undefined;
            if (model !== undefined) models[contentType] = model;
          }
        }
        if (Object.keys(models).length) doc.responseModels = models;
      }
      method.methodResponses[statusCode] = doc;
    }
  }

  private readIntegration(ext: JsonObject, resourceId: string, where: string): IntegrationDoc | undefined {
    const type = (stringAt(ext, "type") ?? "").toUpperCase() as IntegrationType;
    if (!INTEGRATION_TYPES.includes(type)) {
      this.errors.push(`Unable to put integration on '${where}': Invalid integration type specified: ${stringAt(ext, "type") ?? "null"}`);
      return undefined;
    }
    const httpMethod = stringAt(ext, "httpMethod")?.toUpperCase();
    const uri = stringAt(ext, "uri");
    if (type !== "MOCK" && httpMethod === undefined) {
      this.errors.push(`Unable to put integration on '${where}': Enumeration value for HttpMethod must be non-empty`);
      return undefined;
    }
    try {
      checkIntegrationUri(type, uri);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      this.errors.push(`Unable to put integration on '${where}': ${err.message}`);
      return undefined;
    }
    const passthrough = (stringAt(ext, "passthroughBehavior") ?? "when_no_match").toUpperCase() as PassthroughBehavior;
    const timeout = numberAt(ext, "timeoutInMillis");
    const integration: IntegrationDoc = {
      type,
      passthroughBehavior: PASSTHROUGH.includes(passthrough) ? passthrough : "WHEN_NO_MATCH",
      timeoutInMillis: timeout !== undefined && Number.isInteger(timeout) && timeout >= 50 && timeout <= 29000 ? timeout : 29000,
      cacheNamespace: stringAt(ext, "cacheNamespace") ?? resourceId,
      cacheKeyParameters: stringListAt(ext, "cacheKeyParameters") ?? [],
      integrationResponses: {},
    };
    if (httpMethod !== undefined) integration.httpMethod = httpMethod;
    if (uri !== undefined) integration.uri = uri;
    const connectionType = stringAt(ext, "connectionType")?.toUpperCase();
    if (connectionType === "INTERNET" || connectionType === "VPC_LINK") integration.connectionType = connectionType;
    const optional = {
      connectionId: stringAt(ext, "connectionId"),
      credentials: stringAt(ext, "credentials"),
      requestParameters: stringMapAt(ext, "requestParameters"),
      requestTemplates: nullableStringMapAt(ext, "requestTemplates"),
      contentHandling: this.contentHandling(ext),
    };
    for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(integration, { [k]: v });
    const tls = objectAt(ext, "tlsConfig");
    const skip = tls ? boolAt(tls, "insecureSkipVerification") : undefined;
    if (skip !== undefined) integration.tlsConfig = { insecureSkipVerification: skip };
    for (const [pattern, raw] of Object.entries(objectAt(ext, "responses") ?? {})) {
      if (!isObject(raw)) continue;
      const statusCode = stringAt(raw, "statusCode") ?? (typeof raw["statusCode"] === "number" ? String(raw["statusCode"]) : undefined);
      if (statusCode === undefined || !STATUS_CODE.test(statusCode)) {
        this.errors.push(`Unable to put integration response on '${where}' for pattern '${pattern}': Invalid status code`);
        continue;
      }
      const response: IntegrationResponseDoc = { statusCode, selectionPattern: pattern === "default" ? "" : pattern, seq: nextSeq(this.api) };
      const params = stringMapAt(raw, "responseParameters");
      const templates = nullableStringMapAt(raw, "responseTemplates");
      const handling = this.contentHandling(raw);
      if (params) response.responseParameters = params;
      if (templates) response.responseTemplates = templates;
      if (handling) response.contentHandling = handling;
      integration.integrationResponses[statusCode] = response;
    }
    return integration;
  }

  private contentHandling(node: JsonObject): ContentHandling | undefined {
    const v = stringAt(node, "contentHandling")?.toUpperCase() as ContentHandling | undefined;
    return v !== undefined && CONTENT_HANDLING.includes(v) ? v : undefined;
  }

  private importDocumentation(ext: JsonObject | undefined): void {
    if (!ext) return;
    const { parts, warnings } = readDocumentationParts(ext, this.opts.newId);
    this.warnings.push(...warnings);
    this.api.documentationParts = mergeDocumentationParts(this.api.documentationParts, parts);
  }
}

/**
 * Applies an OpenAPI definition to `api` in place and returns the warnings. Throws BadRequestException when the
 * document has errors, or warnings while `failOnWarnings` is set; `api` must then be discarded.
 */
export function importOpenApi(api: RestApiDoc, doc: OpenApiDocument, opts: ImportOptions): string[] {
  const run = new ImportRun(api, doc, opts);
  run.run();
  if (run.errors.length) throw badRequest(`Errors found during import:\n\t${run.errors.join("\n\t")}`);
  if (opts.failOnWarnings && run.warnings.length) throw badRequest(`Warnings found during import:\n\t${run.warnings.join("\n\t")}`);
  return run.warnings;
}
