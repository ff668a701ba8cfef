export { CLI_SPEC } from "./cli-spec.js";
export {
  ERROR_CODES,
  InvalidWorkflowError,
  NoWorkflowsError,
  NoWorkspaceError,
  StaleGeneratedError,
} from "./errors.js";
export { GENERATED_FILES, renderGeneratedFiles, syncGeneratedFiles, type GenerateResult } from "./generate.js";
export { checkPolicy, checkWorkflow, type PolicyOptions, type PolicyReport } from "./policy/check.js";
export { isPublishingJob, isPublishingWorkflow, isReleasePath } from "./policy/classify.js";
export { RULES, type Finding, type RuleId } from "./policy/rules.js";
export { renderWorkflowReadme } from "./readme.js";
export { EVENTS, githubContext, type EventScenario } from "./scenarios/events.js";
export { evaluateExpression, evaluateTemplate, isTruthy, type Json } from "./scenarios/expressions.js";
export {
  PLACEHOLDER_REPOSITORY,
  simulateWorkflow,
  type JobResult,
  type JobRun,
  type Simulation,
  type SimulationOptions,
} from "./scenarios/simulate.js";
export {
  ASSUMED_STEP_OUTPUTS,
  CALLER_EXAMPLES,
  jobsThatRun,
  renderScenarioTable,
  simulateScenarios,
  type ScenarioRow,
} from "./scenarios/table.js";
export { isTriggered, matchesFilters, patternToRegExp } from "./scenarios/triggers.js";
export { listWorkflowFiles, readWorkflow, stepsOfWorkflow, triggerNames, type RawJob, type RawStep, type WorkflowFile } from "./workflow-file.js";
export { findWorkspaceRoot, readWorkspacePackages, type HelperPackage } from "./workspace.js";
