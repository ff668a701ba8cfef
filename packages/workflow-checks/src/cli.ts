#!/usr/bin/env node
import { mainFromProcess } from "@pypi-workflows/cli-kit";
import { runCommand } from "./command.js";

void mainFromProcess(runCommand);
