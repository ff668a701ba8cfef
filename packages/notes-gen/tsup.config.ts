import { helperConfig } from "../../tooling/tsup.base.ts";
export default helperConfig({ lazy: ["@octokit/rest"] });
