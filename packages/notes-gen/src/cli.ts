#!/usr/bin/env node
import { enableCompileCache } from "node:module";
import { discardEarlyLog, startEarlyLog } from "./log-process.js";

// `changelog --all` starts git's walk of the whole history first, while the rest of the code loads.
startEarlyLog(process.argv.slice(2), process.cwd(), process.env);
// The rest of the code is compiled once and cached on disk by Node (its temp dir): later starts skip that.
enableCompileCache();
const { mainFromProcess } = await import("@pypi-workflows/cli-kit");
const { runNotesGen } = await import("./commands.js");
try {
  // The token is a secret: every line this CLI prints has it replaced by ***.
  await mainFromProcess((ctx) => runNotesGen(ctx), [process.env.GITHUB_TOKEN ?? ""]);
} finally {
  discardEarlyLog();
}
