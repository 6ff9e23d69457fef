export { buildSite, planSite, type PlannedSiteFile } from "./site.js";
export {
  latestRepositoryDate,
  portalRecordFacts,
  type PortalInput,
  type PortalRecordFacts,
  type SiteFile,
} from "./context.js";
export { isDate } from "./dates.js";
