export { type ArchiveLimits, DEFAULT_LIMITS } from "./archive.js";
export { checkDistributions, type CheckedFile, type DistCheckOptions, type DistCheckResult } from "./check.js";
export { CLASSIFIERS_VERSION, classifyClassifier } from "./classifiers.js";
export { CLI_SPEC, runDistCheck } from "./command.js";
export { ERROR_CODES, type DistCheckCode, ManifestUnwritableError, PathMissingError, PythonUnusableError, type Severity } from "./errors.js";
export type { Finding } from "./findings.js";
export { checkLicenseExpression } from "./license.js";
export { buildManifest, type Manifest, writeManifest } from "./manifest.js";
export { formatFinding, renderSummary, renderText } from "./report.js";
