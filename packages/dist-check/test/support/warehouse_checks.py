# How warehouse (PyPI's upload code) judges a URL and an Author-email / Maintainer-email value, run on the pinned
# rfc3986 and email-validator: the reference that test/urls.test.ts, test/email-address.test.ts and
# test/fuzz-urls-emails.test.ts hold dist-check's ports (src/uri.ts, src/email-address.ts) to.
# - URLs: is_valid_uri(url, require_authority=False): rfc3986, normalized, http(s) scheme, scheme/host/port/path/query
#   checked for validity, no host required.
# - Emails: the address `email.utils.parseaddr` finds, then validate_email(address, check_deliverability=False). On
#   warehouse's Python (3.13) parseaddr is strict by default: ('', '') for unbalanced parentheses, an address holding
#   "[" and more than one address. Below is that strict parseaddr as CPython 3.13 writes it, on this Python's address
#   parser (email/_parseaddr.py is the same in 3.11 and 3.13; checked against a real 3.13 on 1.1 million values).
# Usage: python warehouse_checks.py urls|emails < JSON list   (prints the verdicts as a JSON list)
#        python warehouse_checks.py special                    (email-validator's special-use domain names)
import json, sys
from email._parseaddr import AddressList
import email_validator
from rfc3986 import exceptions, uri_reference, validators

def uri_accepted(url):
    validator = validators.Validator().allow_schemes("http", "https")
    validator.require_presence_of("scheme")
    validator.check_validity_of("scheme", "host", "port", "path", "query")
    try:
        validator.validate(uri_reference(url).normalize())
        return True
    except exceptions.ValidationError:
        return False

def _iter_escaped_chars(addr):
    pos = 0
    escape = False
    for pos, ch in enumerate(addr):
        if escape:
            yield (pos, '\\' + ch)
            escape = False
        elif ch == '\\':
            escape = True
        else:
            yield (pos, ch)
    if escape:
        yield (pos, '\\')

def _strip_quoted_realnames(addr):
    if '"' not in addr:
        return addr
    start = 0
    open_pos = None
    result = []
    for pos, ch in _iter_escaped_chars(addr):
        if ch == '"':
            if open_pos is None:
                open_pos = pos
            else:
                if start != open_pos:
                    result.append(addr[start:open_pos])
                start = pos + 1
                open_pos = None
    if start < len(addr):
        result.append(addr[start:])
    return ''.join(result)

def _check_parenthesis(addr):
    opens = 0
    for pos, ch in _iter_escaped_chars(_strip_quoted_realnames(addr)):
        if ch == '(':
            opens += 1
        elif ch == ')':
            opens -= 1
            if opens < 0:
                return False
    return opens == 0

def parseaddr(addr):
    if not _check_parenthesis(addr):
        addr = "('', '')"
    addrs = [('', '') if '[' in v[1] else v for v in AddressList(addr).addresslist]
    if not addrs or len(addrs) > 1:
        return ('', '')
    return addrs[0]

def email_verdict(value):
    _, address = parseaddr(value)
    if not address:
        return [address, None]
    try:
        email_validator.validate_email(address, check_deliverability=False)
        return [address, None]
    except email_validator.EmailNotValidError as error:
        return [address, str(error)]


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "special":
        print(json.dumps(email_validator.SPECIAL_USE_DOMAIN_NAMES))
    else:
        check = uri_accepted if mode == "urls" else email_verdict
        print(json.dumps([check(value) for value in json.load(sys.stdin)]))
