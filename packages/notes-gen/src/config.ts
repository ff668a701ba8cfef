import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { DEFAULT_CONFIG, type NotesConfig } from "./classify.js";
import { NotesEnvironmentError } from "./errors.js";

/** Reads a JSON config over the defaults; anything malformed is NG_CONFIG_INVALID (exit 2). */
export async function loadConfig(cwd: string, file: string | undefined, hideOther: boolean): Promise<NotesConfig> {
  let config: NotesConfig = { ...DEFAULT_CONFIG };
  if (file) {
    const path = resolve(cwd, file);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path, "utf8"));
    } catch (error) {
      throw new NotesEnvironmentError("NG_CONFIG_INVALID", `cannot read config ${path}: ${(error as Error).message}`);
    }
    config = mergeConfig(config, raw, path);
  }
  return hideOther ? { ...config, hideOther: true } : config;
}

function mergeConfig(base: NotesConfig, raw: unknown, path: string): NotesConfig {
  const bad = (why: string) => new NotesEnvironmentError("NG_CONFIG_INVALID", `${path}: ${why}`);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw bad("expected a JSON object");
  const c = raw as Record<string, unknown>;
  const known = new Set(["types", "hideOther", "otherTitle"]);
  const unknown = Object.keys(c).filter((k) => !known.has(k));
  if (unknown.length) throw bad(`unknown keys: ${unknown.join(", ")}`);
  const result = { ...base };
  if (c.types !== undefined) {
    const ok = Array.isArray(c.types) && c.types.every((t) => typeof t?.type === "string" && typeof t?.section === "string" && t.section);
    if (!ok) throw bad('"types" must be a list of {"type": "feat", "section": "Features"}');
    result.types = (c.types as { type: string; section: string }[]).map(({ type, section }) => ({ type, section }));
  }
  if (c.hideOther !== undefined) {
    if (typeof c.hideOther !== "boolean") throw bad('"hideOther" must be true or false');
    result.hideOther = c.hideOther;
  }
  if (c.otherTitle !== undefined) {
    if (typeof c.otherTitle !== "string" || !c.otherTitle) throw bad('"otherTitle" must be a non-empty string');
    result.otherTitle = c.otherTitle;
  }
  return result;
}
