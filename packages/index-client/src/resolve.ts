import { UsageError } from "@pypi-workflows/cli-kit";
import { isTargetName, TARGETS } from "./endpoints.js";

export interface IndexOptions {
  /** A public index by name. */
  target?: string;
  /** A Simple API root (pip's --index-url), for a private or local index. */
  indexUrl?: string;
  /** Its upload endpoint, when something is uploaded. */
  uploadUrl?: string;
}

export interface ResolvedIndex {
  /** "pypi", "testpypi" or "custom". */
  name: string;
  simpleUrl: string;
  uploadUrl: string | undefined;
  /** A public index's rule (IndexTarget.closesReleasesAfterDays); absent for an index given by URL. */
  closesReleasesAfterDays?: number;
  /** A public index's rule (IndexTarget.checksNewProjectNames); absent for an index given by URL. */
  checksNewProjectNames?: boolean;
  /** A public index's rule (IndexTarget.projectSizeLimitBytes); absent for an index given by URL. */
  projectSizeLimitBytes?: number;
}

/** Options -> the index to use: a target name, or explicit URLs (which win over the target's). */
export function resolveIndex(options: IndexOptions): ResolvedIndex {
  const { target, indexUrl, uploadUrl } = options;
  if (target !== undefined && !isTargetName(target)) {
    throw new UsageError(`unknown --target "${target}"`, "use --target pypi or --target testpypi, or --index-url URL");
  }
  if (indexUrl !== undefined) checkUrl(indexUrl, "--index-url");
  if (uploadUrl !== undefined) checkUrl(uploadUrl, "--upload-url");
  const known = target === undefined ? undefined : TARGETS[target];
  const simpleUrl = withSlash(indexUrl ?? known?.simpleUrl);
  if (!simpleUrl) throw new UsageError("no index given", "pass --target pypi|testpypi or --index-url URL");
  const publicIndex = indexUrl === undefined ? known : undefined;
  return {
    name: publicIndex ? publicIndex.name : "custom",
    simpleUrl,
    uploadUrl: uploadUrl ?? publicIndex?.uploadUrl,
    ...(publicIndex
      ? {
          closesReleasesAfterDays: publicIndex.closesReleasesAfterDays,
          checksNewProjectNames: publicIndex.checksNewProjectNames,
          projectSizeLimitBytes: publicIndex.projectSizeLimitBytes,
        }
      : {}),
  };
}

function checkUrl(value: string, flag: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} "${withoutUserinfo(value)}" is not a URL`, `pass an absolute http(s) URL to ${flag}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UsageError(`${flag} must be http(s), got ${url.protocol}`, `pass an http(s) URL to ${flag}`);
  }
  if (url.username || url.password) {
    throw new UsageError(`${flag} must not contain credentials`, "pass credentials through the environment instead");
  }
}

/**
 * A string that failed to parse as a URL, fit to print: whatever comes before its last "@" may be a user name
 * and password (https://user:pa/ss@host/ fails to parse because of the "/"), so it is replaced by ***.
 */
function withoutUserinfo(value: string): string {
  const at = value.lastIndexOf("@");
  if (at < 0) return value;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? "";
  return `${scheme}***${value.slice(at)}`;
}

function withSlash(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  return url.endsWith("/") ? url : `${url}/`;
}
