import { JSON_OPTION, type CliSpec } from "@pypi-workflows/cli-kit";
import packageJson from "../package.json" with { type: "json" };

export const cliSpec: CliSpec = {
  name: "pypi-upload",
  version: packageJson.version,
  description: "upload a checked build so that re-runs converge (only missing files; identical files are a no-op)",
  globalOptions: { json: JSON_OPTION },
  defaultCommand: "upload",
  commands: [
    {
      name: "upload",
      summary: "upload the files of DIR that the index lacks",
      description:
        "Checks DIR against the dist-check manifest, asks the index what it already has, refuses before any upload " +
        "when a file name exists with other bytes, then uploads the missing files one at a time with twine, " +
        "retrying server errors, resets and timeouts with backoff. Credentials: TWINE_USERNAME (default __token__) " +
        "and TWINE_PASSWORD from the environment, never printed.",
      args: [{ name: "dir", description: "the directory with the built files (default: dist)" }],
      options: {
        manifest: { type: "string", description: "the manifest dist-check wrote for these files", valueName: "FILE" },
        target: { type: "string", description: "a public index: pypi or testpypi", valueName: "NAME" },
        "index-url": { type: "string", description: "the Simple API root of another index", valueName: "URL" },
        "upload-url": { type: "string", description: "its upload endpoint (with --index-url)", valueName: "URL" },
        attempts: { type: "string", description: "attempts per file for retryable failures", default: "3", valueName: "N" },
        timeout: { type: "string", description: "seconds one upload attempt may take", default: "300", valueName: "SECONDS" },
        twine: { type: "string", description: "the command that runs twine", default: "twine", valueName: "CMD" },
      },
      examples: [
        "TWINE_PASSWORD=$TOKEN pypi-upload dist --manifest dist-manifest.json --target testpypi",
        "pypi-upload dist --manifest m.json --index-url http://127.0.0.1:8080/simple/ --upload-url http://127.0.0.1:8080/",
      ],
    },
  ],
};
