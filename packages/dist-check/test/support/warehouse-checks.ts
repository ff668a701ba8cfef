import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pythonTools } from "@pypi-workflows/testkit";

/** warehouse's URL and email checks on the pinned rfc3986 and email-validator (warehouse_checks.py says how). */
const SCRIPT = join(import.meta.dirname, "warehouse_checks.py");

function ask<T>(mode: "urls" | "emails" | "special", input?: string[]): T {
  const options = { encoding: "utf8" as const, maxBuffer: 1 << 28, ...(input ? { input: JSON.stringify(input) } : {}) };
  return JSON.parse(execFileSync(pythonTools().python, [SCRIPT, mode], options)) as T;
}

/** Whether PyPI accepts each URL (Home-page, Download-URL, a Project-URL's URL). */
export const warehouseAcceptsUrls = (urls: string[]) => ask<boolean[]>("urls", urls);

/** For each Author-email value: the address PyPI checks ("" for none) and email-validator's message, or null. */
export const warehouseEmailVerdicts = (values: string[]) => ask<Array<[string, string | null]>>("emails", values);

/** email-validator's special-use domain names. */
export const emailValidatorSpecialUseDomains = () => ask<string[]>("special");
