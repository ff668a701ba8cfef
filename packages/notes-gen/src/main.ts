// What the CLI entry loads after starting git: named imports only, so the bundle leaves out the parts of
// cli-kit notes-gen never uses (and the Node built-ins they load, such as node:net and node:crypto).
export { mainFromProcess } from "@pypi-workflows/cli-kit";
export { runNotesGen } from "./commands.js";
