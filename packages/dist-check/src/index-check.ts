import { listProjectFiles, parseDistFilename, sha256OfIndexFile } from "@pypi-workflows/index-client";
import { parseVersion } from "@pypi-workflows/version-util";
import type { DistFacts } from "./dist-file.js";
import type { Report } from "./findings.js";

export interface IndexCheckOptions {
  simpleUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Compares the set with what the index already has for this release: identical files are "already
 * published" (re-runs converge), the same name with other bytes or a second sdist are errors. Returns the
 * file names already there.
 */
export async function checkAgainstIndex(files: DistFacts[], name: string, version: string, options: IndexCheckOptions, reportFor: (file: string) => Report): Promise<Set<string>> {
  const listed = await listProjectFiles(options.simpleUrl, name, { ...(options.fetch ? { fetch: options.fetch } : {}), timeoutMs: options.timeoutMs ?? 30_000 });
  const published = new Set<string>();
  if (!listed.found) return published;
  const byName = new Map(listed.files.map((f) => [f.filename, f]));
  const release = parseVersion(version)?.normalized;
  for (const file of files) {
    const report = reportFor(file.filename);
    const remote = byName.get(file.filename);
    if (remote) {
      const remoteSha = remote.sha256 ?? (await sha256OfIndexFile(remote.url, options));
      if (remoteSha === file.sha256) {
        published.add(file.filename);
        report("DC_ALREADY_PUBLISHED", `already on the index with the same sha256 (${options.simpleUrl})`);
      } else {
        report("DC_FILENAME_TAKEN", `the index has ${file.filename} with sha256 ${remoteSha}, this file is ${file.sha256}`, {
          hint: `a file name can never be reused: bump the version (e.g. past ${version}) and rebuild`,
        });
      }
      continue;
    }
    if (file.kind !== "sdist") continue;
    const other = listed.files.find((f) => {
      const parsed = parseDistFilename(f.filename);
      return parsed?.kind === "sdist" && parseVersion(parsed.version)?.normalized === release;
    });
    if (other) report("DC_SDIST_EXISTS", `the index already has the sdist ${other.filename} for ${name} ${version}`, { hint: "a release holds one sdist: bump the version, or upload only the wheels" });
  }
  return published;
}
