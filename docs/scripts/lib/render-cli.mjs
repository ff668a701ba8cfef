// One reference page per helper CLI, from the CliSpec its package exports (the same object that drives
// its parsing and --help) and its ERROR_CODES catalog.
import { cell, code, codeAnchor, page, sentence, table, vPre } from "./markdown.mjs";

/** The page's URL path under the site, without base or extension. */
export function helperPagePath(helper) {
  return `reference/cli/${helper.dir}`;
}

export function helperTitle(helper) {
  return helper.spec?.name ?? helper.bins[0];
}

/** Same shape as cli-kit's usageLine, so the page shows what --help shows. */
export function usageLine(spec, command) {
  const name = command.name === spec.defaultCommand ? `${spec.name} [${command.name}]` : `${spec.name} ${command.name}`;
  const args = (command.args ?? []).map((a) => {
    const inner = `${a.name}${a.variadic ? "..." : ""}`;
    return a.required ? `<${inner}>` : `[${inner}]`;
  });
  return [name, ...args, "[options]"].join(" ");
}

function flagOf(name, option) {
  const short = option.short ? `-${option.short}, ` : "";
  const value = option.type === "string" ? ` <${option.valueName ?? "value"}>` : "";
  return `${short}--${name}${value}`;
}

function optionsTable(options) {
  const rows = Object.entries(options).map(([name, o]) => [
    code(flagOf(name, o)),
    cell(`${sentence(o.description)}${o.multiple ? " Repeatable." : ""}`),
    o.default === undefined ? "" : code(String(o.default)),
  ]);
  return table(["option", "what it does", "default"], rows);
}

function argumentsTable(args) {
  const rows = args.map((a) => [
    code(`${a.name}${a.variadic ? "..." : ""}`),
    a.required ? "yes" : "no",
    cell(sentence(a.description)),
  ]);
  return table(["argument", "required", "what it is"], rows);
}

function renderCommand(spec, command) {
  const parts = [`## ${command.name} {#command-${command.name}}`, "", sentence(command.description ?? command.summary)];
  if (command.name === spec.defaultCommand) {
    parts.push("", `The default command: ${code(`${spec.name} ...`)} runs it when the first argument names no command.`);
  }
  parts.push("", "```sh", usageLine(spec, command), "```");
  if (command.args?.length) parts.push("", "**Arguments**", "", argumentsTable(command.args));
  if (command.options && Object.keys(command.options).length) {
    parts.push("", "**Options**", "", optionsTable(command.options));
  }
  if (command.examples?.length) parts.push("", "**Examples**", "", "```sh", ...command.examples, "```");
  return parts.join("\n");
}

function renderRunLine(helper) {
  const { pkg } = helper;
  const binPath = String(typeof pkg.bin === "string" ? pkg.bin : Object.values(pkg.bin)[0]).replace(/^\.\//, "");
  if (pkg.private) {
    return `Internal to this repository, not published to npm: build it with ${code(`pnpm --filter ${pkg.name} build`)} and run ${code(`node packages/${helper.dir}/${binPath}`)}.`;
  }
  return `Run it without installing: ${code(`npx --yes ${pkg.name}@${pkg.version} <command> [options]`)}; installed, the command is ${code(helperTitle(helper))}.`;
}

function renderErrors(helper) {
  if (!helper.codes) return "This package's build exports no error catalog yet.";
  const rows = Object.entries(helper.codes).map(([c, e]) => [`[${code(c)}](/troubleshooting#${codeAnchor(c)})`, cell(sentence(e.summary))]);
  return [
    "Every error prints its code, a next step and a link to its entry in [Troubleshooting](/troubleshooting).",
    "",
    table(["code", "what it means"], rows),
  ].join("\n");
}

const EXIT_STATUSES = table(
  ["status", "meaning"],
  [
    ["`0`", "ok"],
    ["`1`", "the input or the thing checked is wrong (invalid version, broken file, failed install)"],
    ["`2`", "usage or environment error (bad flag, missing Python, index unreachable)"],
  ],
);

/** The markdown of one helper's reference page. `extra` holds sections included from generated files. */
export function renderHelperPage(helper, extra = []) {
  const { pkg, spec } = helper;
  const title = helperTitle(helper);
  const body = [`# ${title}`, "", `> ${sentence(spec?.description ?? pkg.description ?? "")}`, ""];
  body.push(`Package ${code(pkg.name)} ${pkg.version}. ${renderRunLine(helper)}`, "");
  if (!spec) {
    body.push("::: warning CLI reference missing", `The built package exports no CLI definition: export \`cliSpec\` from packages/${helper.dir}/src/index.ts and run \`pnpm build\`, then regenerate these pages.`, ":::", "");
  } else {
    const commands = spec.commands.map((c) => [`[${code(c.name)}](#command-${c.name})`, cell(sentence(c.summary))]);
    const sections = ["## Commands", "", table(["command", "what it does"], commands)];
    if (spec.globalOptions && Object.keys(spec.globalOptions).length) {
      sections.push("", "Every command also accepts:", "", optionsTable(spec.globalOptions));
    }
    for (const command of spec.commands) sections.push("", renderCommand(spec, command));
    body.push(vPre(sections.join("\n")), "");
  }
  body.push("## Exit statuses", "", EXIT_STATUSES, "", "## Error codes", "", vPre(renderErrors(helper)));
  for (const section of extra) body.push("", section);
  return page(
    { title, description: pkg.description, sources: [`packages/${helper.dir}/dist/index.js`] },
    body.join("\n"),
  );
}
