import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { pythonTools, tempDir } from "@pypi-workflows/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { CLASSIFIERS_VERSION, checkDistributions } from "../src/index.js";
import { DEFECTS, type Defect } from "./support/generate.js";
import { buildGood, GOOD_PROJECTS } from "./support/good-projects.js";
import { checkWheelContents, type PeerVerdict, twineCheck } from "./support/peers.js";

const TABLE = fileURLToPath(new URL("../generated/comparison.md", import.meta.url));

interface Row {
  id: string;
  file: string;
  kind: "wheel" | "sdist";
  group: string;
  distCheck: PeerVerdict;
  twine: PeerVerdict;
  cwc: PeerVerdict | undefined;
  defect?: Defect;
}

let root: string;
const rows: Row[] = [];

async function distCheckVerdict(file: string): Promise<PeerVerdict> {
  const result = await checkDistributions({ paths: [file], cwd: root, env: process.env, python: pythonTools().python, strict: true });
  const codes = [...new Set(result.findings.filter((f) => f.severity !== "info").map((f) => f.code))];
  return result.ok ? { rejects: false, detail: "passes" } : { rejects: true, detail: `rejects (${codes.join(", ")})` };
}

beforeAll(async () => {
  root = tempDir("dc-corpus-");
  const good = await Promise.all(GOOD_PROJECTS.map(async (p) => ({ project: p, files: await buildGood(p, join(root, "src"), join(root, "good")) })));
  const entries: Omit<Row, "distCheck" | "twine" | "cwc">[] = [];
  for (const { project, files } of good) {
    for (const file of files) entries.push({ id: `${project.id}/${basename(file)}`, file: relative(root, file), kind: file.endsWith(".whl") ? "wheel" : "sdist", group: project.backend });
  }
  for (const defect of DEFECTS) {
    const dir = join(root, "broken", defect.id);
    mkdirSync(dir, { recursive: true });
    entries.push({ id: defect.id, file: relative(root, defect.make(dir)), kind: defect.kind, group: defect.family, defect });
  }
  const [twine, cwc] = await Promise.all([
    twineCheck(entries.map((e) => e.file), root),
    checkWheelContents(entries.filter((e) => e.kind === "wheel").map((e) => e.file), root),
  ]);
  for (const entry of entries) {
    rows.push({ ...entry, distCheck: await distCheckVerdict(join(root, entry.file)), twine: twine.get(entry.file)!, cwc: cwc.get(entry.file) });
  }
}, 240_000);

describe("corpus: dist-check beside twine check --strict and check-wheel-contents", () => {
  it("built every shape of good distribution", () => {
    const good = rows.filter((r) => !r.defect);
    expect(good.filter((r) => r.kind === "wheel").length).toBe(GOOD_PROJECTS.length);
    expect(good.filter((r) => r.kind === "sdist").length).toBe(GOOD_PROJECTS.length);
    expect(good.some((r) => /-(linux|manylinux)[^-]*\.whl$/.test(r.file))).toBe(true);
  });

  it("passes every good file (and so do the peers)", () => {
    const good = rows.filter((r) => !r.defect);
    expect(good.filter((r) => r.distCheck.rejects).map((r) => `${r.id}: ${r.distCheck.detail}`)).toEqual([]);
    expect(good.filter((r) => r.twine.rejects || r.cwc?.rejects).map((r) => r.id)).toEqual([]);
  });

  it("rejects every broken file, with the defect's own code, including each one a peer rejects", () => {
    const broken = rows.filter((r) => r.defect);
    expect(broken.filter((r) => !r.distCheck.rejects || !r.distCheck.detail.includes(r.defect!.code)).map((r) => r.id)).toEqual([]);
    const peerRejects = broken.filter((r) => r.twine.rejects || r.cwc?.rejects);
    expect(peerRejects.length).toBeGreaterThan(5);
    expect(peerRejects.filter((r) => !r.distCheck.rejects)).toEqual([]);
  });

  it("catches PyPI-rule and archive-safety defects that both peers miss", () => {
    const missedByBoth = rows.filter((r) => r.defect && !r.twine.rejects && !r.cwc?.rejects);
    const ids = missedByBoth.map((r) => r.id);
    for (const id of ["wheel-local-version", "wheel-classifier-unknown", "wheel-trailing-data", "wheel-duplicate-entry", "wheel-zip-bomb", "sdist-symlink-outside"]) {
      expect(ids).toContain(id);
    }
    expect(missedByBoth.some((r) => r.defect?.family === "pypi")).toBe(true);
    expect(missedByBoth.some((r) => r.defect?.family === "archive")).toBe(true);
  });

  it("keeps generated/comparison.md current (PYPI_WORKFLOWS_UPDATE_GENERATED=1 rewrites it)", () => {
    const table = renderTable(rows);
    if (process.env.PYPI_WORKFLOWS_UPDATE_GENERATED === "1") writeFileSync(TABLE, table);
    const current = existsSync(TABLE) ? readFileSync(TABLE, "utf8") : "";
    expect(current, "generated/comparison.md is stale: run PYPI_WORKFLOWS_UPDATE_GENERATED=1 pnpm vitest run test/corpus.test.ts").toBe(table);
  });
});

