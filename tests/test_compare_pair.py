"""compare_pair: any pair on demand, equal to the full pair SQL; `comparisons` stores the pairs people read."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal as D

import pytest

from tests.comparison_helpers import QWEN, SMALL, demo_warehouse
from warehouse.comparisons import ComparisonSettings, read_pairs, refresh_comparisons
from warehouse.records import last_reviewed, pair_record
from warehouse.site import catalog
from warehouse.site.builder import select_pairs


@pytest.fixture(scope="module")
def con():
    """The demo refresh's warehouse (26 chat models: 323 pairs of one kind, the site reads fewer)."""
    con = demo_warehouse()
    yield con
    con.close()


def full_rows(con) -> dict[tuple[str, str], dict]:
    """Every pair as the full pair SQL (the every-pair refresh's) computes it."""
    cur = con.execute("SELECT * EXCLUDE (inputs_changed_at) FROM comparison_pairs()")
    names = [d[0] for d in cur.description]
    return {(r[0], r[1]): dict(zip(names, r)) for r in cur.fetchall()}


def macro_row(con, a: str, b: str) -> dict | None:
    cur = con.execute("SELECT * FROM compare_pair(?, ?)", [a, b])
    names, rows = [d[0] for d in cur.description], cur.fetchall()
    assert len(rows) <= 1
    return dict(zip(names, rows[0])) if rows else None


def stored(con) -> set[tuple[str, str]]:
    return set(con.execute("SELECT model_a, model_b FROM comparisons").fetchall())


def sample(con, full: dict) -> list[tuple[str, str]]:
    """Pairs stored and not stored, with and without shared benchmark rows and leads."""
    kept = stored(con)
    picked = []
    for want_stored in (True, False):
        pool = sorted(p for p in full if (p in kept) == want_stored)
        benched = [p for p in pool if full[p]["shared_benchmark_rows"]]
        leads = [p for p in benched if full[p]["a_benchmark_leads"] != full[p]["b_benchmark_leads"]]
        picked += benched[:2] + leads[:2] + pool[:: max(1, len(pool) // 5)][:5]
    return list(dict.fromkeys(picked))


def test_compare_pair_equals_the_full_pair_sql(con):
    full = full_rows(con)
    assert len(full) == 323  # 26 chat models; two are moving aliases of a snapshot each (26*25/2 - 2)
    pairs = sample(con, full)
    unstored = [p for p in pairs if p not in stored(con)]
    assert len(unstored) >= 5 and any(full[p]["shared_benchmark_rows"] for p in unstored)
    assert any(full[p]["a_benchmark_leads"] != full[p]["b_benchmark_leads"] for p in unstored)
    for a, b in pairs:
        for given in ((a, b), (b, a)):  # either order: the row is in canonical order
            row = macro_row(con, *given)
            assert row is not None, given
            assert row.pop("materialized") == ((a, b) in stored(con))
            row.pop("last_reviewed")
            assert row == full[a, b], (a, b)


def test_a_known_pair_on_demand(con):
    """Mistral Small 4 against Qwen2-7B-Instruct, the figures tests/test_comparisons.py reads from the
    demo's sources: Qwen2 is 29.8% cheaper blended, Small 4 1.4 times as much, $7 a month apart."""
    row = macro_row(con, QWEN, SMALL)
    assert (row["model_a"], row["model_b"]) == (SMALL, QWEN)
    assert row["cheaper_model"] == QWEN and row["percent_cheaper"] == D("29.8")
    assert row["times_as_much"] == D("1.4") and row["monthly_gap_usd"] == D(7)
    assert row["a_only_capabilities"] == ["vision"] and row["b_only_capabilities"] == []


def test_pairs_not_compared_give_no_row(con):
    assert macro_row(con, SMALL, SMALL) is None
    assert macro_row(con, SMALL, "nobody/no-such-model") is None
    alias, snapshot = con.execute("SELECT model_id, alias_candidates[1] FROM comparison_models "
                                  "WHERE len(alias_candidates) > 0 AND alias_candidates[1] IN "
                                  "(SELECT model_id FROM comparison_models) LIMIT 1").fetchone()
    assert macro_row(con, alias, snapshot) is None  # a moving alias is never compared with its own snapshot


def test_the_table_stores_the_pairs_people_read():
    con = demo_warehouse()
    try:
        rows = catalog.index_rows(con)
        site = set(select_pairs(con, rows, "nearest", None))
        assert stored(con) == site and len(site) < 323  # what `versus site` pages, and no other pair
        full = full_rows(con)
        for a, b, content_hash in con.execute("SELECT model_a, model_b, content_hash FROM comparisons").fetchall():
            assert content_hash == full[a, b]["content_hash"]
        unread = sorted(set(full) - site)[0]
        now = datetime.now(timezone.utc)
        con.execute("INSERT INTO comparison_requests VALUES (?, ?, ?)", [unread[1], unread[0], now])
        assert unread in read_pairs(con, now)
        run_id = con.execute("SELECT max(run_id) FROM runs").fetchone()[0]
        reviewed = con.execute("SELECT max(last_reviewed) FROM comparisons").fetchone()[0]
        summary = refresh_comparisons(con, run_id, reviewed)
        assert stored(con) == site | {unread} and summary.pairs_regenerated == 1
        cur = con.execute("SELECT * EXCLUDE (generated_at, changed_at, last_reviewed) FROM comparisons "
                          "WHERE model_a = ? AND model_b = ?", list(unread))
        assert dict(zip([d[0] for d in cur.description], cur.fetchone())) == full[unread]
        every = refresh_comparisons(con, run_id, reviewed, ComparisonSettings(pairs="all"))
        assert every.pairs_total == 323
    finally:
        con.close()


def test_records_of_pairs_not_stored_keep_their_review_date(con):
    """Every demo source was fetched in its one run, so every pair, stored or not, was last reviewed then."""
    unread = sorted(set(full_rows(con)) - stored(con))[0]
    day = con.execute("SELECT DISTINCT last_reviewed FROM comparisons").fetchall()
    assert len(day) == 1 and day[0][0] is not None
    assert last_reviewed(con, *unread) == day[0][0]
    assert pair_record(con, *unread).last_reviewed == day[0][0]
    assert macro_row(con, *unread)["percent_cheaper"] == full_rows(con)[unread]["percent_cheaper"] >= D(0)


def test_the_docs_compare_pair_queries_answer(con):
    """docs/analyst-queries.md's `sql compare_pair` blocks (the reconcile-only warehouse of the other
    analyst queries has no comparisons), on the demo warehouse."""
    from tests.conftest import PROJECT_ROOT

    blocks = re.findall(r"```sql compare_pair\n(.*?)```", (PROJECT_ROOT / "docs" / "analyst-queries.md").read_text(), re.S)
    assert len(blocks) == 2
    (pair,) = con.execute(blocks[0]).fetchall()
    assert pair[:3] == (SMALL, QWEN, QWEN) and pair[3] == D("29.8")
    ((kept, total),) = con.execute(blocks[1]).fetchall()
    assert 0 < kept <= total == 25  # 26 chat models, none of them a moving alias of Small 4


def test_export_of_a_model_has_every_pair_of_it(con):
    """`versus export --model X` pages every pair of X, stored or not, each with its review date."""
    from warehouse.export import pairs_of

    full = full_rows(con)
    got = pairs_of(con, SMALL)
    assert [(a, b) for a, b, _ in got] == sorted(p for p in full if SMALL in p)
    assert any((a, b) not in stored(con) for a, b, _ in got)
    assert {r for _, _, r in got} == {last_reviewed(con, a, b) for a, b, _ in got} != {None}
