"""The MkDocs plugin: glue only. Runs the pipeline, hands its pages to MkDocs.

Registered as ``board`` (entry point ``mkdocs.plugins``) so ``mkdocs build``
alone builds the board, with the same checks as ``board build``. All logic lives
in ``generator.pipeline`` and the modules it calls, which tests import without MkDocs.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from generator import pipeline
from generator.buildcache import EntryStore, keep_in_memory
from generator.cachedpages import PageCache
from generator.errors import BoardError, DataError
from generator.model.parsecache import default_cache_dir
from generator.preview import PreviewPages
from generator.render.errorpage import error_html
from generator.render.pages import Pages
from generator.render.search import compact_index
from generator.scanner import ScanAhead
from generator.sitedir import StagedSite
from generator.text import fragment_ids, html_text, unwrap_fragments

log = logging.getLogger("mkdocs.plugins.board")


class BoardConfig(Config):
    data_dir = c.Type(str, default="data")


class BoardPlugin(BasePlugin[BoardConfig]):
    """Generated pages from ``data/``; a failed build never touches the existing site."""

    supports_multiple_instances = False
    # `mkdocs serve` makes new plugin instances for every rebuild without calling
    # on_startup on them, so serve mode and the last good pages live on the class.
    serving = False
    showed_error = False  # the last preview showed the data-error page
    last_good: Pages = {}  # noqa: RUF012 - shared across rebuilds on purpose

    def __init__(self) -> None:
        self.prepared: pipeline.Prepared | None = None
        self.pages: Pages = {}
        self._command = ""
        self._staged: StagedSite | None = None
        self._built = False
        self.error: DataError | None = None
        self.page_cache = PageCache(EntryStore(None, "html"))
        self.ahead: ScanAhead | None = None  # the output scan of pages, as they are written
        self._written: tuple[Path, str] | None = None  # the page MkDocs writes now

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command = "build" if command == "build" and not dirty else command
        BoardPlugin.serving = command == "serve"
        keep_in_memory(BoardPlugin.serving)  # rebuilds in this process reuse what they can

    @event_priority(100)  # before other plugins read site_dir
    def on_config(self, config: Any) -> Any:
        # jieba (Material's Chinese search; imported with it, which sets its logger to DEBUG)
        # tells of every dictionary load on stderr: a build prints only real problems.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self.error = None
        project = Path(config.config_file_path).parent
        epoch = pipeline.build_epoch(self._data_dir(config))
        if epoch is not None:  # MkDocs dates the sitemap and gzip files from it, like us
            os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch))
        source = pipeline.Source(
            self._data_dir(config), self.config.data_dir.rstrip("/"), default_cache_dir(project)
        )
        try:
            self.prepared = pipeline.prepare(source)
        except DataError as exc:
            if not BoardPlugin.serving:
                raise PluginError(exc.report()) from None
            return self._show_error(exc)
        except BoardError as exc:
            raise PluginError(str(exc)) from None
        for note in self.prepared.notes:  # not logging warnings: they must not fail --strict
            sys.stderr.write(note + "\n")
        if self.prepared.hints:  # INFO, not WARNING: hints must not fail a --strict build
            log.info(f"{self.prepared.hints} 条数据质量提示；运行 board check 查看详情")
        rebuild = BoardPlugin.serving and bool(BoardPlugin.last_good)
        self.pages = BoardPlugin.last_good = self.prepared.pages
        self.page_cache = PageCache(EntryStore(default_cache_dir(project), "html"))
        self.ahead = pipeline.scan_ahead(self.prepared)
        # Material prints the site name unescaped (the header, <title>, every page and
        # 404.html): it is data, so it goes in as escaped text, like every other value.
        site = self.prepared.site
        config.site_name = html_text(f"{site.company}{site.title}")
        config.extra["board_preview"] = self.prepared.preview  # the banner in theme/main.html
        if BoardPlugin.serving:  # the preview server is no site: canonical links to it would
            config.site_url = None  # be resources elsewhere, which the scanner refuses
        if not rebuild:  # a full collection of a large board is a second of every rebuild,
            pipeline.release_memory()  # and the first build's peak is the one that counts
        if self._command == "build":
            self._staged = StagedSite(Path(config.site_dir))
            try:
                config.site_dir = str(self._staged.prepare())
            except BoardError as exc:
                self._staged = None
                raise PluginError(str(exc)) from None
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
        """While previewing, every page shows the data errors above its last good content."""
        log.error(error.report())
        self.error = error
        self.pages = BoardPlugin.last_good or {"index.md": "# 数据有错误\n"}
        return None

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        if self.error is None:  # the error page is not what a page's Markdown makes
            self.page_cache.begin(config, files, nav)
        return nav

    def on_pre_page(self, page: Any, *, config: Any, files: Files) -> Any:
        self.page_cache.lookup(page, files)  # a kept page skips Markdown and the template
        return page

    def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
        return self.page_cache.environment(env)

    @event_priority(50)  # before search indexes the page: a kept page's entries go first
    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        self.page_cache.context(page)
        return context

    @event_priority(-1000)  # last: what is kept is the page as written
    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        self._written_before()  # MkDocs wrote the page before this one: scan it now
        if self.ahead is not None and self.error is None:
            self._written = (Path(page.file.abs_dest_path), page.file.dest_uri)
        return self.page_cache.output(page, output)

    def _written_before(self) -> None:
        if self.ahead is not None and self._written is not None:
            self.ahead.submit(*self._written)
        self._written = None

    @event_priority(100)  # before search indexes the page: it must see the cards
    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        if page.present_anchor_ids is not None:  # links to a card's anchor are valid
            page.present_anchor_ids |= fragment_ids(html)
        content = unwrap_fragments(html)
        if self.error is not None:  # the problems first, then the last good page, marked stale
            return error_html(self.error) + '<div class="board-stale">' + content + "</div>"
        return content

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        server.watch(str(self._data_dir(config)))  # rebuild when a YAML file changes
        return server

    @event_priority(-200)  # after search and offline have written their files
    def on_post_build(self, *, config: Any) -> None:
        self.page_cache.end(tidy=self._command == "build")
        site = Path(config.site_dir)
        compact_index(site)  # about half the size: UTF-8, not \u escapes
        if self.ahead is not None:
            self._written_before()  # the last page
            self.ahead.finish()
        if self.prepared is not None and self.error is None:
            try:
                hints = pipeline.scan(site, self.prepared)
            except BoardError as exc:
                raise PluginError(str(exc)) from None
            for hint in hints:  # a hint: shown, but must not fail --strict
                sys.stderr.write(f"{hint}\n")
        self._built = True

    def on_build_error(self, *, error: Exception) -> None:
        # MkDocs' strict mode raises after on_post_build: that is a failure too.
        self._built = False
        self.page_cache.end(tidy=self._command == "build")
        if self.ahead is not None:
            self.ahead.close()

    def on_shutdown(self) -> None:
        if self._staged is None:
            return
        staged, self._staged = self._staged, None
        if not self._built:
            staged.abandon()
            log.error("构建失败，原有站点目录保持不变。")
            return
        try:
            staged.commit()
        except BoardError as exc:  # after MkDocs' own error handling: end cleanly here
            raise Abort(str(exc)) from None

    def _data_dir(self, config: Any) -> Path:
        return Path(config.config_file_path).parent / self.config.data_dir
