import { devNull } from "node:os";
import type { VenvLayout } from "./venv-layout.js";

// Installer settings that could add an index, a find-links source or constraints behind our back (a
// PIP_EXTRA_INDEX_URL in the runner's environment would reintroduce dependency confusion). Kept: TLS, proxies,
// caches and timeouts, which change how we download, not what.
const KEEP = /^(PIP_(CERT|CLIENT_CERT|CACHE_DIR|TIMEOUT|RETRIES|PROXY)|UV_(CACHE_DIR|NATIVE_TLS|HTTP_TIMEOUT|CONCURRENT_[A-Z_]+|LINK_MODE))$/;
const PYTHON_VARS = ["PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV", "CONDA_PREFIX", "__PYVENV_LAUNCHER__"];

/** The environment for pip and uv: no inherited index settings, no config files, no prompts. */
export function installerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^(PIP|UV)_/.test(key) && !KEEP.test(key)) continue;
    if (PYTHON_VARS.includes(key)) continue;
    clean[key] = value;
  }
  return {
    ...clean,
    PIP_CONFIG_FILE: devNull,
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
    PIP_NO_INPUT: "1",
    UV_NO_CONFIG: "1",
    UV_NO_PROGRESS: "1",
    UV_PYTHON_DOWNLOADS: "never",
  };
}

/** The environment for checks: as if the venv were activated, with nothing from the host's Python settings. */
export function checkEnv(env: NodeJS.ProcessEnv, layout: VenvLayout): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (!PYTHON_VARS.includes(key)) clean[key] = value;
  const pathKey = Object.keys(clean).find((k) => k.toUpperCase() === "PATH") ?? "PATH";
  return { ...clean, [pathKey]: layout.pathWith(clean[pathKey]), VIRTUAL_ENV: layout.root, PYTHONDONTWRITEBYTECODE: "1" };
}
