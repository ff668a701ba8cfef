import { EnvironmentError } from "@pypi-workflows/cli-kit";
import { ERROR_CODES as INDEX_CODES, SAVE_ERROR_CODES } from "@pypi-workflows/index-client";

export type Severity = "error" | "warning" | "info";

interface CodeInfo {
  severity: Severity;
  summary: string;
  fix: string;
}

/**
 * Every code dist-check can report (findings and thrown errors), with what it means and what to do. The docs'
 * troubleshooting pages are generated from this catalog; a test checks that every code in src/ is listed.
 */
export const ERROR_CODES = {
  DC_PATH_MISSING: { severity: "error", summary: "A path given to dist-check does not exist.", fix: "Pass the directory python -m build wrote (usually dist/) or existing files." },
  DC_PYTHON_UNUSABLE: { severity: "error", summary: "The Python given with --python cannot be run.", fix: "Pass an interpreter that exists, or drop --python to use the one on PATH." },
  // index-client's: asking the index (--target, --index-url) and keeping its copies (--use-published).
  IDX_UNREACHABLE: { severity: "error", ...INDEX_CODES.IDX_UNREACHABLE },
  IDX_UNAUTHORIZED: { severity: "error", ...INDEX_CODES.IDX_UNAUTHORIZED },
  IDX_SAVE_FAILED: { severity: "error", ...SAVE_ERROR_CODES.IDX_SAVE_FAILED },
  DC_REPLACE_FAILED: { severity: "error", summary: "--use-published: the index's copy of a file could not be put in place of the built one (the directory is left as it was).", fix: "Check free space and write permission in the distribution directory and in the temporary directory (TMPDIR)." },
  DC_MANIFEST_UNWRITABLE: { severity: "error", summary: "The manifest file could not be written.", fix: "Pass a --manifest path in a writable, existing directory." },
  DC_NO_FILES: { severity: "error", summary: "There is no distribution to check.", fix: "Run python -m build first; dist-check needs at least one .whl or .tar.gz." },
  DC_UNREADABLE: { severity: "error", summary: "A file could not be read.", fix: "Check the file's permissions and that it is a regular file." },
  DC_NOT_DISTRIBUTION: { severity: "error", summary: "A file is neither a wheel (.whl) nor an sdist (.tar.gz).", fix: "Remove it from the upload directory; only .whl and .tar.gz files belong there." },
  DC_LEGACY_ZIP_SDIST: { severity: "error", summary: "A .zip sdist: PyPI accepts only .tar.gz sdists for new releases.", fix: "Build the sdist with python -m build (it writes .tar.gz)." },
  DC_MULTIPLE_SDISTS: { severity: "error", summary: "More than one sdist: a release holds at most one.", fix: "Keep one sdist; remove stale builds from the directory (start from an empty dist/)." },
  DC_MIXED_RELEASE: { severity: "error", summary: "The files belong to different projects or versions.", fix: "Upload one release at a time; start from an empty dist/ before building." },
  DC_FILENAME_INVALID: { severity: "error", summary: "The file name does not follow the wheel or sdist naming grammar, holds characters PyPI refuses, or (a wheel) is over 246 characters.", fix: "Let the build backend name the file; do not rename distributions." },
  DC_FILENAME_NOT_NORMALIZED: { severity: "error", summary: "The project name or version in the file name is not in normalized form (PEP 625, wheel spec).", fix: "Upgrade the build backend (setuptools >= 69.3, hatchling, flit-core >= 3.11 write normalized names)." },
  DC_WHEEL_FILENAME_NOT_NORMALIZED: { severity: "error", summary: "The wheel file name's project name is not in normalized form (lower case, _ for runs of -_.); PyPI refuses it (\"should contain the normalized project name\").", fix: "Upgrade the build backend; current setuptools, hatchling and flit-core write normalized wheel names. Never rename wheels by hand." },
  DC_WHEEL_VERSION_NOT_NORMALIZED: { severity: "warning", summary: "The wheel file name's version is not in normalized PEP 440 form (\"1.0RC1\" for 1.0rc1). The wheel spec asks for the normalized form; PyPI compares versions, not spellings, and accepts it.", fix: "Upgrade the build backend, or set the version in its normalized form (version-util normalize prints it)." },
  DC_WHEEL_PLATFORM_TAG: { severity: "error", summary: "The wheel's platform tag is one PyPI refuses (\"unsupported platform tag\"), such as linux_x86_64.", fix: "Build binary wheels with cibuildwheel, or repair them with auditwheel (manylinux/musllinux) or delocate (macOS); a pure-Python wheel is tagged any." },
  DC_FILE_TOO_LARGE: { severity: "error", summary: "The file is larger than PyPI's per-file upload limit (100 MiB unless the project was granted more).", fix: "Make the distribution smaller (leave out test data, generated files), or request a file size limit increase for the project from PyPI (https://github.com/pypi/support) and pass the granted limit: --max-file-size MIB, or build.yml's max-file-size input." },
  DC_FILENAME_METADATA_MISMATCH: { severity: "error", summary: "The name or version in the file name differs from the metadata inside.", fix: "Rebuild from a clean tree; never rename distribution files." },
  DC_NOT_ARCHIVE: { severity: "error", summary: "The file is not a zip (wheel) or gzip-compressed tar (sdist).", fix: "Rebuild it; the file is not what its name says." },
  DC_TRUNCATED: { severity: "error", summary: "The archive ends early (an interrupted download or copy).", fix: "Rebuild or re-download the file." },
  DC_TRAILING_DATA: { severity: "error", summary: "Bytes follow the end of the zip archive; PyPI refuses such files.", fix: "Rebuild the wheel; do not append to it." },
  DC_ZIP_CORRUPT: { severity: "error", summary: "The zip structure is inconsistent (headers disagree, sizes wrong, data does not inflate).", fix: "Rebuild the wheel with the build backend." },
  DC_ZIP_UNSUPPORTED: { severity: "error", summary: "A member is encrypted, patched data, needs a zip version Python cannot read (over 6.3), or uses a compression method other than stored/deflate: pip cannot install it.", fix: "Wheels may only use stored or deflate members; rebuild with the build backend." },
  DC_ZIP_FRAMING: { severity: "error", summary: "PyPI reads a wheel (or zip sdist) record by record from the first byte, as a streaming installer would, and refuses (\"ZIP archive not accepted\") one that such a reader and a central-directory reader could read differently: a data descriptor, bytes before or between members or before the central directory, a comment on a central directory entry, a control character or non-UTF-8 bytes in a name, a non-ASCII name without the UTF-8 flag, local and central sizes that disagree, a malformed or repeated ZIP64 or Unicode Path extra field, or end records that miscount.", fix: "Rebuild with the build backend (python -m build). If a tool rewrote the wheel afterwards (signing, repacking, stripping), have it write a plain zip, e.g. with Python's zipfile on a regular file or `wheel pack`." },
  DC_COMPRESSION_RATIO: { severity: "error", summary: "The members of the zip total more than 64 MiB and more than 50 times the file's size; PyPI refuses it (\"File exceeds compression ratio of 50\").", fix: "Ship the highly compressible data in a smaller or already-compressed form (read a .gz or .xz at run time, or generate it on first use), or move it out of the wheel." },
  DC_DUPLICATE_ENTRY: { severity: "error", summary: "The archive holds two members with the same path; PyPI refuses it.", fix: "Rebuild from a clean tree; a custom build step added a file twice." },
  DC_UNSAFE_PATH: { severity: "error", summary: "A member path is absolute, contains .. or a backslash, or has control characters.", fix: "Fix the build configuration that produced the path; installers refuse such members." },
  DC_ZIP_CRC_MISMATCH: { severity: "error", summary: "A member's CRC-32 differs from the one its zip headers record; pip and Python's zipfile fail with BadZipFile.", fix: "Rebuild the wheel with the build backend; a tool rewrote the member's bytes without updating the zip headers." },
  DC_ZIP_BOMB: { severity: "error", summary: "The archive inflates far beyond its size (compression ratio or total size cap), or members overlap.", fix: "Remove the huge, highly compressible data from the package (generate it at run time instead)." },
  DC_WHEEL_MISSING_FILE: { severity: "error", summary: "The wheel lacks METADATA, WHEEL or RECORD in its .dist-info directory.", fix: "Rebuild the wheel with a standard build backend." },
  DC_DIST_INFO_INVALID: { severity: "error", summary: "The wheel's .dist-info directory is missing, duplicated, named for another project/version, or spelled otherwise than the file name spells them (PyPI reads WHEEL and METADATA from exactly {name}-{version}.dist-info as the file name writes them).", fix: "Rebuild the wheel with the build backend (do not rename the file or its .dist-info by hand); its .dist-info must be {name}-{version}.dist-info, spelled as in the file name." },
  DC_WHEEL_VERSION: { severity: "error", summary: "The WHEEL file's Wheel-Version is missing or not 1.x.", fix: "Rebuild with a current build backend (Wheel-Version: 1.0)." },
  DC_RECORD_INVALID: { severity: "error", summary: "A RECORD line cannot be read (wrong columns, bad hash or size field), a path is listed twice, or a member has no hash.", fix: "Rebuild the wheel; never edit RECORD by hand." },
  DC_RECORD_WEAK_HASH: { severity: "error", summary: "RECORD uses md5 or sha1, which the wheel spec forbids.", fix: "Rebuild with a current build backend (sha256)." },
  DC_RECORD_MISSING_ENTRY: { severity: "error", summary: "A member of the wheel is not listed in RECORD.", fix: "Rebuild the wheel; a step added files after the backend wrote RECORD." },
  DC_RECORD_EXTRA_ENTRY: { severity: "error", summary: "RECORD lists a file the wheel does not contain.", fix: "Rebuild the wheel; a step removed files after the backend wrote RECORD." },
  DC_RECORD_HASH_MISMATCH: { severity: "error", summary: "A member's sha256 differs from RECORD: installers refuse the wheel.", fix: "Rebuild the wheel; a step changed files after the backend wrote RECORD." },
  DC_RECORD_SIZE_MISMATCH: { severity: "error", summary: "A member's size differs from RECORD.", fix: "Rebuild the wheel; a step changed files after the backend wrote RECORD." },
  DC_SDIST_LAYOUT: { severity: "error", summary: "The sdist does not hold exactly one top directory {name}-{version}/.", fix: "Build the sdist with python -m build; PyPI refuses several top-level directories." },
  DC_SDIST_MISSING_PKG_INFO: { severity: "error", summary: "The sdist lacks {name}-{version}/PKG-INFO.", fix: "Build the sdist with python -m build and a standard backend." },
  DC_SDIST_NO_PYPROJECT: { severity: "warning", summary: "The sdist has no pyproject.toml (required by the sdist spec).", fix: "Add a pyproject.toml with a [build-system] table." },
  DC_SDIST_UNSAFE_MEMBER: { severity: "error", summary: "An sdist member is refused by tarfile's data filter (link leaving the tree, device file, setuid bit), or tarfile cannot extract it (a hard link to no earlier member, a file under a file, a name over 255 bytes): pip would stop.", fix: "Remove links pointing outside the project and special files from the source tree." },
  DC_TAR_CORRUPT: { severity: "error", summary: "The tar stream inside the sdist is damaged (bad header checksum, size, number field or extended header), or a member's header holds what extraction fails on (a negative size, a time out of range).", fix: "Rebuild the sdist." },
  DC_METADATA_UNREADABLE: { severity: "error", summary: "METADATA/PKG-INFO is not UTF-8 text in the core metadata format, or too large.", fix: "Rebuild; check the backend configuration for binary or huge fields." },
  DC_METADATA_VERSION: { severity: "error", summary: "Metadata-Version is missing or not one PyPI accepts (1.0, 1.1, 1.2, 2.1 to 2.5).", fix: "Upgrade the build backend." },
  DC_METADATA_MISSING_FIELD: { severity: "error", summary: "A required core metadata field (Name, Version) is missing.", fix: "Set [project] name and version (or dynamic version) in pyproject.toml." },
  DC_METADATA_DYNAMIC: { severity: "error", summary: "Name or Version is marked Dynamic, which core metadata forbids.", fix: "Upgrade the build backend; name and version must be static in the built metadata." },
  DC_METADATA_FIELD_UNKNOWN: { severity: "error", summary: "The metadata has a field that is not a core metadata field; PyPI (and twine before uploading) parse METADATA/PKG-INFO with packaging and refuse the file (\"unrecognized field\").", fix: "Remove the field or correct its name; when the build backend wrote it, upgrade the backend (or report it to its maintainers) and rebuild." },
  DC_METADATA_FIELD_REPEATED: { severity: "error", summary: "A field that may appear once appears more than once (or a Project-URL label twice, or the description both as a field and as the body); PyPI's parser cannot tell which is meant and refuses the file.", fix: "Keep one value (for Project-URL, give each label once) and rebuild." },
  DC_METADATA_FIELD_TOO_NEW: { severity: "error", summary: "A field is newer than the Metadata-Version the file declares (e.g. License-Expression with 2.3); PyPI refuses it.", fix: "Upgrade the build backend so it declares the Metadata-Version its fields need, and rebuild." },
  DC_METADATA_VALUE_INVALID: { severity: "error", summary: "A field's value does not parse as PyPI reads it: a dependency or Requires-Python specifier, an extra name, a Dynamic entry, a License-File path, an Import-Name, or a Summary that spans lines or exceeds 512 characters.", fix: "Fix the value in pyproject.toml (the finding quotes it and says what is wrong) and rebuild." },
  DC_METADATA_EMAIL_INVALID: { severity: "error", summary: "Author-email or Maintainer-email holds an address PyPI's email check (email-validator, without DNS) refuses: no @-sign, a domain without a period or under a special-use name (localhost, .local, .test, .invalid, .onion, .arpa), misplaced dots or hyphens, characters a domain cannot hold, or one too long. Values this check cannot follow exactly (lists, comments, backslash escapes, non-ASCII or Punycode addresses) are left to PyPI.", fix: "Fix the email in pyproject.toml ([project] authors / maintainers, or the backend's author_email) to a deliverable address such as a users.noreply.github.com one, and rebuild." },
  DC_PROJECT_TOO_LARGE: { severity: "error", summary: "The project's files on the index (every release, yanked files included) and this upload together exceed the project size limit (PyPI's and TestPyPI's 10 GiB unless they granted more); the upload would stop with 400 \"Project size too large\", possibly after some files were published. A project already over 10 GiB was granted more, which PyPI's pages do not show: it is checked only against --max-project-size.", fix: "Delete files of old releases you no longer need on the project's PyPI page (yanking does not free space), or ask PyPI for a larger limit (github.com/pypi/support) and pass it: --max-project-size GIB, or build.yml's max-project-size." },
  DC_NAME_INVALID: { severity: "error", summary: "The project name is not a valid Python project name.", fix: "Use letters, digits and . _ - only, starting and ending with a letter or digit." },
  DC_NAME_STDLIB: { severity: "error", summary: "The index does not have this project yet, and PyPI and TestPyPI refuse to create a project named like a Python standard library module (\"isn't allowed (conflict with Python Standard Library module name)\"). Projects that already exist under such names are not affected.", fix: "Rename the distribution ([project] name in pyproject.toml, e.g. with a prefix or suffix of your own); the import package inside it may keep its name." },
  DC_NAME_TOO_SIMILAR: { severity: "error", summary: "The index does not have this project yet, and PyPI and TestPyPI refuse to create one whose name equals an existing project's once \".\", \"_\" and \"-\" are dropped, \"l\" and \"i\" read as \"1\" and \"o\" as \"0\" (\"too similar to an existing project\"; PyPI does not say which project: the finding does).", fix: "Rename the distribution ([project] name in pyproject.toml) to one that differs from the projects named in the finding in more than punctuation, l/i/1 or o/0. If one of them is yours, publish under that project instead." },
  DC_NAME_NOT_CHECKED: { severity: "warning", summary: "The index does not have this project yet, and its list of projects could not be read, so the new name was not checked against PyPI's similar-name rule.", fix: "Re-run to check it. If the name is refused, the first upload fails with 400 \"too similar to an existing project\" before anything is published." },
  DC_VERSION_INVALID: { severity: "error", summary: "The version is not a valid PEP 440 version.", fix: "Use a version such as 1.2.3, 1.2.3rc1 or 1.2.3.dev4." },
  DC_VERSION_LOCAL: { severity: "error", summary: "The version has a local part (+...), which PyPI refuses.", fix: 'With setuptools-scm/hatch-vcs set local_scheme = "no-local-version"; otherwise drop the +part.' },
  DC_CLASSIFIER_UNKNOWN: { severity: "error", summary: "A classifier is not in the trove-classifiers list; PyPI refuses it.", fix: "Pick classifiers from https://pypi.org/classifiers/ (spelling matters)." },
  DC_CLASSIFIER_DEPRECATED: { severity: "error", summary: "A classifier is deprecated; PyPI refuses it.", fix: "Use the replacement named in the message (or drop it; license classifiers give way to License-Expression)." },
  DC_LICENSE_CONFLICT: { severity: "error", summary: "Both License and License-Expression are set; PyPI refuses that.", fix: "Keep only license = \"SPDX-expression\" in [project]." },
  DC_LICENSE_EXPRESSION_INVALID: { severity: "error", summary: "License-Expression is not a valid SPDX expression.", fix: "Use SPDX ids (MIT, Apache-2.0, GPL-3.0-or-later, ...) joined with AND/OR/WITH." },
  DC_LICENSE_FILE_MISSING: { severity: "error", summary: "A License-File named in the metadata is not in the archive.", fix: "Check [project] license-files patterns; the backend must include each file it lists." },
  DC_DIRECT_URL_REQUIREMENT: { severity: "error", summary: "A Requires-Dist points at a URL (name @ url); PyPI refuses direct references.", fix: "Depend on a released version from the index instead (name>=1.2)." },
  DC_CONTENT_TYPE_INVALID: { severity: "error", summary: "Description-Content-Type is not text/plain, text/x-rst or text/markdown with valid parameters.", fix: 'Set readme = "README.md" (or .rst) in [project], or a valid content-type.' },
  DC_CONTENT_TYPE_UNCHECKED: { severity: "warning", summary: "Description-Content-Type uses MIME syntax dist-check does not read (a comment, a backslash escape, an RFC 2231 parameter, an encoded word, a non-ASCII or control character): PyPI's parser decides whether it is valid.", fix: 'Write it plainly, e.g. "text/markdown; charset=UTF-8; variant=GFM" (or let the backend derive it from readme = "README.md").' },
  DC_CONTENT_TYPE_MISSING: { severity: "warning", summary: "No Description-Content-Type: PyPI renders the description as reStructuredText.", fix: 'Set readme = "README.md" (or .rst) in [project] so the type is recorded.' },
  DC_DESCRIPTION_MISSING: { severity: "warning", summary: "The distribution has no long description (README).", fix: 'Set readme = "README.md" in [project].' },
  DC_DESCRIPTION_RENDER: { severity: "error", summary: "The long description does not render; PyPI refuses the upload.", fix: "Fix the markup at the place named (check it with python -m readme_renderer README.rst)." },
  DC_DESCRIPTION_NOT_RENDERED: { severity: "warning", summary: "The reStructuredText description was not checked: no Python with readme_renderer was found.", fix: "Pass --python with an interpreter that has readme_renderer installed (pip install readme_renderer)." },
  DC_URL_INVALID: { severity: "error", summary: "PyPI refuses a URL field (Home-page, Download-URL, Project-URL) that is not an http or https URL (no scheme, or another one such as javascript: or ftp:), has a port over 65535 or \"[\" or \"]\" in its path or query, and a Project-URL without a label or with a label over 32 characters.", fix: "Use absolute https:// URLs and Project-URL labels of at most 32 characters ([project.urls] in pyproject.toml)." },
  DC_URL_BROKEN: { severity: "warning", summary: "A URL field is an http(s) URL PyPI accepts but a browser cannot open (a space, a port that is not a number, a host such as 300.1.1.1): the link on the project page will not work.", fix: "Correct the URL in pyproject.toml ([project.urls]) and rebuild." },
  DC_LAYOUT_PYC: { severity: "warning", summary: "The wheel contains compiled .pyc files (check-wheel-contents W001).", fix: "Exclude __pycache__ and *.pyc from the package data." },
  DC_LAYOUT_TOPLEVEL_NAME: { severity: "warning", summary: "The wheel installs a common name at top level such as tests/, docs/ or src/ (W005).", fix: "Exclude these directories from the wheel (e.g. packages = find(exclude=[\"tests*\"]))." },
  DC_LAYOUT_TOPLEVEL_FILE: { severity: "warning", summary: "The wheel installs a non-module file at the top of site-packages (W003).", fix: "Move the file into the package or into the .dist-info (license files)." },
  DC_LAYOUT_TOPLEVEL_INIT: { severity: "warning", summary: "The wheel installs __init__.py at the top of site-packages (check-wheel-contents W006).", fix: "Put the package in its own directory; check the backend's package discovery." },
  DC_LAYOUT_EMPTY: { severity: "warning", summary: "The wheel contains no files besides its .dist-info (W007/W008).", fix: "Check the backend's package discovery (src layout, packages = [...])." },
  DC_ALREADY_PUBLISHED: { severity: "info", summary: "The identical file (same sha256) is already on the index: uploading it again is a no-op.", fix: "Nothing to do; a re-run will skip this file." },
  DC_FILENAME_TAKEN: { severity: "error", summary: "The index already has a file with this name but different bytes; a file name can never be reused.", fix: "Bump the version and rebuild (a new version gives new file names). To re-publish or verify a release that is already on the index (a rebuild rarely matches it byte for byte), pass --use-published: build.yml does for a tag given as its input." },
  DC_SDIST_EXISTS: { severity: "error", summary: "The index already has an sdist for this release under another file name; a release holds one sdist.", fix: "Bump the version and rebuild, or upload only the wheels. To re-publish or verify the release that is on the index, pass --use-published." },
  DC_PUBLISHED_COPY: { severity: "info", summary: "--use-published: the index already has this file (or this release's sdist) with other bytes than the rebuild, so the index's copy replaced the built file; uploading it again is a no-op. The message also says when the copy's package files differ from this build's (the tag no longer points at the published commit).", fix: "Nothing to do for this release. A rebuild that differs from the published file usually means a newer build backend; pin it in [build-system] requires for reproducible rebuilds." },
  DC_PUBLISHED_SOURCE_DIFFERS: { severity: "error", summary: "--use-published: the index's copy of a file holds other package files than this build (the .dist-info, PKG-INFO and *.egg-info aside), and files the index lacks would be uploaded beside it, so one release would hold files of two sources. Nothing was replaced, so nothing is uploaded.", fix: "If the tag was moved after the release was published, put it back on the published commit, or bump the version and release the new commit. If only the build backend or a plugin changed since (a generated _version.py can differ), pin the versions the release was built with in [build-system] requires." },
  DC_RELEASE_CLOSED: { severity: "error", summary: "PyPI and TestPyPI refuse new files for a release created more than 14 days ago (\"Uploading new files to releases older than 14 days is not allowed\"); this file is not on the index yet, so its upload would fail. Files already there still re-upload as no-ops.", fix: "Release a new version with all its files (for a packaging-only fix, a post-release such as 1.0.0.post0: version-util bump post); the release on the index stays as it is. To only verify that release, run with just the files it has." },
  DC_PUBLISHED_COPY_MISMATCH: { severity: "error", summary: "--use-published: the file the index served does not have the sha256 its own project page lists, so it was not used.", fix: "Retry later (a mirror or cache may be stale); if it persists, report it to the index's operators. Nothing was replaced." },
} as const satisfies Record<string, CodeInfo>;

