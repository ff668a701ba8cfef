#!/usr/bin/env node
import { mainFromProcess } from "@pypi-workflows/cli-kit";
import { jobRunnerCommand } from "./command.js";

void mainFromProcess(jobRunnerCommand);
