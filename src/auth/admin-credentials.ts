// The admin credentials of the management API: from configuration, or generated once on first start, kept in
// the data dir with mode 0600 and printed once together with the `aws configure` lines that use them.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomString } from "../util/ids.js";
import type { Credentials } from "./sigv4-verifier.js";

const FILE = "admin-credentials.json";

export interface LoadedCredentials {
  readonly credentials: Credentials;
  /** True when this start generated them (the caller prints them once). */
  readonly generated: boolean;
}

export function loadAdminCredentials(dataDir: string, accessKeyId?: string, secretAccessKey?: string): LoadedCredentials {
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    return { credentials: { accessKeyId, secretAccessKey }, generated: false };
  }
  const file = join(dataDir, FILE);
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as Credentials;
    return { credentials: { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey }, generated: false };
  }
  const credentials: Credentials = {
    accessKeyId: "AKIA" + randomString(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
    secretAccessKey: randomString(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
  };
  // "wx": never overwrite a file another process created meanwhile.
  writeFileSync(file, JSON.stringify(credentials, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  return { credentials, generated: true };
}

export function credentialsBanner(c: Credentials, region: string, adminUrl: string): string {
  return [
    "Tollgate generated admin credentials (shown once; kept in the data dir):",
    `  aws configure set aws_access_key_id ${c.accessKeyId}`,
    `  aws configure set aws_secret_access_key ${c.secretAccessKey}`,
    `  aws configure set region ${region}`,
    `Then: aws --endpoint-url ${adminUrl} apigateway get-rest-apis`,
  ].join("\n");
}
