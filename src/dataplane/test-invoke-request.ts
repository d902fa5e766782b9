// The request of a test invocation (TestInvokeMethod, TestInvokeAuthorizer): built from the call's JSON input
// instead of a socket, so the same pipeline code runs on it.
import type { InboundRequest } from "./exchange.js";

/** AWS names the stage of test invocations so (it appears in method ARNs and `$context.stage`). */
export const TEST_INVOKE_STAGE = "test-invoke-stage";
export const TEST_INVOKE_DEPLOYMENT = "test-invoke-deployment-id";

export interface TestInvokeRequestInput {
  readonly method: string;
  /** `/pets/1?x=y`, as the caller gave it. */
  readonly target: string;
  readonly body: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly multiValueHeaders: Readonly<Record<string, readonly string[]>>;
}

/** Multi-value headers first, then single-value headers not already given as multi-value ones. */
export function testInvokeRequest(input: TestInvokeRequestInput): InboundRequest {
  const q = input.target.indexOf("?");
  const rawHeaders: string[] = [];
  const lower = new Map<string, string>();
  const add = (name: string, value: string): void => {
    rawHeaders.push(name, value);
    const key = name.toLowerCase();
    const prev = lower.get(key);
    lower.set(key, prev === undefined ? value : `${prev}, ${value}`);
  };
  for (const [name, values] of Object.entries(input.multiValueHeaders)) for (const v of values) add(name, v);
  for (const [name, value] of Object.entries(input.headers)) if (!Object.hasOwn(input.multiValueHeaders, name)) add(name, value);
  const body = Buffer.from(input.body ?? "", "utf8");
  return {
    method: input.method,
    rawPath: q < 0 ? input.target : input.target.slice(0, q),
    rawQuery: q < 0 ? "" : input.target.slice(q + 1),
    urlLength: input.target.length,
    host: lower.get("host"),
    rawHeaders,
    header: (name) => lower.get(name),
    sourceIp: "test-invoke-source-ip",
    localPort: 443,
    protocol: "HTTP/1.1",
    declaredLength: body.length,
    mayHaveBody: body.length > 0,
    body,
  };
}
