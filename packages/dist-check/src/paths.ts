import { posix } from "node:path";

/** Why an archive member path is unsafe to extract, or undefined. */
export function unsafePathReason(name: string, { backslash }: { backslash: boolean }): string | undefined {
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return "is absolute";
  if (backslash && name.includes("\\")) return "contains a backslash";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\x00-\x1f\x7f]/.test(name)) return "contains control characters";
  // includes() first: splitting every name of a 100,000-member wheel costs more than all the other rules.
  if (name.includes("..") && name.split("/").includes("..")) return "contains ..";
  return undefined;
}

/** Symlinks one realpath may follow before it counts as a loop (Linux's own limit). */
const MAX_LINK_HOPS = 40;

/**
 * Paths as extraction sees them: tarfile's data filter checks realpath() of each member's path and link target
 * against the destination, and realpath follows the symlinks that earlier members already created on disk. So
 * TOP/a/b/up -> ../.. (harmless alone) makes TOP/a/b/up/x/esc -> ../../.. escape, though both are inside
 * TOP lexically. Symlinks are recorded in archive order, as extraction creates them.
 */
export class ExtractedTree {
  private readonly links = new Map<string, string>();

  /** Records a symlink that extraction would create. */
  addSymlink(name: string, target: string): void {
    this.links.set(stripSlashes(name), target);
  }

  /**
   * `path` (relative to the destination) resolved like os.path.realpath over the links so far; undefined when
   * it leaves the destination (an absolute path or link, .. above it) or loops.
   */
  resolve(path: string): string | undefined {
    if (path.startsWith("/")) return undefined;
    // No links yet (the usual sdist): realpath is plain normalization.
    if (this.links.size === 0) {
      const normal = posix.normalize(path);
      return normal === ".." || normal.startsWith("../") ? undefined : normal.replace(/^\.$/, "");
    }
    const out: string[] = [];
    const pending = path.split("/").reverse();
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.pop()!;
      if (part === "" || part === ".") continue;
      if (part === "..") {
        if (out.length === 0) return undefined;
        out.pop();
        continue;
      }
      out.push(part);
      const target = this.links.get(out.join("/"));
      if (target === undefined) continue;
      if (target.startsWith("/") || ++hops > MAX_LINK_HOPS) return undefined;
      out.pop();
      for (const next of target.split("/").reverse()) pending.push(next);
    }
    return out.join("/");
  }

  /** Whether `path` resolves to `root` or below it. */
  staysInside(root: string, path: string): boolean {
    const resolved = this.resolve(path);
    return resolved !== undefined && (resolved === root || resolved.startsWith(`${root}/`));
  }

  /**
   * Whether a link's `target`, read from the directory `base` (a symlink's own directory; "" for a hard link,
   * whose target is relative to the destination), resolves to `root` or below it. An absolute target never
   * does (the data filter refuses it), however it would read joined to `base`.
   */
  linkStaysInside(root: string, base: string, target: string): boolean {
    if (target.startsWith("/")) return false;
    return this.staysInside(root, base === "" ? target : `${base}/${target}`);
  }
}

function stripSlashes(name: string): string {
  return name.replace(/^\.\/|\/+$/g, "");
}

/** Reports each path that appears more than once (exact match); returns the duplicated names. */
export function findDuplicates(names: Iterable<string>): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of names) {
    const key = name.endsWith("/") ? name.slice(0, -1) : name;
    if (seen.has(key)) duplicates.add(name);
    seen.add(key);
  }
  return [...duplicates];
}
