import { execFileSync } from "node:child_process";
import { pythonTools } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { requirementProblem, specifierSetProblem } from "../src/pep508.js";

// The port is held to packaging itself (the pinned release PyPI's parser matches): every string below, and every
// combination of the fragments, gets the same verdict from both, in one Python process.

function packagingVerdicts(kind: "requirement" | "specifiers", inputs: string[]): boolean[] {
  const script = [
    "import json, sys",
    "from packaging.requirements import Requirement",
    "from packaging.specifiers import SpecifierSet",
    "parse = Requirement if sys.argv[1] == 'requirement' else SpecifierSet",
    "def ok(s):",
    "    try:",
    "        parse(s)",
    "        return True",
    "    except Exception:",
    "        return False",
    "print(json.dumps([ok(s) for s in json.load(sys.stdin)]))",
  ].join("\n");
  return JSON.parse(execFileSync(pythonTools().python, ["-c", script, kind], { input: JSON.stringify(inputs), encoding: "utf8", maxBuffer: 1 << 26 }));
}

const REQUIREMENTS = [
  "requests",
  "requests>=2.8.1",
  "requests (>=2.8.1)",
  "requests[security,socks] >= 2.8.1, == 2.8.* ; python_version < '2.7'",
  "requests[]",
  "requests[ security ]",
  "requests[security socks]",
  "requests[security,]",
  "name@ https://example.com/x.whl",
  "name @ https://example.com/x.whl ; python_version >= '3'",
  "name @ https://example.com/x.whl; python_version >= '3'",
  "name @",
  "name>=1.0;python_version>='3'",
  "name>=1.0 ; python_version>='3' and os_name=='posix' or (sys_platform == \"win32\" and extra == 'x')",
  "name; extra == 'test'",
  "name; 'linux' in sys_platform",
  "name; 'linux' not in sys_platform",
  "name; 'linux' notin sys_platform",
  "name; python_version",
  "name; python_version >= '3' and",
  "name; (python_version >= '3'",
  "name; python_version >= '3')",
  "name; platform.machine == 'x86_64'",
  "name; os.name == 'nt'",
  "name; implementation_version >= '3'",
  "name; dependency_groups == 'x'",
  "name; extras == 'x'",
  "name; unknown_var == 'x'",
  "name; python_version =! '3'",
  "name; python_version === '3'",
  "name; python_version ~= '3.1'",
  "name; python_version == '3\\x4'",
  "name; python_version == '3\\x41'",
  "name; python_version == '3\\u12'",
  "name; python_version == '3\\N{BULLET}'",
  "name; python_version == '3\\'",
  "name; python_version == \"it's\"",
  "name==1.0.*",
  "name==1.0.post1.*",
  "name!=1.0.*",
  "name>=1.0.*",
  "name~=1.0.*",
  "name~=1",
  "name~=1.0",
  "name~=1.0+local",
  "name==1.0+local",
  "name>=1.0+local",
  "name===whatever-you-like",
  "name=== ",
  "name==v1.0",
  "name==1!2.0",
  "name==1.0a1",
  "name==1.0-alpha-1",
  "name==1.0.rc.1",
  "name==1.0-1",
  "name==1.0_post2",
  "name==1.0.dev",
  "name==1.0dev3",
  "name==1.0.0.0.0.0",
  "name==1.0 ,<2",
  "name==1.0,,<2",
  "name==1.0,",
  "name,==1.0",
  "name (==1.0",
  "name ==1.0)",
  "name>1.0 <2.0",
  "name >= 1.0",
  "name > = 1.0",
  "name<>1.0",
  "name=1.0",
  "NAME==1.0",
  "na.me_x-y==1",
  "-name",
  "name-",
  "name_",
  "1name",
  "",
  " ",
  "  name  ",
  "name\t>=1",
  "name ; ",
  "name;",
  "name[extra]@ http://x",
  "name ==1.0 @ http://x",
  "naïve==1.0",
  "name==1.0;python_version>'3'and os_name=='x'",
  "name==1.0;python_version>'3'andos_name=='x'",
  "name; python_version in '3.9 3.10'",
  "name; python_version not  in '3.9'",
  // Found by test/fuzz-names.test.ts. Requirement re-splits the clauses at commas: "===a,b" holds the clause "b".
  "name===a,b",
  "name===a,>=1",
  "name (===a,b)",
  "name===,1",
  // Python's whitespace (\x1c-\x1f and \x85 are, U+FEFF is not) after an operator.
  "name==\x1c1.0",
  "name>=\x851.0",
  "name!=\ufeff1.0",
  "name (>=1,<\x1f2)",
  // Python's case-insensitive match folds "ſ" to s and "ı", "İ" to i, in the ~= clause only (the others are (?a:...)).
  "name~=1.0.poſt1",
  "name~=1.0prevİew1",
  "name~=1.0prevıew1",
  "name>=1.0poſt1",
  "name==1.0prevıew1",
  // Line breaks in a quoted marker value: only after a backslash (Python reads \r\n and \r as \n).
  "name; os_name=='a\nb'",
  "name; os_name=='a\rb'",
  "name; os_name=='a\\\nb'",
  "name; os_name=='a\\\r\nb'",
  "name; os_name=='a\\\rb'",
  "name; os_name=='a\\\n\rb'",
  // \N{name}: the name's form (Python looks it up in any case); a lone surrogate cannot be encoded.
  "name; os_name=='\\N{bullet}'",
  "name; os_name=='\\N{A_B}'",
  "name; os_name=='\\N{ BULLET}'",
  "name; os_name=='\\N{}'",
  "name; os_name=='\ud800'",
];

