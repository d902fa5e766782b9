// Custom domain names and base path mappings (control-plane.md §3.17, §5.1, §7; sdk-conformance.md scenario 61).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { ACCOUNT, REGION, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { createDeployedPetsApi, sdkError } from "../helpers/fixtures.js";

const CERT = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/x`;

describe("Domain names and base path mappings", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  const regional = (domainName: string, extra: Partial<AG.CreateDomainNameRequest> = {}) =>
    t.ag.send(new AG.CreateDomainNameCommand({ domainName, regionalCertificateArn: CERT, endpointConfiguration: { types: ["REGIONAL"] }, ...extra }));

  test("a regional domain with a (none) mapping and a duplicate base path (scenario 61)", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const domainName = "api.example.test";
    const created = await regional(domainName);
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.domainName, domainName);
    assert.match(created.regionalDomainName!, new RegExp(`^d-[a-z0-9]{10}\\.execute-api\\.${REGION}\\.amazonaws\\.com$`));
    assert.equal(created.regionalHostedZoneId, "Z1UJRXOUMOOFQ8");
    assert.equal(created.regionalCertificateArn, CERT);
    assert.equal(created.domainNameStatus, "AVAILABLE");
    assert.equal(created.securityPolicy, "TLS_1_2");
    assert.deepEqual(created.endpointConfiguration?.types, ["REGIONAL"]);
    assert.equal(created.domainNameArn, `arn:aws:apigateway:${REGION}::/domainnames/${domainName}`);

    const none = await t.ag.send(new AG.CreateBasePathMappingCommand({ domainName, restApiId, stage: "dev" }));
    assert.equal(none.$metadata.httpStatusCode, 201);
    assert.equal(none.basePath, "(none)");
    assert.equal(none.restApiId, restApiId);
    assert.equal(none.stage, "dev");
    const got = await t.ag.send(new AG.GetBasePathMappingCommand({ domainName, basePath: "(none)" }));
    assert.equal(got.$metadata.httpStatusCode, 200);
    assert.equal(got.restApiId, restApiId);

    const v1 = await t.ag.send(new AG.CreateBasePathMappingCommand({ domainName, restApiId, basePath: "v1" }));
    assert.equal(v1.stage, undefined, "stage is omitted when not given");
    await assert.rejects(
      t.ag.send(new AG.CreateBasePathMappingCommand({ domainName, restApiId, basePath: "v1" })),
      sdkError(AG.ConflictException, 409, "Base path already exists for this domain name"),
    );
    const list = await t.ag.send(new AG.GetBasePathMappingsCommand({ domainName }));
    assert.deepEqual(list.items!.map((m) => m.basePath), ["(none)", "v1"]);
  });

  test("an edge domain gets a CloudFront target; duplicates, unknown names and listing", async () => {
    const created = await t.ag.send(new AG.CreateDomainNameCommand({ domainName: "edge.example.test", certificateArn: CERT, tags: { team: "core" } }));
    assert.deepEqual(created.endpointConfiguration?.types, ["EDGE"]);
    assert.match(created.distributionDomainName!, /^d[a-z0-9]{13}\.cloudfront\.net$/);
    assert.equal(created.distributionHostedZoneId, "Z2FDTNDATAQYW2");
    assert.ok(created.certificateUploadDate instanceof Date);
    assert.deepEqual(created.tags, { team: "core" });
    await assert.rejects(
      t.ag.send(new AG.CreateDomainNameCommand({ domainName: "edge.example.test", certificateArn: CERT })),
      sdkError(AG.ConflictException, 409, "Domain name with ID edge.example.test already exists"),
    );
    await assert.rejects(
      t.ag.send(new AG.GetDomainNameCommand({ domainName: "nope.example.test" })),
      sdkError(AG.NotFoundException, 404, "Invalid domain name identifier specified"),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateDomainNameCommand({ domainName: "not a host", certificateArn: CERT })),
      sdkError(AG.BadRequestException, 400),
    );
    const list = await t.ag.send(new AG.GetDomainNamesCommand({}));
    assert.ok(list.items!.some((d) => d.domainName === "edge.example.test"));

    const tags = await t.ag.send(new AG.GetTagsCommand({ resourceArn: created.domainNameArn! }));
    assert.deepEqual(tags.tags, { team: "core" });
    await t.ag.send(new AG.TagResourceCommand({ resourceArn: created.domainNameArn!, tags: { env: "test" } }));
    const tagged = await t.ag.send(new AG.GetDomainNameCommand({ domainName: "edge.example.test" }));
    assert.deepEqual(tagged.tags, { team: "core", env: "test" });
  });

  test("UpdateDomainName replaces certificates, the security policy and the endpoint type", async () => {
    await regional("update.example.test");
    const update = (patchOperations: AG.PatchOperation[]) =>
      t.ag.send(new AG.UpdateDomainNameCommand({ domainName: "update.example.test", patchOperations }));
    const newCert = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/y`;
    const updated = await update([
      { op: "replace", path: "/regionalCertificateArn", value: newCert },
      { op: "replace", path: "/securityPolicy", value: "TLS_1_0" },
    ]);
    assert.equal(updated.regionalCertificateArn, newCert);
    assert.equal(updated.securityPolicy, "TLS_1_0");
    const edge = await update([{ op: "replace", path: "/endpointConfiguration/types/REGIONAL", value: "EDGE" }]);
    assert.deepEqual(edge.endpointConfiguration?.types, ["EDGE"]);
    assert.equal(edge.regionalDomainName, undefined);
    assert.match(edge.distributionDomainName!, /cloudfront\.net$/);
    await assert.rejects(update([{ op: "replace", path: "/domainName", value: "x" }]), sdkError(AG.BadRequestException, 400, "Invalid patch path /domainName"));
    await assert.rejects(
      update([{ op: "replace", path: "/securityPolicy", value: "TLS_9" }]),
      sdkError("ValidationException", 400, /Member must satisfy enum value set: \[TLS_1_0, TLS_1_2\]/),
    );
    const del = await t.ag.send(new AG.DeleteDomainNameCommand({ domainName: "update.example.test" }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    await assert.rejects(t.ag.send(new AG.GetDomainNameCommand({ domainName: "update.example.test" })), sdkError(AG.NotFoundException, 404));
  });

  test("mapping targets are checked: unknown API or stage is a BadRequest, slashes are refused", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const domainName = "checks.example.test";
    await regional(domainName);
    await assert.rejects(
      t.ag.send(new AG.CreateBasePathMappingCommand({ domainName, restApiId: "doesnotexi" })),
      sdkError(AG.BadRequestException, 400, "Invalid REST API identifier specified"),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateBasePathMappingCommand({ domainName, restApiId, stage: "nope" })),
      sdkError(AG.BadRequestException, 400, "Invalid stage identifier specified"),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateBasePathMappingCommand({ domainName, restApiId, basePath: "v1/x" })),
      sdkError(
        AG.BadRequestException,
        400,
        "API Gateway V1 doesn't support the slash character (/) in base path mappings. To create a multi-level base path mapping, use API Gateway V2.",
      ),
    );
    await assert.rejects(
      t.ag.send(new AG.CreateBasePathMappingCommand({ domainName: "nope.example.test", restApiId })),
      sdkError(AG.NotFoundException, 404, "Invalid domain name identifier specified"),
    );
    await assert.rejects(
      t.ag.send(new AG.GetBasePathMappingCommand({ domainName, basePath: "v9" })),
      sdkError(AG.NotFoundException, 404, "Invalid base path mapping identifier specified"),
    );
  });

  test("UpdateBasePathMapping renames and retargets a mapping; DeleteBasePathMapping removes it", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const other = await createDeployedPetsApi(t.ag, "prod");
    const domainName = "mappings.example.test";
    await regional(domainName);
    await t.ag.send(new AG.CreateBasePathMappingCommand({ domainName, restApiId, basePath: "v1", stage: "dev" }));
    await t.ag.send(new AG.CreateBasePathMappingCommand({ domainName, restApiId, basePath: "v2" }));
    const update = (basePath: string, patchOperations: AG.PatchOperation[]) =>
      t.ag.send(new AG.UpdateBasePathMappingCommand({ domainName, basePath, patchOperations }));
    const moved = await update("v1", [
      { op: "replace", path: "/basePath", value: "v3" },
      { op: "replace", path: "/restapiId", value: other.restApiId },
      { op: "replace", path: "/stage", value: "prod" },
    ]);
    assert.deepEqual({ basePath: moved.basePath, restApiId: moved.restApiId, stage: moved.stage }, { basePath: "v3", restApiId: other.restApiId, stage: "prod" });
    await assert.rejects(t.ag.send(new AG.GetBasePathMappingCommand({ domainName, basePath: "v1" })), sdkError(AG.NotFoundException, 404));
    await assert.rejects(update("v3", [{ op: "replace", path: "/basePath", value: "v2" }]), sdkError(AG.ConflictException, 409));
    await assert.rejects(update("v3", [{ op: "replace", path: "/stage", value: "dev" }]), sdkError(AG.BadRequestException, 400, "Invalid stage identifier specified"));
    const none = await update("v2", [{ op: "replace", path: "/basePath", value: "" }]);
    assert.equal(none.basePath, "(none)");
    const del = await t.ag.send(new AG.DeleteBasePathMappingCommand({ domainName, basePath: "(none)" }));
    assert.equal(del.$metadata.httpStatusCode, 202);
    const left = await t.ag.send(new AG.GetBasePathMappingsCommand({ domainName }));
    assert.deepEqual(left.items!.map((m) => m.basePath), ["v3"]);
  });

  test("deleting the mapped stage or API removes its mappings", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const domainName = "cascade.example.test";
    await regional(domainName);
    await t.ag.send(new AG.CreateBasePathMappingCommand({ domainName, restApiId, basePath: "staged", stage: "dev" }));
    await t.ag.send(new AG.CreateBasePathMappingCommand({ domainName, restApiId, basePath: "whole" }));
    await t.ag.send(new AG.DeleteStageCommand({ restApiId, stageName: "dev" }));
    let left = await t.ag.send(new AG.GetBasePathMappingsCommand({ domainName }));
    assert.deepEqual(left.items!.map((m) => m.basePath), ["whole"]);
    await t.ag.send(new AG.DeleteRestApiCommand({ restApiId }));
    left = await t.ag.send(new AG.GetBasePathMappingsCommand({ domainName }));
    assert.deepEqual(left.items ?? [], []);
  });
});
