// Every management operation module, registered in one place.
import type { RouteSpec } from "../route-table.js";
import { accountRoutes } from "./account.js";
import { apiKeyRoutes } from "./api-keys.js";
import { authorizerRoutes } from "./authorizers.js";
import { clientCertificateRoutes } from "./client-certificates.js";
import { deploymentRoutes } from "./deployments.js";
import { documentationRoutes } from "./documentation.js";
import { domainNameRoutes } from "./domain-names.js";
import { gatewayResponseRoutes } from "./gateway-responses.js";
import { integrationRoutes } from "./integrations.js";
import { lambdaFunctionRoutes } from "./lambda-functions.js";
import { methodRoutes } from "./methods.js";
import { modelRoutes } from "./models.js";
import { openApiRoutes } from "./openapi.js";
import { requestValidatorRoutes } from "./request-validators.js";
import { resourceRoutes } from "./resources.js";
import { restApiRoutes } from "./rest-apis.js";
import { stageRoutes } from "./stages.js";
import { tagRoutes } from "./tags.js";
import { testInvokeRoutes } from "./test-invoke.js";
import { testInvokeAuthorizerRoutes } from "./test-invoke-authorizer.js";
import { usagePlanRoutes } from "./usage-plans.js";
import { vpcLinkRoutes } from "./vpc-links.js";

export const ALL_ROUTES: readonly (readonly RouteSpec[])[] = [
  restApiRoutes,
  resourceRoutes,
  methodRoutes,
  integrationRoutes,
  modelRoutes,
  requestValidatorRoutes,
  authorizerRoutes,
  gatewayResponseRoutes,
  deploymentRoutes,
  stageRoutes,
  accountRoutes,
  tagRoutes,
  apiKeyRoutes,
  usagePlanRoutes,
  lambdaFunctionRoutes,
  testInvokeRoutes,
  testInvokeAuthorizerRoutes,
  openApiRoutes,
  documentationRoutes,
  domainNameRoutes,
  vpcLinkRoutes,
  clientCertificateRoutes,
];
