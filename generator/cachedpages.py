"""MkDocs' part of a page, kept between builds: an unchanged page is not converted again.

Converting a page's Markdown, rendering Material's template around it and indexing
it for search were most of a large board's build (the bare-MkDocs floor). What comes
out is a function of the page's Markdown and of what every page shares: the site's
configuration, the navigation (Material draws the whole sidebar into every page),
the set of files links may point at, the theme and the code. So each page's output —
its HTML, its search entries, its title and anchors — is kept under a key made of
all of these (``page_key``); a page whose key is unchanged gets them back and skips
Python-Markdown, the template and the indexer. Any change to the navigation, the
files, the theme, the config or the code changes every key: a full build.

It stays exact by refusing what it cannot see:

- plugins, hooks and Markdown extensions other than the known ones (which act on a
  page only through the events handled here) turn the cache off for the build;
- a page that logged a warning while it was built is not kept (the warning, and
  ``--strict``, must come again next time);
- links to other pages' anchors are kept and checked again, every build.

Search entries are handed to Material's search plugin in the order pages are built,
so the index is the one a full build writes, byte for byte (``tests/test_buildcache.py``).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import meta as front_matter

from generator.buildcache import EntryStore, Uncacheable, code_version, digest, plain_digest
from generator.buildcache import tree_digest as folder_digest

CACHED_TEMPLATE = "board-cached-page.html"  # renders nothing: the kept HTML replaces it
# Plugins whose per-page work is known: ours, Material's search (fed here) and offline
# (which only rewrites the index at the end of the build).
KNOWN_PLUGINS = {"board", "search", "material/search", "offline", "material/offline"}
# Extensions that read nothing but the page's own Markdown (no snippets, no includes).
SELF_CONTAINED = {
    "toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition", "def_list",
    "footnotes", "abbr", "sane_lists", "meta", "pymdownx.superfences", "pymdownx.details",
    "pymdownx.tabbed", "pymdownx.tasklist", "pymdownx.mark", "pymdownx.tilde",
}  # fmt: skip
_IGNORED_CONFIG = {"site_dir", "strict", "dev_addr", "watch", "config_file_path", "plugins"}


class PageCache:
    """The kept output of every page, for one build (``begin`` … ``end``)."""

    def __init__(self, store: EntryStore) -> None:
        self.store = store
        self.frame: str | None = None  # None: the cache is off for this build
        self.search: list[dict[str, Any]] | None = None
        self.keys: dict[str, str] = {}  # page -> its key, worked out once
        self.hits: dict[str, dict[str, Any]] = {}
        self.metas: dict[str, Any] = {}  # a kept page's front matter, while it is stubbed
        self.starts: dict[str, int] = {}
        self.warned = _PageWarnings()
        self.stats = {"kept": 0, "built": 0}

    # ----------------------------------------------------------- the build

    def begin(self, config: Any, files: Files, nav: Navigation) -> None:
        """Work out what every page shares; switch the cache off if any of it is unknown."""
        self.frame = None
        self.keys, self.hits, self.metas, self.starts = {}, {}, {}, {}
        try:
            self.search = _search_entries(config)
            self.frame = frame_key(config, files, nav)
        except Uncacheable as why:
            logging.getLogger("mkdocs.plugins.board").debug(f"page cache off: {why}")
            return
        self.warned.attach(config)

    def end(self, *, tidy: bool) -> None:
        """``tidy``: every page went through the cache (not a dirty rebuild), so entries
        this build did not use may go."""
        self.warned.detach()
        if self.frame is not None and tidy:
            self.store.tidy()
        self.frame = None

    # ----------------------------------------------------------- each page

    def lookup(self, page: Page, files: Files) -> None:
        """Before MkDocs reads ``page``: if its output is kept, skip its conversion."""
        if self.frame is None:
            return
        uri = page.file.src_uri
        key = self.keys[uri] = page_key(self.frame, page)
        entry = _decoded(self.store.get(key))
        if entry is None:
            return
        self.hits[uri] = entry
        original, read = page.render, page.read_source

        def read_source(config: Any) -> None:  # its front matter is kept: not parsed again
            page.markdown, page.meta = "", entry["meta"]  # decoded for this page alone
            page.read_source = read  # type: ignore[method-assign]

        def render(config: Any, files: Files) -> None:
            page.content = ""  # nothing for the indexer: the kept entries are fed in
            self.metas[uri] = page.meta
            page.meta = {**page.meta, "template": CACHED_TEMPLATE}
            page._title_from_render = entry["title"]
            page.present_anchor_ids = set(entry["anchors"])
            page.links_to_anchors = {
                target: links
                for linked, links in entry["links"].items()
                if (target := files.get_file_from_path(linked)) is not None
            }
            page.render = original  # type: ignore[method-assign]

        page.render = render  # type: ignore[method-assign]
        if entry["meta"] is not None:
            page.read_source = read_source  # type: ignore[method-assign]

    def environment(self, env: jinja2.Environment) -> jinja2.Environment:
        if self.frame is not None and env.loader is not None:
            stub = jinja2.DictLoader({CACHED_TEMPLATE: ""})
            env.loader = jinja2.ChoiceLoader([stub, env.loader])
        return env

    def context(self, page: Page) -> None:
        """Before search indexes ``page``: feed kept entries, or mark where new ones start."""
        if self.frame is None or self.search is None:
            return
        entry = self.hits.get(page.file.src_uri)
        if entry is None:
            self.starts[page.file.src_uri] = len(self.search)
            return
        page.meta = self.metas.pop(page.file.src_uri, page.meta)
        self.search.extend(entry["search"])

    def output(self, page: Page, html: str) -> str:
        """The page's final HTML: the kept one, or the new one, kept for next time."""
        if self.frame is None:
            return html
        uri = page.file.src_uri
        entry = self.hits.get(uri)
        if entry is not None:
            self.stats["kept"] += 1
            return str(entry["html"])
        self.stats["built"] += 1
        key = self.keys.get(uri)
        if key is None or uri in self.warned.pages:
            return html
        start = self.starts.get(uri)
        entries = self.search[start:] if self.search is not None and start is not None else []
        self.store.put(key, _encoded(page, html, entries))
        return html


