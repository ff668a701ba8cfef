// How PyPI judges a Home-page, Download-URL or Project-URL: warehouse's is_valid_uri(url, require_authority=False),
// which parses the URL with rfc3986 (percent-encoding the path and query), normalizes it, requires an http or https
// scheme and checks the port, path and query. Normalizing drops an authority rfc3986 cannot read (a space in the
// host, a port that is not a number, 300.1.1.1), so those pass; what it refuses besides the scheme is a port over
// 65535 in an authority it reads, and "[" or "]" in the path or query (the only characters percent-encoding keeps
// that a path or query may not hold). test/urls.test.ts holds every verdict to the pinned rfc3986's.

/** rfc3986's URI_MATCHER: scheme, authority, path, query (the fragment is not checked). */
const PARTS = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^\\/?#]*))?([^?#]*)(?:\?([^#]*))?/;
const PCT = "%[0-9A-Fa-f]{2}";
const SUB_DELIMS = "!$&'()*+,;=";
const UNRESERVED = "A-Za-z0-9._~\\-";
/** rfc3986's SUBAUTHORITY_MATCHER without its IP-literal host (an authority with "[" is left to PyPI). */
const AUTHORITY = new RegExp(`^(?:(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})+@)?((?:${PCT}|[${SUB_DELIMS}${UNRESERVED}])*):?([0-9]{1,5})?$`);
const IPV4 = /^([0-9]{1,3}\.){3}[0-9]{1,3}$/;

/** Why PyPI refuses the URL, or undefined when it accepts it. */
export function uriProblem(value: string): string | undefined {
  const [, scheme, authority, path = "", query] = PARTS.exec(value) ?? [];
  const lower = scheme?.toLowerCase();
  if (lower !== "http" && lower !== "https") return "is not an http(s) URL";
  if (authority !== undefined && !authority.includes("[")) {
    const parts = AUTHORITY.exec(authority);
    const host = parts?.[1] ?? "";
    const readable = parts !== null && !(IPV4.test(host) && host.split(".").some((octet) => Number(octet) > 255));
    if (readable && parts[2] !== undefined && Number(parts[2]) > 65535) return `has port ${parts[2]}, over 65535`;
  }
  if (/[[\]]/.test(path)) return 'has "[" or "]" in its path';
  if (query !== undefined && /[[\]]/.test(query)) return 'has "[" or "]" in its query';
  return undefined;
}
