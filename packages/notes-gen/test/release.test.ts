import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { FakeGitHub, git, tag, tempDir } from "@pypi-workflows/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prepareAssets } from "../src/assets.js";
import { publishRelease } from "../src/index.js";
import { baseEnv, commitAs, projectRepo, run } from "./helpers.js";

const TOKEN = "ghs_CANARYt0ken4notes9gen1234567890";
const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

let repo: string;
let assetsDir: string;
let wheel: string;
let sdist: string;
let api: FakeGitHub;

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return baseEnv({ GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/demo", GITHUB_API_URL: api.url, ...extra });
}

beforeAll(async () => {
  repo = projectRepo();
  tag(repo, "v1.0.0");
  git(repo, ["branch", "maint"]);
  commitAs(repo, "feat: search");
  tag(repo, "v1.1.0rc1");
  commitAs(repo, "fix: search crash");
  tag(repo, "v1.1.0");
  git(repo, ["checkout", "-q", "maint"]);
  commitAs(repo, "fix: backport");
  tag(repo, "v1.0.1");
  git(repo, ["checkout", "-q", "main"]);
  assetsDir = tempDir();
  wheel = join(assetsDir, "demo_pkg-1.1.0-py3-none-any.whl");
  sdist = join(assetsDir, "demo_pkg-1.1.0.tar.gz");
  writeFileSync(wheel, "wheel bytes");
  writeFileSync(sdist, "sdist bytes");
});

beforeEach(async () => {
  api = await new FakeGitHub().start();
  return () => api.stop();
});

afterAll(() => undefined);

const sums = () => `${sha256("wheel bytes")}  demo_pkg-1.1.0-py3-none-any.whl\n${sha256("sdist bytes")}  demo_pkg-1.1.0.tar.gz\n`;

describe("SHA256SUMS", () => {
  it("lists the assets in code-unit order, whatever the locale would say, so a re-run writes the same bytes", async () => {
    const dir = tempDir("ng-sums-");
    const names = ["b.txt", "B.txt", "a_b.txt", "a-b.txt", "a.b.txt", "ä.txt"];
    for (const name of names) writeFileSync(join(dir, name), name);
    const assets = await prepareAssets(dir, names);
    const sumsFile = assets.at(-1);
    expect(sumsFile?.name).toBe("SHA256SUMS");
    const listed = sumsFile?.data.toString().trimEnd().split("\n").map((line) => line.split("  ")[1]);
    expect(listed).toEqual(["B.txt", "a-b.txt", "a.b.txt", "a_b.txt", "b.txt", "ä.txt"]);
    // An English collation orders them otherwise: what the list was sorted with before.
    expect([...names].sort((a, b) => a.localeCompare(b, "en"))).not.toEqual(listed);
  });
});

describe("creating a release", () => {
  it("creates the release, marks the newest final latest, uploads the assets and SHA256SUMS", async () => {
    const r = await run(["release", "--tag", "v1.1.0", "--assets", wheel, sdist], repo, env(), [TOKEN]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(api.calls()).toEqual([
      "GET /repos/acme/demo/releases/tags/v1.1.0",
      "GET /repos/acme/demo/releases?per_page=100",
      "POST /repos/acme/demo/releases",
      "POST /uploads/repos/acme/demo/releases/100/assets?name=demo_pkg-1.1.0-py3-none-any.whl",
      "POST /uploads/repos/acme/demo/releases/100/assets?name=demo_pkg-1.1.0.tar.gz",
      "POST /uploads/repos/acme/demo/releases/100/assets?name=SHA256SUMS",
    ]);
    const create = api.requests[2]?.body as Record<string, unknown>;
    expect(create).toMatchObject({ tag_name: "v1.1.0", name: "v1.1.0", prerelease: false, make_latest: "true", draft: false });
    expect(create.body).toContain("- search crash");
    expect(create.body).toContain("compare/v1.0.0...v1.1.0");
    expect(api.requests[0]?.authorization).toBe(`token ${TOKEN}`);
    const uploaded = api.releases[0]?.assets.map((a) => [a.name, a.bytes.toString()]);
    expect(uploaded).toEqual([
      ["demo_pkg-1.1.0-py3-none-any.whl", "wheel bytes"],
      ["demo_pkg-1.1.0.tar.gz", "sdist bytes"],
      ["SHA256SUMS", sums()],
    ]);
    expect(r.stdout).toContain("created release v1.1.0 (final, latest, published)");
  });

  it("honours GITHUB_API_URL with a path (GitHub Enterprise Server's /api/v3)", async () => {
    const r = await run(["release", "--tag", "v1.1.0"], repo, env({ GITHUB_API_URL: `${api.url}/api/v3/` }), [TOKEN]);
    expect(r.code).toBe(0);
    expect(api.calls()).toEqual([
      "GET /api/v3/repos/acme/demo/releases/tags/v1.1.0",
      "GET /api/v3/repos/acme/demo/releases?per_page=100",
      "POST /api/v3/repos/acme/demo/releases",
    ]);
  });

  it("marks PEP 440 pre-releases as prerelease and never latest", async () => {
    await run(["release", "--tag", "v1.1.0rc1"], repo, env(), [TOKEN]);
    expect(api.requests.find((q) => q.method === "POST")?.body).toMatchObject({ prerelease: true, make_latest: "false" });
  });

  it("does not make an older final release latest (a backport on a maintenance branch)", async () => {
    await run(["release", "--tag", "v1.0.1"], repo, env(), [TOKEN]);
    expect(api.requests.find((q) => q.method === "POST")?.body).toMatchObject({ prerelease: false, make_latest: "false" });
  });

  it("creates drafts, finds them again on a re-run, and publishes them without --draft", async () => {
    await run(["release", "--tag", "v1.1.0", "--draft"], repo, env(), [TOKEN]);
    expect(api.requests.at(-1)?.body).toMatchObject({ draft: true });
    api.requests.length = 0;
    const again = await run(["release", "--tag", "v1.1.0"], repo, env(), [TOKEN]);
    expect(again.code).toBe(0);
    expect(api.calls()).toEqual([
      "GET /repos/acme/demo/releases/tags/v1.1.0",
      "GET /repos/acme/demo/releases?per_page=100",
      "PATCH /repos/acme/demo/releases/100",
    ]);
    expect(api.requests[2]?.body).toMatchObject({ draft: false, make_latest: "true" });
    expect(api.releases).toHaveLength(1);
  });
});

describe("re-runs", () => {
  it("keeps identical assets and uploads only what is missing", async () => {
    api.addRelease("v1.1.0", { "demo_pkg-1.1.0-py3-none-any.whl": Buffer.from("wheel bytes") });
    const r = await run(["release", "--tag", "v1.1.0", "--assets", wheel, "--assets", sdist, "--json"], repo, env(), [TOKEN]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      action: "updated",
      kept: ["demo_pkg-1.1.0-py3-none-any.whl"],
      uploaded: ["demo_pkg-1.1.0.tar.gz", "SHA256SUMS"],
    });
    expect(api.calls()).toEqual([
      "GET /repos/acme/demo/releases/tags/v1.1.0",
      "PATCH /repos/acme/demo/releases/100",
      "POST /uploads/repos/acme/demo/releases/100/assets?name=demo_pkg-1.1.0.tar.gz",
      "POST /uploads/repos/acme/demo/releases/100/assets?name=SHA256SUMS",
    ]);
    api.requests.length = 0;
    const third = await run(["release", "--tag", "v1.1.0", "--assets", wheel, sdist], repo, env(), [TOKEN]);
    expect(third.code).toBe(0);
    expect(api.calls()).toEqual(["GET /repos/acme/demo/releases/tags/v1.1.0", "PATCH /repos/acme/demo/releases/100"]);
  });

  it("refuses a different asset under the same name and changes nothing", async () => {
    api.addRelease("v1.1.0", { "demo_pkg-1.1.0.tar.gz": Buffer.from("other bytes") });
    const r = await run(["release", "--tag", "v1.1.0", "--assets", wheel, sdist], repo, env(), [TOKEN]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("NG_ASSET_CONFLICT");
    expect(r.stderr).toContain("demo_pkg-1.1.0.tar.gz");
    expect(api.calls()).toEqual(["GET /repos/acme/demo/releases/tags/v1.1.0"]);
    expect(api.releases[0]?.assets.map((a) => a.bytes.toString())).toEqual(["other bytes"]);
  });

  it("compares the bytes when the server gives no digest", async () => {
    api.digests = false;
    api.addRelease("v1.1.0", { "demo_pkg-1.1.0-py3-none-any.whl": Buffer.from("wheel bytes"), "demo_pkg-1.1.0.tar.gz": Buffer.from("sdist BYTES") });
    const r = await run(["release", "--tag", "v1.1.0", "--assets", wheel, sdist], repo, env(), [TOKEN]);
    expect(r.code).toBe(1);
    expect(api.calls()).toEqual([
      "GET /repos/acme/demo/releases/tags/v1.1.0",
      "GET /repos/acme/demo/releases/assets/101",
      "GET /repos/acme/demo/releases/assets/102",
    ]);
  });
});

describe("dry run and bad input", () => {
  it("--dry-run makes no request, needs no token, and prints the plan", async () => {
    // Asset paths are relative to where notes-gen runs (the shell expanded them), not to --cwd.
    const r = await run(["release", "--cwd", repo, "--tag", "v1.1.0", "--assets", "demo_pkg-1.1.0-py3-none-any.whl", "--dry-run"], assetsDir, baseEnv({ GITHUB_API_URL: api.url }));
    expect(r.code).toBe(0);
    expect(api.requests).toEqual([]);
    expect(r.stdout).toContain("dry run: would create or update release v1.1.0");
    expect(r.stdout).toContain(`sha256 ${sha256("wheel bytes")}`);
    expect(r.stdout).toContain("SHA256SUMS");
    expect(r.stdout).toContain("- search crash");
  });

  it("needs a token, a repository, existing and distinct asset files (exit 2, no request)", async () => {
    const cases: [string[], NodeJS.ProcessEnv, string][] = [
      [["--tag", "v1.1.0"], env({ GITHUB_TOKEN: "" }), "NG_NO_TOKEN"],
      [["--tag", "v1.1.0"], env({ GITHUB_REPOSITORY: "" }), "NG_NO_REPOSITORY"],
      [["--tag", "v1.1.0", "--repo", "not a repo"], env(), "NG_NO_REPOSITORY"],
      [["--tag", "v1.1.0", "--assets", join(assetsDir, "missing.whl")], env(), "NG_ASSET_NOT_FOUND"],
      [["--tag", "v1.1.0", "--assets", wheel, wheel], env(), "NG_DUPLICATE_ASSET"],
      [["--tag", "v1.1.0", "--assets", join(assetsDir, "SHA256SUMS")], env(), "NG_DUPLICATE_ASSET"],
      [["--draft"], env(), "USAGE"],
      [["--tag", "v9.0.0"], env(), "NG_UNKNOWN_REF"],
    ];
    for (const [args, e, code] of cases) {
      const r = await run(["release", ...args], repo, e, [TOKEN]);
      expect([r.code, r.stderr.includes(code)], code).toEqual([2, true]);
    }
    expect(api.requests).toEqual([]);
  });

  it("an API that cannot be reached is NG_GITHUB_API (exit 2)", async () => {
    const closed = await new FakeGitHub().start();
    await closed.stop();
    const r = await run(["release", "--tag", "v1.1.0"], repo, env({ GITHUB_API_URL: closed.url }), [TOKEN]);
    expect([r.code, r.stderr.includes("NG_GITHUB_API"), r.stderr.includes("no response")]).toEqual([2, true, true]);
  });

  it.each([401, 403, 500])("never prints the token, even when the API echoes it back (%i)", async (status) => {
    api.failWith = status;
    for (const extra of [[], ["--json"]]) {
      // No secrets passed to runCli here: the library itself must keep the token out of its errors.
      const r = await run(["release", "--tag", "v1.1.0", ...extra], repo, env());
      expect(r.code).toBe(2);
      expect(`${r.stdout}${r.stderr}`).toContain("NG_GITHUB_API");
      expect(`${r.stdout}${r.stderr}`).toContain(String(status));
      expect(`${r.stdout}${r.stderr}`).not.toContain(TOKEN);
    }
    const error = await publishRelease({ cwd: repo, env: env(), tag: "v1.1.0" }).catch((e: unknown) => e);
    expect(JSON.stringify({ message: (error as Error).message, data: (error as { data?: unknown }).data })).not.toContain(TOKEN);
    expect(api.requests[0]?.authorization).toContain(TOKEN);
  });
});
