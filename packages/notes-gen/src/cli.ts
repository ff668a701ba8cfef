#!/usr/bin/env node
import { enableCompileCache, flushCompileCache } from "node:module";
import { discardEarlyLog, startEarlyLog } from "./log-process.js";

// `changelog --all` starts git's walk of the whole history first, while the rest of the code loads.
startEarlyLog(process.argv.slice(2), process.cwd(), process.env);
// The rest of the code is compiled once and cached on disk by Node (its temp dir): later starts skip that.
enableCompileCache();
const { mainFromProcess, runNotesGen } = await import("./main.js");
// The token is a secret: every line this CLI prints has it replaced by ***.
// The process ends as soon as the output is out, rather than when the event loop runs dry: nothing is left
// to do, and a long history leaves a heap that V8 would otherwise collect first (about 10 ms for 10,000
// commits). Before that, an early log nobody took is stopped, and the compiled code written to the cache.
await mainFromProcess((ctx) => runNotesGen(ctx), [process.env.GITHUB_TOKEN ?? ""], {
  exitWhenFlushed: true,
  cleanup: () => {
    discardEarlyLog();
    flushCompileCache();
  },
});
