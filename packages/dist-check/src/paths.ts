import type { ArchiveMember } from "./archive.js";

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

type Node = { kind: "dir" | "file" } | { kind: "symlink"; target: string };
/** A path relative to the destination as its components ([] is the destination itself); null: outside it. */
type Parts = string[] | null;

/** Symlinks one realpath() may follow here (see ExtractedTree.realpath): Linux's limit. */
const MAX_LINKS_FOLLOWED = 40;

/** Longest file name component Linux (and macOS, and Windows) file systems take. */
const NAME_MAX = 255;

/** What tarfile's data filter refuses, and what the port refuses beyond it; see ExtractedTree.check. */
export interface MemberVerdict {
  /** Why tarfile's data filter raises FilterError (tarfile then extracts nothing of the member). */
  filter?: string;
  /** Why the member is refused though the filter lets it through (the stricter rules below). */
  stricter?: string;
}

/**
 * The destination directory as tarfile's extraction leaves it, member after member, so that each member is judged
 * the way Python's data filter (PEP 706) judges it when pip or build unpack an sdist: the filter checks
 * os.path.realpath() of the member's path and of its link target against the destination, and realpath follows the
 * symlinks that earlier members created on disk. So TOP/a/b/up -> ../.. (harmless alone) makes TOP/a/b/up/x/esc ->
 * ../../.. escape, though both are inside TOP lexically. The tree holds directories, files and symlinks where
 * extraction would really put them (through symlinks, replacing or keeping what is there as tarfile does), and
 * Python's realpath (its symlink-loop rule included) over them.
 *
 * Beyond the filter (`stricter`): "the tree" is the member's top directory, not the whole destination, since an
 * sdist holds one; a symlink is also judged from where it really lands (the filter reads a name with a trailing
 * slash as one directory deeper); a link that tarfile emulates by extracting another member in its place (Python
 * before 3.11.13 / 3.12.11 does so without filtering that member) must not bring a symlink leaving the tree or a
 * special file. And extract() tells when tarfile's extraction itself would fail (pip then stops with a traceback).
 */
export class ExtractedTree {
  private readonly nodes = new Map<string, Node>();
  /** The members extracted so far, in archive order: tarfile looks hard link targets up among them. */
  private readonly members: ArchiveMember[] = [];
  /** The member extract() is extracting, and why a member tarfile extracts in its place is refused. */
  private current: ArchiveMember | undefined;
  private fallbackRefusal: string | undefined;

  /** Where each member is (in `archive`, else in `members`), and the positions of the members of each normalized name. */
  private readonly position = new Map<ArchiveMember, number>();
  private readonly byName = new Map<string, number[]>();

  /** `archive`: every member, where tarfile looks up what a symlink it cannot create names. */
  constructor(private readonly archive: readonly ArchiveMember[] = []) {
    for (const [i, member] of archive.entries()) this.remember(member, i);
  }

  private remember(member: ArchiveMember, at: number): void {
    this.position.set(member, at);
    const key = pyNormpath(member.name);
    const positions = this.byName.get(key);
    if (positions) positions.push(at);
    else this.byName.set(key, [at]);
  }

  /** Records a symlink that extraction would create (name relative to the destination). */
  addSymlink(name: string, target: string): void {
    const parts = this.parentOf(name.replace(/\/+$/, ""));
    if (parts) this.nodes.set(parts.join("/"), { kind: "symlink", target });
  }

  /**
   * `path` (relative to the destination) resolved like os.path.realpath over what is extracted so far; undefined
   * when it leaves the destination (an absolute path or link, .. above it).
   */
  resolve(path: string): string | undefined {
    const parts = this.realpath(path);
    return parts === null ? undefined : parts.join("/");
  }