def page_key(frame: str, page: Page) -> str:
    """Everything one page's output is made of, given what all pages share (``frame``)."""
    own_title = vars(page).get("title")  # given in the nav; else it comes from the page
    return digest(
        frame, page.file.src_uri, str(page.file.inclusion), repr(own_title),
        page.file.content_string,
    )  # fmt: skip


def frame_key(config: Any, files: Files, nav: Navigation) -> str:
    """What every page's output shares: code, config, navigation, files and theme."""
    for name in config.plugins:
        if name not in KNOWN_PLUGINS:
            raise Uncacheable(f"plugin {name}")
    if config.get("hooks"):
        raise Uncacheable("hooks")
    for extension in config.markdown_extensions:
        if not isinstance(extension, str) or extension not in SELF_CONTAINED:
            raise Uncacheable(f"Markdown extension {extension!r}")
    settings = {k: _plain_config(v) for k, v in config.items() if k not in _IGNORED_CONFIG}
    plugins = [
        [name, f"{type(p).__module__}.{type(p).__qualname__}", _plain_config(p.config)]
        for name, p in config.plugins.items()
    ]
    listing = [[f.src_uri, f.dest_uri, str(f.inclusion)] for f in files]
    themes = [folder_digest(Path(d)) for d in _own_theme_dirs(config)]
    return digest(
        code_version(), plain_digest(settings), plain_digest(plugins),
        plain_digest(_nav_shape(nav.items)), plain_digest(listing), *themes,
    )  # fmt: skip


