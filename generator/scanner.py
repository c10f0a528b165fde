"""The output scanner: the last line of defence, run on every file of every build.

It fails the build when it finds, in any output file (HTML, JSON, XML, the search
index, the CSV and XLSX exports):

- script-capable markup in page content: event-handler attributes, script,
  iframe, form, object or embed elements, and links whose scheme is not http(s),
  mailto or relative (the theme's own scripts and search form are allowed);
- a Chinese resident ID number with a valid check digit (an invalid check digit
  is only a warning: it is probably some other number);
- a mobile phone number, written with full-width digits, +86, spaces or dashes;
- any text held in a field marked internal.

Known false positives go in ``site.yaml`` ``privacy.allowlist``.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

from generator.parallel import parallel_map

FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ＋－", "0123456789Xx+-")
# Only pages that hold a full-width digit are translated before matching: translating
# every page (hundreds of megabytes on a large board) was a fifth of the scan.
_FULL_WIDTH_CHAR = re.compile("[０-９Ｘｘ＋－]")
ID_NUMBER = re.compile(
    r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9Xx](?![0-9])"
)
MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
SAFE_SCHEMES = {"http", "https", "mailto"}
ACTIVE_TAGS = {"script", "iframe", "form", "object", "embed", "frame", "frameset", "base"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
TEXT_SUFFIXES = {".html", ".htm", ".json", ".js", ".xml", ".csv", ".txt", ".md"}


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    kind: str
    excerpt: str
    fatal: bool = True

    def __str__(self) -> str:
        level = "错误" if self.fatal else "提示"
        return f"{self.file}: {level}：{self.kind}：{self.excerpt}"


def id_check_digit_valid(number: str) -> bool:
    """ISO 7064 MOD 11-2, as GB 11643 defines the 18th character."""
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17].upper()


def scan_site(site: Path, internal: set[str], allowlist: set[str]) -> list[Finding]:
    """Every finding in every output file under ``site``, sorted.

    Files are scanned on every core: a large board's site is hundreds of megabytes."""
    paths = sorted(p for p in site.rglob("*") if p.is_file())
    values = InternalValues(internal)
    per_file = parallel_map(lambda path: _scan_file(site, path, values, allowlist), paths)
    return sorted({finding for found in per_file for finding in found})


def _scan_file(
    site: Path, path: Path, internal: InternalValues, allowlist: set[str]
) -> list[Finding]:
    rel = path.relative_to(site).as_posix()
    theme = rel.startswith("assets/")  # the theme's own scripts and styles, not data
    findings: list[Finding] = []
    for text, markup in _texts(path, rel):
        findings += scan_text(rel, text, internal, allowlist)
        if markup and not theme:
            findings += scan_html(rel, text, allowlist)
    return findings


class InternalValues:
    """The texts of internal fields, found in a page by one regular expression.

    Values are matched as a reader would see them: the page's entities decoded (``&amp;``,
    ``&lt;``, ``&#39;``...) and every run of white space as one space, on both sides, so
    a value that Markdown, HTML or JSON escaping rewrote is still found. Testing each
    value with ``in`` read every page once per value: 1,200 values on a 1,000-branch
    board made that most of the scan. One alternation (longest first) reads each page once.
    """

    def __init__(self, values: set[str]) -> None:
        shown = {_as_read(v).strip() for v in values} - {""}
        ordered = sorted(shown, key=lambda v: (-len(v), v))
        self.pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def found_in(self, text: str) -> list[str]:
        if self.pattern is None:
            return []
        return list(dict.fromkeys(m.group() for m in self.pattern.finditer(_as_read(text))))


_SPACES = re.compile(r"\s+")


def _as_read(text: str) -> str:
    """Text as a reader sees it: entities decoded, white space runs as one space."""
    return _SPACES.sub(" ", unescape(text) if "&" in text else text)


def _texts(path: Path, rel: str) -> Iterator[tuple[str, bool]]:
    """The scannable text of a file, and whether it is markup a browser would render.

    Raw text is always scanned as markup (raw tags in any file are a signal). JSON is
    also decoded (Material's search index escapes every Chinese character as \\uXXXX):
    its strings are scanned for personal data, and, in the search index, whose
    strings are page HTML, as markup too. Gzip and XLSX files are opened.
    """
    suffix, data = path.suffix.lower(), path.read_bytes()
    if suffix == ".gz":
        data, suffix = gzip.decompress(data), Path(path.stem).suffix.lower()
    if suffix == ".xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            for name in (n for n in book.namelist() if n.endswith(".xml")):
                yield book.read(name).decode("utf-8", "replace"), False
        return
    if suffix not in TEXT_SUFFIXES:
        return
    text = data.decode("utf-8", "replace")
    yield text, suffix != ".csv"  # a CSV is data for Excel, never rendered as a page
    decoded = (
        _json_text(text.removeprefix("var __index = ")) if suffix in {".json", ".js"} else None
    )
    if decoded is not None:
        yield decoded, rel.startswith("search/")


