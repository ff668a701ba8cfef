import { redact } from "@pypi-workflows/cli-kit";
import { NotesEnvironmentError } from "./errors.js";

/** The slice of GitHub's release object notes-gen reads (REST "Get a release"). */
export interface GitHubRelease {
  id: number;
  tag_name: string;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  upload_url: string;
  assets: GitHubAsset[];
}

export interface GitHubAsset {
  id: number;
  name: string;
  size: number;
  state?: string;
  /** "sha256:<hex>" on recent GitHub; null or absent on older servers (then the bytes are compared). */
  digest?: string | null;
}

type Octokit = InstanceType<(typeof import("@octokit/rest"))["Octokit"]>;

/** A thin client: each call names itself in errors, and the token never reaches a message. */
export class GitHubClient {
  private constructor(
    private readonly octokit: Octokit,
    private readonly owner: string,
    private readonly repo: string,
    private readonly token: string,
  ) {}

  /** Loads @octokit/rest on demand, so the notes command never pays for it. */
  static async create(token: string, repository: string, apiUrl: string): Promise<GitHubClient> {
    const { Octokit } = await import("@octokit/rest");
    const [owner = "", repo = ""] = repository.split("/");
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    const octokit = new Octokit({ auth: token, baseUrl: apiUrl.replace(/\/+$/, ""), log: silent, userAgent: "pypi-workflows-notes-gen" });
    return new GitHubClient(octokit, owner, repo, token);
  }

  /** The release of `tag`, drafts included (GitHub's get-by-tag does not see drafts), or null. */
  async findRelease(tag: string): Promise<GitHubRelease | null> {
    const byTag = await this.call(`GET release ${tag}`, () =>
      this.octokit.rest.repos.getReleaseByTag({ owner: this.owner, repo: this.repo, tag }).then((r) => r.data as GitHubRelease),
      true,
    );
    if (byTag) return byTag;
    const list = await this.call("GET releases", () =>
      this.octokit.rest.repos.listReleases({ owner: this.owner, repo: this.repo, per_page: 100 }).then((r) => r.data as GitHubRelease[]),
    );
    return list?.find((r) => r.tag_name === tag) ?? null;
  }

  async createRelease(body: { tag_name: string; [key: string]: unknown }): Promise<GitHubRelease> {
    const created = await this.call("POST release", () =>
      this.octokit.request("POST /repos/{owner}/{repo}/releases", { owner: this.owner, repo: this.repo, ...body }).then((r) => r.data as GitHubRelease),
    );
    return created as GitHubRelease;
  }

  async updateRelease(id: number, body: Record<string, unknown>): Promise<GitHubRelease> {
    const updated = await this.call("PATCH release", () =>
      this.octokit
        .request("PATCH /repos/{owner}/{repo}/releases/{release_id}", { owner: this.owner, repo: this.repo, release_id: id, ...body })
        .then((r) => r.data as GitHubRelease),
    );
    return updated as GitHubRelease;
  }

  /** An asset's bytes (for servers that give no digest). */
  async downloadAsset(id: number): Promise<Buffer> {
    const data = await this.call(`GET asset ${id}`, () =>
      this.octokit
        .request("GET /repos/{owner}/{repo}/releases/assets/{asset_id}", {
          owner: this.owner,
          repo: this.repo,
          asset_id: id,
          headers: { accept: "application/octet-stream" },
        })
        .then((r) => Buffer.from(r.data as unknown as ArrayBuffer)),
    );
    return data as Buffer;
  }

  /** Uploads to the release's own `upload_url` template (GitHub Enterprise has its own upload host). */
  async uploadAsset(release: GitHubRelease, name: string, data: Buffer): Promise<void> {
    await this.call(`upload ${name}`, () =>
      this.octokit.request({
        method: "POST",
        // Expand the RFC 6570 template ({?name,label}) ourselves: octokit leaves a stray "&" for the unused label.
        url: `${release.upload_url.replace(/\{[^}]*\}$/, "")}?name=${encodeURIComponent(name)}`,
        data,
        headers: { "content-type": "application/octet-stream", "content-length": data.length },
      }),
    );
  }

  /** Runs a request; a 404 is null when `allow404`, any other failure NG_GITHUB_API (exit 2), token redacted. */
  private async call<T>(label: string, fn: () => Promise<T>, allow404 = false): Promise<T | null> {
    try {
      return await fn();
    } catch (error) {
      // octokit reports a network failure as status 500 without a response: tell the two apart.
      const answered = (error as { response?: unknown }).response !== undefined;
      const status = answered ? (error as { status?: number }).status : undefined;
      if (allow404 && status === 404) return null;
      const detail = redact((error as Error).message ?? String(error), [this.token]);
      const hint =
        status === 401 || status === 403
          ? "the token was refused: give the job `permissions: contents: write` and pass GITHUB_TOKEN"
          : "check GITHUB_API_URL and GitHub's status; re-running is safe";
      throw new NotesEnvironmentError("NG_GITHUB_API", `${label}: ${status ? `GitHub answered ${status}` : "no response from the API"}: ${detail}`, {
        hint,
        data: { status: status ?? null },
      });
    }
  }
}
