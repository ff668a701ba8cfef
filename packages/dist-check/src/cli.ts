#!/usr/bin/env node
import { mainFromProcess } from "@pypi-workflows/cli-kit";
import { runDistCheck } from "./command.js";

await mainFromProcess(runDistCheck);
