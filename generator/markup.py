"""What a browser would run or fetch in an HTML page, found by reading its tags the way
a browser tokenizes them (the HTML standard's tag and attribute states), not by
trusting what text looks like.

So ``alt=">"onerror=x``, ``<IMG SRC=x OnError=...>``, ``<svg/onload=...>`` and
handlers without a space before them are attributes, as a browser sees them; the
words ``onclick=`` in a paragraph are text, and stop nothing. Comments are skipped
(a browser does not run them); the contents of ``script`` and ``style`` are raw
text. The only scripts a page may carry are the theme's: its files under
``assets/`` and the inline snippets of Material's own templates, matched exactly.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from importlib import resources

SAFE_SCHEMES = {"http", "https", "mailto"}
# Attributes holding a URL a browser follows or fetches, and those that fetch it at once.
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "xlink:href", "poster", "background",
    "cite", "ping", "srcset", "lowsrc", "dynsrc", "codebase", "archive", "manifest",
    "icon", "longdesc", "usemap", "imagesrcset",
}  # fmt: skip
FETCHED = {"src", "data", "poster", "background", "srcset", "lowsrc", "dynsrc", "codebase",
           "archive", "manifest", "icon", "imagesrcset"}  # fmt: skip
ACTIVE_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
RAW_TEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext"}
DATA_IMAGES = re.compile(r"data:image/(?:png|gif|jpeg|webp)[;,]", re.I)

_TAG_NAME = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)")
_END_TAG = re.compile(r"</[a-zA-Z][a-zA-Z0-9]*[\t\n\f\r ]*>")
_SPACE = "\t\n\f\r "
_ATTRIBUTE = re.compile(
    r"(?P<name>=?[^\t\n\f\r />=]*)[\t\n\f\r ]*"
    r"(?:=[\t\n\f\r ]*(?:\"(?P<dq>[^\"]*)\"?|'(?P<sq>[^']*)'?|(?P<uq>[^\t\n\f\r >]*)))?"
)
_URL_NOISE = re.compile(r"[\t\n\r]")  # a URL parser drops these anywhere
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass(frozen=True)
class Tag:
    name: str
    attributes: tuple[tuple[str, str], ...]  # names lowercased, values with entities decoded
    body: str = ""  # a raw-text element's content (a script's code)

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.attributes if key == name), None)


def tags(html: str) -> Iterator[Tag]:
    """Every start tag of ``html`` as a browser reads it (raw-text elements with their body)."""
    for item in _walk(html):
        yield item if isinstance(item, Tag) else _simple_tag(item)


def _walk(html: str) -> Iterator[Tag | re.Match[str]]:
    """Start tags in order: a simple tag as its match (see ``_SIMPLE_TAG``), any other
    read attribute by attribute; comments, doctypes and end tags skipped."""
    at, length = 0, len(html)
    while True:
        # Most of a page is text, end tags and simple tags: one match reads the text up
        # to the next tag and that tag, if it is one of those.
        easy = _EASY.match(html, at)
        if easy is not None:
            at = easy.end()
            if easy.group("name") is not None:
                yield easy
            continue
        start = html.find("<", at)
        if start == -1:
            return
        if html.startswith("<!--", start):
            at = _comment_end(html, start + 4)
            continue
        if html.startswith(("<!", "<?"), start):  # bogus comment, doctype: up to ">"
            end = html.find(">", start)
            at = length if end == -1 else end + 1
            continue
        match = _TAG_NAME.match(html, start)
        if match is None:
            at = start + 1
            continue
        attributes, at = _attributes(html, match.end())
        name = match.group(2).lower()
        if match.group(1):  # an end tag: its attributes do nothing
            continue
        body = ""
        if name in RAW_TEXT:
            close = re.compile(rf"</{re.escape(name)}[\t\n\f\r />]", re.I).search(html, at)
            end = close.start() if close else length
            body, at = html[at:end], end
        yield Tag(name, attributes, body)


def _comment_end(html: str, at: int) -> int:
    ends = [i for i in (html.find("-->", at), html.find("--!>", at)) if i != -1]
    if not ends:
        return len(html)
    first = min(ends)
    return first + (3 if html.startswith("-->", first) else 4)


def _attributes(html: str, at: int) -> tuple[tuple[tuple[str, str], ...], int]:
    """The attributes from ``at`` to the tag's end, and where the tag ends."""
    found: list[tuple[str, str]] = []
    length = len(html)
    while at < length:
        while at < length and (html[at] in _SPACE or html[at] == "/"):
            at += 1
        if at >= length:
            break
        if html[at] == ">":
            return tuple(found), at + 1
        match = _ATTRIBUTE.match(html, at)
        assert match is not None  # the pattern matches the empty string at worst
        if match.end() == at:  # a lone "=" or quote: part of a name, as a browser reads it
            at += 1
            continue
        value = match.group("dq") or match.group("sq") or match.group("uq") or ""
        found.append((match.group("name").lower(), unescape(value)))
        at = match.end()
    return tuple(found), length


@functools.cache
def theme_scripts() -> tuple[re.Pattern[str], ...]:
    """Material's own inline scripts, from its templates: the only inline code a page
    may hold. A template's ``{{ ... }}`` may only become a relative path. Not found
    (another theme): none are allowed, and every inline script is reported."""
    try:
        folder = resources.files("material") / "templates" / "partials" / "javascripts"
        texts = [
            f.read_text(encoding="utf-8") for f in folder.iterdir() if f.name.endswith(".html")
        ]
    except (ModuleNotFoundError, OSError):
        return ()
    patterns = []
    for text in texts:
        for body in re.findall(r"<script>(.*?)</script>", text, re.S):
            parts = re.split(r"\{\{.*?\}\}", body.strip())
            patterns.append(re.compile(r"[A-Za-z0-9./_-]*".join(map(re.escape, parts))))
    return tuple(patterns)


