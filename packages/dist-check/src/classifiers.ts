import data from "./data/classifiers.json" with { type: "json" };

const known = new Set<string>(data.classifiers);
const deprecated = new Map<string, string[]>(Object.entries(data.deprecated_classifiers as Record<string, string[]>));

/** The trove-classifiers release the shipped list comes from (scripts/refresh-data.mjs). */
export const CLASSIFIERS_VERSION: string = data.version;

export type ClassifierStatus = { ok: true } | { ok: false; reason: "unknown" } | { ok: false; reason: "deprecated"; replacements: string[] };

export function classifyClassifier(classifier: string): ClassifierStatus {
  const replacements = deprecated.get(classifier);
  if (replacements) return { ok: false, reason: "deprecated", replacements };
  return known.has(classifier) ? { ok: true } : { ok: false, reason: "unknown" };
}
