"""The MkDocs plugin: glue only. Loads the data, renders pages, hands them to MkDocs.

Registered as ``board`` (entry point ``mkdocs.plugins``) so ``mkdocs build``
alone builds the board. All logic lives in modules tests import without MkDocs.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import sys
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from generator.errors import DataError
from generator.model import Dataset, load_dataset
from generator.model.parsecache import default_cache_dir
from generator.preview import PreviewPages
from generator.render import render_site
from generator.render.errorpage import error_html
from generator.render.escape import unwrap_fragments
from generator.render.search import compact_index
from generator.review.git import find_repo
from generator.review.provenance import SHALLOW_NOTE, Provenance, read_provenance
from generator.security.policy import internal_values, publishable
from generator.security.scanner import scan_site
from generator.sitedir import StagedSite

log = logging.getLogger("mkdocs.plugins.board")


def _give_back_memory() -> None:
    """Free the records before MkDocs starts. They were frozen out of the collector's
    sight (``load_dataset``), so what only the collector can free stays until it is
    told; measured at 1,000 branches, collecting and trimming took the process from
    1.36 GB to 0.59 GB, and the build's peak from 1.57 GB to the data stage's 1.4 GB."""
    gc.unfreeze()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # glibc only: elsewhere, skip
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class BoardConfig(Config):
    data_dir = c.Type(str, default="data")


class BoardPlugin(BasePlugin[BoardConfig]):
    """Generated pages from ``data/``; a failed build never touches the existing site."""

    supports_multiple_instances = False
    # `mkdocs serve` makes new plugin instances for every rebuild without calling
    # on_startup on them, so serve mode and the last good pages live on the class.
    serving = False
    showed_error = False  # the last preview showed the data-error page
    last_good: dict[str, str | bytes] = {}  # noqa: RUF012 - shared across rebuilds on purpose

    def __init__(self) -> None:
        self.dataset: Dataset | None = None
        self.pages: dict[str, str | bytes] = {}
        self._command = ""
        self._staged: StagedSite | None = None
        self._built = False
        self.error: DataError | None = None
        self.internal: set[str] = set()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command = "build" if command == "build" and not dirty else command
        BoardPlugin.serving = command == "serve"

    @event_priority(100)  # before other plugins read site_dir
    def on_config(self, config: Any) -> Any:
        data_dir = self._data_dir(config)
        self.error = None
        try:
            self.dataset = load_dataset(
                data_dir,
                shown_root=self.config.data_dir.rstrip("/"),
                cache_dir=default_cache_dir(Path(config.config_file_path).parent),
            )
        except DataError as exc:
            if not BoardPlugin.serving:
                raise PluginError(exc.report()) from None
            return self._show_error(exc)
        if self.dataset.hints:  # INFO, not WARNING: hints must not fail a --strict build
            log.info(f"{len(self.dataset.hints)} 条数据质量提示；运行 board check 查看详情")
        self.internal = internal_values(self.dataset)  # what the output scanner must not find
        self.dataset = publishable(self.dataset)
        cache = default_cache_dir(Path(config.config_file_path).parent)
        self.pages = render_site(
            self.dataset,
            provenance=self._provenance(data_dir),
            cache_dir=cache / "exports" if cache else None,
        )
        BoardPlugin.last_good = self.pages
        config.site_name = f"{self.dataset.site.company}{self.dataset.site.title}"
        # Rendered: the rest of the build needs the settings only, and the records are
        # most of its memory on a large board (about a gigabyte at 1,000 branches).
        self.dataset = self.dataset.settings_only()
        _give_back_memory()
        if self._command == "build":
            self._staged = StagedSite(Path(config.site_dir))
            config.site_dir = str(self._staged.prepare())
        return config

    def on_files(self, files: Files, *, config: Any) -> Files:
        preview = self._preview(config)
        for src_uri, content in self.pages.items():
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(f"content/{src_uri} 与自动生成的页面同名；请删除或改名该手写页面")
            if preview is None:
                files.append(File.generated(config, src_uri, content=content))
            else:  # on disk, rewritten only when changed: --dirtyreload rebuilds just those
                path = str(preview.path(src_uri))
                files.append(File.generated(config, src_uri, abs_src_path=path))
        return files

    def _preview(self, config: Any) -> PreviewPages | None:
        cache = default_cache_dir(Path(config.config_file_path).parent)
        if not BoardPlugin.serving or cache is None:
            return None
        preview = PreviewPages(cache / "pages")
        # Showing or clearing the error page changes every page's HTML, not its Markdown.
        errors = self.error is not None or BoardPlugin.showed_error
        preview.write(self.pages, all_changed=errors)
        BoardPlugin.showed_error = self.error is not None
        return preview

    def _show_error(self, error: DataError) -> Any:
        """While previewing, every page shows the data errors instead of stale content."""
        log.error(error.report())
        self.error = error
        self.pages = BoardPlugin.last_good or {"index.md": "# 数据有错误\n"}
        return None

    def _provenance(self, data_dir: Path) -> Provenance:
        provenance = read_provenance(find_repo(data_dir))
        if provenance.shallow:
            # Not a logging warning: it must not fail a --strict build, only be seen.
            sys.stderr.write(SHALLOW_NOTE + "\n")
        return provenance

    @event_priority(100)  # before search indexes the page: it must see the cards
    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        return error_html(self.error) if self.error is not None else unwrap_fragments(html)

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        server.watch(str(self._data_dir(config)))  # rebuild when a YAML file changes
        return server

    @event_priority(-200)  # after search and offline have written their files
    def on_post_build(self, *, config: Any) -> None:
        compact_index(Path(config.site_dir))  # about half the size: UTF-8, not \u escapes
        if self.dataset is not None and self.error is None:
            self._scan(Path(config.site_dir), set(self.dataset.site.privacy.allowlist))
        self._built = True

    def _scan(self, site: Path, allowlist: set[str]) -> None:
        """The output scanner: any finding fails the build, so the old site stays."""
        findings = scan_site(site, self.internal, allowlist)
        for warning in (f for f in findings if not f.fatal):
            sys.stderr.write(f"{warning}\n")  # a hint: shown, but must not fail --strict
        fatal = [str(f) for f in findings if f.fatal]
        if fatal:
            raise PluginError(
                f"输出扫描发现 {len(fatal)} 处不应公开的内容，站点未发布，原站点保持不变：\n"
                + "\n".join(fatal)
            )

    def on_build_error(self, *, error: Exception) -> None:
        # MkDocs' strict mode raises after on_post_build: that is a failure too.
        self._built = False

    def on_shutdown(self) -> None:
        if self._staged is None:
            return
        if self._built:
            self._staged.commit()
        else:
            self._staged.discard()
            log.error("构建失败，原有站点目录保持不变。")
        self._staged = None

    def _data_dir(self, config: Any) -> Path:
        return Path(config.config_file_path).parent / self.config.data_dir
