// The process environment of a function instance (lambda-contract.md §1.4). Built from scratch: nothing of the
// gateway's own environment (admin credentials, TOLLGATE_* settings) reaches user code.
import { randomBytes } from "node:crypto";
import type { FunctionDoc } from "./function-doc.js";

/** Keys Lambda reserves; CreateFunction/UpdateFunctionConfiguration reject them in Environment.Variables. */
export const RESERVED_ENV_KEYS: ReadonlySet<string> = new Set([
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
]);

/** `2024/04/09/[$LATEST]0123456789abcdef0123456789abcdef`, one per instance as on AWS. */
export function newLogStreamName(version: string, at: Date = new Date()): string {
  const day = at.toISOString().slice(0, 10).replaceAll("-", "/");
  return `${day}/[${version}]${randomBytes(16).toString("hex")}`;
}

export interface InstanceEnvironmentInput {
  readonly fn: FunctionDoc;
  readonly region: string;
  readonly version: string;
  readonly taskRoot: string;
  readonly logStreamName: string;
}

export function instanceEnvironment(input: InstanceEnvironmentInput): Record<string, string> {
  const { fn } = input;
  const platform: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: input.version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: input.logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    _HANDLER: fn.handler,
    LAMBDA_TASK_ROOT: input.taskRoot,
  };
  // Lambda lets configured variables extend or replace these (TZ, LANG, PATH, NODE_OPTIONS …), not the platform ones.
  const defaults: Record<string, string> = {
    TZ: ":UTC",
    LANG: "en_US.UTF-8",
    PATH: process.env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
    NODE_PATH: input.taskRoot,
  };
  return { ...defaults, ...(fn.environment ?? {}), ...platform };
}
