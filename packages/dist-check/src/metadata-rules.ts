import { normalizeProjectName } from "@pypi-workflows/index-client";
import { parseVersion, stripPythonWhitespace } from "@pypi-workflows/version-util";
import { classifyClassifier } from "./classifiers.js";
import { type CoreMetadata, field, fieldValues } from "./core-metadata.js";
import { checkEmailField } from "./email-address.js";
import { uriProblem } from "./uri.js";
import type { Report } from "./findings.js";
import { checkLicenseExpression } from "./license.js";
import { checkFieldsAsParsed } from "./metadata-fields.js";
import { isValidProjectName } from "./project-name.js";
import { checkDescriptionContentType } from "./content-type.js";

const METADATA_VERSIONS = new Set(["1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5"]);

export interface MetadataContext {
  report: Report;
  /** Name and version as the file name spells them. */
  filenameName: string;
  filenameVersion: string;
  /** Whether a License-File path exists in the archive (the caller knows where license files live). */
  hasLicenseFile: (path: string) => boolean;
}

/** A long description that needs rendering after all files are read (reStructuredText goes to Python in one batch). */
export interface DescriptionJob {
  text: string;
  format: "rst" | "markdown" | "plain";
}

export interface MetadataFacts {
  name: string | undefined;
  version: string | undefined;
  description: DescriptionJob | undefined;
}

/** Applies PyPI's upload rules to one distribution's core metadata. */
export function checkMetadata(meta: CoreMetadata, ctx: MetadataContext): MetadataFacts {
  const { report } = ctx;
  const metadataVersion = field(meta, "Metadata-Version");
  if (!metadataVersion || !METADATA_VERSIONS.has(metadataVersion)) {
    report("DC_METADATA_VERSION", metadataVersion ? `Metadata-Version ${metadataVersion} is not accepted by PyPI` : "Metadata-Version is missing");
  }
  checkFieldsAsParsed(meta, metadataVersion, report);
  const name = checkName(meta, ctx);
  const version = checkVersion(meta, ctx);
  for (const dynamic of fieldValues(meta, "Dynamic")) {
    if (["name", "version", "metadata-version"].includes(dynamic.toLowerCase())) report("DC_METADATA_DYNAMIC", `${dynamic} is listed as Dynamic`);
  }
  checkClassifiers(meta, report);
  checkLicense(meta, ctx, metadataVersion);
  checkRequirements(meta, report);
  checkUrls(meta, report);
  checkEmails(meta, report);
  return { name, version, description: describe(meta, report) };
}

function checkName(meta: CoreMetadata, { report, filenameName }: MetadataContext): string | undefined {
  const name = field(meta, "Name");
  if (!name) {
    report("DC_METADATA_MISSING_FIELD", "Name is missing");
    return undefined;
  }
  if (!isValidProjectName(name)) report("DC_NAME_INVALID", `Name ${JSON.stringify(name)} is not a valid project name`);
  if (filenameName !== "" && normalizeProjectName(name) !== normalizeProjectName(filenameName)) {
    report("DC_FILENAME_METADATA_MISMATCH", `the metadata names the project ${JSON.stringify(name)}, the file name ${JSON.stringify(filenameName)}`);
  }
  return name;
}

function checkVersion(meta: CoreMetadata, { report, filenameVersion }: MetadataContext): string | undefined {
  const version = field(meta, "Version");
  if (!version) {
    report("DC_METADATA_MISSING_FIELD", "Version is missing");
    return undefined;
  }
  const parsed = parseVersion(version);
  if (!parsed) {
    report("DC_VERSION_INVALID", `Version ${JSON.stringify(version)} is not a valid PEP 440 version`);
    return version;
  }
  if (parsed.local !== null) report("DC_VERSION_LOCAL", `Version ${version} has the local part +${parsed.local}`);
  const fromName = parseVersion(filenameVersion);
  if (filenameVersion !== "" && fromName?.normalized !== parsed.normalized) {
    report("DC_FILENAME_METADATA_MISMATCH", `the metadata says version ${version}, the file name ${filenameVersion}`);
  }
  return parsed.normalized;
}

function checkClassifiers(meta: CoreMetadata, report: Report): void {
  for (const classifier of fieldValues(meta, "Classifier")) {
    const status = classifyClassifier(classifier);
    if (status.ok) continue;
    if (status.reason === "unknown") report("DC_CLASSIFIER_UNKNOWN", `unknown classifier ${JSON.stringify(classifier)}`);
    else {
      const instead = status.replacements.length ? `; use ${status.replacements.map((r) => JSON.stringify(r)).join(" or ")}` : "";
      report("DC_CLASSIFIER_DEPRECATED", `deprecated classifier ${JSON.stringify(classifier)}${instead}`);
    }
  }
}

