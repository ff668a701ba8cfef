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
}

function target(name: TargetName, host: string, uploadHost: string): IndexTarget {
  return {
    name,
    uploadUrl: `https://${uploadHost}/legacy/`,
    simpleUrl: `https://${host}/simple/`,
    webUrl: `https://${host}`,
    projectUrl: (project, version) => `https://${host}/project/${project}/${version ? `${version}/` : ""}`,
  };
}

export const TARGETS: Readonly<Record<TargetName, IndexTarget>> = {
  pypi: target("pypi", "pypi.org", "upload.pypi.org"),
  testpypi: target("testpypi", "test.pypi.org", "test.pypi.org"),
};

export function isTargetName(value: string): value is TargetName {
  return value === "pypi" || value === "testpypi";
}
