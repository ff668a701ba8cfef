import type { Json } from "./expressions.js";

/** The event that started the run: what the `github` context and GITHUB_* variables describe. */
export interface EventOptions {
  /** Default "push". */
  name?: string;
  /** Default refs/heads/<defaultBranch>. */
  ref?: string;
  /** Default: HEAD of the checkout source when it is a git repository, else 40 zeros. */
  sha?: string;
  /** owner/name; default "local/project". */
  repository?: string;
  /** Default "main". */
  defaultBranch?: string;
  actor?: string;
  /** Merged over the payload the runner makes (ref, after, repository.{full_name,name,default_branch,owner}). */
  payload?: Record<string, Json>;
  /** GITHUB_API_URL: point it at a local fake GitHub API in tests. Default https://api.github.com. */
  apiUrl?: string;
  serverUrl?: string;
  /** github.token / GITHUB_TOKEN (masked). Default a fixed dummy value. */
  token?: string;
  runId?: number;
}

export interface GithubEvent {
  context: Record<string, Json>;
  /** GITHUB_* variables for every step (GITHUB_JOB, GITHUB_WORKSPACE and the file paths are added per job). */
  env: Record<string, string>;
  payload: Record<string, Json>;
  token: string;
}

function refParts(ref: string): { name: string; type: string } {
  if (ref.startsWith("refs/tags/")) return { name: ref.slice(10), type: "tag" };
  if (ref.startsWith("refs/heads/")) return { name: ref.slice(11), type: "branch" };
  if (ref.startsWith("refs/pull/")) return { name: ref.slice(5), type: "branch" };
  return { name: ref, type: "branch" };
}

/** Builds the `github` context and its GITHUB_* variables from the event options. */
export function describeEvent(options: EventOptions, defaultSha: string): GithubEvent {
  const defaultBranch = options.defaultBranch ?? "main";
  const ref = options.ref ?? `refs/heads/${defaultBranch}`;
  const sha = options.sha ?? defaultSha;
  const repository = options.repository ?? "local/project";
  const [owner = "local", repoName = "project"] = repository.split("/");
  const { name: refName, type: refType } = refParts(ref);
  const serverUrl = options.serverUrl ?? "https://github.com";
  const apiUrl = options.apiUrl ?? "https://api.github.com";
  const token = options.token ?? "ghs_local_job_runner_dummy_token";
  const runId = options.runId ?? 1;
  const payload: Record<string, Json> = {
    ref,
    after: sha,
    repository: { full_name: repository, name: repoName, default_branch: defaultBranch, owner: { login: owner } },
    sender: { login: options.actor ?? "local" },
    ...options.payload,
  };
  const context: Record<string, Json> = {
    event_name: options.name ?? "push",
    event: payload,
    ref,
    ref_name: refName,
    ref_type: refType,
    sha,
    repository,
    repository_owner: owner,
    actor: options.actor ?? "local",
    triggering_actor: options.actor ?? "local",
    run_id: String(runId),
    run_number: "1",
    run_attempt: "1",
    server_url: serverUrl,
    api_url: apiUrl,
    graphql_url: `${apiUrl}/graphql`,
    token,
    head_ref: "",
    base_ref: "",
    retention_days: "90",
  };
  const env: Record<string, string> = {
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: String(context.event_name),
    GITHUB_REF: ref,
    GITHUB_REF_NAME: refName,
    GITHUB_REF_TYPE: refType,
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_ACTOR: String(context.actor),
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_NUMBER: "1",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SERVER_URL: serverUrl,
    GITHUB_API_URL: apiUrl,
    GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
    RUNNER_OS: "Linux",
    RUNNER_ARCH: "X64",
    RUNNER_NAME: "job-runner",
    RUNNER_ENVIRONMENT: "self-hosted",
  };
  return { context, env, payload, token };
}
