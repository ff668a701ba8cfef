import { chmodSync, copyFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Packages a CLI loads with `import()` only on some paths, built into files of their own beside the CLI
 * (bin/vendor-NAME.cjs) and loaded from there when needed: bundled into the CLI, @actions/core alone would
 * make every start read and compile some 860 KB that only a run inside GitHub Actions uses. Each is built from
 * a module that re-exports it, kept in the package that depends on it (so it resolves from there).
 */
const LAZY_PACKAGES: Record<string, { file: string; entry: string }> = {
  "@actions/core": { file: "vendor-actions-core", entry: "packages/cli-kit/src/vendor/actions-core.ts" },
  "@octokit/rest": { file: "vendor-octokit-rest", entry: "packages/notes-gen/src/vendor/octokit-rest.ts" },
};

type Plugin = NonNullable<Options["esbuildPlugins"]>[number];

/** `import("@actions/core")` in the CLI becomes a load of its own file (see LAZY_PACKAGES). */
function lazyPackagesPlugin(names: readonly string[]): Plugin {
  return {
    name: "lazy-packages",
    setup(build) {
      build.onResolve({ filter: /^@[\w-]+\/[\w-]+$/ }, (args) => {
        const lazy = LAZY_PACKAGES[args.path];
        if (args.kind !== "dynamic-import" || !lazy || !names.includes(args.path)) return undefined;
        return { path: `./${lazy.file}.cjs`, external: true };
      });
    },
  };
}

export interface HelperOptions {
  /** Packages besides @actions/core (every CLI's, through cli-kit) that the CLI loads lazily (LAZY_PACKAGES). */
  lazy?: string[];
}

/**
 * The one build config every helper package uses, for Node 22+: runtime dependencies are bundled
 * (`noExternal`) so `npx @pypi-workflows/x` installs one package and starts fast.
 * - The library (`src/index.ts`, with types): ESM in dist/, code used only on some paths in chunks of its own.
 * - The CLI (`src/cli.ts`): CommonJS in dist/bin/. `bin/cli.cjs` (tooling/cli-launcher.cjs) turns on Node's
 *   compile cache and loads `bin/main.cjs`, the CLI in one file; the packages in LAZY_PACKAGES stay in files of
 *   their own. Measured on notes-gen's bench (a full changelog of 10,000 commits): 136 -> 127 ms against the ESM
 *   CLI it replaces, which made Node start its ESM loader, build every imported built-in's namespace (reading
 *   fs.promises loads fs/promises, readline and more) and link one module per chunk before any work began.
 */
export function helperConfig(helper: HelperOptions = {}) {
  const lazy = ["@actions/core", ...(helper.lazy ?? [])];
  const shared = {
    platform: "node",
    target: "node22",
    // Only Node built-ins stay external: one imported for a part that was shaken out is not loaded at all
    // (e.g. node:net and node:crypto for cli-kit's local index server, in a CLI that never starts one).
    treeshake: { preset: "recommended", moduleSideEffects: "no-external" },
    noExternal: [/.*/],
  } satisfies Options;
  return defineConfig([
    {
      ...shared,
      entry: { index: "src/index.ts" },
      format: ["esm"],
      dts: { entry: { index: "src/index.ts" } },
      // dist/bin is the other build's (the two run at the same time).
      clean: ["!bin/**"],
      splitting: true,
      // Bundled CommonJS dependencies call require(); give the ESM bundle one.
      banner: {
        js: "import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);",
      },
    },
    {
      ...shared,
      name: "cli",
      entry: {
        main: "src/cli.ts",
        ...Object.fromEntries(lazy.map((name) => [LAZY_PACKAGES[name]!.file, relative(process.cwd(), join(REPO, LAZY_PACKAGES[name]!.entry))])),
      },
      outDir: "dist/bin",
      format: ["cjs"],
      outExtension: () => ({ js: ".cjs" }),
      clean: true,
      // import.meta.url in CommonJS: the file's own URL, escaped (tsup's shim builds it without escaping, so a path
      // holding "#" or "%" lost its end: pypi-workflows then looked for its assets in the wrong directory).
      define: { "import.meta.url": "__pwModuleUrl" },
      banner: { js: 'var __pwModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
      esbuildPlugins: [lazyPackagesPlugin(lazy)],
      onSuccess: async () => {
        const launcher = join("dist", "bin", "cli.cjs");
        copyFileSync(join(REPO, "tooling", "cli-launcher.cjs"), launcher);
        chmodSync(launcher, 0o755);
      },
    },
  ]);
}