function checkLicense(meta: CoreMetadata, { report, hasLicenseFile }: MetadataContext, metadataVersion: string | undefined): void {
  const expression = field(meta, "License-Expression");
  if (expression !== undefined && field(meta, "License") !== undefined) report("DC_LICENSE_CONFLICT", "both License and License-Expression are set");
  if (expression !== undefined) {
    const problem = checkLicenseExpression(expression);
    if (problem) report("DC_LICENSE_EXPRESSION_INVALID", `License-Expression ${JSON.stringify(expression)}: ${problem}`);
  }
  // License-File paths are only defined (relative to the licenses/ directory or the sdist root) from 2.4 on.
  if (!metadataVersion || Number(metadataVersion) < 2.4) return;
  for (const path of fieldValues(meta, "License-File")) {
    if (!hasLicenseFile(path)) report("DC_LICENSE_FILE_MISSING", `License-File ${JSON.stringify(path)} is not in the archive`);
  }
}

function checkRequirements(meta: CoreMetadata, report: Report): void {
  for (const requirement of fieldValues(meta, "Requires-Dist")) {
    const spec = requirement.split(";")[0] ?? "";
    if (/@/.test(spec)) report("DC_DIRECT_URL_REQUIREMENT", `Requires-Dist ${JSON.stringify(requirement)} is a direct URL reference`);
  }
}

function checkUrls(meta: CoreMetadata, report: Report): void {
  const check = (label: string, value: string) => {
    const problem = uriProblem(value);
    if (problem) report("DC_URL_INVALID", `${label} ${JSON.stringify(value)} ${problem}`);
    else if (!opensInBrowser(value)) report("DC_URL_BROKEN", `${label} ${JSON.stringify(value)} is not a URL a browser can open`);
  };
  for (const key of ["Home-page", "Download-URL"]) {
    const value = field(meta, key);
    if (value !== undefined && value !== "" && value !== "UNKNOWN") check(key, value);
  }
  for (const entry of fieldValues(meta, "Project-URL")) {
    const comma = entry.indexOf(",");
    // packaging splits at the first comma and strips both sides with str.strip (Python's whitespace, not trim's);
    // warehouse counts the label's characters (code points: an emoji is one, not two UTF-16 units).
    const label = comma < 0 ? "" : stripPythonWhitespace(entry.slice(0, comma));
    const url = comma < 0 ? entry : stripPythonWhitespace(entry.slice(comma + 1));
    if (comma < 0 || label === "") report("DC_URL_INVALID", `Project-URL ${JSON.stringify(entry)} is not "label, url"`);
    else if ([...label].length > 32) report("DC_URL_INVALID", `Project-URL label ${JSON.stringify(label)} is longer than 32 characters`);
    else check(`Project-URL ${label}`, url);
  }
}

/**
 * Whether a WHATWG URL parser (a browser's) opens the value as an http(s) URL with a host. PyPI (uri.ts) lets
 * through much a browser cannot open (spaces, a port "abc", 300.1.1.1): that is a warning, not a refusal.
 */
function opensInBrowser(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" && !/\s/.test(value);
  } catch {
    return false;
  }
}

/** warehouse checks the address parseaddr finds in each field with email-validator (no DNS); PyPI refuses on failure. */
function checkEmails(meta: CoreMetadata, report: Report): void {
  for (const key of ["Author-email", "Maintainer-email"]) {
    const value = field(meta, key);
    if (value === undefined) continue;
    const result = checkEmailField(value);
    if (result.checked && result.problem) report("DC_METADATA_EMAIL_INVALID", `${key} ${JSON.stringify(result.address)} is not a valid email address: ${result.problem}`);
  }
}

/** The description's format from Description-Content-Type, judged as PyPI judges it (content-type.ts). */
const FORMATS: Record<string, DescriptionJob["format"]> = { "text/plain": "plain", "text/x-rst": "rst", "text/markdown": "markdown" };

function describe(meta: CoreMetadata, report: Report): DescriptionJob | undefined {
  const contentType = field(meta, "Description-Content-Type");
  const text = meta.description;
  let format: DescriptionJob["format"] = "rst";
  if (contentType !== undefined) {
    const verdict = checkDescriptionContentType(contentType);
    if (verdict.kind === "invalid") report("DC_CONTENT_TYPE_INVALID", `Description-Content-Type ${JSON.stringify(contentType)}: ${verdict.problem}`);
    if (verdict.kind === "unchecked") report("DC_CONTENT_TYPE_UNCHECKED", `Description-Content-Type ${JSON.stringify(contentType)} holds ${verdict.reason}: not checked`);
    // Rendered as its type says; a type that is not valid (or not read) as the type before any parameters, else plain.
    const type = verdict.kind === "valid" ? verdict.type : (contentType.split(";")[0] ?? "").trim().toLowerCase();
    format = FORMATS[type] ?? "plain";
  }
  if (text === undefined || text.trim() === "" || text.trim() === "UNKNOWN") {
    report("DC_DESCRIPTION_MISSING", "there is no long description");
    return undefined;
  }
  if (contentType === undefined) report("DC_CONTENT_TYPE_MISSING", "no Description-Content-Type; PyPI will render the description as reStructuredText");
  return { text, format };
}
