"""The whole data stage, kept by everything it reads.

A build whose data did not change (a hand-written page or the theme was edited, CI ran
again, ``mkdocs serve`` saw an edit under ``content/``) makes the same pages, secrets
and notes as the last one. Its data stage is then not run: its result is read back.

The stage (``pipeline.prepare``) reads only these, and the key holds each of them:

- the data folder (where it is: git's history of another folder with the same files
  is another change log) and the name messages give it;
- every file ``discover`` finds under the data folder, by its place and the SHA-256 of
  its bytes (a file's digest is known again without reading it while its status is
  unchanged: ``files.py``);
- git, for the check of published data and the change log: the commit checked out
  (or the last commit of the data below it, when the commits above changed nothing in
  the data and merged nothing: ``Repo.data_head``), whether the clone is shallow, and
  ``git status`` of the data folder (what is staged, changed or untracked);
- the code (``code_version``: sources, templates, installed distributions), the as-of
  date, today's date in China (dates may not be in the future), and the settings the
  caller passed (masking, drafts, history);

so that any change to any of them misses. A stage that fails is never kept: a data
error is found again, and reported in full, by the next build.

A kept stage is one file in the build cache (the pages' bytes, then a JSON head),
written while MkDocs renders, whole or not at all, and checked against its key and
checksum when read; only the newest is kept. Under ``mkdocs serve`` the last stage
stays in memory instead: it is not written after every edit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from generator.buildcache import EntryStore, code_version, digest, keeping_in_memory, plain_digest
from generator.errors import BoardError
from generator.files import file_digest, noted_digests, remember_digests
from generator.git import find_repo
from generator.model.entry import DataFile, discover
from generator.model.loading import file_records
from generator.model.schema import SiteConfig

if TYPE_CHECKING:
    from generator.errors import Problem
    from generator.pipeline import Source

_STORE = "stage"
SITE = "site.yaml"
Discovered = tuple[list[DataFile], list["Problem"]]


class Kept(NamedTuple):
    """What a data stage made, as the pipeline's ``Prepared`` holds it."""

    pages: dict[str, str | bytes]
    site: SiteConfig
    secrets: set[str]
    hints: int
    notes: list[str]
    preview: bool


class StageMemo:
    """The kept result of a data stage with exactly these inputs, if there is one.

    ``discovered`` is ``discover``'s finding, for the stage to use when it runs."""

    def __init__(self, source: Source, settings: Any, today: str) -> None:
        self.source = source
        self.discovered: Discovered | None = None
        self.key: str | None = None
        self.files: dict[str, str] = {}  # each file's SHA-256, by its place
        finish_writing()
        if source.cache_dir is None:
            return
        self.discovered = discover(source.data_dir, source.shown_root)
        found, problems = self.discovered
        if problems or not source.data_dir.is_dir():
            return  # the stage reports them; it fails, and a failure is not kept
        known = EntryStore(source.cache_dir, "digests")
        where = digest("digests", str(source.data_dir.resolve()))
        noted = known.get_json(where)
        remember_digests(source.data_dir, noted)
        try:
            self.files = {f.rel: file_digest(f.path) for f in found}
            now = noted_digests(source.data_dir, self.files)
            if now != noted:
                known.put_json(where, now)
            where_from = [str(source.data_dir.resolve()), source.shown_root]
            inputs = [settings, today, where_from, self.files, _git_state(source.data_dir)]
            self.key = digest(code_version(), _STORE, plain_digest(inputs))
        except (OSError, BoardError):
            self.key = None  # the stage reads them again and says what is wrong

    def kept(self) -> Kept | None:
        """The stage's result as the last build with these inputs made it."""
        if self.key is None:
            return None
        if keeping_in_memory():
            last = _LAST.get(self.key)
            if last is not None:
                return _copy(last)
        assert self.source.cache_dir is not None
        payload = EntryStore(self.source.cache_dir, _STORE).get(self.key)
        site = self._site()
        if payload is None or site is None:
            return None
        return _unpack(payload, site)

    def _site(self) -> SiteConfig | None:
        """``site.yaml``'s record, from the bytes the key was made of (a model with
        strict types does not come back from JSON: it is validated again, it is small)."""
        try:
            raw = (self.source.data_dir / SITE).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(raw).hexdigest() != self.files.get(SITE):
            return None
        recs = file_records(SITE, raw)
        value = recs[0].value if recs else None
        return value if isinstance(value, SiteConfig) else None

    def keep(self, prepared: Kept) -> None:
        """Keep this stage's result (in memory under ``serve``, else in the cache)."""
        if self.key is None:
            return
        if keeping_in_memory():
            _LAST.clear()
            _LAST[self.key] = _copy(prepared)
            return
        store = EntryStore(self.source.cache_dir, _STORE)
        # Written while MkDocs renders (the write is mostly I/O and hashing, which run
        # without the GIL): at 1,000 branches it was 1.5 s of every build whose data
        # changed. Not a daemon: the process waits for it before it exits.
        writer = threading.Thread(target=_write, args=(store, self.key, prepared))
        writer.start()
        _WRITING.append(writer)


