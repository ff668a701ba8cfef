// Builds a synthetic history fast with ONE `git fast-import` (not one process per commit): `commits`
// conventional commits on main, a release every `every` commits alternating rc1 and final tags.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";

const TYPES = ["feat", "fix", "fix", "perf", "docs", "chore", "refactor", "test", "feat", "fix"];
const SCOPES = [null, "api", "cli", "parser", "docs", "build"];
const AUTHORS = Array.from({ length: 20 }, (_, i) => [`Dev ${i}`, `${1000 + i}+dev${i}@users.noreply.github.com`]);

function message(i) {
  const type = TYPES[i % TYPES.length];
  const scope = SCOPES[i % SCOPES.length];
  const bang = i % 97 === 0 ? "!" : "";
  const header = `${type}${scope ? `(${scope})` : ""}${bang}: change number ${i} with some words (#${i + 1})`;
  const body = `A body explaining change ${i}.\nIt spans two lines.`;
  const footer = i % 211 === 0 ? "\n\nBREAKING CHANGE: an old option is gone" : "";
  return `${header}\n\n${body}${footer}\n`;
}

function data(text) {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/** Writes the repository into `dir`; returns its tags (oldest first). */
export function generateRepo(dir, { commits = 10_000, tags = 250 } = {}) {
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
  spawnSync("git", ["init", "-q", "-b", "main", dir], { env });
  const every = Math.floor(commits / tags);
  const parts = [`blob\nmark :1\n${data('[project]\nname = "bench-pkg"\nversion = "0.0.0"\n')}`];
  const names = [];
  const start = 1_600_000_000;
  for (let i = 0; i < commits; i++) {
    const [name, email] = AUTHORS[i % AUTHORS.length];
    const when = `${start + i * 600} +0000`;
    parts.push(`commit refs/heads/main\nmark :${i + 2}\nauthor ${name} <${email}> ${when}\ncommitter ${name} <${email}> ${when}\n`);
    parts.push(data(message(i)));
    if (i === 0) parts.push("M 100644 :1 pyproject.toml\n");
    parts.push("\n");
    if ((i + 1) % every === 0) {
      const n = (i + 1) / every; // 1-based release number: odd -> rc1, even -> the final
      const minor = Math.ceil(n / 2);
      const tag = n % 2 ? `v1.${minor}.0rc1` : `v1.${minor}.0`;
      names.push(tag);
      parts.push(`reset refs/tags/${tag}\nfrom :${i + 2}\n\n`);
    }
  }
  const r = spawnSync("git", ["fast-import", "--quiet"], { cwd: dir, env, input: parts.join(""), maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`fast-import failed: ${r.stderr}`);
  spawnSync("git", ["checkout", "-q", "-f", "main"], { cwd: dir, env });
  return names;
}
