// TestInvokeMethod (control-plane.md §3.18, §9): runs one method of the current draft — not a deployment — through
// the same pipeline the data plane uses. The draft is compiled on the fly into a throw-away stage; the request
// is built from the call's input instead of a socket and the response is collected instead of sent.
import type { RestApiDoc } from "../domain/rest-api.js";
import { compileStage } from "./compile/compile-stage.js";
import type { CompiledMethod } from "./compiled-stage.js";
import { Exchange, type ResponseSink } from "./exchange.js";
import { TEST_INVOKE_DEPLOYMENT, TEST_INVOKE_STAGE, testInvokeRequest } from "./test-invoke-request.js";
import type { UpstreamPools } from "./integrations/upstream-pools.js";
import type { LambdaServices } from "./lambda/lambda-services.js";
import { createPipeline } from "./pipeline.js";
import { splitResourcePath, type RouteMatch } from "./routing/router.js";
import type { Logger } from "pino";

export interface TestInvokeInput {
  readonly api: RestApiDoc;
  readonly accountId: string;
  readonly resourceId: string;
  readonly httpMethod: string;
  readonly pathWithQueryString: string | undefined;
  readonly body: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly multiValueHeaders: Readonly<Record<string, readonly string[]>>;
  readonly stageVariables: Readonly<Record<string, string>>;
}

export interface TestInvokeResult {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly log: string;
  readonly latency: number;
}


export async function testInvokeMethod(input: TestInvokeInput, pools: UpstreamPools, logger: Logger, lambda?: LambdaServices): Promise<TestInvokeResult> {
  const started = performance.now();
  const compiled = compileStage(
    { accountId: input.accountId, apiId: input.api.id, stageName: TEST_INVOKE_STAGE, deploymentId: TEST_INVOKE_DEPLOYMENT, variables: { ...input.stageVariables }, snapshot: input.api },
    { pools, ...(lambda ? { lambda } : {}) },
  );
  // TestInvokeMethod is not a call through the default endpoint, so disabling that endpoint does not apply.
  const stage = { ...compiled, executeApiEndpointDisabled: false };
  const resource = stage.router.resource(input.resourceId)!;
  const method = resource.methods.get(input.httpMethod)!;
  const target = input.pathWithQueryString ?? resource.path;
  const request = testInvokeRequest({
    // ANY has no verb of its own; the console sends it as GET.
    method: input.httpMethod === "ANY" ? "GET" : input.httpMethod,
    target,
    body: input.body,
    headers: input.headers,
    multiValueHeaders: input.multiValueHeaders,
  });
  const rawPath = request.rawPath;
  const route: RouteMatch<CompiledMethod> = { resource, method, pathParams: pathParamsFor(resource.path, rawPath) };
  const sink = new CollectingSink();
  const ex = new Exchange(request, sink, true);
  const pipeline = createPipeline({
    resolver: { resolve: () => ({ apiId: input.api.id, stageName: TEST_INVOKE_STAGE, resourcePath: rawPath, contextPath: `/${TEST_INVOKE_STAGE}${rawPath}` }) },
    stages: { get: () => stage },
    logger,
    accessLog: undefined,
    route: () => route,
  });
  await pipeline(ex);
  await sink.finished;

  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < sink.headers.length; i += 2) {
    const name = sink.headers[i]!;
    const value = sink.headers[i + 1]!;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  return {
    status: sink.status,
    body: Buffer.concat(sink.chunks).toString("utf8"),
    headers,
    multiValueHeaders,
    log: ex.log!.text(),
    latency: Math.round(performance.now() - started),
  };
}

/** Path parameters by aligning the resource's template with the given path (greedy takes the rest). */
export function pathParamsFor(template: string, rawPath: string): Record<string, string> {
  const names = splitResourcePath(template);
  const values = splitResourcePath(rawPath);
  const params: Record<string, string> = {};
  for (let i = 0; i < names.length && i < values.length; i++) {
    const part = names[i]!;
    if (part.startsWith("{") && part.endsWith("+}")) {
      params[part.slice(1, -2)] = values.slice(i).join("/");
      break;
    }
    if (part.startsWith("{") && part.endsWith("}")) params[part.slice(1, -1)] = values[i]!;
  }
  return params;
}

class CollectingSink implements ResponseSink {
  status = 0;
  headers: string[] = [];
  readonly chunks: Buffer[] = [];
  headersSent = false;
  private done!: () => void;
  readonly finished = new Promise<void>((resolve) => (this.done = resolve));

  start(status: number, headers: string[]): void {
    this.status = status;
    this.headers = headers;
    this.headersSent = true;
  }
  write(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }
  end(chunk?: Buffer): void {
    if (chunk) this.chunks.push(chunk);
    this.done();
  }
  onDrain(): void {}
  onAbort(): void {}
  destroy(): void {
    this.done();
  }
}
