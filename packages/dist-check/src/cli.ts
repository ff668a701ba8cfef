#!/usr/bin/env node
// No V8 flags here (an earlier version capped the young generation with --max-semi-space-size): with that
// flag (measured on Node 24) start-up took some 20 ms longer and the member worker 50 ms longer to start, 10%
// of the bench wheel's time (Node's built-in code cache appears unused under changed V8 flags). The price is
// memory on wheels with very many members, where V8 grows the young generation: 123-131 MiB peak on the bench
// wheel, about 220 MiB with 65,000 members (165 MiB with the flag).
import { mainFromProcess } from "@pypi-workflows/cli-kit";
import { runDistCheck } from "./command.js";

void mainFromProcess(runDistCheck);
