import { copyFileSync, mkdtempSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { DistCheckResult } from "./check.js";
import type { DistFacts } from "./dist-file.js";
import { ReplaceFailedError } from "./errors.js";
import type { PublishedCopy } from "./index-check.js";

// --use-published: where the index's copies are downloaded to, and how they take the built files' place once the
// whole check passed (index-check.ts downloads them; published-source.ts decides whether they may be used).

/** A fresh directory under TMPDIR for the downloads (the caller removes it); DC_REPLACE_FAILED when none can be made. */
export function makeStaging(env: NodeJS.ProcessEnv): string {
  const parent = env.TMPDIR || tmpdir();
  try {
    return mkdtempSync(join(parent, "dist-check-published-"));
  } catch (error) {
    throw new ReplaceFailedError(`cannot make a directory for the index's copies in ${parent}: ${(error as Error).message}`, parent);
  }
}

/**
 * Puts each index copy where its built file was: every copy is first written beside its file under a dot name,
 * then renamed over it (an sdist under another name: written, then the built one removed). A copy that
 * cannot be written leaves the directory as it was.
 */
export function putInPlace(copies: PublishedCopy[], pathOf: Map<DistFacts, string>): void {
  const moves = copies.map((copy) => {
    const builtPath = pathOf.get(copy.built)!;
    const target = join(dirname(builtPath), copy.filename);
    return { copy, builtPath, target, part: join(dirname(builtPath), `.${copy.filename}.dist-check-part`) };
  });
  const written: string[] = [];
  let at = moves[0]!.builtPath;
  try {
    for (const move of moves) {
      at = move.builtPath;
      copyFileSync(move.copy.stagedPath, move.part);
      written.push(move.part);
    }
    for (const move of moves) {
      at = move.builtPath;
      renameSync(move.part, move.target);
      if (move.target !== move.builtPath) unlinkSync(move.builtPath);
    }
  } catch (error) {
    for (const part of written) rmSync(part, { force: true });
    throw new ReplaceFailedError(`cannot put the index's copy in place of ${at}: ${(error as Error).message}`, at);
  }
}

/** The result as the copies make it: each replaced file listed with the index's name, size and sha256, and what it replaced. */
export function withCopies(result: DistCheckResult, copies: PublishedCopy[]): DistCheckResult {
  const byBuilt = new Map(copies.map((c) => [c.built.filename, c]));
  const files = result.files.map((file) => {
    const copy = byBuilt.get(file.filename);
    if (!copy) return file;
    return { filename: copy.filename, kind: file.kind, size: copy.size, sha256: copy.sha256, alreadyPublished: true, replaced: { filename: file.filename, sha256: file.sha256 } };
  });
  return { ...result, files, alreadyPublished: files.filter((f) => f.alreadyPublished).length };
}
