#!/usr/bin/env -S node --max-semi-space-size=4
// A capped young generation keeps peak memory flat on wheels with many members: V8 otherwise grows it to
// tens of MiB while tens of thousands of short-lived objects pass through. 4 MiB rather than 1: a quarter of
// the scavenges (about 20 ms less on the bench wheel) for a few MiB more (see bench/compare.mjs).
import { mainFromProcess } from "@pypi-workflows/cli-kit";
import { runDistCheck } from "./command.js";

await mainFromProcess(runDistCheck);
