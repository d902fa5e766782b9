// Runs the real AWS CLI against a test gateway: test credentials, no config files, no retries, JSON output.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { REGION, TEST_CREDENTIALS } from "./gateway.js";

const run = promisify(execFile);

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `aws <args…> --endpoint-url <endpoint> --output json`; a failing command resolves with its exit code. */
export async function runAwsCli(endpoint: string, args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> {
  const env = {
    PATH: process.env["PATH"] ?? "",
    HOME: process.env["HOME"] ?? "/tmp",
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: REGION,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_MAX_ATTEMPTS: "1",
  };
  try {
    const { stdout, stderr } = await run("aws", [...args, "--endpoint-url", endpoint, "--output", "json"], { env, ...options });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Like runAwsCli, but the command must succeed; its JSON output is returned (`{}` when it prints nothing). */
export async function awsCliJson(endpoint: string, args: readonly string[], options: { cwd?: string } = {}): Promise<Record<string, unknown>> {
  const res = await runAwsCli(endpoint, args, options);
  if (res.code !== 0) throw new Error(`aws ${args.join(" ")} exited ${res.code}: ${res.stderr}`);
  return res.stdout.trim() === "" ? {} : (JSON.parse(res.stdout) as Record<string, unknown>);
}
