// /troubleshooting: one entry per error code any helper can emit, at the anchor cli-kit prints
// (troubleshootingLink(code): `#` + the code lower-cased), plus the hand-written PyPI-side failures.
import { code, codeAnchor, page, sentence, vPre } from "./markdown.mjs";
import { helperPagePath, helperTitle } from "./render-cli.mjs";

// cli-kit's own codes (USAGE, INTERNAL, PROGRAM_NOT_FOUND, LOCAL_INDEX_FAILED), from its one catalog: every
// helper bundles cli-kit, so each can emit them. The catalog has no imports, so Node loads its source directly.
export const { ERROR_CODES: CLI_KIT_CODES } = await import("../../../packages/cli-kit/src/catalog.ts");

// Section anchors here and in parts/pypi-failures.md all contain a hyphen: an error code's anchor (letters,
// digits, underscores) can never collide with them (a duplicate id fails the site build).

/** code -> { summary, fix, helpers: [helper...] }, in first-seen order (helpers sorted by directory). */
export function collectCodes(helpers) {
  const codes = new Map();
  for (const helper of helpers) {
    for (const [c, entry] of Object.entries(helper.codes ?? {})) {
      if (c in CLI_KIT_CODES) continue; // one entry (and one anchor) for cli-kit's own codes
      const known = codes.get(c) ?? { ...entry, helpers: [] };
      known.helpers.push(helper);
      codes.set(c, known);
    }
  }
  return codes;
}

function entry(errorCode, { summary, fix, helpers }) {
  const lines = [`### ${errorCode} {#${codeAnchor(errorCode)}}`, "", sentence(summary), "", `**Fix:** ${sentence(fix)}`];
  if (helpers?.length) {
    const links = helpers.map((h) => `[${code(helperTitle(h))}](/${helperPagePath(h)})`);
    lines.push("", `Reported by ${links.join(", ")}.`);
  }
  return lines.join("\n");
}

export function renderTroubleshooting(helpers) {
  const codes = collectCodes(helpers);
  const shared = [...codes].filter(([, e]) => e.helpers.length > 1);
  const body = [
    "# Troubleshooting",
    "",
    "Every helper error prints a stable code, a next step and a link to its entry below:",
    "",
    "```text",
    "$ version-util from-tag v1.2",
    'error VU_TAG_TOO_SHORT: the tag "v1.2" has 2 release numbers; release tags need three (X.Y.Z)',
    "  next step: tag the release as v1.2.0 instead",
    "  docs: https://pypi-workflows.github.io/pypi-workflows/troubleshooting#vu_tag_too_short",
    "```",
    "",
    "Search this page for the code (the search box finds codes too). Exit status 1 means the thing checked is",
    "wrong; 2 means a usage or environment problem. A failed run publishes nothing it has not checked, and a",
    "re-run converges: see [Rollback and recovery](/rollback).",
    "",
    "## Failures reported by PyPI {#pypi-failures}",
    "",
    "<!--@include: ./parts/pypi-failures.md-->",
    "",
    "## Every helper {#every-helper}",
    "",
    vPre(Object.entries(CLI_KIT_CODES).map(([c, e]) => entry(c, e)).join("\n\n")),
  ];
  if (shared.length) {
    body.push("", "## Shared by several helpers {#shared-codes}", "", vPre(shared.map(([c, e]) => entry(c, e)).join("\n\n")));
  }
  for (const helper of helpers) {
    const own = [...codes].filter(([, e]) => e.helpers.length === 1 && e.helpers[0] === helper);
    if (!own.length) continue;
    body.push("", `## ${helperTitle(helper)} {#helper-${helper.dir}}`, "", vPre(own.map(([c, e]) => entry(c, e)).join("\n\n")));
  }
  const sources = ["docs/parts/pypi-failures.md", ...helpers.filter((h) => h.codes).map((h) => `packages/${h.dir}/dist/index.js`)];
  return page({ title: "Troubleshooting", description: "Every error code, what it means and the fix.", sources, outline: [2, 2] }, body.join("\n"));
}
