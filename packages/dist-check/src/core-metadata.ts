/** Core metadata (METADATA, PKG-INFO) in its email-header form: repeated fields keep every value. */
export interface CoreMetadata {
  /** Lower-cased field name -> values in order. */
  fields: Map<string, string[]>;
  /** The long description: the message body, or the legacy Description field. */
  description: string | undefined;
  /** Everything after the blank line that ends the headers ("" when there is none). */
  body: string;
}

export function parseCoreMetadata(text: string): CoreMetadata {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const fields = new Map<string, string[]>();
  let last: { key: string; index: number } | undefined;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === "") break;
    if (/^[ \t]/.test(line) && last) {
      const values = fields.get(last.key)!;
      // Folded lines: the legacy Description field indents continuation lines by 8 spaces (optionally with "|").
      const continued = last.key === "description" ? line.replace(/^ {1,8}\|?|^\t\|?/, "") : line.trim();
      values[last.index] = `${values[last.index]}\n${continued}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const values = fields.get(key) ?? [];
    values.push(value);
    fields.set(key, values);
    last = { key, index: values.length - 1 };
  }
  const body = lines.slice(i + 1).join("\n");
  const description = body.trim() !== "" ? body : fields.get("description")?.[0];
  return { fields, description, body };
}

export function field(meta: CoreMetadata, name: string): string | undefined {
  return meta.fields.get(name.toLowerCase())?.[0];
}

export function fieldValues(meta: CoreMetadata, name: string): string[] {
  return meta.fields.get(name.toLowerCase()) ?? [];
}
