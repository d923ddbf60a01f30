"""`versus status`: the state of each source and of id resolution, from a read-only connection."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb

from warehouse.runs import SourceHealth, measured_at, source_health

SOURCE_STATUS_SQL = """
WITH last_ok AS (
    SELECT rs.source, max(r.started_at) AS last_ok
    FROM run_sources rs JOIN runs r USING (run_id) WHERE rs.status = 'ok' GROUP BY rs.source),
last_run AS (
    SELECT rs.source, arg_max(rs.status, rs.run_id) AS last_status, arg_max(rs.error, rs.run_id) AS last_error
    FROM run_sources rs GROUP BY rs.source),
rows AS (
    SELECT source, count(*) AS observations
    FROM (SELECT source FROM current_observations UNION ALL SELECT source FROM current_benchmark_observations)
    GROUP BY source),
docs AS (
    SELECT source, count(*) AS documents FROM raw_documents GROUP BY source),
rejected AS (
    SELECT source, count(*) AS rejected FROM rejected_observations GROUP BY source)
SELECT l.source, l.last_status, o.last_ok, coalesce(d.documents, 0), coalesce(w.observations, 0),
       coalesce(x.rejected, 0), l.last_error
FROM last_run l
LEFT JOIN last_ok o USING (source) LEFT JOIN rows w USING (source)
LEFT JOIN docs d USING (source) LEFT JOIN rejected x USING (source)
ORDER BY l.source
"""


def _age(ts: datetime | None) -> str:
    if ts is None:
        return "never"
    hours = (datetime.now(timezone.utc) - ts).total_seconds() / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} d"


def _table(headers: list[str], rows: list[list[object]]) -> str:
    cells = [headers] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells)


def freshness(health: list[SourceHealth]) -> dict[str, str]:
    """Per source: `ok`, `stale: why`, or `no age limit` (stale_after_days null)."""
    return {h.source: "no age limit" if h.stale_after_days is None else f"stale: {h.stale}" if h.stale else "ok"
            for h in health}


def check(db: Path) -> tuple[int, str]:
    """`versus status --check`: exit 1 naming each failing, held or stale source; 0 otherwise."""
    with duckdb.connect(str(db), read_only=True) as con:
        health = source_health(con)
        at, where = measured_at(con)
    problems = [f"{h.source}: {h.problem}" for h in health if h.problem]
    head = f"at {at.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC, {where}"
    if problems:
        return 1, f"{len(problems)} of {len(health)} sources need attention, {head}:\n" + "\n".join(problems)
    return 0, f"all {len(health)} sources fresh and loading, {head}"


def status_text(db: Path) -> str:
    from warehouse.reconcile import resolution_report

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(SOURCE_STATUS_SQL).fetchall()
        fresh = freshness(source_health(con))
        at, where = measured_at(con)
        sources = _table(
            ["source", "last run", "last success (UTC)", "age", "documents", "current obs", "rejected", "freshness",
             "last error"],
            [[s, st, ok.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") if ok else "never", _age(ok), d, o, x,
              fresh.get(s, ""), (e or "")[:80]]
             for s, st, ok, d, o, x, e in rows])
        resolution = _table(
            ["source", "ids resolved", "priced chat ids resolved", "unresolved"],
            [[r.source, f"{r.resolved}/{r.total} ({_share(r.resolved, r.total)})",
              f"{r.priced_chat_resolved}/{r.priced_chat_total} ({_share(r.priced_chat_resolved, r.priced_chat_total)})",
              r.total - r.resolved] for r in resolution_report(con)])
        conflicts = _table(["field", "conflicts"], con.execute(
            "SELECT field, count(*) FROM conflicts GROUP BY field ORDER BY 2 DESC, 1").fetchall())
        aliases = _table(["alias", "snapshots it may name"], con.execute(
            "SELECT undated_model_id, array_to_string(snapshots, ', ') FROM model_families "
            "WHERE decision = 'alias' ORDER BY 1").fetchall())
        unresolved = _table(["source", "leaderboard name", "nearest canonical models (not linked)"],
                            [[s, i, ", ".join(c) or "none"] for s, i, c in unresolved_leaderboard_models(con)])
    return (f"Sources (freshness at {at.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC, {where}; "
            f"limits in pipeline/sources.yaml)\n{sources}\n\nModel id resolution\n{resolution}\n\nConflicts per field\n{conflicts}"
            f"\n\nUnresolved leaderboard models (their scores are kept, linked to no model)\n{unresolved}"
            f"\n\nMoving aliases whose target no source states (kept apart, compared with none of their snapshots)\n"
            f"{aliases}")


def unresolved_leaderboard_models(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, list[str]]]:
    """(source, leaderboard name, nearest canonical ids) for every leaderboard id no rule resolves."""
    from pipeline.leaderboard_names import LEADERBOARD_SOURCES, nearest

    models = [r[0] for r in con.execute("SELECT model_id FROM models").fetchall()]
    rows = con.execute("SELECT source, source_id FROM model_aliases WHERE model_id IS NULL "
                       "AND source IN (SELECT unnest(?)) ORDER BY source, lower(source_id)",
                       [list(LEADERBOARD_SOURCES)]).fetchall()
    return [(s, i, nearest(i, models)) for s, i in rows]


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"
