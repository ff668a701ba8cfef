import type { ArchiveMember } from "./archive.js";
import type { Report } from "./findings.js";

/** check-wheel-contents' default list of names that do not belong at the top of site-packages (W005). */
const COMMON_TOPLEVEL = new Set([".eggs", ".nox", ".tox", ".venv", "build", "data", "dist", "doc", "docs", "example", "examples", "src", "test", "tests", "venv"]);
const MODULE_FILE = /\.(py|pyi|pth|so|pyd)$/;

/** Layout warnings in the spirit of check-wheel-contents (pyc, common top-level names, stray files, empty). */
export function checkLayout(members: ArchiveMember[], report: Report): void {
  const files = members.filter((m) => !m.isDirectory);
  const library = files.filter((m) => !/^[^/]+\.(dist-info|data)\//.test(m.name));
  if (library.length === 0) {
    report("DC_LAYOUT_EMPTY", "the wheel installs no files besides its .dist-info");
    return;
  }
  const pyc = library.filter((m) => m.name.endsWith(".pyc"));
  if (pyc.length) report("DC_LAYOUT_PYC", `${pyc.length} compiled .pyc file(s), e.g. ${pyc[0]!.name}`);
  const reported = new Set<string>();
  for (const member of library) {
    const slash = member.name.indexOf("/");
    const top = slash < 0 ? member.name : member.name.slice(0, slash);
    if (slash < 0) {
      if (top === "__init__.py") report("DC_LAYOUT_TOPLEVEL_INIT", "__init__.py at the top of site-packages", { member: top });
      else if (!MODULE_FILE.test(top)) report("DC_LAYOUT_TOPLEVEL_FILE", "a non-module file at the top of site-packages", { member: top });
    } else if (COMMON_TOPLEVEL.has(top) && !reported.has(top)) {
      reported.add(top);
      report("DC_LAYOUT_TOPLEVEL_NAME", `installs a top-level ${top}/ directory`, { member: `${top}/` });
    }
  }
}
