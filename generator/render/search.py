"""What the site search indexes, and how small the index file is.

People search the board for a person, an organization, a unit, a quarter's lists or
a rule: the organization pages (with their members and this year's commitments), the
red and blue lists, units, rectification and rules are always indexed. A company-sized
board (the sample has 600 members) indexes everything. On a large board (more than
``FULL_TEXT_MEMBERS`` members) what repeats those at length stays out:

- pages that show only kinds of record the registry marks as not searched at scale
  (``Kind.searched_at_scale``): each branch's commitment cards and the company's
  commitment board per year, nine tenths of the text of a large board. A member's
  name, post and this year's commitments are on the organization page, which links
  to the cards;
- the score tables of organization pages and the full rankings and problem lists of
  quarter pages (``SECTIONS_NOT_INDEXED``): numbers and repeated rows, reached from
  the organization or the quarter, which stay indexed.

With all of it, the index of a 1,000-branch board was about 300 MB, too much for a
browser to load, and Material's indexer (an HTML parse and a jieba segmentation of
every page) the largest part of the build. Material also writes every Chinese
character as ``\\uXXXX`` (six bytes instead of three): ``compact_index`` rewrites the
index as UTF-8, the same JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.model.kinds import kinds

# Measured: the cards add about 9 KB per member to Material's index (two commitments
# a year with their steps), so 1,000 members are about 9 MB of the 15 MB an index
# can sensibly weigh.
FULL_TEXT_MEMBERS = 1000
# Per page: second-level headings (by how they start) left out with everything under them.
SECTIONS_NOT_INDEXED = [
    (re.compile(r"org/[a-z0-9-]+\.md"), ("最近一次考核", "考核结果与变化")),
    (re.compile(r"quarters/[0-9]{4}Q[1-4]\.md"), ("Ⅰ 类", "Ⅱ 类", "Ⅲ 类", "问题清单")),
]
_FRONT_MATTER = "---\n"
_HEADING = re.compile(r"(#{1,6}) ")
_ATTRS = re.compile(r"(?<!\\)\{([^{}]*)(?<!\\)\}\s*$")  # a heading's own { attr_list }


def searched_at_scale(page: str) -> bool:
    """Whether a page stays in a large board's index: it is no kind's page, or the page
    of at least one kind searched at scale (the registry says which)."""
    showing = [k for k in kinds() if k.shows(page)]
    return not showing or any(k.searched_at_scale for k in showing)


def apply_search_policy(page: str, markdown: str, members: int, *, whole: bool = True) -> str:
    """Mark what Material's search must skip: a page (``search: exclude: true`` in its
    meta) or sections (``data-search-exclude`` on their headings). ``whole``: whether
    the page stays in the index of a large board (see ``searched_at_scale``)."""
    if members <= FULL_TEXT_MEMBERS:
        return markdown
    if not whole:
        if markdown.startswith(_FRONT_MATTER):
            return _FRONT_MATTER + "search:\n  exclude: true\n" + markdown[len(_FRONT_MATTER) :]
        return f"{_FRONT_MATTER}search:\n  exclude: true\n{_FRONT_MATTER}\n{markdown}"
    for pattern, headings in SECTIONS_NOT_INDEXED:
        if pattern.fullmatch(page):
            return _exclude_sections(markdown, headings)
    return markdown


def _exclude_sections(markdown: str, headings: tuple[str, ...]) -> str:
    lines = markdown.split("\n")
    excluding = False
    for i, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading is None:
            continue
        level = len(heading.group(1))
        if level <= 2:
            excluding = level == 2 and line[3:].startswith(headings)
        if excluding:
            lines[i] = _with_exclude(line)
    return "\n".join(lines)


def _with_exclude(heading: str) -> str:
    attrs = _ATTRS.search(heading)
    if attrs is None:
        return f"{heading.rstrip()} {{ data-search-exclude }}"
    inner = attrs.group(1).strip()
    return f"{heading[: attrs.start()]}{{ {inner} data-search-exclude }}"


def compact_index(site: Path) -> None:
    """Rewrite Material's index (and the offline plugin's copy) with UTF-8 text."""
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    index.write_text(text, encoding="utf-8")
    script = index.with_suffix(".js")
    if script.is_file():
        script.write_text(f"var __index = {text}", encoding="utf-8")
