import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createEndpointResolver } from "../../src/dataplane/routing/endpoint-resolver.js";

describe("endpoint resolution", () => {
  const resolver = createEndpointResolver("execute-api.localhost");

  test("host style takes the API id from the host (any case, any port) and the stage from the first segment", () => {
    assert.deepEqual(resolver.resolve("A1B2C3D4E5.execute-api.localhost:8443", "/prod/pets/1"), {
      apiId: "a1b2c3d4e5",
      stageName: "prod",
      resourcePath: "/pets/1",
      contextPath: "/prod/pets/1",
    });
  });

  test("the stage alone routes to the root; leading duplicate slashes collapse before the stage", () => {
    assert.equal(resolver.resolve("abc.execute-api.localhost", "/prod")?.resourcePath, "");
    assert.equal(resolver.resolve("abc.execute-api.localhost", "//prod/x")?.stageName, "prod");
  });

  test("no stage segment or a foreign host resolves to nothing (403 Forbidden)", () => {
    assert.equal(resolver.resolve("abc.execute-api.localhost", "/"), undefined);
    assert.equal(resolver.resolve("example.com", "/prod/x"), undefined);
    assert.equal(resolver.resolve("a.b.execute-api.localhost", "/prod/x"), undefined);
    assert.equal(resolver.resolve(undefined, "/prod/x"), undefined);
  });

  test("path style works on any host and keeps the raw resource path", () => {
    assert.deepEqual(resolver.resolve("127.0.0.1:1234", "/restapis/abc/dev/_user_request_/a%2Fb//c/"), {
      apiId: "abc",
      stageName: "dev",
      resourcePath: "/a%2Fb//c/",
      contextPath: "/dev/a%2Fb//c/",
    });
    assert.equal(resolver.resolve("localhost", "/restapis/abc/dev/_user_request_")?.resourcePath, "");
    assert.equal(resolver.resolve("localhost", "/restapis/abc/dev/_user_request_x"), undefined);
    assert.equal(resolver.resolve("localhost", "/restapis/abc/dev/other"), undefined);
  });
});
