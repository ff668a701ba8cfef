export { bumpVersion } from "./bump.js";
export { bumpProject, type BumpResult } from "./bump-project.js";
export { checkTag, type TagCheck } from "./check-tag.js";
export { versionUtil } from "./commands.js";
export { nextReleaseAfter, readCurrentVersion, type CurrentVersion, type ProjectContext } from "./current.js";
export { chooseBase, computeDevVersion, existingDevNumbers, PRETEND_ENV, type DevVersion, type DevVersionOptions } from "./dev-version.js";
export { setTomlVersion } from "./edit-toml.js";
export {
  ERROR_CODES,
  InvalidVersionError,
  VersionErrorCode,
  VersionUtilEnvironmentError,
  VersionUtilError,
  type VersionUtilCode,
} from "./errors.js";
export {
  compareVersions,
  formatVersion,
  isPrerelease,
  isValidVersion,
  normalizeVersion,
  parseVersion,
  PYTHON_WHITESPACE,
  requireVersion,
  sortVersions,
  stripPythonWhitespace,
  type ParsedVersion,
  type VersionParts,
} from "./pep440.js";
export { findVersionDeclaration, readProjectName, type VersionDeclaration, type VersionSource } from "./source.js";
export { planVersionEdits, writeVersion, type VersionEdit } from "./set-version.js";
export { CLI_SPEC } from "./spec.js";
export { stripTagRef, tryVersionFromTag, versionFromTag, type TagVersion } from "./tag.js";
