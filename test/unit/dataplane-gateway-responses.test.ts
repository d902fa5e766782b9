import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileGatewayResponses } from "../../src/dataplane/gateway-responses.js";
import { renderGatewayResponse } from "../../src/dataplane/gateway-responses.js";
import { GatewayError } from "../../src/dataplane/gateway-error.js";
import type { Exchange } from "../../src/dataplane/exchange.js";
import { fakeExchange as fakeExchangeBase } from "../helpers/fake-exchange.js";
import type { CompiledStage } from "../../src/dataplane/compiled-stage.js";
import { compileRouter } from "../../src/dataplane/routing/router.js";
import { GATEWAY_RESPONSE_TYPES, GATEWAY_RESPONSE_TYPE_NAMES, type GatewayResponseTypeName } from "../../src/errors/gateway-response-types.js";
import type { GatewayResponseDoc } from "../../src/domain/rest-api.js";

function fakeExchange(headers: Record<string, string> = {}, gatewayResponses: Record<string, GatewayResponseDoc> = {}): Exchange {
  const ex = fakeExchangeBase("GET", headers);
  const stage: CompiledStage = {
    accountId: "000000000000",
    apiId: "abc",
    stageName: "dev",
    deploymentId: "dep1",
    variables: { corsOrigin: "https://app.example" },
    binaryMediaTypes: [],
    executeApiEndpointDisabled: false,
    router: compileRouter([{ id: "root", methods: new Map() }], "root"),
    gatewayResponses: compileGatewayResponses(gatewayResponses),
  };
  ex.stage = stage;
  return ex;
}

const headerOf = (headers: readonly string[], name: string): string | undefined => {
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() === name.toLowerCase()) return headers[i + 1];
  return undefined;
};

