import { describe, expect, it } from "vitest";
import { normalizeProjectName, parseDistFilename, resolveIndex, TARGETS } from "../src/index.js";

describe("resolveIndex", () => {
  it("resolves a target name to its endpoints", () => {
    expect(resolveIndex({ target: "testpypi" })).toEqual({
      name: "testpypi",
      simpleUrl: TARGETS.testpypi.simpleUrl,
      uploadUrl: TARGETS.testpypi.uploadUrl,
      closesReleasesAfterDays: 14,
      checksNewProjectNames: true,
      projectSizeLimitBytes: 10 * 1024 ** 3,
    });
  });

  it("lets explicit URLs win and adds the trailing slash", () => {
    expect(resolveIndex({ target: "pypi", indexUrl: "http://127.0.0.1:8080/simple", uploadUrl: "http://127.0.0.1:8080/" })).toEqual({
      name: "custom",
      simpleUrl: "http://127.0.0.1:8080/simple/",
      uploadUrl: "http://127.0.0.1:8080/",
    });
  });

  it.each([
    [{ target: "pypy" }, /unknown --target "pypy"/],
    [{}, /no index given/],
    [{ indexUrl: "not a url" }, /is not a URL/],
    [{ indexUrl: "ftp://x/simple/" }, /must be http/],
    [{ indexUrl: "https://user:secret@x/simple/" }, /must not contain credentials/],
    // Unparsable, so the credentials check never sees it: the message still must not echo the password.
    [{ indexUrl: "https://user:se/cret@x.example/simple/" }, /"https:\/\/\*\*\*@x\.example\/simple\/" is not a URL/],
    [{ indexUrl: "https://user:secret@ho st/simple/" }, /"https:\/\/\*\*\*@ho st\/simple\/" is not a URL/],
  ])("refuses %j as a usage error (exit 2)", (options, message) => {
    expect(() => resolveIndex(options)).toThrow(message);
    try {
      resolveIndex(options);
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(2);
      expect(String((error as Error).message)).not.toContain("secret");
    }
  });
});

describe("file names", () => {
  it("normalizes project names as PEP 503 does", () => {
    expect(normalizeProjectName("Hatch_Static..Demo")).toBe("hatch-static-demo");
    // As packaging's canonicalize_name: lower case first, so a capital sigma before "." and a letter is not final.
    expect(normalizeProjectName("eΣ.z")).toBe("eσ-z");
    expect(normalizeProjectName("e.Σ")).toBe("e-ς");
  });

  it("splits wheel and sdist names", () => {
    expect(parseDistFilename("pkg_x-1.0.0rc1-1-cp312-cp312-manylinux_2_17_x86_64.whl")).toEqual({
      filename: "pkg_x-1.0.0rc1-1-cp312-cp312-manylinux_2_17_x86_64.whl",
      kind: "wheel",
      name: "pkg_x",
      version: "1.0.0rc1",
      wheelTags: { build: "1", python: "cp312", abi: "cp312", platform: "manylinux_2_17_x86_64" },
    });
    expect(parseDistFilename("pkg_x-1.0.0.tar.gz")).toMatchObject({ kind: "sdist", name: "pkg_x", version: "1.0.0" });
    expect(parseDistFilename("pkg-x-1.0.zip")).toMatchObject({ kind: "sdist", name: "pkg-x", version: "1.0" });
    expect(parseDistFilename("README.md")).toBeUndefined();
  });
});
