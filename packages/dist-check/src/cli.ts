#!/usr/bin/env -S node --max-semi-space-size=1
// The small young generation keeps peak memory flat on wheels with many members: V8 otherwise grows it to
// tens of MiB while tens of thousands of short-lived zlib and hash objects pass through (see bench/compare.mjs).
import { mainFromProcess } from "@pypi-workflows/cli-kit";
import { runDistCheck } from "./command.js";

await mainFromProcess(runDistCheck);
