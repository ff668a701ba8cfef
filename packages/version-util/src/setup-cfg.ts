import { VersionUtilError } from "./errors.js";

/**
 * setup.cfg as setuptools reads it: Python's configparser.ConfigParser with `optionxform = str` (keys keep their
 * case), `#` and `;` comment lines, `=` or `:` between key and value, values stripped, indented lines continuing
 * the value above, and a key given twice in one section refused (strict mode). Only what the version needs is
 * kept: every section's options, with the span of each single-line value so it can be edited in place.
 */
export interface CfgOption {
  value: string;
  /** The value's span in the text (single-line values only: a continued value has none). */
  span?: [number, number];
}

export type SetupCfg = Map<string, Map<string, CfgOption>>;

const SECTION = /^\[(?<name>.+)\]/;
const OPTION = /^(?<key>.*?)\s*(?<sep>[=:])\s*(?<value>.*)$/;

export function parseSetupCfg(text: string, path: string): SetupCfg {
  const sections: SetupCfg = new Map();
  let section: Map<string, CfgOption> | undefined;
  let current: { option: CfgOption; indent: number; parts: string[] } | undefined;
  const finish = () => {
    if (!current) return;
    // configparser keeps blank lines inside a value but not at its end.
    while (current.parts.length > 1 && current.parts.at(-1) === "") current.parts.pop();
    if (current.parts.length > 1) {
      current.option.value = current.parts.join("\n");
      delete current.option.span;
    }
    current = undefined;
  };
  let offset = 0;
  const lines = text.split("\n");
  for (const [number, raw] of lines.entries()) {
    const lineStart = offset;
    offset += raw.length + 1;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const stripped = line.trim();
    const indent = line.length - line.trimStart().length;
    if (stripped.startsWith("#") || stripped.startsWith(";")) continue;
    if (stripped === "") {
      if (current) current.parts.push("");
      continue;
    }
    if (current && indent > current.indent) {
      current.parts.push(stripped);
      continue;
    }
    finish();
    const header = SECTION.exec(stripped);
    if (header?.groups) {
      const name = header.groups.name as string;
      if (sections.has(name)) throw malformed(path, number, `section [${name}] appears twice`);
      section = new Map();
      sections.set(name, section);
      continue;
    }
    if (!section) throw malformed(path, number, "a line before the first [section]");
    const option = OPTION.exec(stripped);
    if (!option?.groups) throw malformed(path, number, `not a key = value line: ${JSON.stringify(stripped)}`);
    const key = (option.groups.key as string).trimEnd();
    if (section.has(key)) throw malformed(path, number, `${key} is set twice in one section`);
    const value = (option.groups.value as string).trim();
    const valueStart = lineStart + line.indexOf(value, line.indexOf(option.groups.sep as string) + 1);
    const entry: CfgOption = { value, span: [valueStart, valueStart + value.length] };
    section.set(key, entry);
    current = { option: entry, indent, parts: [value] };
  }
  finish();
  return sections;
}

function malformed(path: string, line: number, what: string): VersionUtilError {
  return new VersionUtilError("VU_MALFORMED_SETUP_CFG", `${path}:${line + 1}: ${what}`, {
    hint: `fix line ${line + 1} of ${path}; setuptools reads it with Python's configparser`,
    data: { path, line: line + 1 },
  });
}
