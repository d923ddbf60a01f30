"""Bulk rendering in forked processes, where forking is safe.

Page exports and site builds load their facts once, then fork workers that share them. A fork
copies only the calling thread: a lock another thread holds at that moment (a log handler's, a
stream's, an HTTP client's) stays held forever in the child, which then hangs, and the parent waits
on it. So workers are forked only from a process with one Python thread (the CLI); inside a Prefect
task runner, a Dask worker or any threaded host the chunks render here, one after another.
"""
from __future__ import annotations

import multiprocessing as mp
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

C = TypeVar("C")
R = TypeVar("R")


def fork_is_safe() -> bool:
    """Whether this process can fork workers: the platform forks and no other Python thread runs."""
    return "fork" in mp.get_all_start_methods() and threading.active_count() == 1


def map_chunks(work: Callable[[C], R], chunks: list[C], workers: int, ordered: bool = True) -> Iterator[R]:
    """`work(chunk)` for every chunk: in up to `workers` forked processes when there is more than one
    chunk and forking is safe (results in chunk order unless not `ordered`), else in this process."""
    workers = min(workers, len(chunks))
    if workers > 1 and fork_is_safe():
        with mp.get_context("fork").Pool(workers) as pool:
            yield from (pool.imap if ordered else pool.imap_unordered)(work, chunks)
    else:
        yield from map(work, chunks)
