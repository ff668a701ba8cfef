import { packageTestConfig } from "../../tooling/vitest.base.ts";

// @actions/workflow-parser imports its JSON schema without an import attribute: let vite transform it
// instead of handing it to Node's loader, which refuses such imports.
export default packageTestConfig({ server: { deps: { inline: [/@actions\/workflow-parser/, /@actions\/expressions/] } } });
