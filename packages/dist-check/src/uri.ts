// How PyPI judges a Home-page, Download-URL or Project-URL: warehouse's is_valid_uri(url, require_authority=False),
// which parses the URL with rfc3986 (percent-encoding the path and query), normalizes it, requires an http or https
// scheme and checks the host, port, path and query. This is a port of those steps, IP literals ("[::1]") included.
// Normalizing drops an authority rfc3986 cannot read (a space in the host, a port that is not a number, 300.1.1.1),
// so those pass; what it refuses besides the scheme is a port over 65535 in an authority it reads (an IP literal's
// too), and "[" or "]" in the path (once "." and ".." segments are removed) or in the query: the only characters
// percent-encoding keeps that a path or query may not hold. Not followed: a lone surrogate, which rfc3986
// cannot encode (it raises instead of answering) and which a metadata file decoded from UTF-8 cannot hold.
// test/urls.test.ts and test/fuzz-urls-emails.test.ts hold every verdict to the pinned rfc3986's.

/** rfc3986's URI_MATCHER: scheme, authority, path, query (the fragment is not checked). */
const PARTS = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^\\/?#]*))?([^?#]*)(?:\?([^#]*))?/;
/** Python's "$" without MULTILINE: the end, or just before a newline that ends the string. */
const END = "(?=\\n?$)";
const PCT = "%[0-9A-Fa-f]{2}";
const SUB_DELIMS = "!$&'()*+,;=";
const UNRESERVED = "A-Za-z0-9._~\\-";
const PCHAR = `(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT})`;
const PCHAR_NO_COLON = `(?:[${UNRESERVED}${SUB_DELIMS}@]|${PCT})`;
const REG_NAME = `(?:${PCT}|[${SUB_DELIMS}${UNRESERVED}])*`;
const IPV4 = "(?:[0-9]{1,3}\\.){3}[0-9]{1,3}";
const H16 = "[0-9A-Fa-f]{1,4}";
const LS32 = `(?:${H16}:${H16}|${IPV4})`;
const IPV6 = [
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:)?${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
]
  .map((variation) => `(?:${variation})`)
  .join("|");
