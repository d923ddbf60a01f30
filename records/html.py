"""HTML from Jinja2 templates (package data in `records/templates/`), autoescaped.

`environment()` is the one template environment for every page: records, the published site
(`warehouse.site` adds its `page_href` filter), audit and export pages. Escaping is `html.escape` with
quotes, applied to every `{{ expression }}` that is not already markup;
links pass `safe_href` (http(s) URLs and in-page anchors only). A table cell or inline renders
through the `blocks.html` macros once per distinct value (cells recur across a model's pages).
"""
from __future__ import annotations

import html
from functools import lru_cache

from jinja2 import BaseLoader, ChoiceLoader, Environment, PackageLoader
from markupsafe import Markup

from records import layout


STYLE = """body{font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1a1a1a;background:#fff}h1{font-size:1.8rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}p.verdict{font-size:1.15rem;font-weight:600}
a{color:#0645ad}td a{word-break:break-all}"""


def _finalize(value):
    """Escape what is not markup yet, quotes too (safe in attributes)."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value), quote=True))


def environment(*loaders: BaseLoader) -> Environment:
    """A template environment over `templates/` (`loaders` first, if any)."""
    env = Environment(loader=ChoiceLoader([*loaders, PackageLoader("records", "templates")]),
                      autoescape=True, finalize=_finalize, keep_trailing_newline=True, auto_reload=False)
    env.tests.update(link=lambda x: isinstance(x, layout.Link), heading=lambda x: isinstance(x, layout.Heading),
                     para=lambda x: isinstance(x, layout.Para), bullets=lambda x: isinstance(x, layout.Bullets),
                     table=lambda x: isinstance(x, layout.Table))
    env.filters["safe_href"] = layout.safe_href
    macros = []

    def module():
        if not macros:
            macros.append(env.get_template("blocks.html").module)
        return macros[0]

    env.filters["inline"] = lru_cache(maxsize=65536)(lambda x: module().inline(x))
    cell = env.filters["cell"] = lru_cache(maxsize=65536)(lambda x: module().cell(x))
    env.filters["cells"] = lambda row: Markup("".join(map(cell, row)))
    env.globals["style"] = STYLE
    return env


@lru_cache(maxsize=1)
def record_environment() -> Environment:
    return environment()


def to_html(r) -> str:
    """A record's page: its blocks through `record.html`."""
    return record_environment().get_template("record.html").render(title=r.title, page_blocks=layout.blocks(r))


def render_page(template: str, **context) -> str:
    """A self-contained page from one of `templates/` (audit, export index...), every value escaped."""
    return record_environment().get_template(template).render(**context)
