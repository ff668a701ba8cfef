#!/usr/bin/env node
// pnpm --filter @pypi-workflows/docs generate: writes docs/reference/** and docs/troubleshooting.md from the
// built helper packages (run `pnpm build` first), the reusable workflows and the caller examples.
// --check: write nothing, exit 1 when a generated page is stale (what the docs test asserts).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderDocs, staleFiles, writeDocs } from "./lib/generate-docs.mjs";

const docsDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(docsDir, "..");
const check = process.argv.includes("--check");

const { files, warnings } = await renderDocs(root);
for (const warning of warnings) process.stderr.write(`docs: warning: ${warning}\n`);
if (check) {
  const { changed, orphans } = staleFiles(docsDir, files);
  for (const p of changed) process.stderr.write(`docs: stale: docs/${p}\n`);
  for (const p of orphans) process.stderr.write(`docs: no longer generated: docs/${p}\n`);
  if (changed.length || orphans.length) {
    process.stderr.write("docs: run `pnpm --filter @pypi-workflows/docs generate` and commit docs/\n");
    process.exitCode = 1;
  } else process.stdout.write(`docs: ${files.size} generated pages are up to date\n`);
} else {
  const { changed, orphans } = writeDocs(docsDir, files);
  process.stdout.write(`docs: ${files.size} generated pages, ${changed.length} written, ${orphans.length} removed\n`);
}
