/** Core metadata (METADATA, PKG-INFO) in its email-header form: repeated fields keep every value. */
export interface CoreMetadata {
  /** Lower-cased field name -> values in order, exactly as packaging.metadata.parse_email reads them. */
  fields: Map<string, string[]>;
  /** The long description: the message body when it is not empty, else the (first) Description field. */
  description: string | undefined;
  /** The message body, verbatim ("" when there is none). */
  body: string;
}

// PyPI (warehouse) and twine read METADATA with packaging.metadata.parse_email, which runs the standard library's
// email parser (email.parser.BytesParser, policy compat32) on the file's bytes. That parser, for UTF-8 text:
// - lines end at "\r\n", "\r" or "\n" only (not at "\v", "\f", "\x1c"-"\x1e", "\x85", "\u2028", "\u2029");
// - the headers run until the first line that is not "name:" (printable ASCII without spaces before the colon),
//   a continuation (starts with a space or a tab) or a "From " line; an empty line there is dropped, any other
//   line is the body's first line;
// - a value is the text after the colon without its leading spaces and tabs, continuation lines appended as they
//   stand (line ends and indentation kept), then stripped of trailing "\r" and "\n": nothing is trimmed, unfolded,
//   dedented or decoded (encoded words stay as written);
// - continuation lines with no field before them, lines starting with a colon, and "From " lines are dropped, except
//   a "From " line that is the last header line: it becomes the body's first line;
// - the body is everything after the headers, line ends kept.
const HEADER_LINE = /^(?:From |[\x21-\x39\x3b-\x7e]*:|[\t ])/;
const LINE = /[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g;

export function parseCoreMetadata(text: string): CoreMetadata {
  const lines = text.match(LINE) ?? [];
  let end = 0;
  while (end < lines.length && HEADER_LINE.test(lines[end]!)) end++;
  const headers = lines.slice(0, end);
  let bodyStart = end;
  if (end < lines.length && /^[\r\n]/.test(lines[end]!)) bodyStart++;
  const fields = new Map<string, string[]>();
  let current: string[] | undefined;
  const store = () => {
    if (!current) return;
    const [first = "", ...rest] = current;
    const colon = first.indexOf(":");
    const key = first.slice(0, colon).toLowerCase();
    const value = (first.slice(colon + 1).replace(/^[ \t]+/, "") + rest.join("")).replace(/[\r\n]+$/, "");
    const values = fields.get(key);
    if (values) values.push(value);
    else fields.set(key, [value]);
    current = undefined;
  };
  let pushedBack = "";
  headers.forEach((line, n) => {
    if (line[0] === " " || line[0] === "\t") {
      current?.push(line);
      return;
    }
    store();
    if (line.startsWith("From ")) {
      if (n > 0 && n === headers.length - 1) pushedBack = line;
      return;
    }
    if (!line.startsWith(":")) current = [line];
  });
  store();
  const body = pushedBack + lines.slice(bodyStart).join("");
  const description = body !== "" ? body : fields.get("description")?.[0];
  return { fields, description, body };
}

export function field(meta: CoreMetadata, name: string): string | undefined {
  return meta.fields.get(name.toLowerCase())?.[0];
}

export function fieldValues(meta: CoreMetadata, name: string): string[] {
  return meta.fields.get(name.toLowerCase()) ?? [];
}
