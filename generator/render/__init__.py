"""Page rendering: escaping in one place, Markdown pages from Jinja templates."""

from generator.render.pages import render_site

__all__ = ["render_site"]