export type DistCheckCode = keyof typeof ERROR_CODES;

/** A path that does not exist (exit 2: the call is wrong, not the distribution). */
export class PathMissingError extends EnvironmentError {
  constructor(path: string) {
    super("DC_PATH_MISSING", `${path} does not exist`, { hint: ERROR_CODES.DC_PATH_MISSING.fix, data: { path } });
  }
}

export class PythonUnusableError extends EnvironmentError {
  constructor(python: string, reason: string) {
    super("DC_PYTHON_UNUSABLE", `cannot run ${python}: ${reason}`, { hint: ERROR_CODES.DC_PYTHON_UNUSABLE.fix });
  }
}

/** --use-published could not stage or put in place the index's copies; nothing in the directory was replaced. */
export class ReplaceFailedError extends EnvironmentError {
  constructor(message: string, path: string) {
    super("DC_REPLACE_FAILED", message, { hint: ERROR_CODES.DC_REPLACE_FAILED.fix, data: { path } });
  }
}

export class ManifestUnwritableError extends EnvironmentError {
  constructor(path: string, reason: string) {
    super("DC_MANIFEST_UNWRITABLE", `cannot write the manifest ${path}: ${reason}`, { hint: ERROR_CODES.DC_MANIFEST_UNWRITABLE.fix });
  }
}

export { HelperError } from "@pypi-workflows/cli-kit";
