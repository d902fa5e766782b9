// The contract between callers that run functions (Lambda Invoke on the management API; API Gateway's
// AWS_PROXY/AWS integrations and Lambda authorizers on the data plane) and whatever hosts them.
// Failures that prevent running the function (unknown function, bad payload, throttling) are thrown as ApiError
// (Lambda's catalogue entries); function errors are results with `functionError` set (lambda-contract.md §2.2).

export type InvocationType = "RequestResponse" | "Event" | "DryRun";
export type LogType = "None" | "Tail";

export interface InvokeOptions {
  readonly invocationType: InvocationType;
  readonly logType?: LogType;
  /** `X-Amz-Client-Context`: base64 of a JSON object, handed to the handler as `context.clientContext`. */
  readonly clientContext?: string;
  /** `?Qualifier=`; must agree with a qualifier inside the name. Only `$LATEST` exists. */
  readonly qualifier?: string;
  /** The caller made the payload with JSON.stringify (the data plane's events): it is not parsed again to check it. */
  readonly payloadIsJson?: boolean;
}

export interface InvokeResult {
  /** 200 (RequestResponse, also on function errors), 202 (Event) or 204 (DryRun). */
  readonly statusCode: number;
  /** The function's result or error document (empty for Event and DryRun). */
  readonly payload: Buffer;
  /** `X-Amz-Function-Error` (always "Unhandled", as every current runtime reports). */
  readonly functionError?: "Unhandled";
  /** `X-Amz-Log-Result`: base64 of the last 4 KB of the invocation's log, only with logType Tail. */
  readonly logResult?: string;
  /** `X-Amz-Executed-Version`. */
  readonly executedVersion: string;
  /** The invocation id (`context.awsRequestId`, `x-amzn-RequestId`). */
  readonly requestId: string;
}

export interface FunctionHost {
  invoke(nameOrArn: string, payload: Buffer, options: InvokeOptions): Promise<InvokeResult>;
  /** Stops every instance (in-flight invocations fail) and refuses further invocations. */
  close(): Promise<void>;
}

/** `services.functions` is typed `unknown` in GatewayServices; callers narrow it with this guard. */
export function isFunctionHost(value: unknown): value is FunctionHost {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { invoke?: unknown }).invoke === "function" &&
    typeof (value as { close?: unknown }).close === "function"
  );
}
