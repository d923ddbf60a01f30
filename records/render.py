"""Render a ComparisonRecord as Markdown, HTML or JSON; pure.

Both page formats write the blocks of `layout`: Markdown by a small writer here, HTML through the
Jinja2 templates of `html`. Every piece of text is escaped for its target: scraped names and
descriptions may hold markup. HTML pages are self-contained (inline CSS, no scripts, no external
assets); links are kept only for http(s) URLs and in-page anchors (`layout.safe_href`).
"""
from __future__ import annotations

import re
from functools import lru_cache

from records.html import to_html
from records.layout import Bullets, Heading, Inline, Link, Para, Table, blocks, safe_href
from records.schema import ComparisonRecord

# --- Markdown ------------------------------------------------------------------------------

_MD_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_[]{}|!#~"},
               **{c: " " for c in "\r\n\t\f\v"}}
_MD_BLOCK_START = re.compile(r"^(?:([-+=])|(\d+)([.)]))(?=\s|$)")  # list item or heading underline


_MD_NEEDS_ESCAPE = re.compile(r"[&<>\\`*_\[\]{}|!#~\r\n\t\f\v]")  # the keys of _MD_ESCAPES


def md_escape(text: str) -> str:
    """Text that Markdown shows as written: no markup, no raw HTML, no table breaks."""
    if _MD_NEEDS_ESCAPE.search(text):
        text = _MD_NEEDS_ESCAPE.sub(lambda m: _MD_ESCAPES[m[0]], text)
    if text[:1] in "-+=0123456789":
        text = _MD_BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)
    return text


def _md_inline(x: Inline) -> str:
    if type(x) is str:
        return md_escape(x)
    if isinstance(x, tuple):
        return "".join(_md_inline(i) for i in x)
    if isinstance(x, Link):
        href = safe_href(x.href)
        if href is None or href.startswith("#"):
            return md_escape(x.text)
        return f"[{md_escape(x.text)}](<{href}>)"
    return md_escape(x)


@lru_cache(maxsize=65536)
def _md_cell(x: Inline) -> str:
    """A table cell. Cells recur across pages (a model's specs, capabilities and routes appear on
    every page of that model), so each distinct one is rendered once; rows pair two models, so
    they are not worth keeping."""
    return _md_inline(x)


def _md_row(cells: tuple) -> str:
    return "| " + " | ".join(map(_md_cell, cells)) + " |"


def to_markdown(r: ComparisonRecord) -> str:
    lines: list[str] = []
    for blk in blocks(r):
        if isinstance(blk, Heading):
            lines += ["#" * blk.level + " " + md_escape(blk.text), ""]
        elif isinstance(blk, Para):
            text = _md_inline(blk.content)
            lines += [f"**{text}**" if blk.strong else text, ""]
        elif isinstance(blk, Bullets):
            lines += [f"- {_md_inline(i)}" for i in blk.items] + [""]
        elif isinstance(blk, Table):
            lines.append(_md_row(tuple(blk.headers)))
            lines.append("|" + "---|" * len(blk.headers))
            lines += map(_md_row, blk.rows)
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- JSON ----------------------------------------------------------------------------------

def to_json(r: ComparisonRecord) -> str:
    return r.model_dump_json(indent=2, exclude=None if r.stale_sources else {"stale_sources"}) + "\n"


RENDERERS = {"md": to_markdown, "html": to_html, "json": to_json}


def render(r: ComparisonRecord, fmt: str) -> str:
    try:
        return RENDERERS[fmt](r)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(RENDERERS)}") from None
