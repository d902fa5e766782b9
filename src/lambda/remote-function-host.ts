// Runs functions on a Lambda-compatible endpoint (AWS Lambda, or another Tollgate) with a SigV4-signed Invoke
// (lambda-contract.md §2.1): the FunctionHost strategy for functions this gateway does not host. Invoke's
// answers map back onto the same contract as the local host: function errors are results, service errors
// (404, 429, …) are ApiErrors of the Lambda catalogue.
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { ApiError, ERRORS, type ErrorKind } from "../errors/api-error.js";
import type { FunctionHost, InvokeOptions, InvokeResult } from "./function-host.js";

export interface RemoteFunctionHostOptions {
  /** `https://lambda.us-east-1.amazonaws.com` or any Lambda-compatible endpoint. */
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Signing region when the function is named without an ARN. */
  readonly region: string;
}

const ARN_REGION = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):/;
const LAMBDA_KINDS: readonly ErrorKind[] = Object.values(ERRORS).filter((k: ErrorKind) => k.lambdaMessageKey !== undefined);

export class RemoteFunctionHost implements FunctionHost {
  private readonly base: URL;
  private closed = false;
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: RemoteFunctionHostOptions) {
    this.base = new URL(options.endpoint);
  }

  async invoke(nameOrArn: string, payload: Buffer, options: InvokeOptions): Promise<InvokeResult> {
    if (this.closed) throw new ApiError(ERRORS.LambdaService, "The function host is shutting down.");
    const region = ARN_REGION.exec(nameOrArn)?.[1] ?? this.options.region;
    const basePath = this.base.pathname.replace(/\/$/, "");
    const headers: Record<string, string> = {
      host: this.base.host,
      "content-type": "application/json",
      "x-amz-invocation-type": options.invocationType,
    };
    if (options.logType !== undefined) headers["x-amz-log-type"] = options.logType;
    if (options.clientContext !== undefined) headers["x-amz-client-context"] = options.clientContext;
    const request = new HttpRequest({
      method: "POST",
      protocol: this.base.protocol,
      hostname: this.base.hostname,
      ...(this.base.port !== "" ? { port: Number(this.base.port) } : {}),
      path: `${basePath}/2015-03-31/functions/${encodeURIComponent(nameOrArn)}/invocations`,
      query: options.qualifier !== undefined ? { Qualifier: options.qualifier } : {},
      headers,
      body: payload,
    });
    const signer = new SignatureV4({ service: "lambda", region, credentials: this.options.credentials, sha256: Hash.bind(null, "sha256") });
    const signed = await signer.sign(request);
    const query = options.qualifier !== undefined ? `?Qualifier=${encodeURIComponent(options.qualifier)}` : "";
    const controller = new AbortController();
    this.inFlight.add(controller);
    let response: Response;
    let body: Buffer;
    try {
      const sent = { ...signed.headers };
      // fetch sets Host itself from the URL.
      delete sent["host"];
      response = await fetch(`${this.base.origin}${signed.path}${query}`, { method: "POST", headers: sent, body: payload, signal: controller.signal });
      body = Buffer.from(await response.arrayBuffer());
    } catch (err) {
      throw new ApiError(ERRORS.LambdaService, `The Lambda endpoint could not be reached: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.inFlight.delete(controller);
    }
    if (response.status >= 300) throw serviceError(response, body);
    const functionError = response.headers.get("x-amz-function-error");
    const logResult = response.headers.get("x-amz-log-result");
    return {
      statusCode: response.status,
      payload: body,
      // "Handled" comes from older runtimes; both are function errors (lambda-contract.md §2.2).
      ...(functionError !== null ? { functionError: "Unhandled" as const } : {}),
      ...(logResult !== null ? { logResult } : {}),
      executedVersion: response.headers.get("x-amz-executed-version") ?? "$LATEST",
      requestId: response.headers.get("x-amzn-requestid") ?? "",
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }
}

/** Lambda's `x-amzn-ErrorType` and `{"Type", "Message"}` body → the catalogue entry of the same type. */
function serviceError(response: Response, body: Buffer): ApiError {
  const type = (response.headers.get("x-amzn-errortype") ?? "").split(":")[0]!;
  let message = `Lambda answered ${response.status}`;
  try {
    const parsed = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    const text = parsed["Message"] ?? parsed["message"];
    if (typeof text === "string") message = text;
  } catch {
    // Not JSON: keep the status line.
  }
  const kind = LAMBDA_KINDS.find((k) => k.type === type && k.status === response.status) ?? LAMBDA_KINDS.find((k) => k.type === type);
  return new ApiError(kind ?? { type: type || "ServiceException", status: response.status, lambdaMessageKey: "Message" }, message);
}