def _nav_shape(items: list[Any]) -> list[Any]:
    """The navigation as the sidebar draws it: titles, links, sections and each page's
    front matter (icons, status); a page titled by its own heading brings its source."""
    shape: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            shape.append(["section", item.title, _nav_shape(item.children)])
        elif isinstance(item, Link):
            shape.append(["link", item.title, item.url])
        elif isinstance(item, Page):
            source = item.file.content_string
            title = vars(item).get("title")
            shown = title if title is not None else digest(source)
            shape.append(["page", shown, item.file.src_uri, front_matter.get_data(source)[1]])
        else:
            raise Uncacheable(f"nav item {type(item).__qualname__}")
    return shape


def _own_theme_dirs(config: Any) -> list[str]:
    """Theme folders outside installed packages (those change only with a version)."""
    installed = {p for p in sys.path if "-packages" in p}
    return [d for d in config.theme.dirs if not any(d.startswith(p) for p in installed)]


def _plain_config(value: Any) -> Any:
    """Config values as plain data (mappings, lists, ignore patterns, locales)."""
    if isinstance(value, Mapping):
        return {str(k): _plain_config(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_config(v) for v in value]
    if hasattr(value, "patterns") and type(value).__name__ == "GitIgnoreSpec":
        return ["ignore", *(str(p.pattern) for p in value.patterns)]
    if type(value).__name__ == "Locale":
        return str(value)
    return value


def _search_entries(config: Any) -> list[dict[str, Any]] | None:
    """The list Material's search plugin collects entries in (None: no search plugin)."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is None:
            continue
        if not type(plugin).__module__.startswith("material.plugins.search"):
            raise Uncacheable(f"search plugin {type(plugin).__module__}")
        if not plugin.config.enabled:
            return None
        entries = getattr(getattr(plugin, "search_index", None), "entries", None)
        if not isinstance(entries, list):
            raise Uncacheable("search index not started")
        return entries
    return None


def _encoded(page: Page, html: str, entries: list[dict[str, Any]]) -> bytes:
    """A page's entry: what MkDocs learnt of it (JSON), then its HTML as it is."""
    links = page.links_to_anchors or {}
    head = {
        "search": entries,
        "title": page._title_from_render,
        "meta": page.meta if _is_json(page.meta) else None,  # else read again when kept
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": {target.src_uri: dict(anchors) for target, anchors in links.items()},
    }
    encoded = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
    return len(encoded).to_bytes(8, "little") + encoded + html.encode("utf-8")


_FIELDS = {"search": list, "anchors": list, "links": dict}


def _decoded(payload: bytes | None) -> dict[str, Any] | None:
    """A kept entry of the expected shape, or None (then the page is built)."""
    if payload is None or len(payload) < 8:
        return None
    size = int.from_bytes(payload[:8], "little")
    try:
        entry = json.loads(payload[8 : 8 + size])
        html = payload[8 + size :].decode("utf-8")
    except ValueError:
        return None
    if not isinstance(entry, dict) or not all(
        isinstance(entry.get(k), t) for k, t in _FIELDS.items()
    ):
        return None
    if not (entry.get("meta") is None or isinstance(entry["meta"], dict)):
        return None
    title = entry.get("title")
    return entry | {"html": html} if title is None or isinstance(title, str) else None


def _is_json(value: Any) -> bool:
    """Whether ``value`` comes back from JSON as it is (front matter may hold dates)."""
    if value is None or isinstance(value, str | bool | int | float):
        return True
    if isinstance(value, list):
        return all(_is_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    return False


class _PageWarnings(logging.Handler):
    """Which pages logged a warning while MkDocs built them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.pages: set[str] = set()
        self.config: Any = None

    def attach(self, config: Any) -> None:
        self.pages, self.config = set(), config
        logging.getLogger("mkdocs").addHandler(self)

    def detach(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self)
        self.config = None

    def emit(self, record: logging.LogRecord) -> None:
        page = getattr(self.config, "_current_page", None)
        if page is not None:
            self.pages.add(page.file.src_uri)
