export { buildDist, exampleRepo, type ExampleName } from "./examples.js";
export { commit, git, gitEnv, gitRepo, tag, writeTree, type FileTree } from "./git.js";
export { freePort, startLocalIndex, twineUpload, type LocalIndex, type LocalIndexOptions } from "./local-index.js";
export { EXAMPLES_DIR, PYTHON_SETUP_SCRIPT, REPO_ROOT } from "./paths.js";
export { pythonTools, type PythonTools } from "./python-tools.js";
export { repackToolsWheels } from "./repack-wheels.js";
export { type OnFinished, tempDir } from "./temp.js";
export { startFaultProxy, type Fault, type FaultProxy, type FaultRule, type RecordedRequest } from "./fault-proxy.js";
export { runCaptured, type CapturedRun } from "./run-captured.js";
