"""Our Markdown of a branch's pages, kept by everything it is made of.

A branch's organization page and its commitment boards (one per year) are nine tenths
of what rendering a large board costs, and an edit of one record changes the pages of
one branch. Each of these pages is kept (``PageMemo``) under a key made of:

- what every page may read (``global``): the code, the as-of date and the publish
  settings, every file of a kind that is not one branch's (site, rules, organizations,
  quarters, indicators, notices) and of the kinds ranked across branches
  (assessments), with their git stamps; the members' names; the board's years;
- the files of the branch itself, of every branch-scoped kind (members, commitments,
  督诺, wishes, units, interviews, 三比三看, stars), with their git stamps, and those
  of every branch linked to it: one whose files name a member the branch's files name
  too (a member who moved: the cards of their new branch show last year's
  commitments, made in the old one). A page reads another branch's data only through
  such a member, and all of that branch's files are then in the key.

Files are known by the SHA-256 of their bytes as loaded. A page whose key is unchanged
is not rendered: its kept Markdown is used as it was (footers and search marks
included; a heavy page is split after, as it was split before: ``parts.split_heavy``).
``tests/test_buildcache.py`` edits a record of every kind, and moves a member,
rebuilding after each edit: the site is byte-identical to a cold build's (and, without
the links between branches, it is not). A branch page that comes to read other
branches' records in another way must bring them into its key here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.buildcache import EntryStore, code_version, digest, keeping_in_memory, plain_digest
from generator.files import BlobCache
from generator.model.dataset import Dataset
from generator.model.history import History
from generator.model.kinds import kinds
from generator.model.schema import SLUG_PATTERN
from generator.ranking.board import Board
from generator.render import commitments
from generator.render.search import FULL_TEXT_MEMBERS

# Branch-scoped kinds whose records another branch's pages read whole: global.
ACROSS_BRANCHES = frozenset({"organization", "assessment"})
_SLUG = re.compile(SLUG_PATTERN)


class PageMemo:
    """Kept pages (Markdown, or a download's bytes) of the pages that have a key;
    ``kept`` holds those found."""

    def __init__(
        self,
        store: EntryStore | None = None,
        keys: dict[str, str] | None = None,
        splits: EntryStore | None = None,
    ):
        self.store = store
        self.keys = keys or {}
        self.splits = splits  # how the kept pages were split (``parts.split_heavy``)
        self.kept: dict[str, str | bytes] = {}

    def has(self, path: str) -> bool:
        """Whether ``path``'s page is kept for its key (then it is in ``kept``)."""
        if path in self.kept:
            return True
        key = self.keys.get(path)
        if key is not None and key in _RECENT and keeping_in_memory():
            self.kept[path] = _RECENT[key]
            return True
        payload = self.store.get(key) if self.store is not None and key else None
        if payload is None:
            return False
        tag, body = payload[:1], payload[1:]
        if tag == _BYTES:
            self.kept[path] = body
            return True
        try:
            self.kept[path] = body.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return tag == _TEXT

    def keep(self, pages: dict[str, str | bytes]) -> None:
        """Keep the pages rendered this time, by their keys."""
        if self.store is None:
            return
        recent: dict[str, str | bytes] = {}
        for path, key in self.keys.items():
            content = self.kept.get(path, pages.get(path))
            if content is None:
                continue
            recent[key] = content
            if path in self.kept:
                continue
            text = isinstance(content, str)
            body = content.encode("utf-8") if isinstance(content, str) else content
            self.store.put(key, (_TEXT if text else _BYTES) + body)
        self.store.tidy()
        if keeping_in_memory():
            _RECENT.clear()
            _RECENT.update(recent)


_TEXT, _BYTES = b"t", b"b"  # what a kept entry holds: Markdown, or a download's bytes
# The pages of the last build in this process, by key: under `mkdocs serve` a page kept
# after an edit is taken from memory, not read from disk and decoded again. They are
# the very objects the last build's pages hold, so this costs little memory.
_RECENT: dict[str, str | bytes] = {}


def page_memo(
    cache_dir: Path | None,
    loaded: Dataset,
    board: Board,
    history: History | None,
    setting: str,
    families: Mapping[str, Family] | None = None,
) -> PageMemo:
    """The memo of this build: keys for every branch page and every page of
    ``families`` (``setting``: what the pipeline decided that a page may depend on,
    such as masking and drafts)."""
    if cache_dir is None or not loaded.digests:
        return PageMemo()
    store = EntryStore(cache_dir, "markdown")
    files = _Files(loaded, history, EntryStore(cache_dir, "mentions"))
    shared = digest(setting, _global(board, files))
    keys: dict[str, str] = {}
    years = commitments.years(board)
    for branch in board.data.branches:
        own = files.branch_digest(branch.id)
        keys[f"org/{branch.id}.md"] = digest(shared, "org", branch.id, own)
        for year in years:
            keys[f"commitments/{year}/{branch.id}.md"] = digest(shared, str(year), branch.id, own)
    for name, family in (families or {}).items():
        reads = family.reads | {k.name for k in kinds() for p in family.paths if k.shows(p)}
        common = digest(shared, "family", name, files.kinds_digest(reads))
        keys |= {path: digest(common, path) for path in family.paths}
    return PageMemo(store, keys, EntryStore(cache_dir, "splits"))


def _global(board: Board, files: _Files) -> str:
    data = board.data
    facts = {
        "as_of": board.as_of,
        "drafts": data.drafts,
        "latest_year": data.latest_year,
        "years": commitments.years(board),
        "quarters": data.quarter_ids,
        "large": len(data.members) > FULL_TEXT_MEMBERS,
        "names": sorted(data.member_names.items()),
    }
    return digest(code_version(), plain_digest(facts), files.global_digest())


@dataclass(frozen=True)
class Family:
    """Pages that are not one branch's, rendered together from the records of only some
    kinds: ``reads`` names the branch-scoped kinds among them (beyond what every page
    reads, ``memo._global``), so that the page memo keeps them by those kinds' files.
    ``tests/test_buildcache.py`` renders every family from only what it declares and
    from everything, on the sample: the pages must be the same."""

    reads: frozenset[str]
    paths: list[str]
    render: Callable[[BlobCache], dict[str, str | bytes]]


class _Files:
    """The loaded files by branch, their digests and git stamps, and which branches
    name the same members."""

    def __init__(self, loaded: Dataset, history: History | None, mentions: EntryStore):
        self.digests = loaded.digests
        self.history = history
        self.shared: list[str] = []  # files every page may read
        self.by_branch: dict[str, set[str]] = defaultdict(set)
        self.by_kind: dict[str, set[str]] = defaultdict(set)  # of those not shared
        for rec in loaded.records:
            if rec.branch is None or rec.kind in ACROSS_BRANCHES:
                self.shared.append(rec.file)
            else:
                self.by_branch[rec.branch].add(rec.file)
                self.by_kind[rec.kind].add(rec.file)
        members = {rec.value.id for rec in loaded.records.of("member").values()}
        named = _Mentions(mentions, loaded).of_files(members)
        self.branches_naming: dict[str, set[str]] = defaultdict(set)
        self.naming: dict[str, set[str]] = defaultdict(set)
        for branch, rels in self.by_branch.items():
            for rel in rels:
                for member in named.get(rel, ()):
                    self.branches_naming[member].add(branch)
                    self.naming[branch].add(member)

    def stamp(self, rel: str) -> list[Any]:
        entry: list[Any] = [rel, self.digests.get(rel, "")]
        if self.history is not None:
            stamp = self.history.files.get(rel)
            entry += [stamp.date if stamp else None, stamp.commit if stamp else None]
            entry.append(rel in self.history.uncommitted)
        return entry

    def global_digest(self) -> str:
        history = [self.history.available, self.history.shallow] if self.history else None
        return plain_digest([history, [self.stamp(rel) for rel in sorted(set(self.shared))]])

    def kinds_digest(self, names: Iterable[str]) -> str:
        """Every file of these kinds (those a family of pages reads, beyond the shared)."""
        rels = sorted({rel for name in names for rel in self.by_kind.get(name, ())})
        return plain_digest([sorted(names), [self.stamp(rel) for rel in rels]])

    def branch_digest(self, branch: str) -> str:
        named = self.naming.get(branch, set())
        linked = {branch} | {b for member in named for b in self.branches_naming[member]}
        rels = sorted({rel for b in linked for rel in self.by_branch.get(b, ())})
        return plain_digest([sorted(linked), [self.stamp(rel) for rel in rels]])


class _Mentions:
    """Every slug-like text in each file's records, kept by the file's digest."""

    def __init__(self, store: EntryStore, loaded: Dataset) -> None:
        self.store, self.loaded = store, loaded
        self.key = digest(code_version(), "mentions")

    def of_files(self, wanted: set[str]) -> dict[str, set[str]]:
        """Per file, the slugs in ``wanted`` its records hold."""
        known = self.store.get_json(self.key)
        known = known if isinstance(known, dict) else {}
        by_file: dict[str, list[Any]] = defaultdict(list)
        for rec in self.loaded.records:
            by_file[rec.file].append(rec.value)
        fresh: dict[str, list[str]] = {}
        out: dict[str, set[str]] = {}
        for rel, values in by_file.items():
            sha = self.loaded.digests.get(rel, "")
            slugs = known.get(sha)
            if not isinstance(slugs, list):
                slugs = sorted({s for v in values for s in _texts(v) if _SLUG.fullmatch(s)})
            fresh[sha] = slugs
            out[rel] = wanted.intersection(slugs)
        if fresh != known:
            self.store.put_json(self.key, fresh)
        return out


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for item in value.__dict__.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
