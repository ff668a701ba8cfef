#!/usr/bin/env node
// Every helper's bin (copied to dist/bin/cli.cjs by tooling/tsup.base.ts). Node's compile cache is turned on
// before the CLI itself (main.cjs) is compiled: later starts load its compiled code from os.tmpdir() instead of
// compiling it again. Where the cache cannot be written, Node goes on without it.
require("node:module").enableCompileCache?.();
require("./main.cjs");
