// MOCK (data-plane.md §10.3): nothing is called; the rendered request template names the status, and the
// endpoint response is that status with an empty body and no headers.
import type { PhaseStep } from "../compiled-stage.js";
import { configurationError } from "../gateway-error.js";

/**
 * `{"statusCode": 200}` as JSON, or the non-JSON `{statusCode: 200}` CDK generates (AWS accepts both).
 * Returns undefined when there is no integer status.
 */
export function parseMockStatus(template: string): number | undefined {
  let value: unknown;
  try {
    const parsed: unknown = JSON.parse(template);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) value = (parsed as Record<string, unknown>)["statusCode"];
  } catch {
    const m = /["']?statusCode["']?\s*:\s*["']?(\d+)/.exec(template);
    value = m ? Number(m[1]) : undefined;
  }
  if (typeof value === "string" && /^\d+$/.test(value)) value = Number(value);
  return typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599 ? value : undefined;
}

export const invokeMock: PhaseStep = (ex) => {
  const status = parseMockStatus(ex.endpointRequest!.body.toString("utf8"));
  if (status === undefined) {
    throw configurationError("Unable to parse statusCode. It should be an integer that is defined in the request template.");
  }
  ex.integrationLatency = 0;
  ex.endpointResponse = { status, headers: [], body: Buffer.alloc(0) };
};
