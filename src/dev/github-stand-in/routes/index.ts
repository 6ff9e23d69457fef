import type { Route } from "../http/router.js";
import { activityRoutes } from "./activity.js";
import { appRoutes } from "./apps.js";
import { checkRoutes } from "./checks.js";
import { commitRoutes } from "./commits.js";
import { contentRoutes } from "./contents.js";
import { gitObjectRoutes } from "./git-objects.js";
import { gitRefRoutes } from "./git-refs.js";
import { installationRoutes } from "./installations.js";
import { pullCreateRoutes } from "./pull-create.js";
import { pullListRoutes } from "./pull-list.js";
import { issueRoutes } from "./issues.js";
import { monitoringItemRoutes } from "./monitoring-items.js";
import { hookDeliveryRoutes } from "./hook-deliveries.js";
import { pullRoutes } from "./pulls.js";
import { repoRoutes } from "./repos.js";
import { settingsRoutes } from "./settings.js";
import { teamRoutes } from "./teams.js";

/** Every route the stand-in serves; each template is a path of the OpenAPI subset. */
export const ROUTES: readonly Route[] = [
  ...repoRoutes,
  ...activityRoutes,
  ...pullRoutes,
  ...pullListRoutes,
  ...pullCreateRoutes,
  ...commitRoutes,
  ...checkRoutes,
  ...contentRoutes,
  ...gitObjectRoutes,
  ...gitRefRoutes,
  ...teamRoutes,
  ...appRoutes,
  ...installationRoutes,
  ...settingsRoutes,
  ...monitoringItemRoutes,
  ...issueRoutes,
  ...hookDeliveryRoutes,
];
