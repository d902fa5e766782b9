// Every management operation module, registered in one place.
import type { RouteSpec } from "../route-table.js";
import { restApiRoutes } from "./rest-apis.js";

export const ALL_ROUTES: readonly (readonly RouteSpec[])[] = [
  restApiRoutes,
];
