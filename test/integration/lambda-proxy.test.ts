// AWS_PROXY to Lambda over HTTPS (data-plane.md §11): the v1.0 event field by field, every row of §11.3's
// response table, and the failure statuses (function error, function timeout, integration timeout, missing
// function, wrong integration verb, oversized payload).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as AG from "@aws-sdk/client-api-gateway";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { dataRequest, deployApi, userPath } from "../helpers/dataplane.js";
import { createFunction, invocationUri, responseHeaderNames } from "../helpers/lambda-dataplane.js";

// One function whose behaviour the request chooses (?mode=…), so the suite needs few processes.
const PROXY_JS = `
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.handler = async (event) => {
  const mode = (event.queryStringParameters || {}).mode || "echo";
  if (mode === "echo") return { statusCode: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify(event) };
  if (mode === "raw") return JSON.parse(event.body);
  if (mode === "throw") throw new Error("secret failure text");
  if (mode === "sleep") {
    await sleep(Number(event.queryStringParameters.ms));
    if (event.queryStringParameters.file) require("node:fs").writeFileSync(event.queryStringParameters.file, "finished");
    return { statusCode: 200, body: "late" };
  }
  return { statusCode: 400, body: "unknown mode" };
};
`;

/** §11.1's field lists. */
const EVENT_KEYS = [
  "resource",
  "path",
  "httpMethod",
  "headers",
  "multiValueHeaders",
  "queryStringParameters",
  "multiValueQueryStringParameters",
  "pathParameters",
  "stageVariables",
  "requestContext",
  "body",
  "isBase64Encoded",
];
const CONTEXT_KEYS = [
  "accountId",
  "apiId",
  "deploymentId",
  "domainName",
  "domainPrefix",
  "extendedRequestId",
  "httpMethod",
  "identity",
  "path",
  "protocol",
  "requestId",
  "requestTime",
  "requestTimeEpoch",
  "resourceId",
  "resourcePath",
  "stage",
];
const IDENTITY_KEYS = [
  "accessKey",
  "accountId",
  "caller",
  "cognitoAuthenticationProvider",
  "cognitoAuthenticationType",
  "cognitoIdentityId",
  "cognitoIdentityPoolId",
  "principalOrgId",
  "sourceIp",
  "user",
  "userAgent",
  "userArn",
];

type Json = Record<string, unknown>;

