"""Pages too heavy for a browser, split into parts with links between them.

At a provincial company's size (1,000 branches) a quarter's page was 1.3 MB of HTML
and the rectification page 2.4 MB: slow to open on the intranet and on a phone. A
generated page over ``PAGE_BUDGET`` bytes of Markdown is cut at its second-level
headings (third-level inside a section that alone is too big) into parts beside it
(``index.md``, ``index.part2.md``, …, so relative links in moved sections still
resolve). Each part repeats the page's title and says which part it is, with links to
the others; links from any page to an anchor that moved are pointed at its part.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.buildcache import EntryStore, digest, keeping_in_memory, plain_digest

# Markdown bytes per page. Measured on the sample: a page's HTML is about 25 KB of
# theme plus 1.2–1.6 times its Markdown, so 400 KB stays well under 1 MB of HTML.
PAGE_BUDGET = 400_000
PART_SUFFIX = ".part"  # index.part2.md; mkdocs.yml keeps "*.part*.md" out of the nav
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_TITLE = re.compile(r"^title: (.*)$", re.M)
_H1 = re.compile(r"^# (.+)$", re.M)
_ATTRS = re.compile(r"\s*\{[^{}]*\}\s*$")
_ANCHOR = re.compile(r"\{[^{}]*#([\w-]+)[^{}]*\}|\bid=\"([\w-]+)\"")
_LINK = re.compile(r"(\]\(|href=\")([^)\"\s#]*)#([\w-]+)")


@dataclass(frozen=True)
class Section:
    heading: str  # the heading line ("" for what comes before the first heading)
    text: str


def split_heavy(
    pages: dict[str, str | bytes],
    footer: str,
    budget: int | None = None,
    stable: Mapping[str, str] | None = None,
    store: EntryStore | None = None,
) -> None:
    """Split every generated Markdown page over ``budget`` bytes (``PAGE_BUDGET``) in
    place; ``footer`` (the as-of line every page ends with) is repeated on each part.

    ``stable``: for some pages, a key that names their content exactly (the page
    memo's). Such a page is split, and its links repointed, as the last time its key,
    the footer, the budget and what moved were the same: from memory under ``mkdocs
    serve`` (the last build in this process), else from ``store`` (any earlier build).
    At 1,000 branches, splitting and repointing were 3 s of every build; a page that
    is not stable is always split and repointed afresh."""
    budget = budget or PAGE_BUDGET
    kept = _Kept(store, in_memory=stable is not None and keeping_in_memory())
    signs = {p: digest(k, footer, str(budget)) for p, k in (stable or {}).items()}
    moved: dict[str, dict[str, str]] = {}  # page → anchor → the part that now holds it
    for path in [p for p, text in pages.items() if p.endswith(".md") and isinstance(text, str)]:
        text = str(pages[path])
        sign = signs.get(path)
        found, split = kept.split(sign) if sign is not None else (False, None)
        if not found:
            if not _over(text, budget):
                continue
            split = _split(path, text, footer, budget)
            if sign is not None:
                kept.keep_split(sign, split)
        if split is None:
            continue
        for n, (name, part) in enumerate(zip(split.names, split.parts, strict=True)):
            pages[name] = part
            if sign is not None and n:  # a part is what its page's key names, too
                signs[name] = digest(sign, name)
        moved[path] = split.anchors
    kept.remember_splits()
    if moved:
        _repoint_links(pages, moved, signs, kept)
    kept.tidy()


@dataclass(frozen=True)
class _Split:
    names: list[str]  # the page, then its parts
    parts: list[str]  # framed, footer included
    anchors: dict[str, str]  # anchor → the part that holds it


def _split(path: str, text: str, footer: str, budget: int) -> _Split | None:
    parts = _parts(text.removesuffix(footer), budget)
    if len(parts) < 2:
        return None
    names = [path] + [_part_name(path, n) for n in range(2, len(parts) + 1)]
    framed = [part + footer for part in _framed(parts, names, text)]
    anchors = {a: names[n] for n, part in enumerate(parts) for a in _anchors(part)}
    return _Split(names, framed, anchors)


class _Kept:
    """Splits and repointed pages made before, by sign (see ``split_heavy``): the last
    build's in memory, any build's in the store. A stored split is its names, parts and
    anchors, or null (the page did not split); a stored repointing is the page's text,
    or null (its links did not change). An entry of any other shape is not used."""

    def __init__(self, store: EntryStore | None, in_memory: bool) -> None:
        self.store, self.in_memory = store, in_memory
        self.splits: dict[str, _Split | None] = {}  # used this build, by sign
        self.links: dict[str, str | None] = {}

    def split(self, sign: str) -> tuple[bool, _Split | None]:
        """Whether a split is kept for ``sign``, and the split."""
        if self.in_memory and sign in _LAST_SPLITS:
            self.splits[sign] = _LAST_SPLITS[sign]
            return True, self.splits[sign]
        value = self.store.get_json(digest("split", sign)) if self.store else None
        if not isinstance(value, dict) or "split" not in value:
            return False, None
        split = _split_of(value["split"])
        if split is None and value["split"] is not None:
            return False, None
        self.splits[sign] = split
        return True, split

    def keep_split(self, sign: str, split: _Split | None) -> None:
        self.splits[sign] = split
        if self.store is not None:
            plain = None if split is None else [split.names, split.parts, split.anchors]
            self.store.put_json(digest("split", sign), {"split": plain})

    def repointed(self, key: str) -> tuple[bool, str | None]:
        """Whether the links of the page ``key`` names are kept, and its new text."""
        if self.in_memory and key in _LAST_LINKS:
            self.links[key] = _LAST_LINKS[key]
            return True, self.links[key]
        value = self.store.get_json(key) if self.store else None
        if not isinstance(value, dict) or not isinstance(value.get("text", 0), str | None):
            return False, None
        self.links[key] = value["text"]
        return True, value["text"]

    def keep_repointed(self, key: str, text: str | None) -> None:
        self.links[key] = text
        if self.store is not None:
            self.store.put_json(key, {"text": text})

    def remember_splits(self) -> None:
        if self.in_memory:
            _LAST_SPLITS.clear()
            _LAST_SPLITS.update(self.splits)

    def tidy(self) -> None:
        if self.in_memory:
            _LAST_LINKS.clear()
            _LAST_LINKS.update(self.links)
        if self.store is not None:
            self.store.tidy()


def _split_of(value: Any) -> _Split | None:
    """A stored split, if it has a split's shape."""
    if not isinstance(value, list) or len(value) != 3:
        return None
    names, parts, anchors = value
    texts = isinstance(names, list) and isinstance(parts, list) and len(names) == len(parts)
    if not texts or not all(isinstance(t, str) for t in [*names, *parts]):
        return None
    if not isinstance(anchors, dict) or not all(isinstance(v, str) for v in anchors.values()):
        return None
    return _Split(names, parts, anchors)


# Under ``mkdocs serve``: the last build's splits and repointed pages in this process,
# by sign; the objects the last build's pages hold, so they cost little memory.
_LAST_SPLITS: dict[str, _Split | None] = {}
_LAST_LINKS: dict[str, str | None] = {}


def _over(text: str, budget: int) -> bool:
    """Whether ``text`` is over ``budget`` bytes of UTF-8. A character is at most four
    bytes, so most pages are known to fit without encoding them (a large board's
    pages are hundreds of megabytes, encoded again on every build)."""
    return len(text) * 4 > budget and len(text.encode()) > budget


def _part_name(path: str, n: int) -> str:
    return f"{path.removesuffix('.md')}{PART_SUFFIX}{n}.md"


def _parts(text: str, budget: int) -> list[str]:
    """The page body cut into parts of at most ``budget`` bytes where headings allow;
    the first part keeps the front matter and everything before the first section."""
    front = _FRONT.match(text)
    head_end = front.end() if front else 0
    body = text[head_end:]
    sections = list(_sections(body, "## "))
    chunks: list[str] = []
    for section in sections[1:]:
        if _size(section.text) > budget:
            chunks += _continued(section, budget)
        else:
            chunks.append(section.text)
    # Each chunk's size is worked out once and parts are joined once: a quarter's page
    # at 1,000 branches is megabytes in thousands of chunks.
    parts = [[text[:head_end] + sections[0].text]]
    size = _size(parts[0][0])
    for chunk in chunks:
        grown = size + _size(chunk)
        if grown > budget and size > 0 and "".join(parts[-1]).strip():
            parts.append([])
            grown = _size(chunk)
        parts[-1].append(chunk)
        size = grown
    joined = ["".join(part) for part in parts]
    return [joined[0]] + [p for p in joined[1:] if p.strip()]


def _continued(section: Section, budget: int) -> list[str]:
    """A section too big for one part, cut at its third-level headings: later chunks
    repeat its heading, marked 续, without the heading's id (that stays with the first)."""
    subsections = list(_sections(section.text, "### "))
    again = _ATTRS.sub("", section.heading) + "（续）\n\n"
    chunks = [[subsections[0].text]]
    size = _size(subsections[0].text)
    for sub in subsections[1:]:
        grown = size + _size(sub.text)
        if grown > budget:
            chunks.append([again])
            grown = _size(again) + _size(sub.text)
        chunks[-1].append(sub.text)
        size = grown
    return ["".join(chunk) for chunk in chunks]


def _size(text: str) -> int:
    return len(text.encode())


def _sections(text: str, marker: str) -> Iterator[Section]:
    """``text`` cut before each top-level heading starting with ``marker`` (not one
    inside a ``<div markdown>`` block, which a cut would break)."""
    start, depth, heading = 0, 0, ""
    position = 0
    for line in text.splitlines(keepends=True):
        if depth == 0 and line.startswith(marker) and position > start:
            yield Section(heading, text[start:position])
            start, heading = position, line.rstrip("\n")
        elif depth == 0 and line.startswith(marker):
            heading = line.rstrip("\n")
        depth += line.count("<div") - line.count("</div>")
        position += len(line)
    yield Section(heading, text[start:])


def _framed(parts: list[str], names: list[str], whole: str) -> list[str]:
    """Each part with the page's title, which part it is and links to the others."""
    title = _TITLE.search(whole)
    h1 = _H1.search(whole)
    heading = h1.group(1) if h1 else (title.group(1).strip('"') if title else "")
    framed = []
    for n, part in enumerate(parts, start=1):
        guide = _guide(parts, names, n)
        if n == 1:
            framed.append(_after_h1(part, guide))
            continue
        front = _FRONT.match(whole)
        head = front.group(0) if front else ""
        if title:
            head = head.replace(title.group(0), f"title: {_titled(title.group(1), n)}")
        framed.append(f"{head}\n# {heading}（第 {n} 部分）\n\n{guide}\n{part}\n\n{guide}\n")
    return framed


def _titled(title: str, n: int) -> str:
    quoted = title.startswith('"') and title.endswith('"')
    bare = title[1:-1] if quoted else title
    return f'"{bare}（第 {n} 部分）"'


def _after_h1(part: str, guide: str) -> str:
    h1 = _H1.search(part)
    if not h1:
        return f"{guide}\n{part}"
    return f"{part[: h1.end()]}\n\n{guide}{part[h1.end() :]}"


def _guide(parts: list[str], names: list[str], current: int) -> str:
    """本页内容较多，分为 3 部分：第 1 部分（本页）· 第 2 部分：Ⅲ 类、问题清单 …"""
    links = []
    for n, (part, name) in enumerate(zip(parts, names, strict=True), start=1):
        headings = [_ATTRS.sub("", s.heading)[3:] for s in _sections(part, "## ") if s.heading]
        shown = "、".join(headings[:3]) + ("等" if len(headings) > 3 else "")
        label = f"第 {n} 部分" + (f"：{shown}" if shown else "")
        target = posixpath.basename(name)
        links.append(f"**{label}（本页）**" if n == current else f"[{label}]({target})")
    return f"<small>本页内容较多，分为 {len(parts)} 部分：{' · '.join(links)}</small>\n"


def _anchors(text: str) -> set[str]:
    return {m.group(1) or m.group(2) for m in _ANCHOR.finditer(text)}


def _repoint_links(
    pages: dict[str, str | bytes],
    moved: dict[str, dict[str, str]],
    signs: Mapping[str, str],
    kept: _Kept,
) -> None:
    """Links to ``page#anchor`` (Markdown or HTML, relative to the linking page, or
    within the page itself) whose anchor now lives in another part point at that part.
    ``signs``: page → what names its content exactly (see ``split_heavy``)."""
    owner = {part: page for page, anchors in moved.items() for part in {page, *anchors.values()}}
    where = plain_digest(sorted([page, sorted(anchors.items())] for page, anchors in moved.items()))
    for path, text in list(pages.items()):
        if not isinstance(text, str) or "#" not in text:
            continue
        sign = signs.get(path)
        key = digest("links", sign, where) if sign is not None else None
        if key is not None:
            found, kept_text = kept.repointed(key)
            if found:
                if kept_text is not None:
                    pages[path] = kept_text
                continue
        here = posixpath.dirname(path)

        def repoint(match: re.Match[str], path: str = path, here: str = here) -> str:
            opener, target, anchor = match.groups()
            md = target.removesuffix(".html") + ".md" if target.endswith(".html") else target
            linked = posixpath.normpath(posixpath.join(here, md)) if md else path
            part = moved.get(owner.get(linked, linked), {}).get(anchor)
            if part is None or part == linked:
                return match.group(0)
            return f"{opener}{_relative(part, here, target)}#{anchor}"

        pages[path] = new = _LINK.sub(repoint, text)
        if key is not None:
            kept.keep_repointed(key, new if new != text else None)


def _relative(part: str, here: str, target: str) -> str:
    """The part's path as the link wrote its target: relative, .md or .html."""
    relative = posixpath.relpath(part, here or ".")
    return relative.removesuffix(".md") + ".html" if target.endswith(".html") else relative
