/**
 * Python's str.splitlines, which PyPI's and pip's parsers rely on: a line ends at \r\n, \n, \r, \v, \f, the FS, GS
 * and RS separators (\x1c-\x1e), \x85, \u2028 or \u2029 (packaging's _LINE_BOUNDARY_RE), not only at \n.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: str.splitlines' boundaries include the FS, GS and RS separators
export const LINE_BOUNDARY = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** The text split as str.splitlines splits it: no empty string after a final line break (nor for an empty text). */
export function splitLines(text: string): string[] {
  const lines = text.split(LINE_BOUNDARY);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
