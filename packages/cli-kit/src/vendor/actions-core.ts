// Built into its own file beside each CLI (tooling/tsup.base.ts, LAZY_PACKAGES): loaded only inside GitHub Actions.
export * from "@actions/core";
