"""The output scanner: the last line of defence, run on every file of every build.

It fails the build when it finds, in any output file (HTML, JSON, XML, the search
index, the CSV and XLSX exports, gzip files opened):

- anything a browser would run or fetch from elsewhere (``markup.py``: event
  handlers, script, iframe, object, embed, forms, unsafe links, external resources,
  inline scripts other than the theme's own);
- personal numbers and home addresses, however they are written (``personal.py``:
  ID numbers, mobiles, bank cards, passports; landlines, e-mail and street addresses
  are shown as hints);
- any text held in a field marked internal, today's or an older version's, matched
  as a reader would see it whatever the escaping.

Known false positives go in ``site.yaml`` ``privacy.allowlist`` (each with a reason).

Every file is read and hashed on every build; a file whose bytes, path, internal values
and allowlist are those of a file scanned before (by this code) gets that scan's
findings back from ``cache`` instead of being scanned again: after a one-record edit,
only the pages it changed (and the search index) are read through.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import io
import json
import multiprocessing
import os
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from html import unescape
from pathlib import Path, PurePosixPath
from typing import Any

from generator.buildcache import EntryStore, code_version, digest
from generator.files import file_digest
from generator.markup import active_content
from generator.parallel import parallel_map
from generator.personal import finds

PARALLEL_BYTES = 4 * 1024 * 1024  # left to scan: worth starting workers for
TEXT_SUFFIXES = {".html", ".htm", ".json", ".js", ".xml", ".csv", ".txt", ".md", ".svg"}


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    kind: str
    excerpt: str
    fatal: bool = True

    def __str__(self) -> str:
        level = "错误" if self.fatal else "提示"
        return f"{self.file}: {level}：{self.kind}：{self.excerpt}"


def scan_site(
    site: Path, internal: set[str], allowlist: set[str], cache: EntryStore | None = None
) -> list[Finding]:
    """Every finding in every output file under ``site``, sorted.

    Files are scanned on every core: a large board's site is hundreds of megabytes.
    ``cache`` keeps each file's findings by what they depend on (see above)."""
    paths = sorted(p for p in site.rglob("*") if p.is_file())
    allowed = frozenset(allowlist)
    verdicts = _Verdicts(cache, internal, allowed)
    findings: list[Finding] = []
    todo: list[tuple[Path, str]] = []
    for path in paths:
        key = verdicts.key(site, path)
        known = verdicts.get(key)
        if known is None:
            todo.append((path, key))
        else:
            findings += known
    values = InternalValues(internal)
    # Few files left (after an edit: its pages and the search index, twice) are still
    # worth the cores when they are big: the index of a large board is megabytes.
    big = sum(path.stat().st_size for path, _ in todo) > PARALLEL_BYTES
    worth_it = True if big else None
    per_file = parallel_map(
        lambda item: _scan_file(site, item[0], values, allowed), todo, worth_it=worth_it
    )
    for (_, key), found in zip(todo, per_file, strict=True):
        verdicts.put(key, found)
        findings += found
    verdicts.tidy()
    return sorted(set(findings))


