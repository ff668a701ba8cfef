import { createHash } from "node:crypto";
import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32, gzipSync } from "node:zlib";
import type { DistCheckCode } from "../../src/errors.js";
import { type TarInput, tarBytes, writeTarGz } from "./tar-writer.js";
import { type ZipInput, type ZipOptions, writeZip } from "./zip-writer.js";

export type Fields = Record<string, string | string[] | null>;

export const BASE_FIELDS: Fields = {
  "Metadata-Version": "2.4",
  Name: "demo-pkg",
  Version: "1.0.0",
  Summary: "A generated demo distribution",
  "License-Expression": "MIT",
  "License-File": "LICENSE",
  Classifier: ["Programming Language :: Python :: 3", "Operating System :: OS Independent"],
  "Requires-Dist": "requests>=2",
  "Project-URL": "Homepage, https://example.com/demo",
  "Description-Content-Type": "text/markdown",
};
const DESCRIPTION = "# Demo\n\nA generated distribution for dist-check's tests.\n";

export function metadataText(overrides: Fields = {}, description: string | null = DESCRIPTION): string {
  const fields = { ...BASE_FIELDS, ...overrides };
  const lines: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${key}: ${v}`);
  }
  return `${lines.join("\n")}\n${description === null ? "" : `\n${description}`}`;
}

const b64 = (data: Buffer | string) => createHash("sha256").update(data).digest("base64url");

export interface WheelOptions {
  fields?: Fields;
  description?: string | null;
  /** Files outside .dist-info (default: a small package with data). */
  files?: Record<string, string | Buffer>;
  distInfo?: string;
  wheelText?: string | Buffer;
  /** Change entries after RECORD is computed (the defect). */
  mutate?: (entries: ZipInput[], distInfo: string) => ZipInput[];
  /** Change RECORD lines before writing. */
  mutateRecord?: (lines: string[], distInfo: string) => string[];
  trailing?: Buffer;
  omit?: string[];
  /** How the zip itself is framed (test/support/zip-writer.ts). */
  zip?: ZipOptions;
}

export const BASE_FILES: Record<string, string> = {
  "demo_pkg/__init__.py": '__version__ = "1.0.0"\n',
  "demo_pkg/data/greeting.txt": "hello\n",
};

/** A wheel as a backend writes it (RECORD with sha256 and sizes), with one hook for a defect. */
export function writeWheel(dir: string, filename: string, options: WheelOptions = {}): string {
  const distInfo = options.distInfo ?? "demo_pkg-1.0.0.dist-info";
  const files: Record<string, string | Buffer> = {
    ...(options.files ?? BASE_FILES),
    [`${distInfo}/METADATA`]: metadataText(options.fields, options.description),
    [`${distInfo}/WHEEL`]: options.wheelText ?? "Wheel-Version: 1.0\nGenerator: dist-check-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    [`${distInfo}/licenses/LICENSE`]: "MIT License\n",
  };
  for (const omit of options.omit ?? []) delete files[omit];
  let record = Object.entries(files).map(([path, data]) => `${path},sha256=${b64(data)},${Buffer.byteLength(data)}`);
  record.push(`${distInfo}/RECORD,,`);
  if (options.mutateRecord) record = options.mutateRecord(record, distInfo);
  let entries: ZipInput[] = Object.entries(files).map(([name, data]) => ({ name, data }));
  if (!options.omit?.includes(`${distInfo}/RECORD`)) entries.push({ name: `${distInfo}/RECORD`, data: `${record.join("\n")}\n` });
  if (options.mutate) entries = options.mutate(entries, distInfo);
  const path = join(dir, filename);
  writeZip(path, entries, { ...options.zip, ...(options.trailing ? { trailing: options.trailing } : {}) });
  return path;
}

export interface SdistOptions {
  fields?: Fields;
  description?: string | null;
  top?: string;
  mutate?: (entries: TarInput[], top: string) => TarInput[];
}

export function sdistEntries(options: SdistOptions = {}): TarInput[] {
  const top = options.top ?? "demo_pkg-1.0.0";
  let entries: TarInput[] = [
    { name: `${top}`, type: "5" },
    { name: `${top}/PKG-INFO`, data: metadataText(options.fields, options.description) },
    { name: `${top}/pyproject.toml`, data: '[project]\nname = "demo-pkg"\nversion = "1.0.0"\n' },
    { name: `${top}/LICENSE`, data: "MIT License\n" },
    { name: `${top}/src/demo_pkg/__init__.py`, data: '__version__ = "1.0.0"\n' },
  ];
  if (options.mutate) entries = options.mutate(entries, top);
  return entries;
}

export function writeSdist(dir: string, filename: string, options: SdistOptions = {}): string {
  const path = join(dir, filename);
  writeTarGz(path, sdistEntries(options));
  return path;
}

export interface Defect {
  id: string;
  kind: "wheel" | "sdist";
  /** The code dist-check must report. */
  code: DistCheckCode;
  /** Which family the rule belongs to (the comparison table groups by it). */
  family: "archive" | "pypi" | "record" | "metadata" | "layout";
  make(dir: string): string;
}

const WHL = "demo_pkg-1.0.0-py3-none-any.whl";
const SD = "demo_pkg-1.0.0.tar.gz";
const wheel = (id: string, code: DistCheckCode, family: Defect["family"], options: WheelOptions, filename = WHL): Defect => ({
  id,
  kind: "wheel",
  code,
  family,
  make: (dir) => writeWheel(dir, filename, options),
});
const sdist = (id: string, code: DistCheckCode, family: Defect["family"], options: SdistOptions, filename = SD): Defect => ({
  id,
  kind: "sdist",
  code,
  family,
  make: (dir) => writeSdist(dir, filename, options),
});
const replaceData = (name: string, data: string) => (entries: ZipInput[]) => entries.map((e) => (e.name === name ? { ...e, data } : e));
/** RECORD rows of demo_pkg/__init__.py rewritten (the member itself is unchanged). */
const initRow = (rewrite: (row: string) => string | string[]) => (lines: string[]) => lines.flatMap((l) => (l.startsWith("demo_pkg/__init__.py,") ? rewrite(l) : [l]));
const digest = (algorithm: string, data: Buffer | string) => createHash(algorithm).update(data).digest("base64url");
const NOT_UTF8 = Buffer.from(metadataText().replace("Summary: A generated", "Summary: A gener\u00e9ted"), "latin1");
/** METADATA (or PKG-INFO) in Latin-1, with RECORD still matching it: the only defect is the encoding. */
/** METADATA replaced by `data` after RECORD is computed, with its RECORD row made to match. */
const metadataBytes = (data: Buffer): Pick<WheelOptions, "mutate" | "mutateRecord"> => ({
  mutate: (entries, d) => entries.map((e) => (e.name === `${d}/METADATA` ? { ...e, data } : e)),
  mutateRecord: (lines, d) => lines.map((l) => (l.startsWith(`${d}/METADATA,`) ? `${d}/METADATA,sha256=${b64(data)},${data.length}` : l)),
});
const latin1Metadata = metadataBytes(NOT_UTF8);
/** UTF-8 with a byte order mark: PyPI's email parser then reads no field (the first line is not a header). */
const WITH_BOM = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(metadataText())]);

/** One defect per rule; each file is otherwise a valid distribution of demo-pkg 1.0.0. */
export const DEFECTS: Defect[] = [
  wheel("wheel-record-hash-mismatch", "DC_RECORD_HASH_MISMATCH", "record", { mutate: replaceData("demo_pkg/__init__.py", '__version__ = "1.0.1"\n') }),
  wheel("wheel-record-size-mismatch", "DC_RECORD_SIZE_MISMATCH", "record", { mutateRecord: (l) => l.map((x) => (x.startsWith("demo_pkg/data/") ? x.replace(/,\d+$/, ",999") : x)) }),
  wheel("wheel-record-missing-entry", "DC_RECORD_MISSING_ENTRY", "record", { mutate: (e) => [{ name: "demo_pkg/extra.py", data: "x = 1\n" }, ...e] }),
  wheel("wheel-record-extra-entry", "DC_RECORD_EXTRA_ENTRY", "record", { mutateRecord: (l) => [...l, "demo_pkg/gone.py,sha256=AAAA,3"] }),
  wheel("wheel-record-md5", "DC_RECORD_WEAK_HASH", "record", { mutateRecord: (l) => l.map((x) => (x.startsWith("demo_pkg/__init__") ? x.replace(/sha256=[^,]+/, "md5=1B2M2Y8AsgTpgAmY7PhCfg") : x)) }),
  wheel("wheel-record-sha1", "DC_RECORD_WEAK_HASH", "record", { mutateRecord: initRow((l) => l.replace(/sha256=[^,]+/, `sha1=${digest("sha1", BASE_FILES["demo_pkg/__init__.py"]!)}`)) }),
  wheel("wheel-record-sha512-mismatch", "DC_RECORD_HASH_MISMATCH", "record", { mutateRecord: initRow((l) => l.replace(/sha256=[^,]+/, `sha512=${digest("sha512", "other bytes")}`)) }),
  wheel("wheel-record-bad-line", "DC_RECORD_INVALID", "record", { mutateRecord: initRow((l) => l.replace(/,\d+$/, "")) }),
  wheel("wheel-record-no-hash", "DC_RECORD_INVALID", "record", { mutateRecord: initRow(() => "demo_pkg/__init__.py,,") }),
  wheel("wheel-record-duplicate-row", "DC_RECORD_INVALID", "record", { mutateRecord: initRow((l) => [`demo_pkg/__init__.py,sha256=${b64("evil")},4`, l]) }),
  // pip stops on it (UnsupportedWheel); RECORD itself has no row, so no other member is affected.
  wheel("wheel-record-not-utf8", "DC_RECORD_INVALID", "record", {
    mutate: (entries, d) => entries.map((e) => (e.name === `${d}/RECORD` ? { ...e, data: Buffer.concat([Buffer.from(e.data), Buffer.from("caf\u00e9,,\n", "latin1")]) } : e)),
  }),
  wheel("wheel-record-missing", "DC_WHEEL_MISSING_FILE", "record", { omit: ["demo_pkg-1.0.0.dist-info/RECORD"] }),
  wheel("wheel-metadata-missing", "DC_WHEEL_MISSING_FILE", "pypi", { mutate: (e, d) => e.filter((x) => x.name !== `${d}/METADATA`), mutateRecord: (l, d) => l.filter((x) => !x.startsWith(`${d}/METADATA`)) }),
  wheel("wheel-wheel-file-missing", "DC_WHEEL_MISSING_FILE", "archive", { omit: ["demo_pkg-1.0.0.dist-info/WHEEL"] }),
  wheel("wheel-version-2", "DC_WHEEL_VERSION", "archive", { wheelText: "Wheel-Version: 2.0\nGenerator: x\nRoot-Is-Purelib: true\nTag: py3-none-any\n" }),
  wheel("wheel-wheel-not-utf8", "DC_WHEEL_VERSION", "archive", { wheelText: Buffer.from("Wheel-Version: 1.0\nGenerator: caf\u00e9\nRoot-Is-Purelib: true\nTag: py3-none-any\n", "latin1") }),
  wheel("wheel-dist-info-misnamed", "DC_DIST_INFO_INVALID", "archive", { distInfo: "other_pkg-1.0.0.dist-info" }),
  wheel("wheel-dist-info-spelled-otherwise", "DC_DIST_INFO_INVALID", "pypi", { distInfo: "Demo_Pkg-1.0.0.dist-info" }),
  wheel("wheel-duplicate-entry", "DC_DUPLICATE_ENTRY", "archive", { mutate: (e) => [...e, { name: "demo_pkg/__init__.py", data: '__version__ = "1.0.0"\n' }] }),
  wheel("wheel-absolute-path", "DC_UNSAFE_PATH", "archive", { files: { ...BASE_FILES, "/etc/demo.conf": "x\n" } }),
  wheel("wheel-dotdot-path", "DC_UNSAFE_PATH", "archive", { files: { ...BASE_FILES, "demo_pkg/../../evil.py": "x\n" } }),
  wheel("wheel-backslash-path", "DC_UNSAFE_PATH", "archive", { files: { ...BASE_FILES, "demo_pkg\\win.py": "x\n" } }),
  wheel("wheel-trailing-data", "DC_TRAILING_DATA", "archive", { trailing: Buffer.from("appended after the archive") }),
  wheel("wheel-crc-mismatch", "DC_ZIP_CRC_MISMATCH", "archive", {
    mutate: (e) => e.map((x) => (x.name === "demo_pkg/__init__.py" ? { ...x, crc: (crc32(Buffer.from(x.data)) ^ 0xff) >>> 0 } : x)),
  }),
  { id: "wheel-zip-overlap", kind: "wheel", code: "DC_ZIP_BOMB", family: "archive", make: (dir) => overlap(writeWheel(dir, WHL), "demo_pkg/data/greeting.txt") },
  wheel("wheel-data-descriptor", "DC_ZIP_FRAMING", "pypi", { mutate: (e) => e.map((x) => (x.name === "demo_pkg/__init__.py" ? { ...x, descriptor: true } : x)) }),
  wheel("wheel-entry-comment", "DC_ZIP_FRAMING", "pypi", { mutate: (e) => e.map((x) => (x.name === "demo_pkg/__init__.py" ? { ...x, comment: "built by hand" } : x)) }),
  wheel("wheel-prepended-stub", "DC_ZIP_FRAMING", "pypi", { zip: { leading: Buffer.from("#!/bin/sh\nexec python3 -m demo_pkg\n") } }),
  // Eight 9 MiB members of zeros: none is a bomb on its own (under 10 MiB), together 72 MiB from a tiny file.
  wheel("wheel-compression-ratio", "DC_COMPRESSION_RATIO", "pypi", {
    files: { ...BASE_FILES, ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`demo_pkg/data/zeros${i}.bin`, Buffer.alloc(9 * 1024 * 1024)])) },
  }),
  wheel("wheel-zip-bomb", "DC_ZIP_BOMB", "archive", { files: { ...BASE_FILES, "demo_pkg/zeros.bin": Buffer.alloc(24 * 1024 * 1024) } }),
  wheel("wheel-headers-disagree", "DC_ZIP_CORRUPT", "archive", { mutate: (e) => e.map((x) => (x.name === "demo_pkg/__init__.py" ? { ...x, localName: "demo_pkg/__init__.pz" } : x)) }),
  { id: "wheel-truncated", kind: "wheel", code: "DC_TRUNCATED", family: "archive", make: (dir) => cut(writeWheel(dir, WHL), 0.6) },
  { id: "wheel-not-an-archive", kind: "wheel", code: "DC_NOT_ARCHIVE", family: "archive", make: (dir) => text(join(dir, WHL), "<html>not found</html>\n") },
  wheel("wheel-local-version", "DC_VERSION_LOCAL", "pypi", { fields: { Version: "1.0.0+g1234abc" }, distInfo: "demo_pkg-1.0.0+g1234abc.dist-info" }, "demo_pkg-1.0.0+g1234abc-py3-none-any.whl"),
  wheel("wheel-invalid-version", "DC_VERSION_INVALID", "metadata", { fields: { Version: "1.0.0-final-x" } }),
  wheel("wheel-filename-mismatch", "DC_FILENAME_METADATA_MISMATCH", "pypi", { fields: { Version: "1.0.1" } }),
  wheel("wheel-filename-invalid", "DC_FILENAME_INVALID", "pypi", {}, "demo_pkg.whl"),
  wheel("wheel-filename-not-normalized", "DC_WHEEL_FILENAME_NOT_NORMALIZED", "pypi", {}, "Demo.Pkg-1.0.0-py3-none-any.whl"),
  wheel("wheel-platform-linux", "DC_WHEEL_PLATFORM_TAG", "pypi", { wheelText: "Wheel-Version: 1.0\nGenerator: x\nRoot-Is-Purelib: false\nTag: cp311-cp311-linux_x86_64\n" }, "demo_pkg-1.0.0-cp311-cp311-linux_x86_64.whl"),
  wheel("wheel-metadata-not-utf8", "DC_METADATA_UNREADABLE", "metadata", latin1Metadata),
  wheel("wheel-metadata-bom", "DC_METADATA_UNREADABLE", "metadata", metadataBytes(WITH_BOM)),
  wheel("wheel-metadata-version", "DC_METADATA_VERSION", "pypi", { fields: { "Metadata-Version": "3.0" } }),
  wheel("wheel-name-missing", "DC_METADATA_MISSING_FIELD", "metadata", { fields: { Name: null } }),
  wheel("wheel-metadata-unknown-field", "DC_METADATA_FIELD_UNKNOWN", "pypi", { fields: { Homepage: "https://example.com" } }),
  wheel("wheel-metadata-summary-twice", "DC_METADATA_FIELD_REPEATED", "pypi", { fields: { Summary: ["A generated package", "Another summary"] } }),
  wheel("wheel-metadata-field-too-new", "DC_METADATA_FIELD_TOO_NEW", "pypi", { fields: { "Metadata-Version": "2.3", "License-File": null } }),
  wheel("wheel-requires-dist-invalid", "DC_METADATA_VALUE_INVALID", "pypi", { fields: { "Requires-Dist": "requests>=2.*" } }),
  sdist("sdist-requires-python-invalid", "DC_METADATA_VALUE_INVALID", "pypi", { fields: { "Requires-Python": "3.8" } }),
  wheel("wheel-name-invalid", "DC_NAME_INVALID", "metadata", { fields: { Name: "-demo-pkg" } }),
  wheel("wheel-dynamic-version", "DC_METADATA_DYNAMIC", "pypi", { fields: { Dynamic: "Version" } }),
  wheel("wheel-classifier-unknown", "DC_CLASSIFIER_UNKNOWN", "pypi", { fields: { Classifier: ["Programming Language :: Python :: 3", "Framework :: Not A Framework"] } }),
  wheel("wheel-classifier-deprecated", "DC_CLASSIFIER_DEPRECATED", "pypi", { fields: { Classifier: ["Natural Language :: Ukranian"] } }),
  wheel("wheel-license-conflict", "DC_LICENSE_CONFLICT", "pypi", { fields: { License: "MIT License" } }),
  wheel("wheel-license-expression", "DC_LICENSE_EXPRESSION_INVALID", "pypi", { fields: { "License-Expression": "MIT OR Not-A-License" } }),
  wheel("wheel-license-file-missing", "DC_LICENSE_FILE_MISSING", "pypi", { fields: { "License-File": "COPYING" } }),
  wheel("wheel-direct-url", "DC_DIRECT_URL_REQUIREMENT", "pypi", { fields: { "Requires-Dist": "requests @ https://example.com/requests-2.0.tar.gz" } }),
  wheel("wheel-url-invalid", "DC_URL_INVALID", "pypi", { fields: { "Project-URL": "Homepage, javascript:alert(1)" } }),
  wheel("wheel-author-email-localhost", "DC_METADATA_EMAIL_INVALID", "pypi", { fields: { "Author-email": "Dev <dev@localhost>" } }),
  wheel("wheel-content-type", "DC_CONTENT_TYPE_INVALID", "pypi", { fields: { "Description-Content-Type": "text/html" } }),
  wheel("wheel-rst-broken", "DC_DESCRIPTION_RENDER", "pypi", { fields: { "Description-Content-Type": "text/x-rst" } }, WHL),
  wheel("wheel-description-missing", "DC_DESCRIPTION_MISSING", "metadata", { description: null }),
  wheel("wheel-content-type-missing", "DC_CONTENT_TYPE_MISSING", "metadata", { fields: { "Description-Content-Type": null } }),
  wheel("wheel-pyc", "DC_LAYOUT_PYC", "layout", { files: { ...BASE_FILES, "demo_pkg/__pycache__/__init__.cpython-311.pyc": Buffer.from([0x6f, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0]) } }),
  wheel("wheel-toplevel-tests", "DC_LAYOUT_TOPLEVEL_NAME", "layout", { files: { ...BASE_FILES, "tests/test_demo.py": "def test(): pass\n" } }),
  wheel("wheel-toplevel-init", "DC_LAYOUT_TOPLEVEL_INIT", "layout", { files: { ...BASE_FILES, "__init__.py": "" } }),
  wheel("wheel-toplevel-file", "DC_LAYOUT_TOPLEVEL_FILE", "layout", { files: { ...BASE_FILES, "README.txt": "stray\n" } }),
  wheel("wheel-empty", "DC_LAYOUT_EMPTY", "layout", { files: {} }),
  sdist("sdist-not-normalized", "DC_FILENAME_NOT_NORMALIZED", "pypi", { top: "Demo-Pkg-1.0.0" }, "Demo-Pkg-1.0.0.tar.gz"),
  sdist("sdist-two-top-dirs", "DC_SDIST_LAYOUT", "pypi", { mutate: (e) => [...e, { name: "other/setup.py", data: "" }] }),
  sdist("sdist-wrong-top-dir", "DC_SDIST_LAYOUT", "pypi", { top: "demo_pkg-9.9.9" }),
  sdist("sdist-pkg-info-not-utf8", "DC_METADATA_UNREADABLE", "metadata", { mutate: (e, t) => e.map((x) => (x.name === `${t}/PKG-INFO` ? { ...x, data: NOT_UTF8 } : x)) }),
  sdist("sdist-pkg-info-bom", "DC_METADATA_UNREADABLE", "metadata", { mutate: (e, t) => e.map((x) => (x.name === `${t}/PKG-INFO` ? { ...x, data: WITH_BOM } : x)) }),
  sdist("sdist-pkg-info-missing", "DC_SDIST_MISSING_PKG_INFO", "pypi", { mutate: (e, t) => e.filter((x) => x.name !== `${t}/PKG-INFO`) }),
  sdist("sdist-symlink-outside", "DC_SDIST_UNSAFE_MEMBER", "archive", { mutate: (e, t) => [...e, { name: `${t}/link`, type: "2", linkName: "../../../etc/passwd" }] }),
  // Each link stays inside alone; through the first (already extracted) the second escapes (tarfile: LinkOutsideDestinationError).
  sdist("sdist-symlink-chain", "DC_SDIST_UNSAFE_MEMBER", "archive", {
    mutate: (e, t) => [...e, { name: `${t}/a/b/up`, type: "2", linkName: "../.." }, { name: `${t}/a/b/up/x/esc`, type: "2", linkName: "../../.." }],
  }),
  sdist("sdist-hardlink-outside", "DC_SDIST_UNSAFE_MEMBER", "archive", { mutate: (e, t) => [...e, { name: `${t}/hard`, type: "1", linkName: "/etc/passwd" }] }),
  sdist("sdist-device", "DC_SDIST_UNSAFE_MEMBER", "archive", { mutate: (e, t) => [...e, { name: `${t}/dev`, type: "3" }] }),
  sdist("sdist-setuid", "DC_SDIST_UNSAFE_MEMBER", "archive", { mutate: (e, t) => [...e, { name: `${t}/run.sh`, data: "#!/bin/sh\n", mode: 0o4755 }] }),
  sdist("sdist-absolute-path", "DC_UNSAFE_PATH", "archive", { mutate: (e) => [...e, { name: "/tmp/evil", data: "x" }] }),
  sdist("sdist-dotdot-path", "DC_UNSAFE_PATH", "archive", { mutate: (e, t) => [...e, { name: `${t}/../../evil`, data: "x" }] }),
  sdist("sdist-duplicate", "DC_DUPLICATE_ENTRY", "archive", { mutate: (e, t) => [...e, { name: `${t}/LICENSE`, data: "other\n" }] }),
  sdist("sdist-bomb", "DC_ZIP_BOMB", "archive", { mutate: (e, t) => [...e, { name: `${t}/zeros.bin`, data: Buffer.alloc(24 * 1024 * 1024) }] }),
  sdist("sdist-no-pyproject", "DC_SDIST_NO_PYPROJECT", "metadata", { mutate: (e, t) => e.filter((x) => x.name !== `${t}/pyproject.toml`) }),
  sdist("sdist-local-version", "DC_VERSION_LOCAL", "pypi", { fields: { Version: "1.0.0+local" }, top: "demo_pkg-1.0.0+local" }, "demo_pkg-1.0.0+local.tar.gz"),
  sdist("sdist-classifier-unknown", "DC_CLASSIFIER_UNKNOWN", "pypi", { fields: { Classifier: "Private :: Do Not Upload" } }),
  { id: "sdist-truncated", kind: "sdist", code: "DC_TRUNCATED", family: "archive", make: (dir) => cut(writeSdist(dir, SD), 0.5) },
  { id: "sdist-not-gzip", kind: "sdist", code: "DC_NOT_ARCHIVE", family: "archive", make: (dir) => text(join(dir, SD), "just text, not gzip\n") },
  {
    id: "sdist-tar-checksum",
    kind: "sdist",
    code: "DC_TAR_CORRUPT",
    family: "archive",
    make: (dir) => {
      const tar = tarBytes(sdistEntries());
      tar[600] = (tar[600] ?? 0) ^ 0xff;
      const path = join(dir, SD);
      writeFileSync(path, gzipSync(tar));
      return path;
    },
  },
];

/** The rst defect needs a body that docutils refuses. */
const rst = DEFECTS.find((d) => d.id === "wheel-rst-broken")!;
rst.make = (dir) => writeWheel(dir, WHL, { fields: { "Description-Content-Type": "text/x-rst" }, description: "Title\n=====\n\n.. unknown-directive:: boom\n\n`unclosed\n" });

function cut(path: string, fraction: number): string {
  const size = readFileSync(path).length;
  truncateSync(path, Math.floor(size * fraction));
  return path;
}

function text(path: string, content: string): string {
  writeFileSync(path, content);
  return path;
}


/** Points the named member's central directory entry at the first member's data (overlapping members). */
function overlap(path: string, member: string): string {
  const bytes = readFileSync(path);
  const name = Buffer.from(member);
  for (let at = bytes.indexOf(CENTRAL); at >= 0; at = bytes.indexOf(CENTRAL, at + 4)) {
    if (bytes.subarray(at + 46, at + 46 + name.length).equals(name)) bytes.writeUInt32LE(0, at + 42);
  }
  writeFileSync(path, bytes);
  return path;
}
const CENTRAL = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
