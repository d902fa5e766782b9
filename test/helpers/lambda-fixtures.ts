// Deployment packages for the Lambda tests, zipped with the same library the gateway unzips with (fflate).
import { createHash } from "node:crypto";
import { zipSync } from "fflate";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { ACCOUNT, REGION, TEST_CREDENTIALS } from "./gateway.js";

export const ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-role`;

/** A zip of the given files (path → source text). */
export function zipOf(files: Record<string, string>): Buffer {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(files)) entries[name] = new TextEncoder().encode(text);
  return Buffer.from(zipSync(entries));
}

/** Lambda's CodeSha256: base64 of the SHA-256 of the zip bytes. */
export const codeSha256 = (zip: Buffer): string => createHash("sha256").update(zip).digest("base64");

export function lambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({ endpoint, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

export const HELLO_JS = `exports.handler = async (event) => ({ hello: event.name ?? "world", v: 1 });\n`;
