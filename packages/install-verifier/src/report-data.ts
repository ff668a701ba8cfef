import type { Installer } from "./installer.js";
import type { StepReport } from "./steps.js";

/** The result of one verification: separate facts (published, installable, ok) and every step with its time. */
export interface VerifyReport {
  mode: "dist" | "index";
  name: string;
  version: string;
  python: { executable: string; version: string };
  installer: "uv" | "pip";
  /** The index the package came from (mode "index"). */
  indexUrl?: string;
  depsIndexUrl: string;
  /** Mode "index": the files are listed on the index (with the manifest's sha256 when one was given: listed, or
   * downloaded and hashed; false when the installer got other bytes). */
  published?: boolean;
  /** The package and its dependencies installed. */
  installable: boolean;
  /** Every step passed. */
  ok: boolean;
  steps: StepReport[];
  /** Names of the failed steps, in order. */
  failed: string[];
  durationMs: number;
}

export interface ReportInput {
  mode: VerifyReport["mode"];
  name: string;
  version: string;
  session: { installer: Installer; started: number };
  outcomes: { steps: StepReport[]; installable: boolean }[];
  published?: boolean;
  indexUrl?: string;
  depsIndexUrl: string;
}

export function buildReport(input: ReportInput): VerifyReport {
  const steps = input.outcomes.flatMap((o) => o.steps);
  const failed = steps.filter((s) => s.status === "failed").map((s) => s.name);
  // Mode "index": the first outcome is the wait for the index; installable is the install's own outcome.
  const installs = input.mode === "index" ? input.outcomes.slice(1) : input.outcomes;
  return {
    mode: input.mode,
    name: input.name,
    version: input.version,
    python: { executable: input.session.installer.python.executable, version: input.session.installer.python.version },
    installer: input.session.installer.kind,
    ...(input.indexUrl ? { indexUrl: input.indexUrl } : {}),
    depsIndexUrl: input.depsIndexUrl,
    ...(input.mode === "index" ? { published: input.published ?? false } : {}),
    installable: installs.length > 0 && installs.every((o) => o.installable),
    ok: failed.length === 0,
    steps,
    failed,
    durationMs: Math.round(performance.now() - input.session.started),
  };
}