  /** Whether `path` resolves to `root` (a top directory; "" for the whole destination) or below it. */
  staysInside(root: string, path: string): boolean {
    return within(root, this.realpath(path));
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

  /** tarfile's data filter on `member`, given what is extracted before it, and the stricter rules. */
  check(member: ArchiveMember): MemberVerdict {
    const name = filteredName(member.name);
    const link = member.linkName ?? "";
    const root = topDirectory(name);
    // realpath() of a name holding NUL raises ValueError: tarfile stops there.
    if (member.name.includes("\0") || (member.type === "symlink" || member.type === "hardlink" ? link.includes("\0") : false)) {
      return { filter: "contains a NUL character, which tarfile cannot extract" };
    }
    const path = this.realpath(name);
    if (path === null) return { filter: "its path leads outside the source tree through a symlink extracted before it" };
    const type = member.type ?? "file";
    if (type !== "file" && type !== "directory" && type !== "symlink" && type !== "hardlink") return { filter: `is a ${type}, which the data filter refuses` };
    if (type === "symlink" || type === "hardlink") {
      const what = type === "symlink" ? "symlink" : "hard link";
      if (link.startsWith("/")) return { filter: `${what} to ${JSON.stringify(link)} leaves the source tree` };
      const target = this.realpath(type === "symlink" ? joinPath(pyDirname(name), link) : link);
      if (target === null) return { filter: `${what} to ${JSON.stringify(link)} leaves the source tree` };
      if (!within(root, target)) return { stricter: `${what} to ${JSON.stringify(link)} leaves the source tree` };
    }
    if (!within(root, path)) return { stricter: "its path leads outside the source tree through a symlink extracted before it" };
    const dir = this.landsIn(name);
    if (type === "symlink" && dir) {
      // Where the link really lands: NAME/ is created as NAME, one directory above where the filter reads it from.
      if (!within(root, this.realpath(joinPath(dir.join("/"), link)))) return { stricter: `symlink to ${JSON.stringify(link)} leaves the source tree` };
    }
    return {};
  }

  /**
   * Extracts `member` into the tree as tarfile would (call it for every member, in order, after check(); a member
   * the data filter refuses is skipped). Returns why tarfile's extraction would fail with an error (`failure`), and
   * why the member is refused when tarfile would extract another member in its place (`refusal`).
   */
  extract(member: ArchiveMember, verdict: MemberVerdict): { failure?: string; refusal?: string } {
    this.members.push(member);
    if (this.archive.length === 0) this.remember(member, this.members.length - 1);
    if (verdict.filter) return {};
    this.current = member;
    this.fallbackRefusal = undefined;
    const failure = this.extractAs(member, filteredName(member.name), 0);
    return { ...(failure ? { failure } : {}), ...(this.fallbackRefusal ? { refusal: this.fallbackRefusal } : {}) };
  }

  /**
   * A link tarfile cannot create is replaced by the member it names, extracted in its place unfiltered (Python from
   * 3.11.13 and 3.12.11 filters that member and raises LinkFallbackError): refused when that member (or one a
   * further fallback brings) is a special file or a symlink leaving the tree, from where it was or from the link's
   * place.
   */
  private judgeFallback(source: ArchiveMember): void {
    const link = this.current;
    if (!link || this.fallbackRefusal || source.type === "hardlink") return;
    const what = `${link.type === "symlink" ? "symlink" : "hard link"} to ${JSON.stringify(link.linkName ?? "")}`;
    const name = filteredName(link.name);
    if (source.type === "symlink") {
      const target = source.linkName ?? "";
      const own = this.realpath(joinPath(pyDirname(filteredName(source.name)), target));
      if (target.startsWith("/") || own === null || !within(topDirectory(name), this.realpath(joinPath(pyDirname(name), target)))) {
        this.fallbackRefusal = `${what}, which tarfile replaces with a symlink to ${JSON.stringify(target)}, leaving the source tree`;
      }
    } else if (source.type !== "file" && source.type !== "directory") {
      this.fallbackRefusal = `${what}, which tarfile replaces with a ${source.type}`;
    }
  }

  /** TarFile._extract_member(member, dest/name): `member` (depth 0: the filtered member, else one tarfile found). */
  private extractAs(member: ArchiveMember, name: string, depth: number): string | undefined {
    // tarfile recurses through link fallbacks until Python's recursion limit.
    if (depth > 32) return "tarfile fails with RecursionError";
    const path = name.replace(/\/+$/, "");
    const upper = pyDirname(path);
    if (upper !== "" && !this.exists(upper)) {
      const failure = this.makedirs(upper);
      if (failure) return failure;
    }
    switch (member.type ?? "file") {
      case "file":
        return this.makeFile(path);
      case "directory": {
        const at = this.walk(path, false);
        if ("error" in at) return at.error;
        if (!at.node && at.parts.length > 0) this.nodes.set(at.parts.join("/"), { kind: "dir" });
        return undefined;
      }
      case "symlink":
        return this.makeSymlink(member, name, path, depth);
      case "hardlink":
        return this.makeHardlink(member, name, path, depth);
      default: {
        // os.mknod / os.mkfifo: only through a link fallback (the filter refuses such members themselves).
        const at = this.walk(path, false);
        if ("error" in at) return at.error;
        if (at.node || at.parts.length === 0) return "a file is already there";
        this.nodes.set(at.parts.join("/"), { kind: "file" });
        return undefined;
      }
    }
  }

  /** open(path, "wb"): through a symlink at the end too. */
  private makeFile(path: string): string | undefined {
    const at = this.walk(path, true);
    if ("error" in at) return at.error;
    if (at.parts.length === 0 || at.node?.kind === "dir") return "it would overwrite a directory";
    this.nodes.set(at.parts.join("/"), { kind: "file" });
    return undefined;
  }

  /** makelink() of a symlink: replaces what is there (not a directory); on failure extracts the member it names. */
  private makeSymlink(member: ArchiveMember, name: string, path: string, depth: number): string | undefined {
    const link = member.linkName ?? "";
    const at = this.walk(path, false);
    let failed = "error" in at;
    if (!("error" in at)) {
      if (at.parts.length === 0 || at.node?.kind === "dir") failed = true;
      // os.symlink() refuses an empty target.
      else if (link === "") {
        if (at.node) this.nodes.delete(at.parts.join("/"));
        failed = true;
      } else this.nodes.set(at.parts.join("/"), { kind: "symlink", target: link });
    }
    if (!failed) return undefined;
    const own = depth === 0 ? name : member.name;
    const found = this.lookup([pyDirname(own), link].filter((part) => part !== "").join("/"));
    // Not found: ExtractError, which extractall() only logs.
    if (!found) return undefined;
    this.judgeFallback(found);
    return this.extractAs(found, name, depth + 1);
  }

  /**
   * makelink() of a hard link: os.link() to the target when it exists; otherwise, or when os.link() fails, the
   * member it names (among those before it) is extracted in its place. A member tarfile found (depth > 0) lacks
   * the prepared target and always takes the second way.
   */
  private makeHardlink(member: ArchiveMember, name: string, path: string, depth: number): string | undefined {
    const link = member.linkName ?? "";
    const found = this.lookup(link, member);
    if (depth === 0) {
      const source = this.walk(link, true);
      const exists = !("error" in source) && (source.parts.length === 0 || source.node !== undefined);
      if (!exists) {
        if (!found) return `it is a hard link to ${JSON.stringify(link)}, which is no earlier member: tarfile fails with KeyError`;
        this.judgeFallback(found);
        // An OSError on the way sends tarfile through the fallback a second time.
        return this.extractAs(found, name, depth + 1) && this.extractAs(found, name, depth + 1);
      }
      const at = this.walk(path, false);
      if (!("error" in source) && source.node?.kind === "file" && !("error" in at) && !at.node && at.parts.length > 0) {
        this.nodes.set(at.parts.join("/"), { kind: "file" });
        return undefined;
      }
    }
    if (!found) return undefined;
    this.judgeFallback(found);
    return this.extractAs(found, name, depth + 1);
  }

  /** os.makedirs(path), called when path does not exist: why it fails, if it does. */
  private makedirs(path: string): string | undefined {
    let [head, tail] = pySplit(path);
    if (!tail) [head, tail] = pySplit(head);
    if (head && tail && !this.exists(head)) {
      const failure = this.makedirs(head);
      // FileExistsError from the parents is ignored.
      if (failure && failure !== EXISTS) return failure;
      if (tail === ".") return undefined;
    }
    const at = this.walk(path, false);
    if ("error" in at) return at.error;
    if (at.node || at.parts.length === 0) return EXISTS;
    this.nodes.set(at.parts.join("/"), { kind: "dir" });
    return undefined;
  }

  private exists(path: string): boolean {
    const at = this.walk(path, true);
    return !("error" in at) && (at.parts.length === 0 || at.node !== undefined);
  }

  /**
   * `path` resolved as the kernel resolves it: each directory on the way must exist (symlinks followed, at most
   * 40), the last component followed only when `follow` ("NAME/." follows NAME, being no last component). Gives
   * where the last component is and what is there, or why the path cannot be used.
   */
  private walk(path: string, follow: boolean, hops = { count: 0 }): { parts: string[]; node: Node | undefined } | { error: string } {
    // "." and ".." need a directory before them, and so does a trailing slash.
    const names = `${path}${path.endsWith("/") ? "." : ""}`.split("/").filter((part) => part !== "");
    let at: string[] = [];
    for (const [k, part] of names.entries()) {
      const last = k === names.length - 1;
      if (part === "." || part === "..") {
        if (part === "..") {
          if (at.length === 0) return { error: "its path leads outside the destination" };
          at = at.slice(0, -1);
        }
        continue;
      }
      if (Buffer.byteLength(part) > NAME_MAX) return { error: "a path component is longer than file systems allow" };
      const next = [...at, part];
      const node = this.nodes.get(next.join("/"));
      if (node?.kind === "symlink" && (!last || follow)) {
        if (++hops.count > 40 || node.target.startsWith("/")) return { error: "a symlink on its path cannot be followed" };
        const resolved = this.walk(joinPath(at.join("/"), node.target), true, hops);
        if ("error" in resolved || last) return resolved;
        if (resolved.parts.length > 0 && resolved.node?.kind !== "dir") return { error: `${JSON.stringify(next.join("/"))} is a symlink to no directory` };
        at = resolved.parts;
        continue;
      }
      if (last) return { parts: next, node };
      if (!node) return { error: `its directory ${JSON.stringify(next.join("/"))} does not exist` };
      if (node.kind !== "dir") return { error: `its directory ${JSON.stringify(next.join("/"))} is a file` };
      at = next;
    }
    return { parts: at, node: at.length === 0 ? { kind: "dir" } : this.nodes.get(at.join("/")) };
  }

  /**
   * tarfile's _find_link_target: the last member named `name` (both normalized) in the whole archive, or before
   * `before` (a hard link's target is looked up among the members before it).
   */
  private lookup(name: string, before?: ArchiveMember): ArchiveMember | undefined {
    const list = this.archive.length > 0 ? this.archive : this.members;
    const end = (before && this.position.get(before)) ?? list.length;
    const positions = this.byName.get(pyNormpath(name)) ?? [];
    for (let k = positions.length - 1; k >= 0; k--) if (positions[k]! < end) return list[positions[k]!];
    return undefined;
  }

  /** The resolved directory a link named `name` is created in; undefined when the name ends in "." or "..". */
  private landsIn(name: string): string[] | undefined {
    const path = name.replace(/\/+$/, "");
    const base = path.slice(path.lastIndexOf("/") + 1);
    if (base === "" || base === "." || base === "..") return undefined;
    return this.realpath(path.slice(0, Math.max(0, path.lastIndexOf("/")))) ?? undefined;
  }

  /** Where `name`'s last component would be created: its directory resolved, then the component (null: outside). */
  private parentOf(name: string): Parts {
    const cut = name.lastIndexOf("/");
    const dir = this.realpath(cut < 0 ? "" : name.slice(0, cut));
    if (dir === null) return null;
    const base = name.slice(cut + 1);
    if (base === "" || base === ".") return dir;
    if (base === "..") return dir.length === 0 ? null : dir.slice(0, -1);
    return [...dir, base];
  }

  /**
   * os.path.realpath(dest/path), relative to the destination. Python follows any number of symlinks, the kernel
   * 40 (a path needing more cannot be opened: ELOOP); past that the path counts as leaving the destination, which
   * also keeps a crafted chain of links from making the check take quadratic time.
   */
  private realpath(path: string): Parts {
    return this.joinRealpath([], path, new Map(), { count: 0 })[0];
  }

  private joinRealpath(start: string[], rest: string, seen: Map<string, Parts>, followed: { count: number }): [Parts, boolean] {
    // An absolute target starts again from "/": outside the destination, whatever follows.
    if (rest.startsWith("/")) return [null, true];
    let path = start;
    const names = rest.split("/");
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (name === "" || name === ".") continue;
      if (name === "..") {
        // Above the destination nothing leads back into it (its own name is not known in advance).
        if (path.length === 0) return [null, true];
        path = path.slice(0, -1);
        continue;
      }
      const next = [...path, name];
      const key = next.join("/");
      const node = this.nodes.get(key);
      if (node?.kind !== "symlink") {
        path = next;
        continue;
      }
      if (seen.has(key)) {
        const cached = seen.get(key);
        if (cached) {
          path = cached;
          continue;
        }
        // A symlink loop: realpath gives up and returns the rest unresolved (abspath then normalizes it).
        return [unresolved(next, names.slice(i + 1)), false];
      }
      if (++followed.count > MAX_LINKS_FOLLOWED) return [null, true];
      seen.set(key, null);
      const [resolved, ok] = this.joinRealpath(path, node.target, seen, followed);
      if (resolved === null) return [null, true];
      if (!ok) return [unresolved(resolved, names.slice(i + 1)), false];
      seen.set(key, resolved);
      path = resolved;
    }
    return [path, true];
  }
}