function peerVersions(): string {
  const script = "import importlib.metadata as m; print(', '.join(f'{n} {m.version(n)}' for n in ('twine', 'check-wheel-contents', 'readme_renderer', 'build', 'hatchling', 'setuptools', 'flit_core')))";
  return execFileSync(pythonTools().python, ["-c", script], { encoding: "utf8" }).trim();
}

const verdict = (v: PeerVerdict | undefined) => (v === undefined ? "n/a (sdist)" : v.rejects ? `**${v.detail}**` : "passes");

function renderTable(all: Row[]): string {
  const good = all.filter((r) => !r.defect);
  const broken = all.filter((r) => r.defect).sort((a, b) => (a.id < b.id ? -1 : 1));
  const head = "| dist-check --strict | twine check --strict | check-wheel-contents |";
  const lines = [
    "# dist-check beside twine check and check-wheel-contents",
    "",
    "<!-- Generated by packages/dist-check/test/corpus.test.ts from the corpus run; do not edit. -->",
    "<!-- Refresh: PYPI_WORKFLOWS_UPDATE_GENERATED=1 pnpm vitest run test/corpus.test.ts (in packages/dist-check). -->",
    "",
    `Tools: ${peerVersions()}; trove-classifiers ${CLASSIFIERS_VERSION}.`,
    "",
    "## Good distributions, built with `python -m build --no-isolation`",
    "",
    `| file | backend ${head}`,
    "|---|---|---|---|---|",
    ...good.map((r) => `| \`${r.id}\` | ${r.group} | ${verdict(r.distCheck)} | ${verdict(r.twine)} | ${verdict(r.cwc)} |`),
    "",
    "## Broken distributions, one defect each (test/support/generate.ts)",
    "",
    `| defect | rule family | expected code ${head}`,
    "|---|---|---|---|---|---|",
    ...broken.map((r) => `| \`${r.id}\` | ${r.group} | ${r.defect!.code} | ${verdict(r.distCheck)} | ${verdict(r.twine)} | ${verdict(r.cwc)} |`),
    "",
    "## Totals",
    "",
    ...totals(broken),
  ];
  return `${lines.join("\n")}\n`;
}

function totals(broken: Row[]): string[] {
  const count = (pick: (r: Row) => boolean) => broken.filter(pick).length;
  const missed = broken.filter((r) => !r.twine.rejects && !r.cwc?.rejects);
  return [
    `- broken files: ${broken.length} (${count((r) => r.kind === "wheel")} wheels, ${count((r) => r.kind === "sdist")} sdists)`,
    `- rejected by dist-check --strict: ${count((r) => r.distCheck.rejects)}`,
    `- rejected by twine check --strict: ${count((r) => r.twine.rejects)}`,
    `- rejected by check-wheel-contents (wheels only): ${count((r) => !!r.cwc?.rejects)}`,
    `- missed by both peers, caught by dist-check: ${missed.length}: ${missed.map((r) => `\`${r.id}\``).join(", ")}`,
  ];
}