/** Fragments whose every combination is compared too (many edges of the grammar in a few hundred strings). */
function combinations(): string[] {
  const names = ["pkg", "Pkg.Name", "x-"];
  const extras = ["", "[a]", "[a,b]", "[a b]", "[]"];
  const specs = ["", ">=1", " (>=1,<2)", "==1.*", "~=1", "<1+l", "===x", ">=1,"];
  const markers = ["", "; python_version>'3'", ";os_name == 'posix' or extra=='x'", "; extra==", "; (os_name=='a')"];
  const out: string[] = [];
  for (const n of names) for (const e of extras) for (const s of specs) for (const m of markers) out.push(`${n}${e}${s}${m}`);
  return out;
}

const SPECIFIER_SETS = [
  "",
  ">=3.8",
  ">=3.8, <4",
  ">=3.8,,<4",
  " >= 3.8 ",
  ">=3.8 <4",
  ">=3.8;",
  "3.8",
  "==3.*",
  "!=3.0.*, !=3.1.*",
  "~=3",
  "~=3.8",
  ">=3.8.*",
  "==3.8+local",
  "<=3.8+local",
  "===3.8-anything",
  ">3.8a1",
  ">=3.8.dev0",
  ">= 3.8 , < 4 , != 3.9.1",
  "=>3.8",
  ">=",
  ",",
  ">=3.8)",
  "(>=3.8)",
  ">=V3.8",
  // Found by test/fuzz-names.test.ts: Python's whitespace and case folding (see REQUIREMENTS).
  "\x1c>=3.8\x85",
  ">=3.8\ufeff",
  "\u2028>=3.8,\u3000<4",
  "~=3.8poſt1",
  "~=3.8prevİew",
  ">=3.8poſt1",
];

describe("PEP 508 and PEP 440 specifiers, as packaging parses them", () => {
  it("accepts and refuses exactly the dependency specifiers packaging does", () => {
    const inputs = [...REQUIREMENTS, ...combinations()];
    const expected = packagingVerdicts("requirement", inputs);
    const differ = inputs.filter((s, i) => (requirementProblem(s) === undefined) !== expected[i]).map((s, i) => `${JSON.stringify(s)} packaging=${expected[inputs.indexOf(s)]} ours=${requirementProblem(s) ?? "ok"} #${i}`);
    expect(differ).toEqual([]);
    // Both answers occur, many times: the comparison is not one-sided.
    expect(expected.filter(Boolean).length).toBeGreaterThan(100);
    expect(expected.filter((ok) => !ok).length).toBeGreaterThan(100);
  });

  it("accepts and refuses exactly the Requires-Python values packaging does", () => {
    const expected = packagingVerdicts("specifiers", SPECIFIER_SETS);
    expect(SPECIFIER_SETS.filter((s, i) => (specifierSetProblem(s) === undefined) !== expected[i])).toEqual([]);
    expect(expected.filter((ok) => !ok).length).toBeGreaterThan(5);
  });

  it("says why a specifier is refused", () => {
    expect(requirementProblem("name>=1.0.*")).toMatch(/^\.\* suffix can only be used with `==` or `!=` operators/);
    expect(requirementProblem("name=1.0")).toMatch(/^Expected semicolon \(after name with no version specifier\) or end/);
    expect(requirementProblem("name; python_version =! '3'")).toMatch(/^Expected marker operator/);
    expect(specifierSetProblem(">=3.8 <4")).toBe('Invalid specifier: ">=3.8 <4"');
  });
});
