"""The run summary's audit figures (`audit_counts`, counted in SQL) are the full audit's per kind."""
from __future__ import annotations

import pytest

from tests.comparison_helpers import demo_warehouse
from warehouse.audit import audit, audit_counts, counts


@pytest.mark.slow  # over 0.8 s (--durations)
def test_the_summary_counts_are_the_full_audits_on_the_demo():
    con = demo_warehouse()
    assert audit_counts(con) == counts(audit(con))


def test_the_summary_counts_are_the_full_audits_on_2026_08(august):
    full = counts(audit(august))
    assert {"price", "limit", "stale"} <= set(full)  # every path counted: disagreements, route limits, stale
    assert audit_counts(august) == full