class ScanAhead:
    """Pages scanned while MkDocs is still writing the rest of the site.

    MkDocs writes pages on one core; scanning a large board's pages after it took a
    tenth of a cold build. Each page MkDocs has written (``submit``: its file, as soon
    as it is on disk) is read and scanned by one forked worker on a core MkDocs leaves
    idle, and its findings are kept (``finish``) under the key ``scan_site`` gives the
    file: its path and the SHA-256 of the bytes the worker read. This only ever saves
    work: ``scan_site`` still reads and hashes every file of the site, and a file whose
    bytes are not the ones scanned here (rewritten since), or that was never handed
    here, is scanned then. Only paths are queued, so waiting costs no memory.
    """

    def __init__(
        self,
        internal: set[str],
        allowlist: set[str],
        cache: EntryStore | None,
        *,
        settle: Callable[[], None] = lambda: None,
    ) -> None:
        self._allowed = frozenset(allowlist)
        self._verdicts = _Verdicts(cache, internal, self._allowed)
        self._internal = internal
        self._queued: list[Future[tuple[str, list[Finding] | None]]] = []
        self._pool: ProcessPoolExecutor | None = None
        self._settle = settle  # ends the threads of this build that end (a stage written)
        # Without a cache there is nowhere to keep the findings; with one core, no gain.
        self._off = cache is None or _spare_cores() < 1

    def submit(self, path: Path, rel: str) -> None:
        """Scan the file MkDocs has just written at ``path`` (``rel`` in the site)."""
        if self._off:
            return
        pool = self._pool or self._start()
        if pool is None:
            return
        try:
            self._queued.append(pool.submit(_scan_ahead, str(path), rel))
        except BrokenExecutor:  # the worker died (out of memory?): scan_site scans the rest
            self._off = True

    def _start(self) -> ProcessPoolExecutor | None:
        # Forking is only safe in a process with no other threads: the build's own (the
        # kept stage being written) are waited for; any other (`mkdocs serve`'s server,
        # whose edits change a few pages) leaves the scan to scan_site.
        self._settle()
        if threading.active_count() > 1:
            self._off = True
            return None
        global _AHEAD
        verdicts, values = self._verdicts, InternalValues(self._internal)
        _AHEAD = (verdicts.against, values, self._allowed, verdicts.cache)
        context = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(1, mp_context=context, initializer=gc.freeze)
        return self._pool

    def finish(self) -> None:
        """Keep what the worker found, for ``scan_site``; stop the worker."""
        for future in self._queued:
            try:
                key, findings = future.result()
            except Exception:  # the file is scanned again by scan_site, and fails there
                continue
            if findings is not None:  # None: kept from a build before, scan_site reads it
                self._verdicts.put(key, findings)
        self.close()

    def close(self) -> None:
        self._queued.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# What the scan-ahead worker checks against (set before it is forked, so it inherits it;
# the worker freezes what it inherits out of the collector's sight, as the renderers do).
_AHEAD: tuple[str, InternalValues, frozenset[str], EntryStore | None] | None = None


def _scan_ahead(path: str, rel: str) -> tuple[str, list[Finding] | None]:
    """The file's key and findings; None for findings already kept for that key (a
    rebuild writes the same pages again: they are not scanned again)."""
    assert _AHEAD is not None
    against, internal, allowed, cache = _AHEAD
    data = Path(path).read_bytes()
    key = digest(against, rel, hashlib.sha256(data).hexdigest())
    if cache is not None and cache.get(key) is not None:
        return key, None
    return key, _scan_bytes(rel, data, internal, allowed)


def _spare_cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) - 1
    except AttributeError:  # pragma: no cover - not Linux
        return (os.cpu_count() or 1) - 1


class _Verdicts:
    """Each file's findings, kept by its path, its bytes and what it was checked against."""

    def __init__(self, cache: EntryStore | None, internal: set[str], allowed: frozenset[str]):
        self.cache = cache
        against = [code_version(), *sorted(internal), "\0", *sorted(allowed)]
        self.against = digest(*against) if cache is not None else ""

    def key(self, site: Path, path: Path) -> str:
        if self.cache is None:
            return ""
        rel = path.relative_to(site).as_posix()
        return digest(self.against, rel, file_digest(path))

    def get(self, key: str) -> list[Finding] | None:
        if key in _FOUND:  # from this process (the scan-ahead, or serve's last scan)
            if self.cache is not None:
                self.cache.used_again(key)  # or the tidy after the scan would drop it
            return _FOUND[key]
        stored = self.cache.get_json(key) if self.cache is not None else None
        if not isinstance(stored, list):
            return None
        try:
            found = [Finding(str(f), str(k), str(e), bool(fatal)) for f, k, e, fatal in stored]
        except (TypeError, ValueError):
            return None
        _remember(key, found)
        return found

    def put(self, key: str, findings: list[Finding]) -> None:
        if self.cache is not None:
            self.cache.put_json(key, [[f.file, f.kind, f.excerpt, f.fatal] for f in findings])
            _remember(key, findings)

    def tidy(self) -> None:
        if self.cache is not None:
            self.cache.tidy()


