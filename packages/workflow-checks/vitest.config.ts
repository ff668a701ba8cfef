import { mergeConfig } from "vitest/config";
import { packageTestConfig } from "../../tooling/vitest.base.ts";

// @actions/workflow-parser imports its JSON schema without an import attribute: vite transforms it (inline)
// instead of handing it to Node's loader, which refuses such imports. Its source maps name missing files:
// keep their warnings out of the test output.
export default mergeConfig(
  packageTestConfig({ server: { deps: { inline: [/@actions\/workflow-parser/, /@actions\/expressions/] } } }),
  { logLevel: "error" },
);
