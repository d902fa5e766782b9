// TestInvokeAuthorizer: POST /restapis/{restapi_id}/authorizers/{authorizer_id} runs a Lambda authorizer of the
// current draft against the described request and reports {clientStatus, log, latency, principalId, policy,
// authorization}. The call itself succeeds (200) whatever the authorizer decided.
import { loadApi } from "../../domain/api-repository.js";
import { testInvokeAuthorizer } from "../../dataplane/auth/authorizer-test-run.js";
import { lambdaServicesFrom } from "../../dataplane/lambda/lambda-services.js";
import { ApiError, ERRORS, badRequest, notFound } from "../../errors/api-error.js";
import type { OpContext, OpRequest, OpResult } from "../operation.js";
import type { RouteSpec } from "../route-table.js";
import { compact, optObject, optString, optStringMap } from "../wire.js";

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
  const api = await loadApi(ctx.store.reader, ctx.config.accountId, req.params["restapi_id"]!);
  const authorizerId = req.params["authorizer_id"]!;
  const authorizer = api.authorizers[authorizerId];
  if (!authorizer) throw notFound("Invalid Authorizer identifier specified");
  if (authorizer.type === "COGNITO_USER_POOLS") throw badRequest("TestInvokeAuthorizer supports Lambda (TOKEN and REQUEST) authorizers only in this gateway");
  const result = await testInvokeAuthorizer(
    {
      api,
      accountId: ctx.config.accountId,
      authorizerId,
      pathWithQueryString: optString(body, "pathWithQueryString"),
      body: optString(body, "body"),
      headers: optStringMap(body, "headers") ?? {},
      multiValueHeaders: readMultiValueHeaders(body),
      stageVariables: optStringMap(body, "stageVariables") ?? {},
    },
    lambdaServicesFrom(ctx.services, ctx.config.region),
  );
  return { status: 200, body: compact({ ...result }) };
}

export const testInvokeAuthorizerRoutes: readonly RouteSpec[] = [
  { operation: "TestInvokeAuthorizer", method: "POST", path: "/restapis/{restapi_id}/authorizers/{authorizer_id}", handler: testInvoke },
];
