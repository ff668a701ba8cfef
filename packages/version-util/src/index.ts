export { InvalidVersionError, VersionErrorCode } from "./errors.js";
export {
  compareVersions,
  isPrerelease,
  isValidVersion,
  normalizeVersion,
  parseVersion,
  requireVersion,
  sortVersions,
  type ParsedVersion,
} from "./pep440.js";
