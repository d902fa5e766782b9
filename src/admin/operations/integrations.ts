// Placeholder until its module lands (no routes registered yet).
import type { RouteSpec } from "../route-table.js";

export const integrationRoutes: readonly RouteSpec[] = [];
