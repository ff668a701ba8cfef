import type { HelperPackage } from "../workspace.js";
import { stepsOf, type WorkflowFile } from "../workflow-file.js";
import type { Finding } from "./rules.js";

const USES_LINE = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(?:#\s*(.*))?$/;
const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^v\d+(\.\d+){0,2}\b/;

/** Read from the text, not the parsed YAML: the version comment is part of the rule. */
export function checkPinnedUses(file: WorkflowFile): Finding[] {
  const findings: Finding[] = [];
  file.text.split("\n").forEach((text, index) => {
    const match = USES_LINE.exec(text);
    if (!match) return;
    const [, ref = "", comment = ""] = match;
    if (ref.startsWith("./")) return; // a workflow or action of the same repository and commit
    const add = (message: string) => findings.push({ rule: "pinned-uses", file: file.name, line: index + 1, message });
    if (!PINNED.test(ref)) add(`\`${ref}\` is not pinned to a full 40-hex commit SHA`);
    else if (!VERSION_COMMENT.test(comment.trim())) add(`\`${ref}\` has no \`# vX.Y.Z\` version comment`);
  });
  return findings;
}

const HELPER_CALL = /\bnpx\s+(?:--?[\w-]+(?:=\S+)?\s+)*@pypi-workflows\/([a-z0-9-]+)(?:@(\S+))?/g;

/** Helper CLIs at exactly the version in packages/NAME/package.json, and only published packages. */
export function checkHelperVersions(file: WorkflowFile, packages: ReadonlyMap<string, HelperPackage>): Finding[] {
  const findings: Finding[] = [];
  for (const [id, job] of Object.entries(file.doc.jobs)) {
    for (const step of stepsOf(job)) {
      if (typeof step.run !== "string") continue;
      for (const [, short = "", version] of step.run.matchAll(HELPER_CALL)) {
        const name = `@pypi-workflows/${short}`;
        const pkg = packages.get(name);
        const add = (message: string) => findings.push({ rule: "helper-version", file: file.name, job: id, message });
        if (!pkg) add(`${name} is not a package of this workspace`);
        else if (pkg.private) add(`${name} is private: npx cannot install it`);
        else if (version === undefined) add(`${name} is called without a version (use @${pkg.version})`);
        else if (version !== pkg.version) add(`${name}@${version} differs from packages' version ${pkg.version}`);
      }
    }
  }
  return findings;
}
