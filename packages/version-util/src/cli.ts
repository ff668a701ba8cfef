#!/usr/bin/env node
import { mainFromProcess, UsageError } from "@pypi-workflows/cli-kit";
import { normalizeVersion } from "./pep440.js";

await mainFromProcess(async (ctx) => {
  const [command, input] = ctx.argv.filter((a) => a !== "--json");
  if (command !== "normalize" || !input) throw new UsageError("usage: version-util normalize <version>");
  const version = normalizeVersion(input);
  return { text: version, data: { version }, outputs: { version } };
});
