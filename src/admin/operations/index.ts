// Every management operation module, registered in one place.
import type { RouteSpec } from "../route-table.js";
import { accountRoutes } from "./account.js";
import { apiKeyRoutes } from "./api-keys.js";
import { authorizerRoutes } from "./authorizers.js";
import { deploymentRoutes } from "./deployments.js";
import { gatewayResponseRoutes } from "./gateway-responses.js";
import { integrationRoutes } from "./integrations.js";
import { lambdaFunctionRoutes } from "./lambda-functions.js";
import { methodRoutes } from "./methods.js";
import { modelRoutes } from "./models.js";
import { requestValidatorRoutes } from "./request-validators.js";
import { resourceRoutes } from "./resources.js";
import { restApiRoutes } from "./rest-apis.js";
import { stageRoutes } from "./stages.js";
import { tagRoutes } from "./tags.js";
import { usagePlanRoutes } from "./usage-plans.js";

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
];
