// TestInvokeMethod: POST /restapis/{restapi_id}/resources/{resource_id}/methods/{http_method} runs the method of
// the current draft through the data-plane pipeline and reports what a client would have received (200 even
// when the method itself fails: the failure is in `status`/`body`).
import { loadMethod } from "../../domain/api-repository.js";
import { testInvokeMethod } from "../../dataplane/test-invoke.js";
import { UpstreamPools } from "../../dataplane/integrations/upstream-pools.js";
import { lambdaServicesFrom } from "../../dataplane/lambda/lambda-services.js";
import { ApiError, ERRORS } from "../../errors/api-error.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import type { RouteSpec } from "../route-table.js";
import { optObject, optString, optStringMap } from "../wire.js";

function readMultiValueHeaders(body: Record<string, unknown>): Record<string, string[]> {
  const obj = optObject(body, "multiValueHeaders") ?? {};
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(obj)) {
    if (!Array.isArray(values) || !values.every((v) => typeof v === "string")) {
      throw new ApiError(ERRORS.Serialization, `Unable to parse multiValueHeaders.${name}: expected a list of strings`);
    }
    out[name] = values as string[];
  }
  return out;
}

async function testInvoke(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const body = req.json();
  const input = {
    pathWithQueryString: optString(body, "pathWithQueryString"),
    body: optString(body, "body"),
    headers: optStringMap(body, "headers") ?? {},
    multiValueHeaders: readMultiValueHeaders(body),
    stageVariables: optStringMap(body, "stageVariables") ?? {},
  };
  const { api } = await loadMethod(ctx.store.reader, req.params["restapi_id"]!, req.params["resource_id"]!, req.params["http_method"]!);
  const shared = ctx.services["upstreamPools"];
  const pools = shared instanceof UpstreamPools ? shared : new UpstreamPools();
  try {
    const result = await testInvokeMethod(
      { api, accountId: ctx.config.accountId, resourceId: req.params["resource_id"]!, httpMethod: req.params["http_method"]!, ...input },
      pools,
      ctx.logger,
      // AWS's TestInvokeMethod skips the method's authorizer but does call Lambda integrations.
      lambdaServicesFrom(ctx.services, ctx.config.region, false),
    );
    return { status: 200, body: result };
  } finally {
    if (pools !== shared) await pools.close();
  }
}

export const testInvokeRoutes: readonly RouteSpec[] = [
  { operation: "TestInvokeMethod", method: "POST", path: "/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}", handler: testInvoke },
];
