#!/usr/bin/env node
import { mainFromProcess } from "@pypi-workflows/cli-kit";
import { command } from "./command.js";

void mainFromProcess(command);
