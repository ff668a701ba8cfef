// Built into its own file beside the CLI (tooling/tsup.base.ts, LAZY_PACKAGES): loaded only by `notes-gen release`.
export * from "@octokit/rest";
