import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { CompiledMethod, CompiledStage } from "../../src/dataplane/compiled-stage.js";
import { proxyEventBase } from "../../src/dataplane/lambda/lambda-proxy-event.js";
import type { RouteMatch } from "../../src/dataplane/routing/router.js";
import { fakeExchange } from "../helpers/fake-exchange.js";

function exchangeFor(target: NonNullable<ReturnType<typeof fakeExchange>["target"]>) {
  const ex = fakeExchange();
  ex.target = target;
  ex.stage = { accountId: "000000000000", apiId: "abc", stageName: "prod", deploymentId: "d1", variables: {}, binaryMediaTypes: [] } as unknown as CompiledStage;
  ex.route = { method: {} as CompiledMethod, resource: { id: "r1", path: "/{id}" }, pathParams: { id: "42" } } as unknown as RouteMatch<CompiledMethod>;
  return ex;
}

describe("the Lambda proxy event's path (data-plane.md §11.1, §2.2)", () => {
  test("through the default endpoint: the resource path without the stage", () => {
    const ex = exchangeFor({ apiId: "abc", stageName: "prod", resourcePath: "/42", contextPath: "/prod/42" });
    assert.equal(proxyEventBase(ex, false).path, "/42");
    assert.equal((proxyEventBase(ex, false).requestContext as Record<string, unknown>)["path"], "/prod/42");
  });

  test("through a custom domain: the path as sent, base path included", () => {
    const ex = exchangeFor({ apiId: "abc", stageName: "prod", resourcePath: "/42", contextPath: "/orders/42", basePathMatched: "orders" });
    assert.equal(proxyEventBase(ex, false).path, "/orders/42");
    assert.equal((proxyEventBase(ex, false).requestContext as Record<string, unknown>)["path"], "/orders/42");
  });
});
