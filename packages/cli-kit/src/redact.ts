/** Replaces every occurrence of each secret (4+ characters) with ***; shorter values are not secrets. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    result = result.split(secret).join("***");
  }
  return result;
}