const ZONE_ID = `(?:[${UNRESERVED}]|${PCT})+`;
/** An IPv6 address with an RFC 4007 zone ("%eth0") or an RFC 6874 one ("%25eth0"), and with the RFC 6874 one only. */
const IPV6_ADDRZ_RFC4007 = `(?:${IPV6})(?:(?:%25|%)${ZONE_ID})?`;
const IPV6_ADDRZ = `(?:${IPV6})(?:%25${ZONE_ID})?`;
const IPV_FUTURE = `v[0-9A-Fa-f]+\\.[${UNRESERVED}${SUB_DELIMS}:]+`;
const HOST = `(?:${REG_NAME}|${IPV4}|\\[(?:${IPV6_ADDRZ_RFC4007}|${IPV_FUTURE})\\])`;
/** rfc3986's SUBAUTHORITY_MATCHER. */
const SUBAUTHORITY = new RegExp(`^(?:((?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})+)@)?(${HOST}):?([0-9]{1,5})?${END}`);
const HOST_MATCHER = new RegExp(`^${HOST}${END}`);
const IPV4_MATCHER = new RegExp(`^${IPV4}${END}`);
const IPV6_MATCHER = new RegExp(`^\\[${IPV6_ADDRZ_RFC4007}\\]${END}`);
const IPV6_NO_RFC4007_MATCHER = new RegExp(`^\\[${IPV6_ADDRZ}\\]${END}`);
const PATH_ROOTLESS = `${PCHAR}+(?:/${PCHAR}*)*`;
const PATH_MATCHER = new RegExp(`^(?:(?:/${PCHAR}*)*|/(?:${PATH_ROOTLESS})?|${PCHAR_NO_COLON}+(?:/${PCHAR}*)*|${PATH_ROOTLESS}|)${END}`);
const QUERY_MATCHER = new RegExp(`^(?:[/?:@${UNRESERVED}${SUB_DELIMS}]|${PCT})*${END}`);
const UTF8 = new TextEncoder();
/** What percent-encoding keeps as it is: rfc3986's reserved and unreserved characters. */
const KEPT = /[:/?#[\]@!$&'()*+,;=A-Za-z0-9._~-]/;

type Authority = { userinfo?: string; host?: string; port?: string };

/** Why PyPI refuses the URL, or undefined when it accepts it. */
export function uriProblem(value: string): string | undefined {
  const [, scheme, authority, rawPath = "", rawQuery] = PARTS.exec(value) ?? [];
  const lower = scheme?.toLowerCase();
  if (lower !== "http" && lower !== "https") return "is not an http(s) URL";
  // normalize(): an authority it cannot read is dropped; one it reads is rebuilt, and validated as rebuilt.
  const read = authorityInfo(authority) ?? {};
  const normalized = `${read.userinfo ? `${read.userinfo}@` : ""}${read.host ? normalizeHost(read.host) : ""}${read.port ? `:${read.port}` : ""}`;
  const parts = authorityInfo(normalized);
  // rfc3986 checks the host again here; a rebuilt authority always passes (an IPv6 zone is rewritten as "%25" first).
  if (parts === undefined || (parts.host !== undefined && !hostIsValid(parts.host))) return `has a host that is not valid (${JSON.stringify(read.host)})`;
  if (parts.port !== undefined && Number(parts.port) > 65535) return `has port ${parts.port}, over 65535`;
  const path = removeDotSegments(encodeComponent(rawPath));
  if (!PATH_MATCHER.test(path)) return 'has "[" or "]" in its path';
  if (rawQuery !== undefined && !QUERY_MATCHER.test(encodeComponent(rawQuery))) return 'has "[" or "]" in its query';
  return undefined;
}

/** rfc3986's authority_info: the parts of an authority, {} for none, or undefined when it cannot read it. */
function authorityInfo(authority: string | undefined): Authority | undefined {
  if (!authority) return {};
  const match = SUBAUTHORITY.exec(authority);
  if (match === null) return undefined;
  const [, userinfo, host, port] = match;
  if (host && IPV4_MATCHER.test(host) && !validIpv4(host)) return undefined;
  return { userinfo, host, port };
}

function validIpv4(host: string): boolean {
  return host.split(".").every((octet) => Number(octet) <= 255);
}

function hostIsValid(host: string): boolean {
  if (!HOST_MATCHER.test(host)) return false;
  if (IPV4_MATCHER.test(host)) return validIpv4(host);
  if (IPV6_MATCHER.test(host)) return IPV6_NO_RFC4007_MATCHER.test(host);
  return true;
}

/** rfc3986's normalize_host: lower case, and an RFC 4007 zone delimiter "%" written as "%25" (the zone keeps its case). */
function normalizeHost(host: string): string {
  if (IPV6_MATCHER.test(host)) {
    const percent = host.indexOf("%");
    if (percent !== -1) {
      const percent25 = host.indexOf("%25");
      if (percent25 === -1 || percent < percent25 || (percent === percent25 && percent25 === host.length - 4)) host = host.replace("%", "%25");
      return host.slice(0, percent).toLowerCase() + host.slice(percent);
    }
  }
  return host.toLowerCase();
}

/**
 * rfc3986's encode_component: UTF-8 bytes outside its reserved and unreserved characters become %XX, and so does
 * every "%" unless each one already starts a %XX escape. (Upper-casing the escapes, as normalizing does next, changes
 * no verdict, so it is left out.)
 */
function encodeComponent(text: string): string {
  const keepPercent = (text.match(/%[0-9A-Fa-f]{2}/g) ?? []).length === text.split("%").length - 1;
  let out = "";
  for (const char of text) {
    if ((char === "%" && keepPercent) || KEPT.test(char)) out += char;
    else for (const byte of UTF8.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** rfc3986's remove_dot_segments (RFC 3986 section 5.2.4, as that library writes it). */
function removeDotSegments(path: string): string {
  if (path === "") return path;
  const output: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === ".") continue;
    if (segment !== "..") output.push(segment);
    else output.pop();
  }
  if (path.startsWith("/") && (output.length === 0 || output[0] !== "")) output.unshift("");
  if (path.endsWith("/.") || path.endsWith("/..")) output.push("");
  return output.join("/");
}
