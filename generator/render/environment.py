"""The two Jinja environments pages are written with, and the filters templates use.

Markdown pages escape every value through ``finalize`` (``generator/text.py``);
HTML fragments (member cards, the roll-up, the widget) use Jinja's own HTML
autoescaping. Both compile each template once per process.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from decimal import Decimal

import jinja2

from generator.model.schema import QUARTER_PATTERN, SLUG_PATTERN, Disclosure
from generator.model.wording import change_lines, record_words
from generator.text import (
    Md,
    cn_date,
    cn_quarter,
    finalize,
    html_text,
    md_block,
    md_text,
    number,
    readable,
    signed,
)


@functools.cache
def markdown_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        finalize=finalize,
        autoescape=False,  # Markdown, not HTML: ``finalize`` escapes for Markdown instead
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["block"] = md_block
    env.filters["num"] = lambda v: Md(number(v))
    env.filters["cnq"] = cn_quarter  # in text built inside a template: titles
    env.filters["contact"] = contact_line
    env.filters["day"] = plain_day  # a date in a heading, or "2026-10-02" from git
    env.filters["signed"] = signed
    env.filters["slug"] = slug
    env.filters["slug_q"] = quarter_slug
    env.filters["anchor"] = lambda v: Md(f"r-{slug(v)}")
    env.filters["yaml_str"] = front_matter_text
    env.filters["field_text"] = lambda change: Md(change.describe(md_text))
    env.filters["record_words"] = record_words
    env.filters["change_lines"] = change_lines
    return env


@functools.cache
def html_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=True,  # HTML: Jinja's own escaping applies to every value
        finalize=lambda v: number(v) if isinstance(v, float | Decimal) else readable(v),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, view: dict[str, object]) -> str:
    """A Markdown page from its template and view."""
    return markdown_environment().get_template(template).render(view)


def plain_day(value: dt.date | str) -> str:
    """2026年10月2日 without the unbreakable span ``finalize`` wraps dates in: headings
    and the table of contents take plain text."""
    return cn_date(value if isinstance(value, dt.date) else dt.date.fromisoformat(value))


def slug(value: str) -> Md:
    """An id used in a link target: already a validated slug, so it needs no escaping."""
    if not re.fullmatch(SLUG_PATTERN, value):
        raise ValueError(f"not a slug: {value!r}")
    return Md(value)


def quarter_slug(value: str) -> Md:
    if not re.fullmatch(QUARTER_PATTERN, value):
        raise ValueError(f"not a quarter: {value!r}")
    return Md(value)


def front_matter_text(value: str) -> Md:
    # Material prints ``page.meta.title`` into <title> and the header unescaped:
    # give it HTML-escaped text, quoted as JSON (which YAML reads as a string).
    return Md(json.dumps(html_text(" ".join(value.split())), ensure_ascii=False))


def contact_line(disclosure: Disclosure) -> str:
    """Where objections go, as configured and said once: the contact alone when it
    already names the office (党建工作部（综合楼 305 室）), else office and contact."""
    if disclosure.office in disclosure.contact:
        return disclosure.contact
    return f"{disclosure.office}（{disclosure.contact}）"
