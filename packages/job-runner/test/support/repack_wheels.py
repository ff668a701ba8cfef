"""Repack installed pure-Python distributions of the tools venv into wheels (tests only, no network).

An isolated `python -m build` installs the build backend (hatchling) into a fresh environment; offline, pip finds
it here through PIP_FIND_LINKS. The files and RECORD are the installed ones; bytecode and scripts are left out.
usage: python repack_wheels.py OUTDIR NAME...
"""
import sys
import zipfile
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
