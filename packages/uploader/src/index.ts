export { cliSpec } from "./cli-spec.js";
export { ERROR_CODES, type UploadErrorCode } from "./errors.js";
export { planUpload, type UploadPlan } from "./plan.js";
export { attemptedFiles, classifyTwineFailure, uploadWithTwine, type TwineCall, type TwineFailure, type TwineOutcome } from "./twine.js";
export { uploadDistributions, type UploadEvent, type UploadOptions, type UploadReport } from "./upload.js";
export { uploadCommand } from "./upload-command.js";
