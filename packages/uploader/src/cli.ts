#!/usr/bin/env node
import { mainFromProcess } from "@pypi-workflows/cli-kit";
import { uploadCommand } from "./upload-command.js";

void mainFromProcess(uploadCommand, process.env.TWINE_PASSWORD ? [process.env.TWINE_PASSWORD] : []);
