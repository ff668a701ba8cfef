#!/usr/bin/env node
// Regenerates src/data/classifiers.json (trove classifiers, as PyPI checks them) and src/data/spdx.json (the SPDX
// license and exception ids packaging validates License-Expression against) from the pinned Python tools venv,
// so the shipped lists change only when tools/python/requirements.txt does.
// Usage: node scripts/refresh-classifiers.mjs [--python PATH]   (default: /work/main/.tools/python/bin/python)
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "../../..");
const flag = process.argv.indexOf("--python");
const python = flag > 0 ? process.argv[flag + 1] : join(repoRoot, ".tools/python/bin/python");

const script = `
import json, importlib.metadata as md
import trove_classifiers as t
from packaging.licenses import _spdx
print(json.dumps({
  "trove": {
    "version": md.version("trove-classifiers"),
    "source": "trove-classifiers " + md.version("trove-classifiers"),
    "classifiers": sorted(t.classifiers),
    "deprecated_classifiers": {k: list(v) for k, v in sorted(t.deprecated_classifiers.items())},
  },
  "spdx": {
    "source": "packaging " + md.version("packaging") + " (packaging.licenses._spdx)",
    "licenses": sorted(v["id"] for v in _spdx.LICENSES.values()),
    "exceptions": sorted(v["id"] for v in _spdx.EXCEPTIONS.values()),
  },
}))
`;
const data = JSON.parse(execFileSync(python, ["-c", script], { encoding: "utf8", maxBuffer: 1 << 26 }));
writeFileSync(join(here, "../src/data/classifiers.json"), `${JSON.stringify(data.trove, null, 1)}\n`);
writeFileSync(join(here, "../src/data/spdx.json"), `${JSON.stringify(data.spdx, null, 1)}\n`);
console.log(`wrote ${data.trove.classifiers.length} classifiers (${data.trove.source}), ${data.spdx.licenses.length} SPDX ids`);
