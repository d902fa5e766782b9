// Wire shapes of resources, methods, method responses, integrations and integration responses
// (control-plane.md §3.2–3.6). Keys appear only when they have a value, as AWS sends them; internal fields
// (the integration responses' creation order) never leave the server.
import {
  resourcePath,
  type IntegrationDoc,
  type IntegrationResponseDoc,
  type MethodDoc,
  type MethodResponseDoc,
  type ResourceDoc,
  type RestApiDoc,
} from "../domain/rest-api.js";
import { compact } from "./wire.js";

export function presentMethodResponse(response: MethodResponseDoc): Record<string, unknown> {
  return compact({
    statusCode: response.statusCode,
    responseParameters: response.responseParameters,
    responseModels: response.responseModels,
  });
}

export function presentIntegrationResponse(response: IntegrationResponseDoc): Record<string, unknown> {
  return compact({
    statusCode: response.statusCode,
    selectionPattern: response.selectionPattern,
    responseParameters: response.responseParameters,
    responseTemplates: response.responseTemplates,
    contentHandling: response.contentHandling,
  });
}

/** Integration responses in creation order (the order selection patterns are tried in). */
export function orderedIntegrationResponses(integration: IntegrationDoc): IntegrationResponseDoc[] {
  return Object.values(integration.integrationResponses).sort((a, b) => a.seq - b.seq);
}

export function presentIntegration(integration: IntegrationDoc): Record<string, unknown> {
  const responses = orderedIntegrationResponses(integration);
  return compact({
    type: integration.type,
    httpMethod: integration.httpMethod,
    uri: integration.uri,
    connectionType: integration.connectionType,
    connectionId: integration.connectionId,
    credentials: integration.credentials,
    requestParameters: integration.requestParameters,
    requestTemplates: integration.requestTemplates,
    passthroughBehavior: integration.passthroughBehavior,
    contentHandling: integration.contentHandling,
    timeoutInMillis: integration.timeoutInMillis,
    cacheNamespace: integration.cacheNamespace,
    cacheKeyParameters: integration.cacheKeyParameters,
    integrationResponses: responses.length
      ? Object.fromEntries(responses.map((r) => [r.statusCode, presentIntegrationResponse(r)]))
      : undefined,
    tlsConfig: integration.tlsConfig,
    responseTransferMode: integration.responseTransferMode,
    integrationTarget: integration.integrationTarget,
  });
}

export function presentMethod(method: MethodDoc): Record<string, unknown> {
  const responses = Object.values(method.methodResponses);
  return compact({
    httpMethod: method.httpMethod,
    authorizationType: method.authorizationType,
    authorizerId: method.authorizerId,
    apiKeyRequired: method.apiKeyRequired,
    requestValidatorId: method.requestValidatorId,
    operationName: method.operationName,
    requestParameters: method.requestParameters,
    requestModels: method.requestModels,
    methodResponses: responses.length ? Object.fromEntries(responses.map((r) => [r.statusCode, presentMethodResponse(r)])) : undefined,
    methodIntegration: method.integration ? presentIntegration(method.integration) : undefined,
    authorizationScopes: method.authorizationScopes,
  });
}

/**
 * A resource; `resourceMethods` is omitted when there are none. Without `embedMethods` each verb maps to `{}`
 * (AWS's plain listing), with it to the full Method.
 */
export function presentResource(api: RestApiDoc, resource: ResourceDoc, opts: { embedMethods?: boolean } = {}): Record<string, unknown> {
  const methods = Object.values(resource.methods).filter((m): m is MethodDoc => m !== undefined);
  return compact({
    id: resource.id,
    parentId: resource.parentId,
    pathPart: resource.pathPart,
    path: resourcePath(api, resource.id),
    resourceMethods: methods.length
      ? Object.fromEntries(methods.map((m) => [m.httpMethod, opts.embedMethods ? presentMethod(m) : {}]))
      : undefined,
  });
}