# A tag whose attributes are plain names with double-quoted values free of quotes,
# angle brackets and entities: a browser tokenizes it exactly as this pattern does, so
# its verdict can be kept by its text. Most tags of a page (the theme's navigation,
# table cells) are such tags, repeated on every page. A raw-text element (a script) is
# never simple: its body is read as the tokenizer does.
_SIMPLE_TAG = (
    r"<(?!(?i:" + "|".join(sorted(RAW_TEXT)) + r")[\t\n\f\r />])"
    r"(?P<name>[a-zA-Z][a-zA-Z0-9]*)"
    r'(?P<attributes>(?:[\t\n\f\r ]+[a-zA-Z][a-zA-Z0-9_:.-]*(?:="[^"<>&]*")?)*)[\t\n\f\r ]*/?>'
)
# The text up to the next "<" (possessive: never given back), then an end tag, or a
# simple tag (its group ``tag``); anything else starting there is read by ``_walk``.
_EASY = re.compile(rf"[^<]*+(?:{_END_TAG.pattern}|(?P<tag>{_SIMPLE_TAG}))")
_SIMPLE_ATTRIBUTE = re.compile(r'([a-zA-Z][a-zA-Z0-9_:.-]*)(?:="([^"]*)")?')
_VERDICTS: dict[str, tuple[tuple[str, str], ...]] = {}


def active_content(html: str) -> Iterator[tuple[str, str]]:
    """(what, excerpt) for everything in ``html`` that would run, or fetch from elsewhere."""
    for item in _walk(html):
        if isinstance(item, Tag):
            yield from judge(item)
            continue
        raw = item.group("tag")
        verdict = _VERDICTS.get(raw)
        if verdict is None:
            if len(_VERDICTS) > 200_000:  # a bound on memory, not a cache policy
                _VERDICTS.clear()
            verdict = _VERDICTS[raw] = tuple(judge(_simple_tag(item)))
        yield from verdict


def _simple_tag(match: re.Match[str]) -> Tag:
    attributes = tuple(
        (name.lower(), unescape(value))
        for name, value in _SIMPLE_ATTRIBUTE.findall(match.group("attributes"))
    )
    return Tag(match.group("name").lower(), attributes)


def judge(tag: Tag) -> Iterator[tuple[str, str]]:
    """(what, excerpt) for what one tag would run or fetch."""
    yield from _handlers(tag)
    yield from _urls(tag)
    yield from _element(tag)


def _handlers(tag: Tag) -> Iterator[tuple[str, str]]:
    for name, value in tag.attributes:
        if name.startswith("on"):
            yield "事件处理属性", f"<{tag.name} {name}=…>"
        elif name == "srcdoc":
            yield "可执行标签", f"<{tag.name} srcdoc>"
        elif name == "style" and re.search(r"expression\s*\(|javascript:|url\s*\(", value, re.I):
            yield "样式中的脚本或外部资源", f"<{tag.name} style={value[:40]}>"
        elif name == "attributename" and value.lower().startswith("on"):
            yield "事件处理属性", f"<{tag.name} attributeName={value}>"
        elif name in {"values", "to", "from", "by"} and "javascript:" in value.lower():
            yield "不安全的链接", f"<{tag.name} {name}={value[:40]}>"


def _urls(tag: Tag) -> Iterator[tuple[str, str]]:
    for name, value in tag.attributes:
        if name not in URL_ATTRIBUTES:
            continue
        urls = [u.strip().split(" ")[0] for u in value.split(",")] if "srcset" in name else [value]
        for url in urls:
            problem = _url_problem(tag.name, name, url)
            if problem:
                yield problem, f"<{tag.name} {name}={url[:40]}>"


def _url_problem(tag: str, attribute: str, url: str) -> str | None:
    cleaned = _URL_NOISE.sub("", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c "
                                             "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
                                             "\x1a\x1b\x1c\x1d\x1e\x1f")  # fmt: skip
    scheme = _SCHEME.match(cleaned)
    if scheme and scheme.group(1).lower() == "data":
        return None if tag == "img" and DATA_IMAGES.match(cleaned) else "不安全的链接"
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        return "不安全的链接"
    external = bool(scheme) or cleaned.startswith(("//", "\\\\", "/\\", "\\/"))
    if external and (attribute in FETCHED or (tag == "link" and attribute == "href")):
        return "外部资源"  # the intranet's readers would fetch it from another host
    return None


def _element(tag: Tag) -> Iterator[tuple[str, str]]:
    if tag.name == "script":
        yield from _script(tag)
    elif tag.name in ACTIVE_TAGS:
        yield "可执行标签", f"<{tag.name}>"
    elif tag.name == "form" and "md-search__form" not in (tag.get("class") or ""):
        yield "可执行标签", "<form>"
    elif tag.name == "meta" and (tag.get("http-equiv") or "").lower() == "refresh":
        yield "可执行标签", "<meta http-equiv=refresh>"
    elif tag.name == "link" and (tag.get("rel") or "").lower() == "import":
        yield "可执行标签", "<link rel=import>"


def _script(tag: Tag) -> Iterator[tuple[str, str]]:
    src = tag.get("src")
    if src is not None:
        if _SCHEME.match(src) or src.startswith("//") or "assets/" not in src:
            yield "外部或未知脚本", f"<script src={src[:40]}>"
        return
    code = tag.body.strip()
    if tag.get("type") == "application/json" and tag.get("id") == "__config":
        return  # Material's configuration: data, never run
    if code and not any(p.fullmatch(code) for p in theme_scripts()):
        yield "内联脚本", code[:40]
