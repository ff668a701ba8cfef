// Finds what the docs describe, at generation time: helper packages (packages/*/package.json with a `bin`,
// read from their BUILT dist/index.js) and reusable workflows (.github/workflows/*.yml with workflow_call).
// Something missing or broken becomes a warning with the fix, never a crash: other work lands over time.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";

/** A CliSpec (packages/cli-kit/src/cli-spec.ts), recognised by shape: packages name the export differently. */
export function isCliSpec(value) {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof value.name === "string" &&
    typeof value.description === "string" &&
    Array.isArray(value.commands) &&
    value.commands.every((c) => typeof c?.name === "string" && typeof c?.summary === "string")
  );
}

/** An error catalog: Record<code, { summary, fix }>. */
export function isErrorCatalog(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const entries = Object.values(value);
  return entries.length > 0 && entries.every((e) => typeof e?.summary === "string" && typeof e?.fix === "string");
}

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Every helper package with a CLI, sorted by directory name; warnings say what is missing and how to fix it. */
export async function discoverHelpers(root) {
  const warnings = [];
  const helpers = [];
  const packagesDir = join(root, "packages");
  const dirs = existsSync(packagesDir) ? readdirSync(packagesDir).sort() : [];
  for (const dir of dirs) {
    const manifestPath = join(packagesDir, dir, "package.json");
    if (!existsSync(manifestPath)) continue;
    const pkg = readJson(manifestPath);
    if (!pkg.bin) continue;
    const bins = typeof pkg.bin === "string" ? [pkg.name.split("/").pop()] : Object.keys(pkg.bin).sort();
    const helper = { dir, pkg, bins, spec: undefined, codes: undefined };
    helpers.push(helper);
    await loadBuiltModule(root, helper, warnings);
  }
  return { helpers, warnings };
}

async function loadBuiltModule(root, helper, warnings) {
  const where = `packages/${helper.dir}`;
  const entry = join(root, where, "dist", "index.js");
  if (!existsSync(entry)) {
    warnings.push(`${where}: no dist/index.js, so no CLI reference or error codes: build it first (pnpm build)`);
    return;
  }
  let mod;
  try {
    mod = await import(pathToFileURL(entry).href);
  } catch (error) {
    warnings.push(`${where}: dist/index.js failed to load (${error instanceof Error ? error.message : error}): rebuild it`);
    return;
  }
  const exported = Object.entries(mod);
  helper.spec = (mod.cliSpec && isCliSpec(mod.cliSpec) ? mod.cliSpec : undefined) ?? exported.map(([, v]) => v).find(isCliSpec);
  if (!helper.spec) warnings.push(`${where}: dist/index.js exports no CliSpec: export \`cliSpec\` from src/index.ts`);
  if (isErrorCatalog(mod.RULES)) helper.rules = mod.RULES; // workflow-checks: the hardening policy
  if (isErrorCatalog(mod.ERROR_CODES)) helper.codes = mod.ERROR_CODES;
  else warnings.push(`${where}: dist/index.js exports no ERROR_CODES catalog ({ CODE: { summary, fix } })`);
}

/** The triggers of a workflow as an object, whatever form `on:` takes (string, list or map). */
function triggersOf(doc) {
  const on = doc?.on ?? doc?.true; // YAML 1.1 readers turn `on` into true; the yaml package does not, but be safe
  if (typeof on === "string") return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((t) => [t, null]));
  return on && typeof on === "object" ? on : {};
}

/** Every reusable workflow (on: workflow_call), sorted by file name. */
export function discoverWorkflows(root) {
  const warnings = [];
  const workflows = [];
  const dir = join(root, ".github", "workflows");
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), "utf8");
    let doc;
    try {
      doc = parse(text);
    } catch (error) {
      warnings.push(`.github/workflows/${file}: not valid YAML (${error instanceof Error ? error.message : error}): skipped`);
      continue;
    }
    const triggers = triggersOf(doc);
    if (!("workflow_call" in triggers)) continue;
    workflows.push({ file, path: `.github/workflows/${file}`, text, doc, call: triggers.workflow_call ?? {} });
  }
  if (workflows.length === 0) warnings.push(".github/workflows: no reusable workflow (on: workflow_call) found yet");
  return { workflows, warnings };
}

/** The caller examples users copy: examples/workflows/*.yml. */
export function discoverExamples(root) {
  const dir = join(root, "examples", "workflows");
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  return files.map((file) => {
    const text = readFileSync(join(dir, file), "utf8");
    const firstComment = text.split("\n").find((l) => l.startsWith("#"));
    let name = file;
    try {
      name = parse(text)?.name ?? file;
    } catch {
      // An unparsable example still gets its snippet; the workflow checks report the YAML error.
    }
    return { file, path: `examples/workflows/${file}`, name, summary: firstComment?.replace(/^#\s*/, "") ?? "" };
  });
}
