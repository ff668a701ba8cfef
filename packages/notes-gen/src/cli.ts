#!/usr/bin/env node
import { flushCompileCache } from "node:module";
import { mainFromProcess } from "@pypi-workflows/cli-kit";
import { runNotesGen } from "./commands.js";
import { discardEarlyLog, startEarlyLog } from "./log-process.js";

// `changelog --all` starts git's walk of the whole history first, before any of the commands' work (this file's
// modules and built-ins are loaded by then: it is one CommonJS file, started by tooling/cli-launcher.cjs).
startEarlyLog(process.argv.slice(2), process.cwd(), process.env);
// The token is a secret: every line this CLI prints has it replaced by ***.
// The process ends as soon as the output is out, rather than when the event loop runs dry: nothing is left
// to do, and a long history leaves a heap that V8 would otherwise collect first (about 10 ms for 10,000
// commits). Before that, an early log nobody took is stopped, and the compiled code written to the cache
// (the launcher, tooling/cli-launcher.cjs, turned it on).
void mainFromProcess((ctx) => runNotesGen(ctx), [process.env.GITHUB_TOKEN ?? ""], {
  exitWhenFlushed: true,
  cleanup: () => {
    discardEarlyLog();
    flushCompileCache?.();
  },
});
