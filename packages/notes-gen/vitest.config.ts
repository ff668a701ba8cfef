import { fileURLToPath } from "node:url";
import { mergeConfig } from "vitest/config";
import { packageTestConfig } from "../../tooling/vitest.base.ts";

// Tests read version-util from its source: its dist/ is rebuilt (and briefly absent) while other packages build.
export default mergeConfig(packageTestConfig(), {
  resolve: { alias: { "@pypi-workflows/version-util": fileURLToPath(new URL("../version-util/src/index.ts", import.meta.url)) } },
});
