import { defineConfig, type Options } from "tsup";

/**
 * The one build config every helper package uses: ESM, Node 22+, the library (`src/index.ts`, with types)
 * and the CLI (`src/cli.ts`). Runtime dependencies are bundled (`noExternal`) so `npx @pypi-workflows/x`
 * installs one package and starts fast; code used only on some paths is loaded with `import()` and lands in
 * its own chunk.
 */
export function helperConfig(overrides: Options = {}) {
  return defineConfig({
    entry: { index: "src/index.ts", cli: "src/cli.ts" },
    format: ["esm"],
    platform: "node",
    target: "node22",
    dts: { entry: { index: "src/index.ts" } },
    clean: true,
    splitting: true,
    // Only Node built-ins stay external: one imported for a part that was shaken out is not loaded at all
    // (e.g. node:net and node:crypto for cli-kit's local index server, in a CLI that never starts one).
    treeshake: { preset: "recommended", moduleSideEffects: "no-external" },
    noExternal: [/.*/],
    // Bundled CommonJS dependencies call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);",
    },
    ...overrides,
  });
}
