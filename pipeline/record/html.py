"""HTML from Jinja2 templates (package data in `pipeline/record/templates/`), autoescaped.

`environment()` is the one template environment for record pages and, with the site's own
templates in front (`warehouse.site`), for the published site. Escaping is `html.escape` with
quotes, as `render.escape` does, applied to every `{{ expression }}` that is not already markup;
links pass `safe_href` (http(s) URLs and in-page anchors only). A table cell or inline renders
through the `blocks.html` macros once per distinct value (cells recur across a model's pages).
"""
from __future__ import annotations

import html
from functools import lru_cache

from jinja2 import BaseLoader, ChoiceLoader, Environment, PackageLoader
from markupsafe import Markup

from pipeline.record import render


def _finalize(value):
    """Escape what is not markup yet (quotes too, like `render.escape`)."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value), quote=True))


def environment(*loaders: BaseLoader) -> Environment:
    """A template environment: `loaders` first, then the record templates."""
    env = Environment(loader=ChoiceLoader([*loaders, PackageLoader("pipeline.record", "templates")]),
                      autoescape=True, finalize=_finalize, keep_trailing_newline=True, auto_reload=False)
    env.tests.update(link=lambda x: isinstance(x, render.Link), heading=lambda x: isinstance(x, render.Heading),
                     para=lambda x: isinstance(x, render.Para), bullets=lambda x: isinstance(x, render.Bullets),
                     table=lambda x: isinstance(x, render.Table))
    env.filters["safe_href"] = render.safe_href
    macros = []

    def module():
        if not macros:
            macros.append(env.get_template("blocks.html").module)
        return macros[0]

    env.filters["inline"] = lru_cache(maxsize=65536)(lambda x: module().inline(x))
    cell = env.filters["cell"] = lru_cache(maxsize=65536)(lambda x: module().cell(x))
    env.filters["cells"] = lambda row: Markup("".join(map(cell, row)))
    env.globals["style"] = render.STYLE
    return env


@lru_cache(maxsize=1)
def record_environment() -> Environment:
    return environment()


def record_html(r) -> str:
    """A record's page: its blocks through `record.html`."""
    return record_environment().get_template("record.html").render(title=r.title, page_blocks=render.blocks(r))


def page_html(title: str, body: str) -> str:
    """A self-contained document around `body`, which must already be escaped HTML."""
    return record_environment().get_template("page.html").render(title=title, body=Markup(body))
