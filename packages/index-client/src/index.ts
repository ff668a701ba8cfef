export { isTargetName, TARGETS, type IndexTarget, type TargetName } from "./endpoints.js";
export { ERROR_CODES, IndexFileSaveError, IndexUnauthorizedError, IndexUnreachableError, SAVE_ERROR_CODES } from "./errors.js";
export { filenameProjectName, normalizeProjectName, parseDistFilename, type DistFilename } from "./filenames.js";
export { scanProjectNames } from "./project-list.js";
export { resolveIndex, type IndexOptions, type ResolvedIndex } from "./resolve.js";
export { listProjectFiles, parseHtmlPage, parseJsonPage, sha256OfIndexFile, type IndexFile, type ListOptions, type ProjectFiles } from "./simple-api.js";
export {
  MANIFEST_ERROR_CODES,
  readManifest,
  sha256File,
  verifyAgainstManifest,
  type Manifest,
  type ManifestFile,
} from "./manifest.js";
