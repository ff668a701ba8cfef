import { describe, expect, it } from "vitest";
import { JSON_OPTION, parseCommand, renderHelp, type CliSpec } from "../src/index.js";

const spec: CliSpec = {
  name: "demo",
  version: "1.0.0",
  description: "a demo",
  globalOptions: { json: JSON_OPTION },
  defaultCommand: "check",
  commands: [
    { name: "from-tag", summary: "version of a tag", args: [{ name: "tag", description: "the tag", required: true }] },
    {
      name: "check",
      summary: "check files",
      args: [{ name: "paths", description: "files", variadic: true }],
      options: { "index-url": { type: "string", description: "index", valueName: "URL" } },
    },
  ],
};

describe("parseCommand", () => {
  it("parses a command, its arguments and options", () => {
    const parsed = parseCommand(spec, ["from-tag", "v1.2.3", "--json"]);
    expect(parsed.command.name).toBe("from-tag");
    expect(parsed.args).toEqual({ tag: "v1.2.3" });
    expect(parsed.options.json).toBe(true);
  });

  it("falls back to the default command with all positionals", () => {
    const parsed = parseCommand(spec, ["a.whl", "b.tar.gz", "--index-url", "http://x/"]);
    expect(parsed.command.name).toBe("check");
    expect(parsed.args.paths).toEqual(["a.whl", "b.tar.gz"]);
    expect(parsed.options["index-url"]).toBe("http://x/");
  });

  it("refuses missing arguments, extra arguments and unknown options as usage errors", () => {
    expect(() => parseCommand(spec, ["from-tag"])).toThrow(/missing <tag>/);
    expect(() => parseCommand(spec, ["from-tag", "a", "b"])).toThrow(/unexpected argument "b"/);
    expect(() => parseCommand(spec, ["from-tag", "a", "--nope"])).toThrow(/nope/);
  });

  it("renders help from the same definition", () => {
    expect(parseCommand(spec, ["--help"]).help).toBe(true);
    expect(renderHelp(spec, spec.commands[1])).toMatchInlineSnapshot(`
      "usage: demo [check] [paths...] [options]

      check files

      Arguments:
        paths                          files

      Options:
        --index-url <URL>              index
        --json                         print the result as JSON on stdout
      "
    `);
  });
});
