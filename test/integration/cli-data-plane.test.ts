// Issue #3's "done when", with the clients a user has: an API built only with the AWS CLI (nested resources, path
// parameters, a greedy proxy, HTTP and MOCK integrations with templates, stage variables, a gateway response),
// then called with curl over HTTPS — host-style and path-style addressing, HTTP/2 by ALPN, the generated
// certificate trusted with --cacert.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { awsCliJson, runAwsCli } from "../helpers/aws-cli.js";
import { startUpstream, type Upstream } from "../helpers/dataplane.js";

const run = promisify(execFile);

interface CurlResponse {
  readonly status: number;
  readonly httpVersion: string;
  /** Lower-case names. */
  readonly headers: Map<string, string>;
  readonly body: string;
}

describe("AWS CLI + curl: the data plane end to end (issue #3)", () => {
  let t: TestGateway;
  let upstream: Upstream;
  let apiId = "";

  before(async () => {
    // The backend echoes what it received; a pet called "missing" is a 404, uploads are 201.
    upstream = await startUpstream((req, res, body) => {
      const status = req.url?.includes("/missing/") ? 404 : req.method === "POST" ? 201 : 200;
      res.writeHead(status, { "content-type": "application/json", "x-backend": "echo" });
      res.end(JSON.stringify({ method: req.method, url: req.url, body: body.toString("utf8"), tenant: req.headers["x-tenant"] ?? null }));
    });
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
    await upstream.close();
  });

  const aws = (...args: string[]): Promise<Record<string, unknown>> => awsCliJson(t.endpoint, ["apigateway", ...args]);

  async function curl(url: string, args: readonly string[] = []): Promise<CurlResponse> {
    const port = t.gw.dataPort;
    const { stdout } = await run("curl", [
      "-sS",
      "-i",
      "--cacert",
      t.gw.dataPlane.certFile,
      "--resolve",
      `${apiId}.execute-api.localhost:${port}:127.0.0.1`,
      ...args,
      url,
    ]);
    const split = stdout.indexOf("\r\n\r\n");
    const head = stdout.slice(0, split).split("\r\n");
    const [, httpVersion = "", status = "0"] = /^HTTP\/(\S+) (\d+)/.exec(head[0] ?? "") ?? [];
    const headers = new Map(head.slice(1).map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
    return { status: Number(status), httpVersion, headers, body: stdout.slice(split + 4) };
  }
  const hostStyle = (path: string): string => `https://${apiId}.execute-api.localhost:${t.gw.dataPort}${path}`;
  const pathStyle = (path: string): string => `https://localhost:${t.gw.dataPort}/restapis/${apiId}/dev/_user_request_${path}`;

  test("build the API with the CLI and deploy it with stage variables", async () => {
    const api = await aws("create-rest-api", "--name", "cli-data-plane");
    apiId = api["id"] as string;
    const root = api["rootResourceId"] as string;
    const resource = async (parentId: string, pathPart: string): Promise<string> =>
      (await aws("create-resource", "--rest-api-id", apiId, "--parent-id", parentId, "--path-part", pathPart))["id"] as string;
    const pets = await resource(root, "pets");
    const pet = await resource(pets, "{petId}");
    const toys = await resource(pet, "toys");
    const files = await resource(root, "files");
    const greedy = await resource(files, "{proxy+}");
    const mock = await resource(root, "mock");

    // GET /pets/{petId}/toys: HTTP (non-proxy), backend host from a stage variable, parameters and templates both ways.
    await aws("put-method", "--rest-api-id", apiId, "--resource-id", toys, "--http-method", "GET", "--authorization-type", "NONE",
      "--request-parameters", "method.request.path.petId=true,method.request.querystring.limit=false,method.request.header.X-Tenant=false");
    await aws("put-integration", "--rest-api-id", apiId, "--resource-id", toys, "--http-method", "GET", "--type", "HTTP",
      "--integration-http-method", "POST", "--uri", "http://${stageVariables.backend}/pets/{id}/toys",
      "--request-parameters", JSON.stringify({
        "integration.request.path.id": "method.request.path.petId",
        "integration.request.querystring.max": "method.request.querystring.limit",
        "integration.request.header.X-Tenant": "'acme'",
      }),
      "--request-templates", JSON.stringify({ "application/json": '{"pet":"$input.params(\'petId\')","label":"$stageVariables.label","limit":"$input.params(\'limit\')"}' }),
      "--passthrough-behavior", "WHEN_NO_TEMPLATES");
    for (const status of ["200", "404"]) {
      await aws("put-method-response", "--rest-api-id", apiId, "--resource-id", toys, "--http-method", "GET", "--status-code", status,
        "--response-parameters", "method.response.header.X-Backend=false");
    }
    await aws("put-integration-response", "--rest-api-id", apiId, "--resource-id", toys, "--http-method", "GET", "--status-code", "200",
      "--response-parameters", "method.response.header.X-Backend=integration.response.header.x-backend",
      "--response-templates", JSON.stringify({ "application/json": '{"backendUrl":"$input.path(\'$.url\')","tenant":"$input.path(\'$.tenant\')","sent":$input.path(\'$.body\')}' }));
    await aws("put-integration-response", "--rest-api-id", apiId, "--resource-id", toys, "--http-method", "GET", "--status-code", "404",
      "--selection-pattern", "404", "--response-templates", JSON.stringify({ "application/json": '{"error":"no such pet: $input.params(\'petId\')"}' }));

    // ANY /files/{proxy+}: HTTP_PROXY.
    await aws("put-method", "--rest-api-id", apiId, "--resource-id", greedy, "--http-method", "ANY", "--authorization-type", "NONE",
      "--request-parameters", "method.request.path.proxy=true");
    await aws("put-integration", "--rest-api-id", apiId, "--resource-id", greedy, "--http-method", "ANY", "--type", "HTTP_PROXY",
      "--integration-http-method", "ANY", "--uri", `${upstream.url}/storage/{proxy}`,
      "--request-parameters", "integration.request.path.proxy=method.request.path.proxy");

    // GET /mock: MOCK with a response template reading the stage and its variables.
    await aws("put-method", "--rest-api-id", apiId, "--resource-id", mock, "--http-method", "GET", "--authorization-type", "NONE");
    await aws("put-integration", "--rest-api-id", apiId, "--resource-id", mock, "--http-method", "GET", "--type", "MOCK",
      "--request-templates", JSON.stringify({ "application/json": '{"statusCode": 200}' }));
    await aws("put-method-response", "--rest-api-id", apiId, "--resource-id", mock, "--http-method", "GET", "--status-code", "200");
    await aws("put-integration-response", "--rest-api-id", apiId, "--resource-id", mock, "--http-method", "GET", "--status-code", "200",
      "--response-templates", JSON.stringify({ "application/json": '{"stage":"$context.stage","label":"$stageVariables.label","resource":"$context.resourcePath"}' }));

    // No route: a custom gateway response instead of AWS's default 403. (In the CLI's shorthand syntax the single
    // quotes of a static value are string quotes and vanish — AWS then refuses the bare word; JSON keeps them.)
    const shorthand = await runAwsCli(t.endpoint, ["apigateway", "put-gateway-response", "--rest-api-id", apiId, "--response-type",
      "MISSING_AUTHENTICATION_TOKEN", "--response-parameters", "gatewayresponse.header.X-Gateway='tollgate'"]);
    assert.notEqual(shorthand.code, 0);
    assert.match(shorthand.stderr, /BadRequestException.*Invalid mapping expression specified: Validation Result: warnings : \[\], errors : \[Invalid mapping expression specified: tollgate\]/);
    await aws("put-gateway-response", "--rest-api-id", apiId, "--response-type", "MISSING_AUTHENTICATION_TOKEN", "--status-code", "404",
      "--response-parameters", JSON.stringify({ "gatewayresponse.header.X-Gateway": "'tollgate'" }),
      "--response-templates", JSON.stringify({ "application/json": '{"message":"No such route","type":"$context.error.responseType"}' }));

    const deployment = await aws("create-deployment", "--rest-api-id", apiId, "--stage-name", "dev",
      "--variables", `backend=127.0.0.1:${upstream.port},label=blue`);
    assert.match(deployment["id"] as string, /^[a-z0-9]+$/);
  });

  test("HTTP integration: stage-variable URI, mapped path/query/header, request and response templates", async () => {
    const res = await curl(hostStyle("/dev/pets/7/toys?limit=3"), ["-H", "Content-Type: application/json"]);
    assert.equal(res.status, 200);
    assert.equal(res.httpVersion, "2", "curl negotiates HTTP/2 by ALPN");
    assert.equal(res.headers.get("x-backend"), "echo");
    assert.match(res.headers.get("x-amzn-requestid") ?? "", /^[0-9a-f-]{36}$/);
    assert.ok(res.headers.has("x-amz-apigw-id"));
    assert.deepEqual(JSON.parse(res.body), {
      backendUrl: "/pets/7/toys?max=3",
      tenant: "acme",
      sent: { pet: "7", label: "blue", limit: "3" },
    });
    const call = upstream.seen.at(-1)!;
    assert.equal(call.method, "POST");
  });

  test("a selection pattern picks the integration response for the backend's 404", async () => {
    const res = await curl(hostStyle("/dev/pets/missing/toys"));
    assert.equal(res.status, 404);
    assert.deepEqual(JSON.parse(res.body), { error: "no such pet: missing" });
  });

  test("HTTP_PROXY through a greedy path: verb, path, body and status pass through", async () => {
    const res = await curl(hostStyle("/dev/files/reports/2026/q3.txt"), ["-X", "POST", "--data-binary", "hello files", "-H", "Content-Type: text/plain"]);
    assert.equal(res.status, 201);
    assert.deepEqual(JSON.parse(res.body), { method: "POST", url: "/storage/reports/2026/q3.txt", body: "hello files", tenant: null });
  });

  test("MOCK answers from its template, path-style addressing too, over HTTP/1.1", async () => {
    const res = await curl(pathStyle("/mock"), ["--http1.1"]);
    assert.equal(res.status, 200);
    assert.equal(res.httpVersion, "1.1");
    assert.deepEqual(JSON.parse(res.body), { stage: "dev", label: "blue", resource: "/mock" });
  });

  test("no route: the customised gateway response, with AWS's error type header", async () => {
    const res = await curl(hostStyle("/dev/nowhere"));
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("x-gateway"), "tollgate");
    assert.equal(res.headers.get("x-amzn-errortype"), "MissingAuthenticationTokenException");
    assert.deepEqual(JSON.parse(res.body), { message: "No such route", type: "MISSING_AUTHENTICATION_TOKEN" });
  });

  test("an unknown stage is 403 Forbidden; a stage variable change applies without a redeploy", async () => {
    const unknown = await curl(hostStyle("/prod/mock"));
    assert.equal(unknown.status, 403);
    assert.deepEqual(JSON.parse(unknown.body), { message: "Forbidden" });
    await aws("update-stage", "--rest-api-id", apiId, "--stage-name", "dev", "--patch-operations", "op=replace,path=/variables/label,value=green");
    let label = "";
    for (let i = 0; i < 50 && label !== "green"; i++) {
      label = (JSON.parse((await curl(hostStyle("/dev/mock"))).body) as { label: string }).label;
      if (label !== "green") await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(label, "green");
  });

  test("plain HTTP on the data-plane port is never served", async () => {
    await assert.rejects(run("curl", ["-sS", "--max-time", "5", `http://127.0.0.1:${t.gw.dataPort}/restapis/${apiId}/dev/_user_request_/mock`]));
  });
});
