#!/usr/bin/env node
import { mainFromProcess } from "@pypi-workflows/cli-kit";
import { runNotesGen } from "./commands.js";

// The token is a secret: every line this CLI prints has it replaced by ***.
await mainFromProcess((ctx) => runNotesGen(ctx), [process.env.GITHUB_TOKEN ?? ""]);