describe("gateway responses", () => {
  test("every response type has AWS's default status, body and x-amzn-ErrorType", () => {
    const spaced = new Set(["API_CONFIGURATION_ERROR", "AUTHORIZER_CONFIGURATION_ERROR", "AUTHORIZER_FAILURE", "BAD_REQUEST_BODY", "BAD_REQUEST_PARAMETERS", "INTEGRATION_FAILURE", "INTEGRATION_TIMEOUT", "REQUEST_TOO_LARGE"]);
    for (const name of GATEWAY_RESPONSE_TYPE_NAMES) {
      if (name === "DEFAULT_4XX" || name === "DEFAULT_5XX") continue;
      const type = GATEWAY_RESPONSE_TYPES[name];
      const res = renderGatewayResponse(fakeExchange(), new GatewayError(name as GatewayResponseTypeName));
      assert.equal(res.status, type.status, name);
      const message = type.message === null ? "null" : JSON.stringify(type.message);
      // ACCESS_DENIED alone capitalises its key (§4.4).
      const key = name === "ACCESS_DENIED" ? '"Message"' : '"message"';
      assert.equal(res.body.toString(), spaced.has(name) ? `{${key}: ${message}}` : `{${key}:${message}}`, name);
      assert.equal(headerOf(res.headers, "x-amzn-ErrorType"), type.errorType, name);
      assert.equal(headerOf(res.headers, "Content-Type"), "application/json", name);
    }
  });

  test("the recorded bodies are byte-exact", () => {
    assert.equal(renderGatewayResponse(fakeExchange(), new GatewayError("API_CONFIGURATION_ERROR")).body.toString(), '{"message": "Internal server error"}');
    assert.equal(renderGatewayResponse(fakeExchange(), new GatewayError("INTEGRATION_TIMEOUT")).body.toString(), '{"message": "Endpoint request timed out"}');
    assert.equal(renderGatewayResponse(fakeExchange(), new GatewayError("MISSING_AUTHENTICATION_TOKEN")).body.toString(), '{"message":"Missing Authentication Token"}');
    assert.equal(renderGatewayResponse(fakeExchange(), new GatewayError("AUTHORIZER_CONFIGURATION_ERROR")).body.toString(), '{"message": null}');
  });

  test("an occurrence may carry its own status (a network error answers 502)", () => {
    const res = renderGatewayResponse(fakeExchange(), new GatewayError("INTEGRATION_FAILURE", { status: 502 }));
    assert.equal(res.status, 502);
  });

  test("a customised type uses its status, headers and template with $context.error values", () => {
    const ex = fakeExchange({ accept: "application/json" }, {
      MISSING_AUTHENTICATION_TOKEN: {
        responseType: "MISSING_AUTHENTICATION_TOKEN",
        statusCode: "404",
        responseParameters: { "gatewayresponse.header.Access-Control-Allow-Origin": "'*'", "gatewayresponse.header.x-origin": "stageVariables.corsOrigin" },
        responseTemplates: { "application/json": '{"message": $context.error.messageString, "type": "$context.error.responseType", "stage": "$context.stage"}' },
      },
    });
    const res = renderGatewayResponse(ex, new GatewayError("MISSING_AUTHENTICATION_TOKEN"));
    assert.equal(res.status, 404);
    assert.equal(res.body.toString(), '{"message": "Missing Authentication Token", "type": "MISSING_AUTHENTICATION_TOKEN", "stage": "dev"}');
    assert.equal(headerOf(res.headers, "Access-Control-Allow-Origin"), "*");
    assert.equal(headerOf(res.headers, "x-origin"), "https://app.example");
    assert.equal(headerOf(res.headers, "x-amzn-ErrorType"), "MissingAuthenticationTokenException");
  });

  test("DEFAULT_4XX applies to unconfigured 4xx types and keeps each type's status; DEFAULT_5XX likewise", () => {
    const docs: Record<string, GatewayResponseDoc> = {
      DEFAULT_4XX: { responseType: "DEFAULT_4XX", responseParameters: { "gatewayresponse.header.Access-Control-Allow-Origin": "'*'" }, responseTemplates: {} },
      DEFAULT_5XX: { responseType: "DEFAULT_5XX", statusCode: "503", responseParameters: {}, responseTemplates: { "application/json": '{"oops":$context.error.messageString}' } },
    };
    const throttled = renderGatewayResponse(fakeExchange({}, docs), new GatewayError("THROTTLED"));
    assert.equal(throttled.status, 429);
    assert.equal(headerOf(throttled.headers, "Access-Control-Allow-Origin"), "*");
    assert.equal(throttled.body.toString(), '{"message":"Too Many Requests"}');
    const timeout = renderGatewayResponse(fakeExchange({}, docs), new GatewayError("INTEGRATION_TIMEOUT"));
    assert.equal(timeout.status, 503);
    assert.equal(timeout.body.toString(), '{"oops":"Endpoint request timed out"}');
  });

  test("REQUEST_TOO_LARGE ignores customisation", () => {
    const docs: Record<string, GatewayResponseDoc> = {
      DEFAULT_4XX: { responseType: "DEFAULT_4XX", statusCode: "400", responseParameters: {}, responseTemplates: {} },
    };
    const res = renderGatewayResponse(fakeExchange({}, docs), new GatewayError("REQUEST_TOO_LARGE"));
    assert.equal(res.status, 413);
  });

  test("a template is chosen by the first Accept type, else application/json, else the first", () => {
    const docs: Record<string, GatewayResponseDoc> = {
      UNAUTHORIZED: { responseType: "UNAUTHORIZED", responseParameters: {}, responseTemplates: { "text/html": "<p>$context.error.message</p>", "application/json": '{"m":"x"}' } },
    };
    const html = renderGatewayResponse(fakeExchange({ accept: "text/html,application/json" }, docs), new GatewayError("UNAUTHORIZED"));
    assert.equal(html.body.toString(), "<p>Unauthorized</p>");
    assert.equal(headerOf(html.headers, "Content-Type"), "text/html");
    const other = renderGatewayResponse(fakeExchange({ accept: "image/png" }, docs), new GatewayError("UNAUTHORIZED"));
    assert.equal(other.body.toString(), '{"m":"x"}');
  });
});
