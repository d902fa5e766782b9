// TestInvokeAuthorizer (control-plane.md): runs a Lambda authorizer of the current draft against a request
// described by the call's input — the same identity checks, event and output validation as the data plane, but
// never cached — and reports what happened.
import type { RestApiDoc } from "../../domain/rest-api.js";
import type { CompiledMethod, CompiledStage } from "../compiled-stage.js";
import { Exchange, type ResponseSink } from "../exchange.js";
import { TEST_INVOKE_DEPLOYMENT, TEST_INVOKE_STAGE, testInvokeRequest } from "../test-invoke-request.js";
import { GatewayError } from "../gateway-error.js";
import { NO_GATEWAY_RESPONSES } from "../gateway-responses.js";
import type { LambdaServices } from "../lambda/lambda-services.js";
import { compileRouter, type ResourceInput } from "../routing/router.js";
import { GATEWAY_RESPONSE_TYPES } from "../../errors/gateway-response-types.js";
import { compileAuthorizer, runAuthorizer } from "./lambda-authorizer.js";

export interface AuthorizerTestInput {
  readonly api: RestApiDoc;
  readonly accountId: string;
  readonly authorizerId: string;
  readonly pathWithQueryString: string | undefined;
  readonly body: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly multiValueHeaders: Readonly<Record<string, readonly string[]>>;
  readonly stageVariables: Readonly<Record<string, string>>;
}

export interface AuthorizerTestResult {
  readonly clientStatus: number;
  readonly log: string;
  readonly latency: number;
  readonly principalId?: string;
  readonly policy?: string;
  readonly authorization?: Record<string, string[]>;
}


export async function testInvokeAuthorizer(input: AuthorizerTestInput, services: LambdaServices | undefined): Promise<AuthorizerTestResult> {
  const started = performance.now();
  const target = input.pathWithQueryString ?? "/";
  const request = testInvokeRequest({ method: "GET", target, body: input.body, headers: input.headers, multiValueHeaders: input.multiValueHeaders });
  const rawPath = request.rawPath;
  const stage = draftStage(input);
  const ex = new Exchange(request, NO_SINK, true);
  ex.target = { apiId: input.api.id, stageName: TEST_INVOKE_STAGE, resourcePath: rawPath, contextPath: `/${TEST_INVOKE_STAGE}${rawPath}` };
  ex.stage = stage;
  const root = stage.router.resource(input.api.rootResourceId)!;
  ex.route = stage.router.match("GET", rawPath) ?? { resource: root, method: root.methods.get("GET")!, pathParams: {} };
  const latency = (): number => Math.round(performance.now() - started);
  try {
    const authorizer = compileAuthorizer(input.api.authorizers[input.authorizerId], stage.variables, services);
    const { output } = await runAuthorizer(authorizer, ex, false);
    const authorization: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(output.context)) authorization[key] = [value];
    ex.log!.add("Successfully completed authorizer execution");
    return {
      clientStatus: 200,
      log: ex.log!.text(),
      latency: latency(),
      principalId: output.principalId,
      policy: JSON.stringify(output.policyDocument),
      authorization,
    };
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    if (err.detail.log) ex.log!.add(err.detail.log);
    return { clientStatus: err.detail.status ?? GATEWAY_RESPONSE_TYPES[err.responseType].status ?? 500, log: ex.log!.text(), latency: latency() };
  }
}

/** The draft's resource tree with one placeholder method per resource: enough to resolve `resource` and path parameters. */
function draftStage(input: AuthorizerTestInput): CompiledStage {
  const api = input.api;
  const resources: ResourceInput<CompiledMethod>[] = Object.values(api.resources).map((r) => {
    const placeholder: CompiledMethod = {
      httpMethod: "GET",
      resourceId: r.id,
      resourcePath: "",
      apiKeyRequired: false,
      authorizationType: "CUSTOM",
      requestParameters: {},
      integrationType: "NONE",
      phases: [],
    };
    return {
      id: r.id,
      ...(r.parentId !== undefined ? { parentId: r.parentId } : {}),
      ...(r.pathPart !== undefined ? { pathPart: r.pathPart } : {}),
      methods: new Map([["GET", placeholder]]),
    };
  });
  return {
    accountId: input.accountId,
    apiId: api.id,
    stageName: TEST_INVOKE_STAGE,
    deploymentId: TEST_INVOKE_DEPLOYMENT,
    variables: { ...input.stageVariables },
    binaryMediaTypes: api.binaryMediaTypes ?? [],
    executeApiEndpointDisabled: false,
    router: compileRouter(resources, api.rootResourceId),
    gatewayResponses: NO_GATEWAY_RESPONSES,
  };
}

const NO_SINK: ResponseSink = {
  headersSent: false,
  start: () => undefined,
  write: () => true,
  end: () => undefined,
  onDrain: () => undefined,
  onAbort: () => undefined,
  destroy: () => undefined,
};
