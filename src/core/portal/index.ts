export { buildSite, planSite, type PlannedSiteFile } from "./site.js";
export { latestRepositoryDate, type PortalInput, type SiteFile } from "./context.js";
export { isDate } from "./dates.js";
