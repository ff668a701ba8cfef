import { EnvironmentError, HelperError, type ErrorDetails } from "@pypi-workflows/cli-kit";

/** Error codes of version-util (stable: documented in docs/troubleshooting under the same anchors). */
export const VersionErrorCode = {
  invalidVersion: "VU_INVALID_VERSION",
} as const;

/** The input is not a PEP 440 version (exit 1). */
export class InvalidVersionError extends HelperError {
  constructor(input: string, details: ErrorDetails = {}) {
    super(VersionErrorCode.invalidVersion, `"${input}" is not a valid PEP 440 version`, 1, {
      hint: "use a version such as 1.2.3, 1.2.3rc1, 1.2.3.post1 or 1.2.3.dev4 (see PEP 440)",
      ...details,
    });
  }
}

export { EnvironmentError, HelperError };
