export { isGitHubActions, maskSecret, publishToActions, type ActionsReport } from "./actions.js";
export {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  EnvironmentError,
  HelperError,
  TROUBLESHOOTING_URL,
  UsageError,
  troubleshootingLink,
  type ErrorDetails,
  type ExitCode,
} from "./errors.js";
export { compareCodeUnits } from "./order.js";
export { redact } from "./redact.js";
export {
  describeError,
  formatError,
  runCli,
  type CliContext,
  type Command,
  type CommandResult,
  type ErrorReport,
  type Writer,
} from "./run-cli.js";
export { runProcess, type ProcessOptions, type ProcessResult } from "./process.js";
export { mainFromProcess } from "./main.js";
export {
  JSON_OPTION,
  booleanOption,
  listOption,
  parseCommand,
  stringOption,
  renderHelp,
  usageLine,
  type ArgumentSpec,
  type CliSpec,
  type CommandSpec,
  type OptionSpec,
  type ParsedCommand,
} from "./cli-spec.js";
export { ERROR_CODES } from "./catalog.js";
export { freePort, stopChild, superviseServer, waitUntilServing, type SupervisedServer, type WaitOptions } from "./server-process.js";
export {
  startLocalPypiServer,
  type IndexEndpoint,
  type LocalPypiServer,
  type LocalPypiServerOptions,
} from "./local-pypi-server.js";
