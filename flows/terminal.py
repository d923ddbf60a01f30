"""Text bound for a terminal: control characters shown as escapes, never run.

A model's name, a source's error or a typed argument may hold ESC or BEL sequences (an OSC 8 link,
a screen clear, a title change) or a carriage return that overwrites a line. Every command prints
through `echo`, which writes them as `\\x1b`-style escapes; tabs and line breaks are kept.
"""
from __future__ import annotations

import re

import typer

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # C0 but tab and LF, DEL, C1, bidi


def safe(text: str) -> str:
    """`text` with every control character written as an escape (`\\x1b`, `\\u202e`)."""
    return CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def echo(text: str, err: bool = False, nl: bool = True) -> None:
    """typer.echo of `safe(text)`."""
    typer.echo(safe(text), err=err, nl=nl)
