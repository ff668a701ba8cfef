#!/usr/bin/env node
// Regenerates the data dist-check ships, from the pinned Python tools venv, so the shipped lists change only when
// tools/python/requirements.txt does:
// - src/data/classifiers.json: trove classifiers, as PyPI checks them;
// - src/data/spdx.json: the SPDX license and exception ids packaging validates License-Expression against;
// - src/data/metadata-fields.json: the core metadata fields packaging knows (what PyPI and twine parse METADATA
//   with): whether each may repeat, and the Metadata-Version that introduced it;
// - src/data/stdlib-names.json: the names PyPI refuses for a new project as standard library modules' (warehouse's
//   STDLIB_PROHIBITED: every module and package prefix of stdlib-list's lists for every Python version, trimmed
//   of ".", "_" and "-" and PEP 503-normalized).
// Usage: node scripts/refresh-data.mjs [--python PATH]   (default: .tools/python/bin/python of this checkout)
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toolsVenv } from "../../../tooling/tools-venv.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const flag = process.argv.indexOf("--python");
const python = flag > 0 ? process.argv[flag + 1] : join(toolsVenv(), "bin/python");

const script = `
import json, importlib.metadata as md
from itertools import chain
import packaging.metadata as pm
import stdlib_list
import trove_classifiers as t
from packaging.licenses import _spdx
from packaging.utils import canonicalize_name

def prefixes(modules):
    for module in modules:
        parts = module.split(".")
        for i in range(len(parts)):
            yield ".".join(parts[: i + 1])

stdlib = {
    canonicalize_name(s.rstrip("-_.").lstrip("-_."))
    for s in chain.from_iterable(prefixes(stdlib_list.stdlib_list(v)) for v in stdlib_list.short_versions)
}
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
  "fields": {
    "source": "packaging " + md.version("packaging") + " (packaging.metadata)",
    "versions": list(pm._VALID_METADATA_VERSIONS),
    "fields": {
      email: {
        "kind": "single" if raw in pm._STRING_FIELDS else "multiple" if raw in pm._LIST_FIELDS else raw.replace("_", "-"),
        "added": pm.Metadata.__dict__[raw].added,
      }
      for email, raw in sorted(pm._EMAIL_TO_RAW_MAPPING.items())
    },
  },
  "stdlib": {
    "source": "stdlib-list " + md.version("stdlib-list") + " (Python " + ", ".join(stdlib_list.short_versions) + ")",
    "names": sorted(stdlib),
  },
}))
`;
const data = JSON.parse(execFileSync(python, ["-c", script], { encoding: "utf8", maxBuffer: 1 << 26 }));
writeFileSync(join(here, "../src/data/classifiers.json"), `${JSON.stringify(data.trove, null, 1)}\n`);
writeFileSync(join(here, "../src/data/spdx.json"), `${JSON.stringify(data.spdx, null, 1)}\n`);
writeFileSync(join(here, "../src/data/stdlib-names.json"), `${JSON.stringify(data.stdlib, null, 1)}\n`);
writeFileSync(join(here, "../src/data/metadata-fields.json"), `${JSON.stringify(data.fields, null, 1)}\n`);
console.log(`wrote ${data.trove.classifiers.length} classifiers (${data.trove.source}), ${data.spdx.licenses.length} SPDX ids, ${data.stdlib.names.length} standard library names (${data.stdlib.source})`);
