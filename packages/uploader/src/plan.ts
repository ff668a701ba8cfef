import type { IndexFile, Manifest, ManifestFile } from "@pypi-workflows/index-client";
import { uploadError } from "./errors.js";
import { compareCodeUnits } from "@pypi-workflows/cli-kit";

export interface UploadPlan {
  /** Files the index lacks, in upload order (wheels first, the sdist last). */
  upload: ManifestFile[];
  /** Files the index already has with the same sha256: re-runs converge. */
  skip: ManifestFile[];
}

/**
 * Compares what we built with what the index holds for this project. Refuses before any upload when a
 * file name exists with other bytes or the release already has another sdist: nothing is half done.
 */
export function planUpload(manifest: Manifest, onIndex: readonly IndexFile[]): UploadPlan {
  const byName = new Map(onIndex.map((f) => [f.filename, f]));
  const plan: UploadPlan = { upload: [], skip: [] };
  for (const file of manifest.files) {
    const existing = byName.get(file.filename);
    if (!existing) {
      plan.upload.push(file);
    } else if (existing.sha256 === undefined || existing.sha256 === file.sha256) {
      plan.skip.push(file);
    } else {
      throw uploadError(
        "UP_FILE_CONFLICT",
        `${file.filename} is already on the index with different bytes (index sha256 ${existing.sha256}, ours ${file.sha256})`,
        { filename: file.filename },
      );
    }
  }
  const ourSdist = manifest.files.find((f) => f.kind === "sdist");
  const otherSdist = onIndex.find(
    (f) => ourSdist && f.filename !== ourSdist.filename && f.version === manifest.version && isSdist(f.filename),
  );
  if (ourSdist && otherSdist && plan.upload.includes(ourSdist)) {
    throw uploadError("UP_SDIST_CONFLICT", `release ${manifest.version} already has the sdist ${otherSdist.filename}`, {
      filename: otherSdist.filename,
    });
  }
  plan.upload.sort((a, b) => (a.kind === b.kind ? compareCodeUnits(a.filename, b.filename) : a.kind === "wheel" ? -1 : 1));
  return plan;
}

function isSdist(filename: string): boolean {
  return filename.endsWith(".tar.gz") || filename.endsWith(".zip");
}
