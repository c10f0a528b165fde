"""What `mkdocs serve` shows while the data is invalid: the problems, above the last good
content (greyed, marked as not up to date)."""

from __future__ import annotations

from generator.errors import DataError
from generator.text import html_text


def error_html(error: DataError) -> str:
    items = "".join(f"<li><code>{html_text(str(p))}</code></li>" for p in error.problems)
    return (
        '<div class="admonition failure board-data-error">'
        f'<p class="admonition-title">数据有 {len(error.problems)} 个问题，预览没有更新</p>'
        "<p>下面灰色显示的是上一次数据正确时的内容，不是最新数据。"
        "请按提示修改 data/ 中的文件并保存，预览会自动刷新。</p>"
        f"<ol>{items}</ol></div>"
    )
