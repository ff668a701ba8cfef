// The least any Node CLI can do for a full-history changelog: start, run the same `git log` as notes-gen
// (src/log-process.ts), read every byte of it, and exit. No parsing, no output: a floor, not a competitor.
import { spawn } from "node:child_process";

const format = "--format=%m%x1f%H%x1f%P%x1f%an%x1f%ae%x1f%cs%x1f%B";
const child = spawn("git", ["log", "-z", "--no-show-signature", format, "HEAD", "--"], {
  env: { ...process.env, GIT_FLUSH: "0" },
  stdio: ["ignore", "pipe", "inherit"],
});
let bytes = 0;
child.stdout.on("data", (chunk) => {
  bytes += chunk.length;
});
child.on("close", (code) => {
  if (code !== 0 || bytes === 0) process.exitCode = 1;
});
