// Copies what the published package needs at run time into dist/assets: the reusable workflows it rehearses
// and the pinned Python requirements of the tools venv. Copies, made at build time, so the repository keeps
// one source of each.
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..", "..");
const assets = join(import.meta.dirname, "..", "dist", "assets");
mkdirSync(join(assets, "workflows"), { recursive: true });
for (const file of ["build.yml", "testpypi.yml", "pypi.yml", "release.yml"]) {
  copyFileSync(join(root, ".github", "workflows", file), join(assets, "workflows", file));
}
copyFileSync(join(root, "tools", "python", "requirements.txt"), join(assets, "requirements.txt"));