def _copy(kept: Kept) -> Kept:
    """Its own containers (the texts are immutable): what a build does with its stage
    must not change the stage kept for the next one."""
    return kept._replace(pages=dict(kept.pages), secrets=set(kept.secrets), notes=list(kept.notes))


def finish_writing() -> None:
    """Wait until a stage being kept is written (the next stage in this process waits:
    it may read it, and its workers are forked only while no other thread runs)."""
    while _WRITING:
        _WRITING.pop().join()


_WRITING: list[threading.Thread] = []


def _write(store: EntryStore, key: str, prepared: Kept) -> None:
    """The stage, then the older ones removed: only the newest is kept."""
    try:
        store.put_parts(key, _pack(prepared))
    except ValueError:  # a text UTF-8 cannot hold (a lone surrogate): MkDocs says so
        return
    if store.dir is not None:
        for sub in _listing(store.dir):
            for entry in _listing(sub):
                if entry.name != key:
                    with contextlib.suppress(OSError):
                        entry.unlink()


# Under `mkdocs serve`: the last stage of this process, by its key.
_LAST: dict[str, Kept] = {}


def _listing(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _git_state(data_dir: Path) -> list[Any]:
    """What of git the stage reads: the data's history, shallowness, and its status."""
    repo = find_repo(data_dir)
    if repo is None:
        return [None]
    if not repo.has_commits():
        return [repo.root.as_posix(), None]
    status = repo.run("--no-optional-locks", "status", "--porcelain=v1", "-z",
                      "--untracked-files=all", "--", repo.data_rel)  # fmt: skip
    return [repo.root.as_posix(), repo.data_head(), repo.is_shallow(), status]


def _pack(prepared: Kept) -> Iterator[bytes]:
    """The pages' contents in order, each encoded as it is written (the pages are never
    held twice), then a JSON head with everything else, then the head's length."""
    sizes = []
    for content in prepared.pages.values():
        body = content.encode("utf-8") if isinstance(content, str) else content
        sizes.append(len(body))
        yield body
    head = {
        "pages": [
            [name, isinstance(content, str), size]
            for (name, content), size in zip(prepared.pages.items(), sizes, strict=True)
        ],
        "secrets": sorted(prepared.secrets),
        "hints": prepared.hints,
        "notes": prepared.notes,
        "preview": prepared.preview,
    }
    encoded = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
    yield encoded + len(encoded).to_bytes(8, "little")


def _unpack(payload: bytes, site: SiteConfig) -> Kept | None:
    """The stage ``_pack`` wrote; None if it is not one (the stage then runs)."""
    try:
        size = int.from_bytes(payload[-8:], "little")
        end = len(payload) - 8 - size
        if end < 0:
            return None
        head = json.loads(payload[end:-8])
        pages: dict[str, str | bytes] = {}
        at = 0
        view = memoryview(payload)  # no copy of a page's bytes before it is decoded
        for name, text, length in head["pages"]:
            body = view[at : at + length]
            pages[name] = str(body, "utf-8") if text else bytes(body)
            at += length
        if at != end:
            return None
        secrets, hints, notes = set(head["secrets"]), int(head["hints"]), list(head["notes"])
        return Kept(pages, site, secrets, hints, notes, bool(head["preview"]))
    except (ValueError, KeyError, TypeError):
        return None