def _json_text(text: str) -> str | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    return "\n".join(_json_strings(data))


def scan_text(
    rel: str, text: str, internal: InternalValues | set[str], allowlist: set[str]
) -> list[Finding]:
    """Personal data and internal values anywhere in the text."""
    normal = text.translate(FULL_WIDTH) if _FULL_WIDTH_CHAR.search(text) else text
    findings = []
    for match in ID_NUMBER.finditer(normal):
        if match.group() not in allowlist:
            valid = id_check_digit_valid(match.group())
            kind = "身份证号" if valid else "疑似身份证号（校验位不符）"
            findings.append(Finding(rel, kind, match.group(), fatal=valid))
    for match in MOBILE.finditer(normal):
        if match.group() not in allowlist and re.sub(r"[^0-9]", "", match.group()) not in allowlist:
            findings.append(Finding(rel, "手机号码", match.group()))
    if isinstance(internal, set):
        internal = InternalValues(internal)
    for value in internal.found_in(text):
        if value not in allowlist:
            findings.append(Finding(rel, "内部字段的内容", value[:40]))
    return findings


def scan_html(rel: str, html: str, allowlist: set[str]) -> list[Finding]:
    """What a browser would run. Regular expressions, not a parser: every page is scanned
    on every build, and escaped data can never form a tag, so raw tags are the signal."""
    found = [*_handlers(html), *_urls(html), *_tags(html), *_inline_scripts(html)]
    return [Finding(rel, kind, excerpt) for kind, excerpt in found if excerpt not in allowlist]


_HANDLER = re.compile(r"<[a-zA-Z][^>]*?[\s\"'/](on[a-zA-Z]+)\s*=", re.S)
_URL = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9]*)[^>]*?\s(href|src|action|formaction|data|xlink:href)\s*=\s*"
    r"(\"[^\"]*\"|'[^']*'|[^\s>]+)",
    re.S,
)
_TAG = re.compile(r"<(script|iframe|object|embed|frame|frameset|base|form)\b([^>]*)>", re.I)
_INLINE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_ATTR = re.compile(r"([a-zA-Z:-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")


def _attrs(text: str) -> dict[str, str]:
    return {k.lower(): unescape(v.strip("\"'")) for k, v in _ATTR.findall(text)}


def _handlers(html: str) -> Iterator[tuple[str, str]]:
    for match in _HANDLER.finditer(html):
        yield "事件处理属性", f"{match.group(1)}=…"


def _urls(html: str) -> Iterator[tuple[str, str]]:
    for tag, name, raw in _URL.findall(html):
        value = unescape(raw.strip("\"'"))
        cleaned = _INVISIBLE.sub("", value)  # browsers ignore tabs and newlines in a scheme
        scheme = _SCHEME.match(cleaned)
        if scheme and scheme.group(1).lower() not in SAFE_SCHEMES and not _data_image(cleaned):
            yield "不安全的链接", f"<{tag} {name}={value[:40]}>"


def _tags(html: str) -> Iterator[tuple[str, str]]:
    for tag, rest in _TAG.findall(html):
        tag, values = tag.lower(), _attrs(rest)
        if tag == "script":
            src = values.get("src", "")
            if src and not _theme_asset(src):
                yield "外部或未知脚本", f"<script src={src}>"
        elif not _theme_form(tag, values):
            yield "可执行标签", f"<{tag}>"


def _inline_scripts(html: str) -> Iterator[tuple[str, str]]:
    for attributes, code in _INLINE.findall(html):
        values = _attrs(attributes)
        if values.get("src") or _theme_config(values) or not code.strip():
            continue
        if not _theme_inline(code):
            yield "内联脚本", code.strip()[:40]


def _json_strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_strings(value)


def _theme_asset(src: str) -> bool:
    return not _SCHEME.match(src) and not src.startswith("//") and "assets/" in src


def _theme_config(values: dict[str, str]) -> bool:
    return values.get("id") == "__config" and values.get("type") == "application/json"


def _theme_form(tag: str, values: dict[str, str]) -> bool:
    return tag == "form" and "md-search__form" in values.get("class", "")


# Material's inline scripts: its config object and small bootstrap snippets.
_THEME_INLINE = re.compile(
    r"^\s*(?:document\.|var __md|__md_|window\.|var palette|\(function"
    r"|var target=document\.getElementById\(location\.hash)"
)


def _theme_inline(code: str) -> bool:
    return bool(_THEME_INLINE.match(code)) and "alert(" not in code


def _data_image(url: str) -> bool:
    return url.lower().startswith("data:image/") and not url.lower().startswith("data:image/svg")
