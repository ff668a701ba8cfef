#!/usr/bin/env node
import { mainFromProcess } from "@pypi-workflows/cli-kit";
import { indexPassword, rehearseCommand } from "./command.js";

const password = indexPassword(process.env);
void mainFromProcess(rehearseCommand, password ? [password] : []);
