import type { AdminRoute } from "./admin-route.js";
import { keyAdminRoutes } from "./key-admin-routes.js";
import { leverAdminRoutes } from "./lever-admin-routes.js";
import { reportAdminRoutes } from "./report-admin-routes.js";
import { requestAdminRoutes } from "./request-admin-routes.js";
import { tenancyAdminRoutes } from "./tenancy-admin-routes.js";

/** Every admin API route; add a feature's routes here (CONTRIBUTING.md, "Add an admin route"). */
export const adminRoutes: readonly AdminRoute[] = [
  ...tenancyAdminRoutes,
  ...keyAdminRoutes,
  ...reportAdminRoutes,
  ...requestAdminRoutes,
  ...leverAdminRoutes,
];
