import { posix, win32 } from "node:path";

/** Where a virtual environment keeps its interpreter and scripts: `bin/` on Linux and macOS, `Scripts\` on Windows. */
export interface VenvLayout {
  root: string;
  binDir: string;
  python: string;
  /** The launcher an installer writes for a console or GUI script. */
  script(name: string): string;
  /** PATH with the environment's scripts first. */
  pathWith(basePath: string | undefined): string;
}

export function venvLayout(root: string, platform: NodeJS.Platform = process.platform): VenvLayout {
  const windows = platform === "win32";
  const path = windows ? win32 : posix;
  const binDir = path.join(root, windows ? "Scripts" : "bin");
  const exe = (name: string) => (windows ? `${name}.exe` : name);
  return {
    root,
    binDir,
    python: path.join(binDir, exe("python")),
    script: (name) => path.join(binDir, exe(name)),
    pathWith: (basePath) => (basePath ? `${binDir}${path.delimiter}${basePath}` : binDir),
  };
}

/** The uv binary's file name beside an interpreter (uv installed into the same environment). */
export function uvBesidePython(python: string, platform: NodeJS.Platform = process.platform): string {
  const path = platform === "win32" ? win32 : posix;
  return path.join(path.dirname(python), platform === "win32" ? "uv.exe" : "uv");
}

/** The names a program has on PATH (Windows adds .exe). */
export function executableNames(name: string, platform: NodeJS.Platform = process.platform): string[] {
  return platform === "win32" ? [`${name}.exe`, `${name}.cmd`, name] : [name];
}
