// The conformance scenarios' "pets API" fixture, deployed: CreateRestApi → /pets GET with a MOCK integration →
// CreateDeployment to the given stages. Usage plans and stage keys need a real stage to point at.
import * as AG from "@aws-sdk/client-api-gateway";

export async function deployPetsApi(ag: AG.APIGatewayClient, stages: readonly string[] = ["dev"]): Promise<string> {
  const api = await ag.send(new AG.CreateRestApiCommand({ name: "pets" }));
  const restApiId = api.id!;
  const pets = await ag.send(new AG.CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: "pets" }));
  const resourceId = pets.id!;
  await ag.send(new AG.PutMethodCommand({ restApiId, resourceId, httpMethod: "GET", authorizationType: "NONE", apiKeyRequired: true }));
  await ag.send(
    new AG.PutIntegrationCommand({ restApiId, resourceId, httpMethod: "GET", type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }),
  );
  await ag.send(new AG.PutMethodResponseCommand({ restApiId, resourceId, httpMethod: "GET", statusCode: "200" }));
  await ag.send(
    new AG.PutIntegrationResponseCommand({
      restApiId,
      resourceId,
      httpMethod: "GET",
      statusCode: "200",
      selectionPattern: "",
      responseTemplates: { "application/json": '{"ok":true}' },
    }),
  );
  for (const stageName of stages) await ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName }));
  return restApiId;
}
