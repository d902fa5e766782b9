import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { proxyRequestHeaders, proxyResponseHeaders, traceHeader } from "../../src/dataplane/integrations/header-rules.js";
import { compileBackendUri, renderBackendPath } from "../../src/dataplane/integrations/backend-uri.js";
import { parseMockStatus } from "../../src/dataplane/integrations/mock-integration.js";

const toMap = (flat: readonly string[]): Map<string, string> => {
  const m = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) m.set(flat[i]!, flat[i + 1]!);
  return m;
};

describe("header rules (§14)", () => {
  test("HTTP_PROXY drops hop-by-hop headers, Host and SigV4 Authorization, keeps casing, adds API Gateway's", () => {
    const out = toMap(
      proxyRequestHeaders(
        ["Host", "x.example", "Connection", "keep-alive", "TE", "trailers", "X-Tenant", "acme", "Authorization", "AWS4-HMAC-SHA256 Credential=…", "Via", "1.1 proxy", "X-Forwarded-For", "198.51.100.1"],
        "abc123defg",
        "203.0.113.10",
        443,
        undefined,
      ),
    );
    for (const dropped of ["Host", "Connection", "TE", "Authorization", "Via"]) assert.equal(out.has(dropped), false, dropped);
    assert.equal(out.get("X-Tenant"), "acme");
    assert.equal(out.get("Accept"), "application/json");
    assert.equal(out.get("User-Agent"), "AmazonAPIGateway_abc123defg");
    assert.equal(out.get("X-Amzn-Apigateway-Api-Id"), "abc123defg");
    assert.equal(out.get("X-Forwarded-For"), "198.51.100.1, 203.0.113.10");
    assert.equal(out.get("X-Forwarded-Proto"), "https");
    assert.equal(out.get("X-Forwarded-Port"), "443");
  });

  test("a non-SigV4 Authorization header and the client's own Accept and User-Agent pass through", () => {
    const out = toMap(proxyRequestHeaders(["authorization", "Bearer t", "accept", "text/html", "user-agent", "curl/8"], "id", "1.2.3.4", 443, undefined));
    assert.equal(out.get("authorization"), "Bearer t");
    assert.equal(out.get("accept"), "text/html");
    assert.equal(out.get("user-agent"), "curl/8");
    assert.equal(out.has("Accept"), false);
  });

  test("mapped headers replace same-named client headers", () => {
    const out = proxyRequestHeaders(["x-tenant", "client"], "id", "1.2.3.4", 443, new Map([["x-tenant", ["X-Tenant", "mapped"] as const]]));
    const m = toMap(out);
    assert.equal(m.get("X-Tenant"), "mapped");
    assert.equal(m.has("x-tenant"), false);
  });

  test("the trace header keeps a client Root and otherwise makes a new one", () => {
    assert.match(traceHeader(undefined), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    assert.match(traceHeader("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"), /^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=/);
  });

  test("backend response headers: Connection, Content-Length, Date, Server and x-amzn-RequestId are remapped; Transfer-Encoding and Via dropped", () => {
    const out: string[] = [];
    const raw = ["Content-Type", "text/plain", "Content-Length", "5", "Date", "d", "Server", "s", "Connection", "keep-alive", "Transfer-Encoding", "chunked", "Via", "v", "x-amzn-RequestId", "r", "X-Custom", "c"].map((s) => Buffer.from(s));
    const info = proxyResponseHeaders(raw, out);
    const m = toMap(out);
    assert.equal(info.contentLength, 5);
    assert.equal(info.hasContentType, true);
    assert.equal(m.get("x-amzn-Remapped-Content-Length"), "5");
    assert.equal(m.get("x-amzn-Remapped-Date"), "d");
    assert.equal(m.get("x-amzn-Remapped-Server"), "s");
    assert.equal(m.get("x-amzn-Remapped-Connection"), "keep-alive");
    assert.equal(m.get("x-amzn-Remapped-x-amzn-RequestId"), "r");
    assert.equal(m.has("Transfer-Encoding"), false);
    assert.equal(m.has("Via"), false);
    assert.equal(m.get("X-Custom"), "c");
  });
});

describe("backend URI", () => {
  test("stage variables are substituted, placeholders filled from mapped path values", () => {
    const uri = compileBackendUri("https://${stageVariables.host}/v1/{id}/items/{proxy}?fixed=1", { host: "api.example:8443" });
    assert.equal(uri.origin, "https://api.example:8443");
    assert.equal(uri.query, "fixed=1");
    assert.equal(renderBackendPath(uri, new Map([["id", "7"], ["proxy", "a/b%2Fc"]])), "/v1/7/items/a/b%2Fc");
  });

  test("an unusable URI or an unmapped placeholder is a configuration error", () => {
    assert.throws(() => compileBackendUri("not a url", {}), /Invalid endpoint address/);
    const uri = compileBackendUri("http://h/{id}", {});
    assert.throws(() => renderBackendPath(uri, new Map()), /configuration error/);
  });
});

describe("MOCK status", () => {
  test("JSON and CDK's unquoted form are accepted; anything else is not", () => {
    assert.equal(parseMockStatus('{"statusCode": 200}'), 200);
    assert.equal(parseMockStatus("{statusCode: 404}"), 404);
    assert.equal(parseMockStatus('{"statusCode": "201"}'), 201);
    assert.equal(parseMockStatus('{"statusCode": "abc"}'), undefined);
    assert.equal(parseMockStatus(""), undefined);
    assert.equal(parseMockStatus("[]"), undefined);
  });
});
