"""The run summary: printed by `versus refresh` and published as the flow run's Markdown artifact.

Every text a source supplies (ids, providers, routes, failure reasons) is Markdown-escaped
(`md_escape`): it shows as written and can carry no markup, raw HTML or table break.
"""
from __future__ import annotations

from flows.steps import RefreshReport
from records.render import md_escape as _md


def _money(value) -> str:
    return "unknown" if value is None else f"${value:,.4f}".rstrip("0").rstrip(".")


def summary_markdown(report: RefreshReport, top: int = 10) -> str:
    lines = [f"# versus run {report.run_id}: {report.status}", "",
             f"Snapshot: {report.snapshot or 'live crawl'}", "",
             "| source | status | documents | observations | rejected | reason |", "|---|---|---:|---:|---:|---|"]
    for load in report.loads.values():
        reason = _md(load.reason[:300])
        lines.append(f"| {load.source} | {load.status} | {load.documents} | {load.observations} | {load.rejected} | {reason} |")
    if report.ran_on:
        lines += ["", "Crawls ran on: " + "; ".join(f"{s}: {where or 'unknown'}" for s, where in report.ran_on.items())]
    stale = [h for h in report.health if h.stale]
    if report.health:
        lines += ["", ("Stale sources: " + "; ".join(_md(f"{h.source}: {h.stale}") for h in stale)) if stale
                  else f"Freshness: all {len(report.health)} sources within their limits (pipeline/sources.yaml)"]
    held = [load.source for load in report.loads.values() if load.status == "held"]
    if held:
        lines += ["", f"Held (not applied; review, then `versus accept SOURCE`): {', '.join(held)}"]
    rec = report.reconcile
    if rec is not None:
        lines += ["", f"Models: {rec.models}; offerings: {rec.offerings}; "
                      f"new models: {len(rec.new_models)}; retired offerings: {rec.retired_offerings}; "
                      f"price changes: {len(rec.price_changes)}"]
        lines += ["", f"Reconciled: recomputed {rec.recomputed_models} of {rec.models} models ("
                      + (_md(rec.recompute_reason) if rec.recompute_reason else "no input changed since the last run")
                      + ")"]
        if rec.new_models:
            lines.append(f"New models: {', '.join(_md(m) for m in rec.new_models[:top])}" + (" ..." if len(rec.new_models) > top else ""))
        if rec.price_changes:
            lines += ["", "Top price changes (USD per million tokens, input / output):", "",
                      "| model | provider | route | before | after |", "|---|---|---|---|---|"]
            for ch in rec.price_changes[:top]:
                lines.append(f"| {_md(ch.model_id)} | {_md(ch.provider_id)} | {_md(ch.route)} | "
                             f"{_money(ch.old_input)} / {_money(ch.old_output)} | {_money(ch.new_input)} / {_money(ch.new_output)} |")
    cmp = report.comparisons
    if cmp is not None:
        lines += ["", f"Comparisons: {cmp.pairs_total} pairs of {cmp.tracked_models} tracked models; "
                      f"regenerated {cmp.pairs_regenerated}; last_reviewed moved on {cmp.last_reviewed_moved}"]
    if report.audit is not None:
        per = ", ".join(f"{n} {kind}" for kind, n in report.audit.items()) or "none"
        lines += ["", f"Audit: {sum(report.audit.values())} discrepancies between independent sources ({per}); "
                      "`versus audit` lists them"]
    if report.exported:
        lines += ["", f"Exported: {', '.join(report.exported)}"]
    if report.export_failures:
        lines += ["", "Export failed (the run is published; the next run completes it): "
                  + "; ".join(_md(f) for f in report.export_failures)]
    site = report.site
    if site is not None:
        index = site.out / "index.html"
        lines += ["", f"Site: [{index}]({index.as_uri()}) ({site.pages:,} pages: {site.model_pages:,} models, "
                      f"{site.pair_pages:,} pairs; rendered {site.rendered:,}, wrote {site.written:,} files, "
                      f"{site.seconds:.1f}s)"]
    return "\n".join(lines)
