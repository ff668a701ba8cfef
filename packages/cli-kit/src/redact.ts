/** Whether a value is long enough to be a secret worth hiding (4+ characters); shorter values are not. */
export function isSecret(value: string): boolean {
  return value.length >= 4;
}

/** Replaces every occurrence of each secret (see isSecret) with ***. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (!isSecret(secret)) continue;
    result = result.split(secret).join("***");
  }
  return result;
}
