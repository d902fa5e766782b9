import { test } from "node:test";
import assert from "node:assert/strict";
import { renderGatewayResponseTemplate, type GatewayResponseTemplateVars } from "../../src/dataplane/mapping/gateway-response-template.js";

function vars(error: Record<string, unknown> = { message: "Missing Authentication Token", responseType: "MISSING_AUTHENTICATION_TOKEN" }): GatewayResponseTemplateVars {
  return {
    context: { stage: "dev", requestId: "req-1", resourcePath: "/pets/{petId}", identity: { sourceIp: "203.0.113.9" }, error },
    stageVariables: { a: "alpha" },
    methodRequest: { path: { petId: "7" }, querystring: { q: "x" }, header: { "X-Trace": "t-1" } },
  };
}

test("the default template renders the message quoted", () => {
  assert.equal(renderGatewayResponseTemplate('{"message":$context.error.messageString}', vars()), '{"message":"Missing Authentication Token"}');
});

test("messageString is the bare word null when there is no message", () => {
  assert.equal(renderGatewayResponseTemplate('{"message":$context.error.messageString}', vars({ message: null })), '{"message":null}');
  assert.equal(renderGatewayResponseTemplate('{"message":$context.error.messageString}', vars({})), '{"message":null}');
});

test("a message containing quotes stays valid JSON", () => {
  const out = renderGatewayResponseTemplate('{"message":$context.error.messageString}', vars({ message: 'bad "value"' }));
  assert.deepEqual(JSON.parse(out), { message: 'bad "value"' });
});

test("a messageString provided by the caller is used as is", () => {
  assert.equal(renderGatewayResponseTemplate("$context.error.messageString", vars({ message: "x", messageString: '"given"' })), '"given"');
});

test("the documented customisation example renders context values", () => {
  const template = '{"message": $context.error.messageString, "type": "$context.error.responseType", "stage": "$context.stage"}';
  assert.deepEqual(JSON.parse(renderGatewayResponseTemplate(template, vars())), {
    message: "Missing Authentication Token",
    type: "MISSING_AUTHENTICATION_TOKEN",
    stage: "dev",
  });
});

test("stage variables and method request parameters are substituted in every notation", () => {
  const template = "$stageVariables.a ${stageVariables.a} $stageVariables['a'] $method.request.path.petId ${method.request.querystring.q} $method.request.header.X-Trace $method.request.header.x-trace";
  assert.equal(renderGatewayResponseTemplate(template, vars()), "alpha alpha alpha 7 x t-1 t-1");
});

test("missing values render as empty text and nested context values resolve", () => {
  assert.equal(renderGatewayResponseTemplate("[$context.identity.sourceIp][$context.identity.user][$stageVariables.none][$method.request.path.none]", vars()), "[203.0.113.9][][][]");
});

test("it is not VTL: directives and other references are left as written", () => {
  const template = "#if($x)y#end $input.body $util.escapeJavaScript('a')";
  assert.equal(renderGatewayResponseTemplate(template, vars()), template);
});

test("a reference ends at a character that cannot be part of it", () => {
  assert.equal(renderGatewayResponseTemplate("Stage $context.stage. Id:$context.requestId!", vars()), "Stage dev. Id:req-1!");
});