describe("Lambda proxy integration (AWS_PROXY)", () => {
  let t: TestGateway;
  let apiId: string;
  let bareApi: string;
  let fnArn: string;
  let resources: Map<string, string>;

  before(async () => {
    t = await startTestGateway();
    fnArn = await createFunction(t, "proxy-fn", { "index.js": PROXY_JS });
    await createFunction(t, "short-fn", { "index.js": PROXY_JS }, { timeout: 1 });
    const proxy = (uri: string, extra: Json = {}) => ({ type: "AWS_PROXY" as const, integrationHttpMethod: "POST", uri, ...extra });
    const deployed = await deployApi(
      t,
      [
        { path: "/items/{id}", httpMethod: "ANY", integration: proxy(invocationUri(fnArn)) },
        { path: "/{proxy+}", httpMethod: "ANY", integration: proxy(invocationUri(fnArn)) },
        { path: "/", httpMethod: "GET", integration: proxy(invocationUri(fnArn)) },
        { path: "/staged", httpMethod: "GET", integration: proxy(invocationUri("arn:aws:lambda:us-east-1:000000000000:function:${stageVariables.fn}")) },
        { path: "/short", httpMethod: "GET", integration: proxy(invocationUri("arn:aws:lambda:us-east-1:000000000000:function:short-fn")) },
        { path: "/impatient", httpMethod: "GET", integration: proxy(invocationUri(fnArn), { timeoutInMillis: 300 }) },
        { path: "/missing", httpMethod: "GET", integration: proxy(invocationUri("arn:aws:lambda:us-east-1:000000000000:function:no-such-fn")) },
        { path: "/get-verb", httpMethod: "GET", integration: { type: "AWS_PROXY", integrationHttpMethod: "GET", uri: invocationUri(fnArn) } },
      ],
      { variables: { fn: "proxy-fn", color: "blue" }, binaryMediaTypes: ["image/png", "application/octet-stream"] },
    );
    apiId = deployed.apiId;
    resources = deployed.resources;
    bareApi = (await deployApi(t, [{ path: "/x", httpMethod: "GET", integration: proxy(invocationUri(fnArn)) }])).apiId;
  });
  after(async () => {
    await t.close();
  });

  const call = (path: string, init: Parameters<typeof dataRequest>[2] = {}) => dataRequest(t, userPath(apiId, "test", path), init);
  /** Answers with exactly `response` (the function returns the request body parsed). */
  const respondWith = (response: unknown, headers: Record<string, string> = {}) =>
    call("/anything?mode=raw", { method: "POST", body: JSON.stringify(response), headers: { "content-type": "application/json", ...headers } });

  test("the event carries exactly §11.1's fields with AWS's value rules", async () => {
    const res = await call("/items/a%40b%2Fc?a=1&a=2&plus=x+y%2Bz&mode=echo", {
      headers: { "X-Dup": ["one", "two"], "tEsT-HEADeR": "aValUE", "User-Agent": "tests/1.0", "X-Forwarded-For": "198.51.100.7" },
    });
    assert.equal(res.status, 200);
    const event = JSON.parse(res.body) as Json;
    assert.deepEqual(Object.keys(event), EVENT_KEYS);
    assert.equal(event["resource"], "/items/{id}");
    assert.equal(event["path"], "/items/a%40b%2Fc");
    assert.equal(event["httpMethod"], "GET");
    const headers = event["headers"] as Record<string, string>;
    const multi = event["multiValueHeaders"] as Record<string, string[]>;
    assert.equal(headers["X-Dup"], "two", "headers keeps the last value");
    assert.deepEqual(multi["X-Dup"], ["one", "two"]);
    assert.equal(headers["tEsT-HEADeR"], "aValUE", "names keep their casing");
    assert.equal(headers["X-Forwarded-For"], "198.51.100.7, 127.0.0.1");
    assert.equal(headers["X-Forwarded-Proto"], "https");
    assert.equal(headers["X-Forwarded-Port"], String(t.gw.dataPort));
    assert.match(headers["X-Amzn-Trace-Id"]!, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};/);
    assert.equal(res.headers["x-amzn-trace-id"], headers["X-Amzn-Trace-Id"], "the response carries the trace id the function saw");
    assert.equal(Object.keys(headers).some((h) => h.toLowerCase() === "connection" || h.toLowerCase() === "content-length"), false);
    for (const name of Object.keys(headers)) assert.ok(multi[name], `multiValueHeaders has ${name}`);
    assert.deepEqual(event["queryStringParameters"], { a: "2", plus: "x y+z", mode: "echo" });
    assert.deepEqual(event["multiValueQueryStringParameters"], { a: ["1", "2"], plus: ["x y+z"], mode: ["echo"] });
    assert.deepEqual(event["pathParameters"], { id: "a%40b%2Fc" }, "path parameters stay percent-encoded");
    assert.deepEqual(event["stageVariables"], { fn: "proxy-fn", color: "blue" });
    assert.equal(event["body"], null);
    assert.equal(event["isBase64Encoded"], false);

    const context = event["requestContext"] as Json;
    assert.deepEqual(Object.keys(context).sort(), [...CONTEXT_KEYS].sort());
    assert.equal(context["apiId"], apiId);
    assert.equal(context["stage"], "test");
    assert.equal(context["path"], "/test/items/a%40b%2Fc");
    assert.equal(context["resourcePath"], "/items/{id}");
    assert.equal(context["httpMethod"], "GET");
    assert.equal(context["accountId"], "000000000000");
    assert.equal(context["protocol"], "HTTP/1.1");
    assert.equal(typeof context["requestTimeEpoch"], "number");
    assert.match(context["requestTime"] as string, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.equal(context["requestId"], res.headers["x-amzn-requestid"]);
    assert.equal(context["extendedRequestId"], res.headers["x-amz-apigw-id"]);
    const identity = context["identity"] as Json;
    assert.deepEqual(Object.keys(identity).sort(), IDENTITY_KEYS);
    assert.equal(identity["sourceIp"], "127.0.0.1");
    assert.equal(identity["userAgent"], "tests/1.0");
    assert.equal(identity["accessKey"], null);
  });

  test("no query string, no path parameters and no stage variables are null", async () => {
    const res = await dataRequest(t, userPath(bareApi, "test", "/x"));
    assert.equal(res.status, 200);
    const event = JSON.parse(res.body) as Json;
    assert.equal(event["queryStringParameters"], null);
    assert.equal(event["multiValueQueryStringParameters"], null);
    assert.equal(event["pathParameters"], null);
    assert.equal(event["stageVariables"], null);
  });

  test("the greedy path parameter and the root resource reach the event", async () => {
    const greedy = JSON.parse((await call("/deep/er/path/?mode=echo")).body) as Json;
    assert.equal(greedy["resource"], "/{proxy+}");
    assert.equal(greedy["path"], "/deep/er/path/", "the trailing slash is kept");
    // As recorded on AWS (§11.1: `/proxy-value/` → `{"proxy": "proxy-value"}`), the greedy value drops it.
    assert.deepEqual(greedy["pathParameters"], { proxy: "deep/er/path" });
    const root = JSON.parse((await call("/?mode=echo")).body) as Json;
    assert.equal(root["resource"], "/");
    assert.equal(root["path"], "/");
  });

  test("a text body arrives as a string; a binary media type arrives base64-encoded", async () => {
    const text = JSON.parse((await call("/items/1?mode=echo", { method: "POST", body: '{"a":"é"}', headers: { "content-type": "application/json" } })).body) as Json;
    assert.equal(text["body"], '{"a":"é"}');
    assert.equal(text["isBase64Encoded"], false);
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const binary = JSON.parse((await call("/items/1?mode=echo", { method: "PUT", body: bytes, headers: { "content-type": "image/png" } })).body) as Json;
    assert.equal(binary["isBase64Encoded"], true);
    assert.equal(binary["body"], bytes.toString("base64"));
    assert.equal(binary["httpMethod"], "PUT");
  });

  test("stage variables choose the function", async () => {
    const res = await call("/staged?mode=echo");
    assert.equal(res.status, 200);
    assert.equal((JSON.parse(res.body) as Json)["resource"], "/staged");
  });

  test("TestInvokeMethod calls the function with the same event", async () => {
    const res = await t.ag.send(
      new AG.TestInvokeMethodCommand({ restApiId: apiId, resourceId: resources.get("/items/{id}")!, httpMethod: "ANY", pathWithQueryString: "/items/7?mode=echo" }),
    );
    assert.equal(res.status, 200);
    const event = JSON.parse(res.body!) as Json;
    assert.deepEqual(Object.keys(event), EVENT_KEYS);
    assert.deepEqual(event["pathParameters"], { id: "7" });
    assert.equal((event["requestContext"] as Json)["stage"], "test-invoke-stage");
  });

  describe("§11.3 response rules", () => {
    test("{statusCode: 200} alone is 200 with an empty body and Content-Type application/json", async () => {
      const res = await respondWith({ statusCode: 200 });
      assert.equal(res.status, 200);
      assert.equal(res.body, "");
      assert.equal(res.headers["content-type"], "application/json");
      assert.match(String(res.headers["x-amzn-trace-id"]), /^Root=/);
      assert.equal(res.headers["x-amz-executed-version"], undefined, "Lambda's own headers are not returned");
    });

    test("a numeric-string statusCode is used", async () => {
      assert.equal((await respondWith({ statusCode: "201", body: "made" })).status, 201);
    });

    test("no statusCode means 200", async () => {
      const res = await respondWith({ headers: { "X-A": "1" }, body: "ok" });
      assert.equal(res.status, 200);
      assert.equal(res.headers["x-a"], "1");
      assert.equal(res.body, "ok");
    });

    const malformed: [string, unknown][] = [
      ["a non-numeric statusCode", { statusCode: "test" }],
      ["an extra top-level key", { statusCode: 200, wrongValue: "x" }],
      ["a JSON string", "justAString"],
      ["a number", 42],
      ["an array", [1, 2]],
      ["null", null],
      ["multiValueHeaders with a non-array value", { statusCode: 200, multiValueHeaders: { x: "v" } }],
      ["an object body", { statusCode: 200, body: { a: 1 } }],
      ["an object header value", { statusCode: 200, headers: { x: { a: 1 } } }],
    ];
    for (const [what, response] of malformed) {
      test(`${what} is 502 Internal server error`, async () => {
        const res = await respondWith(response);
        assert.equal(res.status, 502);
        assert.equal(res.body, '{"message": "Internal server error"}');
        assert.equal(res.headers["x-amzn-errortype"], "InternalServerErrorException");
      });
    }

    test("headers: null is accepted", async () => {
      const res = await respondWith({ statusCode: 204, headers: null });
      assert.equal(res.status, 204);
    });

    test("boolean and number header values are stringified", async () => {
      const res = await respondWith({ statusCode: 200, headers: { "X-Bool": true, "X-Num": 7 } });
      assert.equal(res.headers["x-bool"], "true");
      assert.equal(res.headers["x-num"], "7");
    });

    test("multiValueHeaders become one header joined with a comma and space", async () => {
      const res = await respondWith({ statusCode: 200, multiValueHeaders: { "test-multi": ["value1", "value2"] } });
      assert.equal(res.headers["test-multi"], "value1, value2");
    });

    test("a header in both maps is merged under the multiValueHeaders casing", async () => {
      const res = await respondWith({ statusCode: 200, multiValueHeaders: { "tesT-Multi": ["value-multi"] }, headers: { "test-multi": "value-solo" } });
      assert.equal(res.headers["test-multi"], "value-multi, value-solo");
      const names = await responseHeaderNames(t, userPath(apiId, "test", "/anything?mode=raw"), {
        method: "POST",
        body: JSON.stringify({ statusCode: 200, multiValueHeaders: { "tesT-Multi": ["value-multi"] }, headers: { "test-multi": "value-solo" } }),
        headers: { "content-type": "application/json" },
      });
      assert.ok(names.includes("tesT-Multi"), `casing from multiValueHeaders in ${names.join(",")}`);
      assert.equal(names.filter((n) => n.toLowerCase() === "test-multi").length, 1);
    });

    test("isBase64Encoded bodies are decoded only when the first Accept type is a binary media type", async () => {
      const bytes = Buffer.from([0, 1, 2, 250, 251]);
      const response = { statusCode: 200, isBase64Encoded: true, headers: { "Content-Type": "image/png" }, body: bytes.toString("base64") };
      const decoded = await respondWith(response, { accept: "image/png, text/plain" });
      assert.deepEqual(decoded.raw, bytes);
      const asText = await respondWith(response, { accept: "text/plain, image/png" });
      assert.equal(asText.body, bytes.toString("base64"));
      const noAccept = await respondWith(response);
      assert.equal(noAccept.body, bytes.toString("base64"));
    });

    test("invalid base64 that must be decoded is 500", async () => {
      const res = await respondWith({ statusCode: 200, isBase64Encoded: true, body: "not base64!!" }, { accept: "image/png" });
      assert.equal(res.status, 500);
      assert.equal(res.body, '{"message": "Internal server error"}');
    });

    test("Connection, Content-Length, Date and Server from the function are remapped", async () => {
      const res = await respondWith({ statusCode: 200, headers: { Date: "yesterday", Server: "fn", "Content-Length": "999", Connection: "close" }, body: "abc" });
      assert.equal(res.headers["x-amzn-remapped-date"], "yesterday");
      assert.equal(res.headers["x-amzn-remapped-server"], "fn");
      assert.equal(res.headers["x-amzn-remapped-content-length"], "999");
      assert.equal(res.headers["x-amzn-remapped-connection"], "close");
      assert.equal(res.headers["content-length"], "3");
      assert.equal(res.body, "abc");
    });

    test("the function's own Content-Type is kept", async () => {
      const res = await respondWith({ statusCode: 200, headers: { "content-type": "text/html" }, body: "<p>" });
      assert.equal(res.headers["content-type"], "text/html");
    });
  });

  describe("failures", () => {
    test("a function error is 502 and its message never reaches the client", async () => {
      const res = await call("/anything?mode=throw");
      assert.equal(res.status, 502);
      assert.equal(res.body, '{"message": "Internal server error"}');
      assert.ok(!res.body.includes("secret"));
    });

    test("the function's own timeout is a function error: 502", async () => {
      const res = await call("/short?mode=sleep&ms=2500");
      assert.equal(res.status, 502);
      assert.equal(res.body, '{"message": "Internal server error"}');
    });

    test("timeoutInMillis answers 504 Endpoint request timed out while the function keeps running", async () => {
      const started = Date.now();
      const marker = join(t.dataDir, "finished-after-504.txt");
      const res = await call(`/impatient?mode=sleep&ms=1200&file=${encodeURIComponent(marker)}`);
      assert.equal(res.status, 504);
      assert.equal(res.body, '{"message": "Endpoint request timed out"}');
      assert.ok(Date.now() - started < 1100, "the client does not wait for the function");
      for (let i = 0; i < 60 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(existsSync(marker), "the function ran to its end");
    });

    test("a function that does not exist is 500", async () => {
      const res = await call("/missing");
      assert.equal(res.status, 500);
      assert.equal(res.body, '{"message": "Internal server error"}');
    });

    test("an integration httpMethod other than POST is 500 on every call", async () => {
      const res = await call("/get-verb?mode=echo");
      assert.equal(res.status, 500);
      assert.equal(res.body, '{"message": "Internal server error"}');
    });

    test("an event over Lambda's 6 MB limit is 413 Request Too Long", async () => {
      const res = await call("/items/1?mode=echo", { method: "POST", body: "x".repeat(6_400_000), headers: { "content-type": "text/plain" } });
      assert.equal(res.status, 413);
      assert.equal(res.body, '{"message": "Request Too Long"}');
      assert.equal(res.headers["x-amzn-errortype"], "BadRequestException");
    });
  });
});
