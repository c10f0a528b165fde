"""The one place where text from YAML becomes safe Markdown or HTML.

Python-Markdown passes raw HTML, ``javascript:`` links and (with attr_list)
``{ onclick=... }`` through, and MkDocs' templates do not autoescape. So every
data value is escaped here, by default, before it reaches a page: templates
get escaping from Jinja's ``finalize`` hook and must opt out explicitly with
``Md`` (already-safe Markdown built by our own code).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# Markdown's backslash-escapable characters that start syntax (links, emphasis,
# code, headings, lists, attr_list braces, table pipes). ``:`` and ``=`` are left
# alone: we enable no extension that gives them meaning.
_MD_CHARS = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_WHITESPACE_RUN = re.compile(r"[\r\n\t\v\f\u0085\u2028\u2029]+")
# Other control characters: invisible, and Python-Markdown uses \x02/\x03 to mark its own
# placeholders, so data must never carry them into a page.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


class Md(str):
    """Markdown (or HTML) that our own code built and that must not be escaped again."""

    __slots__ = ()


# HTML we render ourselves (member cards, the roll-up, charts) never passes through
# Markdown: a page carries it as base64 inside one comment, on one line of its own, and
# the plugin writes it out in place after conversion (``unwrap_fragments``, from
# on_page_content, before search indexes the page). Inside base64 nothing is Markdown,
# HTML or a fence for any extension: text in a card that looks like ``~~~`` or
# ``{: onclick=... }`` stays text. Python-Markdown would otherwise also re-parse every
# tag: on a 1,000-branch board four million tags, most of the build.
_FRAGMENT = re.compile(r"<!--board-html:([A-Za-z0-9+/=]*)-->")


def html_fragment(html: str) -> Md:
    """Ready HTML, carried through Markdown untouched (see above), as a block of its own."""
    encoded = base64.b64encode(html.encode("utf-8")).decode("ascii")
    return Md(f"\n<!--board-html:{encoded}-->\n")


def _decoded(match: re.Match[str]) -> str:
    return base64.b64decode(match.group(1)).decode("utf-8")


def unwrap_fragments(text: str) -> str:
    """The page as it would be with each fragment's HTML written out in place."""
    if "<!--board-html:" not in text:
        return text
    return _FRAGMENT.sub(_decoded, text)


_ID = re.compile(r'\sid="([^"]+)"')


def fragment_ids(text: str) -> set[str]:
    """The ``id`` attributes inside a page's fragments: anchors links may point at,
    which MkDocs cannot see (it looks for them before fragments are unwrapped)."""
    if "<!--board-html:" not in text:
        return set()
    return {anchor for match in _FRAGMENT.finditer(text) for anchor in _ID.findall(_decoded(match))}


def html_text(value: str) -> str:
    """Escape for HTML text and attribute values (``'`` too, for single-quoted attributes)."""
    return (
        _CONTROL.sub("", value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def md_text(value: object) -> Md:
    """Escape any value for inline Markdown: one line, no markup, no raw HTML.

    HTML specials become entities first (``&`` ``<`` ``>`` ``"``), then Markdown
    syntax characters get a backslash. ``'`` is not turned into ``&#39;`` here
    because escaping that entity's ``#`` would make it show literally; a bare
    apostrophe is harmless in Markdown text.
    """
    text = _CONTROL.sub("", _WHITESPACE_RUN.sub(" ", str(value))).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace('"', "&quot;")
    return Md(_MD_CHARS.sub(r"\\\1", text))


def md_block(value: object) -> Md:
    """Escape multi-line text for a Markdown paragraph, keeping its line breaks."""
    lines = [md_text(line) for line in str(value).splitlines() if line.strip()]
    return Md("<br>\n".join(lines))


# The one rounding rule for display (the rules page states it): two decimals, halves
# rounded up (98.125 -> 98.13), trailing zeros dropped. Figures are computed exactly.
_CENT = Decimal("0.01")


def number(value: float | Decimal) -> str:
    """Scores as people write them: 15, 14.5, 98.25 (no trailing zeros)."""
    if isinstance(value, Decimal):
        text = format(value.quantize(_CENT, rounding=ROUND_HALF_UP), "f")
    else:
        text = f"{value:.2f}"
    text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def as_written(value: Decimal) -> str:
    """A number exactly as the data gives it (19.996, never rounded): for messages about
    the value itself."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def rounded(value: Decimal) -> Decimal:
    """A figure as shown (see ``number``), for files that hold numbers (JSON, Excel)."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def json_bytes(data: object) -> bytes:
    """JSON for the portal and other consumers, safe even if pasted into an HTML page.

    ``<``, ``>`` and ``&`` are written as \\u escapes: the decoded strings are unchanged,
    but the file never holds raw markup a careless ``innerHTML`` could run.
    """
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.encode("utf-8")


def signed(value: float) -> Md:
    """Score adjustments as the notice writes them: +1.5, −1.5 (a real minus), or —."""
    if not value:
        return Md("—")
    return Md(f"+{number(value)}" if value > 0 else f"−{number(-value)}")


_CN_QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
_QUARTER = re.compile(r"([0-9]{4})Q([1-4])")


def cn_date(day: dt.date) -> str:
    """A date as an official notice writes it: 2026年9月30日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_quarter(quarter: str) -> str:
    """A quarter as people say it: 2026Q3 -> 2026年第三季度 (other text unchanged)."""
    found = _QUARTER.fullmatch(quarter)
    return f"{found[1]}年{_CN_QUARTERS[int(found[2]) - 1]}" if found else quarter


def readable(value: Any) -> Any:
    """Dates and quarter codes as a reader reads them; anything else unchanged."""
    if isinstance(value, dt.date):
        return cn_date(value)
    if isinstance(value, str) and not isinstance(value, Md) and _QUARTER.fullmatch(value):
        return cn_quarter(value)
    return value


def finalize(value: Any) -> Any:
    """Jinja ``finalize`` hook: every ``{{ }}`` is escaped unless it is ``Md``. Dates and
    quarter codes are written the way people read them (2026年9月30日, 2026年第三季度):
    links and ids use the codes through their own filters (``slug_q``)."""
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return number(value)
    if isinstance(value, dt.date):
        # One unbreakable token: Chinese may break after any character, and a date
        # split as "2026年9月 / 18日" across two lines in a table cell misreads.
        return Md(f'<span class="board-day">{cn_date(value)}</span>')
    return md_text(readable(value))
