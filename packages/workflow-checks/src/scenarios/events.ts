/** The events the scenarios cover, as GitHub would describe them in the `github` context. */
export interface EventScenario {
  id: string;
  title: string;
  event: "push" | "pull_request" | "workflow_dispatch";
  ref: string;
  /** workflow_dispatch inputs. */
  inputs?: Record<string, string>;
  fork?: boolean;
}

export const DEFAULT_BRANCH = "main";

export const EVENTS: readonly EventScenario[] = [
  { id: "push-main", title: "push to main (the default branch)", event: "push", ref: "refs/heads/main" },
  { id: "push-branch", title: "push to another branch", event: "push", ref: "refs/heads/feature/x" },
  { id: "tag-v1.2.3", title: "tag v1.2.3", event: "push", ref: "refs/tags/v1.2.3" },
  { id: "tag-v1.2.3rc1", title: "tag v1.2.3rc1", event: "push", ref: "refs/tags/v1.2.3rc1" },
  { id: "tag-v1.2", title: "tag v1.2", event: "push", ref: "refs/tags/v1.2" },
  { id: "tag-vfoo", title: "tag vfoo", event: "push", ref: "refs/tags/vfoo" },
  { id: "pull-request", title: "pull request", event: "pull_request", ref: "refs/pull/7/merge" },
  { id: "pull-request-fork", title: "pull request from a fork", event: "pull_request", ref: "refs/pull/8/merge", fork: true },
  {
    id: "dispatch-publish",
    title: "workflow_dispatch: re-publish tag v1.2.3",
    event: "workflow_dispatch",
    ref: "refs/heads/main",
    inputs: { tag: "v1.2.3", action: "publish" },
  },
  {
    id: "dispatch-verify",
    title: "workflow_dispatch: verify tag v1.2.3",
    event: "workflow_dispatch",
    ref: "refs/heads/main",
    inputs: { tag: "v1.2.3", action: "verify" },
  },
];

/** The `github` context of an event (the fields the workflows read). */
export function githubContext(scenario: EventScenario): Record<string, unknown> {
  const refName = scenario.ref.replace(/^refs\/(heads|tags)\//, "").replace(/^refs\/pull\/(\d+)\/merge$/, "$1/merge");
  const repository = { full_name: "octo/project", default_branch: DEFAULT_BRANCH, fork: false };
  const event: Record<string, unknown> = { repository };
  if (scenario.event === "pull_request") {
    const headRepo = scenario.fork ? { full_name: "someone/project", fork: true } : { ...repository };
    event.pull_request = { number: 7, head: { ref: "feature/x", repo: headRepo }, base: { ref: DEFAULT_BRANCH, repo: repository } };
  }
  if (scenario.inputs) event.inputs = scenario.inputs;
  return {
    event_name: scenario.event,
    ref: scenario.ref,
    ref_name: refName,
    ref_type: scenario.ref.startsWith("refs/tags/") ? "tag" : "branch",
    repository: repository.full_name,
    head_ref: scenario.event === "pull_request" ? "feature/x" : "",
    base_ref: scenario.event === "pull_request" ? DEFAULT_BRANCH : "",
    event,
  };
}
