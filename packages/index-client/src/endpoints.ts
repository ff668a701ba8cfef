/**
 * The public package indexes this product targets: the ONLY module that names their addresses.
 * Workflows and CLIs refer to them by target name (`--target pypi|testpypi`).
 */
export type TargetName = "pypi" | "testpypi";

export interface IndexTarget {
  name: TargetName;
  /** The legacy upload API (the trailing slash matters: without it, a redirect). */
  uploadUrl: string;
  /** The Simple Repository API root, as pip's --index-url. */
  simpleUrl: string;
  /** The web site (project pages live under /project/). */
  webUrl: string;
  /** The project's page, or one release's page. */
  projectUrl(project: string, version?: string): string;
  /**
   * Days after a release is created (its first upload) from which the index refuses new files for it (warehouse
   * since July 2026: "Uploading new files to releases older than 14 days is not allowed"; identical re-uploads
   * still succeed). Private indexes have no such rule.
   */
  closesReleasesAfterDays: number;
  /**
   * The index creates a project at its first upload only under a name that is not a Python standard library
   * module's and not "too similar" to an existing project's (warehouse's check_project_name: names equal once
   * ".", "_" and "-" are dropped, l/i read as 1 and o as 0). Private indexes have no such rule.
   */
  checksNewProjectNames: boolean;
  /**
   * The most bytes a project's files may take together (every release, yanked files included): an upload that goes
   * over it is refused ("Project size too large"). 10 GiB unless the index granted the project more.
   */
  projectSizeLimitBytes: number;
}

function target(name: TargetName, host: string, uploadHost: string): IndexTarget {
  return {
    name,
    uploadUrl: `https://${uploadHost}/legacy/`,
    simpleUrl: `https://${host}/simple/`,
    webUrl: `https://${host}`,
    projectUrl: (project, version) => `https://${host}/project/${project}/${version ? `${version}/` : ""}`,
    closesReleasesAfterDays: 14,
    checksNewProjectNames: true,
    projectSizeLimitBytes: 10 * 1024 ** 3,
  };
}

export const TARGETS: Readonly<Record<TargetName, IndexTarget>> = {
  pypi: target("pypi", "pypi.org", "upload.pypi.org"),
  testpypi: target("testpypi", "test.pypi.org", "test.pypi.org"),
};

export function isTargetName(value: string): value is TargetName {
  return value === "pypi" || value === "testpypi";
}
