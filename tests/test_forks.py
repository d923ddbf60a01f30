"""Workers are forked only where forking is safe (warehouse.forks)."""
from __future__ import annotations

import os
import subprocess
import sys
import threading

from warehouse.forks import fork_is_safe, map_chunks

# Run in a child process of its own: this one may already run other threads (the Prefect test server's).
CHILD = """
import os
from tests.test_forks import _pid
from warehouse.forks import fork_is_safe, map_chunks
assert fork_is_safe()
print(os.getpid(), *set(map_chunks(_pid, list(range(8)), workers=2)))
"""


def _pid(_chunk: int) -> int:
    return os.getpid()


def test_chunks_render_in_forked_workers_from_a_single_threaded_process():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True).stdout.split()
    parent, workers = out[0], set(out[1:])
    assert workers and parent not in workers, "every chunk ran in a forked worker"


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not fork_is_safe()
        assert set(map_chunks(_pid, list(range(8)), workers=2)) == {os.getpid()}, \
            "a fork now could copy a lock the other thread holds into a child that then hangs"
    finally:
        stop.set()
        other.join()


def test_results_keep_chunk_order_unless_unordered_is_asked():
    assert list(map_chunks(abs, [-3, -1, -2], workers=2)) == [3, 1, 2]
    assert sorted(map_chunks(abs, [-3, -1, -2], workers=2, ordered=False)) == [1, 2, 3]
