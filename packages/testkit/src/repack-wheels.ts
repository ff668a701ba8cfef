import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { pythonTools } from "./python-tools.js";

/**
 * The installed files and RECORD of pure-Python distributions of the tools venv, zipped back into wheels;
 * bytecode and files outside site-packages (scripts) are left out. Kept here as a string, in one place: the
 * packages run testkit from its sources (no build), and `python -c` needs no file next to them.
 * usage: python -c REPACK OUTDIR NAME...
 */
const REPACK = `
import sys, zipfile
from importlib.metadata import distribution
from pathlib import Path

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
for name in sys.argv[2:]:
    dist = distribution(name)
    normalized = dist.metadata["Name"].replace("-", "_").replace(".", "_").lower()
    target = out / f"{normalized}-{dist.version}-py3-none-any.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for entry in dist.files or []:
            path = str(entry)
            if path.startswith("..") or "__pycache__" in path:
                continue
            wheel.write(entry.locate(), path)
    print(target)
`;

/**
 * Wheels of build backends (and their dependencies) installed in the tools venv, e.g. flit_core or hatchling,
 * written to `outDir`: for a local index or PIP_FIND_LINKS, so tests build without the network. Returns their paths.
 */
export async function repackToolsWheels(outDir: string, ...names: string[]): Promise<string[]> {
  const { stdout } = await promisify(execFile)(pythonTools().python, ["-I", "-c", REPACK, outDir, ...names]);
  return stdout.split("\n").filter(Boolean);
}
