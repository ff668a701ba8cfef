#!/usr/bin/env node
import { mainFromProcess } from "@pypi-workflows/cli-kit";
import { versionUtil } from "./commands.js";

void mainFromProcess(versionUtil);
