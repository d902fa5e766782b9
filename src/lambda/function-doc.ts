// The stored form of a Lambda function (config-store kind "function", id = function name) and the ARN and
// timestamp formats Lambda reports. Only `$LATEST` exists: versions and aliases are not part of this subset.

export const LATEST = "$LATEST";
/** Node.js runtimes hosted on the gateway's own Node (lambda-api.md §3). */
export const NODE_RUNTIMES = ["nodejs18.x", "nodejs20.x", "nodejs22.x"] as const;
export type NodeRuntime = (typeof NODE_RUNTIMES)[number];

export const DEFAULT_TIMEOUT = 3;
export const DEFAULT_MEMORY = 128;

/** One statement of the function's resource policy, in IAM's JSON form. */
export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Principal: string | { Service: string } | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface FunctionDoc {
  name: string;
  runtime: NodeRuntime;
  role: string;
  handler: string;
  description: string;
  timeout: number;
  memorySize: number;
  /** Absent when no variables were ever set; `{}` after they were cleared (AWS then omits Environment too). */
  environment?: Record<string, string>;
  architectures: string[];
  codeSize: number;
  /** base64 SHA-256 of the zip, as Lambda reports it. */
  codeSha256: string;
  lastModified: string;
  revisionId: string;
  tags: Record<string, string>;
  policy: PolicyStatement[];
}

export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier !== undefined ? `:${qualifier}` : ""}`;
}

/** Lambda's `LastModified`: `2025-10-14T22:26:11.234+0000` (a string, not an epoch number). */
export function lambdaTimestamp(at: Date = new Date()): string {
  return at.toISOString().replace("Z", "+0000");
}

/** Package files are named by the hex form of the SHA-256 (the base64 form contains "/"). */
export function shaHex(codeSha256: string): string {
  return Buffer.from(codeSha256, "base64").toString("hex");
}
