import { defineConfig, type ViteUserConfig } from "vitest/config";

/** The one vitest config every package extends: node environment, generous timeouts for real subprocesses. */
export function packageTestConfig(overrides: ViteUserConfig["test"] = {}) {
  return defineConfig({
    test: {
      environment: "node",
      include: ["test/**/*.test.ts"],
      testTimeout: 120_000,
      hookTimeout: 300_000,
      pool: "forks",
      ...overrides,
    },
  });
}