/** A member's name as the data filter extracts it: leading slashes stripped. */
function filteredName(name: string): string {
  return name.replace(/^\/+/, "");
}

/** The top directory a member belongs to ("" when its path is the destination itself). */
function topDirectory(name: string): string {
  return name.split("/").find((part) => part !== "" && part !== ".") ?? "";
}

function within(root: string, parts: Parts): boolean {
  return parts !== null && (root === "" || parts[0] === root);
}

function joinPath(dir: string, name: string): string {
  if (name.startsWith("/")) return name;
  return dir === "" ? name : `${dir}/${name}`;
}

/** What os.makedirs fails with when something (no directory, or a symlink to none) is in the way. */
const EXISTS = "a file or a dangling symlink is where a directory should be";

/** os.path.split. */
function pySplit(path: string): [string, string] {
  const cut = path.lastIndexOf("/") + 1;
  return [pyDirname(path), path.slice(cut)];
}

/** os.path.dirname: a name ending with a slash is its own directory. */
function pyDirname(name: string): string {
  const head = name.slice(0, name.lastIndexOf("/") + 1);
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, "") : head;
}

/** os.path.normpath. */
function pyNormpath(path: string): string {
  if (path === "") return ".";
  const initial = path.startsWith("/") ? (path.startsWith("//") && !path.startsWith("///") ? "//" : "/") : "";
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== ".." || (!initial && out.length === 0) || out[out.length - 1] === "..") out.push(part);
    else if (out.length > 0) out.pop();
  }
  const joined = initial + out.join("/");
  return joined || ".";
}

/**
 * What realpath returns past a symlink loop: os.path.join(base, rest) normalized (null when .. leaves the
 * destination). A rest starting with a slash (the name had "//" after the loop) replaces base: "/".
 */
function unresolved(base: string[], rest: string[]): Parts {
  if (rest.join("/").startsWith("/")) return null;
  const out = [...base];
  for (const part of rest) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out;
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
