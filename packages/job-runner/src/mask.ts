/**
 * The values to hide in every log line, result and summary the runner prints or stores: all secrets, and
 * every value a step registered with `::add-mask::`. Like GitHub, multi-line values are masked line by line
 * too. Values shorter than 3 characters are not masked (they would blank out ordinary text).
 */
export class Masker {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (!value) return;
    for (const part of [value, ...value.split(/\r?\n/).map((l) => l.trim())]) {
      if (part.length >= 3) this.values.add(part);
    }
  }

  /** Replaces every registered value with ***, longest first so a value containing another is hidden whole. */
  mask(text: string): string {
    let result = text;
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) result = result.split(value).join("***");
    return result;
  }

  /** True when the text holds a registered value (GitHub drops such job outputs). */
  reveals(text: string): boolean {
    return [...this.values].some((v) => text.includes(v));
  }

  /** Masks every string inside a JSON-like value (results before they are returned or stored). */
  maskDeep<T>(value: T): T {
    return JSON.parse(this.mask(JSON.stringify(value))) as T;
  }
}