# Under `mkdocs serve` the same process scans the same site after every edit: what it
# found is kept in memory too (by the same keys), and a file is read again only when it
# may have changed (``files.file_digest``). Bounded: dropped when a site has more.
_FOUND: dict[str, list[Finding]] = {}
_KEEP_AT_MOST = 200_000


def _remember(key: str, findings: list[Finding]) -> None:
    if len(_FOUND) > _KEEP_AT_MOST:
        _FOUND.clear()
    _FOUND[key] = findings


def _scan_file(
    site: Path, path: Path, internal: InternalValues, allowlist: frozenset[str]
) -> list[Finding]:
    rel = path.relative_to(site).as_posix()
    return _scan_bytes(rel, path.read_bytes(), internal, allowlist)


def _scan_bytes(
    rel: str, data: bytes, internal: InternalValues, allowlist: frozenset[str]
) -> list[Finding]:
    theme = rel.startswith("assets/")  # the theme's own scripts and styles, not data
    findings: list[Finding] = []
    for text, markup in _texts(rel, data):
        if theme:  # files of the theme's package (a library author's e-mail is not data)
            findings += _internal(rel, text, internal, allowlist)
            continue
        findings += scan_text(rel, text, internal, allowlist)
        if markup:
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

    def found_in(self, text: str, read: str | None = None) -> list[str]:
        """The values in ``text`` (``read``: the text as read, if already worked out)."""
        if self.pattern is None:
            return []
        seen = _as_read(text) if read is None else read
        return list(dict.fromkeys(m.group() for m in self.pattern.finditer(seen)))


_SPACES = re.compile(r"\s+")


def _as_read(text: str) -> str:
    """Text as a reader sees it: entities decoded, white space runs as one space."""
    return _SPACES.sub(" ", unescape(text) if "&" in text else text)


def _texts(rel: str, data: bytes) -> Iterator[tuple[str, bool]]:
    """The scannable text of a file, and whether it is markup a browser would render.

    Raw text is always scanned as markup (raw tags in any file are a signal). JSON is
    also decoded (Material's search index escapes every Chinese character as \\uXXXX):
    its strings are scanned for personal data, and, in the search index, whose
    strings are page HTML, as markup too. Gzip and XLSX files are opened.
    """
    path = PurePosixPath(rel)
    suffix = path.suffix.lower()
    if suffix == ".gz":
        data, suffix = gzip.decompress(data), PurePosixPath(path.stem).suffix.lower()
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
    rel: str, text: str, internal: InternalValues | set[str], allowlist: frozenset[str]
) -> list[Finding]:
    """Personal data and internal values anywhere in the text (as written and as read)."""
    findings = []
    read = _as_read(text)  # once: a large board's pages are hundreds of megabytes
    seen = read if "&" in text else text
    for find in finds(seen, allowlist):
        findings.append(Finding(rel, find.kind, find.shown, fatal=find.fatal))
    return findings + _internal(rel, text, internal, allowlist, read)


def _internal(
    rel: str,
    text: str,
    internal: InternalValues | set[str],
    allowlist: frozenset[str],
    read: str | None = None,
) -> list[Finding]:
    """``read``: ``text`` as read (``_as_read``), if already worked out."""
    values = InternalValues(internal) if isinstance(internal, set) else internal
    found = [value for value in values.found_in(text, read) if value not in allowlist]
    return [Finding(rel, "内部字段的内容", value[:40]) for value in found]


def scan_html(rel: str, html: str, allowlist: frozenset[str] | set[str]) -> list[Finding]:
    """What a browser would run or fetch from elsewhere (see ``markup.py``)."""
    return [Finding(rel, kind, excerpt) for kind, excerpt in active_content(html)]


def _json_strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_strings(value)
