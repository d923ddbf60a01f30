"""`versus site`: the pages a demo warehouse yields, the pair selection, escaping and safe links,
incremental rebuilds and the atomic swap. Browser checks are in test_site_browser.py."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import pytest

from records.render import to_html
from tests.comparison_helpers import demo_warehouse
from tests.conftest import PROJECT_ROOT
from tests.offering_edits import insert_offering, update_offerings
from warehouse.comparisons import refresh_comparisons
from warehouse.export import model_slugs, stored_traffic
from warehouse.records import pair_record
from warehouse.site import SiteError, build_site
from warehouse.site.selection import Candidate, nearest

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'
SAFE_HREF = re.compile(r"^(#[a-z0-9-]+|https?://\S+|(\.\./)?[a-z0-9][a-z0-9./-]*\.(html|css|js|json)(#[a-z0-9-]+)?)$")


class Links(HTMLParser):
    """Every href and src of a page, and the text of its elements by tag."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("href", "src") and v is not None]


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def con(demo_site):
    db, _ = demo_site
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def site_pages(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*.html")}


def test_the_site_has_an_index_a_page_per_tracked_model_and_the_chosen_pairs(demo_site, con):
    db, out = demo_site
    assert out.is_symlink() and (out / "index.html").is_file()
    slugs = model_slugs(con)
    tracked = [r[0] for r in con.execute("SELECT model_id FROM comparison_models").fetchall()]
    # 31 before the identity rules of pipeline/identity/families.py: five names were a second page
    # of one model (the only snapshot of GPT-4o mini and of o3, a bare Llama 3.1 8B and Mixtral 8x7B,
    # and DeepSeek's 'deepseek-chat' alias, which models.dev links to the DeepSeek-V3.2 weights)
    assert len(tracked) == 26
    assert not {"openai/gpt-4o-mini-2024-07-18", "openai/o3-2025-04-16", "meta-llama/llama-3.1-8b",
                "mistralai/mixtral-8x7b", "deepseek/deepseek-chat"} & set(tracked)
    assert {p for p in site_pages(out) if p.startswith("models/")} == {f"models/{slugs[m]}.html" for m in tracked}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert sorted(re.findall(r'<tr data-id="([^"]+)"', index)) == sorted(tracked)
    pairs = {p for p in site_pages(out) if p.startswith("pairs/")}
    assert "pairs/mistralai-mistral-large-2407--vs--mistralai-mistral-small-2603.html" in pairs  # the pairs file
    assert "pairs/anthropic-claude-sonnet-4.5--vs--google-gemini-2.5-pro.html" in pairs
    sitemap = ElementTree.parse(out / "sitemap.xml").getroot()
    locs = {e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert locs == {f"http://localhost:8000/{p}" for p in site_pages(out)}
    # every internal link resolves to a page of the site; no asset comes from elsewhere
    for page in out.rglob("*.html"):
        for url in parse(page).urls:
            assert SAFE_HREF.match(url), (page, url)
            if not url.startswith(("#", "http")):
                assert (page.parent / url.split("#")[0]).resolve().is_file(), (page, url)
    assert "<script src=\"assets/site.js\" defer></script>" in index
    assert not re.search(r'(src|href)="(https?:)?//', index.replace('href="https://', "")), "no external asset"


def test_refresh_builds_the_site_and_a_rebuild_of_the_same_warehouse_renders_nothing(demo_site):
    _, out = demo_site
    summary = (out.parent / "refresh-summary.md").read_text(encoding="utf-8")
    index = out / "index.html"
    assert f"Site: [{index}]({index.as_uri()})" in summary
    manifest = json.loads((out / ".site-manifest.json").read_text())
    assert len(list((out.parent / ".site.builds").iterdir())) == 2, "the refresh's build and versus site's"
    for path in manifest["pages"]:  # versus site found every page unchanged: the same files as the refresh's
        assert (out / path).stat().st_nlink == 2, path


def test_each_model_has_about_ten_alternatives_and_its_page_links_them(demo_site, con):
    _, out = demo_site
    manifest = json.loads((out / ".site-manifest.json").read_text())
    pairs = [p for p in manifest["pages"] if p.startswith("pairs/")]
    slugs = model_slugs(con)
    page = (out / f"models/{slugs['mistralai/mistral-small-2603']}.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="\.\./(pairs/[^"]+)"', page))
    mine = {p for p in pairs if slugs["mistralai/mistral-small-2603"] in p}
    assert linked == mine and len(mine) >= 6
    per_model = [sum(slugs[m] in p for p in pairs) for m in slugs if f"models/{slugs[m]}.html" in manifest["pages"]]
    assert sorted(per_model)[len(per_model) // 2] >= 9, "about ten alternatives for most models"
    assert "same family" in page or "same capabilities" in page
    assert "For each model the site pairs it with about 10 alternatives" in page


def test_nearest_alternatives_follow_family_then_capabilities_then_price():
    caps, other = frozenset({"vision"}), frozenset()
    models = [Candidate("v/a", "A", "fam", D("1.00"), caps),
              Candidate("v/b", "B", "fam", D("9.00"), other),  # same family, other capabilities
              Candidate("v/c", "C", None, D("0.50"), caps),  # cheaper, same capabilities
              Candidate("v/d", "D", None, D("0.90"), caps),  # the nearest cheaper
              Candidate("v/e", "E", None, D("1.10"), caps),  # the nearest dearer
              Candidate("v/f", "F", None, D("1.05"), other)]  # near in price, other capabilities
    chosen = nearest(models)
    for_a = {k: [w for w in v if w.endswith("chosen for A")] for k, v in chosen.items()}
    for_a = {k: v for k, v in for_a.items() if v}
    assert set(for_a) == {("v/a", "v/b"), ("v/a", "v/c"), ("v/a", "v/d"), ("v/a", "v/e")}  # never F
    assert for_a[("v/a", "v/b")] == ["same family (fam), chosen for A"]
    assert for_a[("v/a", "v/d")] == ["a nearest cheaper model with the same capabilities, chosen for A"]
    assert for_a[("v/a", "v/e")] == ["a nearest dearer model with the same capabilities, chosen for A"]
    # F (no sourced capability) is short of alternatives: models with more capabilities fill in, nearest first
    assert [w for w in chosen[("v/a", "v/f")]] == [
        "a nearest price among models with at least the same capabilities, chosen for F"]
    assert "a nearest dearer model with the same capabilities, chosen for F" in chosen[("v/b", "v/f")]


def test_a_pair_page_carries_the_record_as_compare_renders_it(demo_site, con):
    _, out = demo_site
    a, b = "mistralai/mistral-large-2407", "mistralai/mistral-small-2603"
    record = pair_record(con, a, b, stored_traffic(con))
    page = (out / "pairs/mistralai-mistral-large-2407--vs--mistralai-mistral-small-2603.html").read_text("utf-8")
    body = to_html(record).split("<body>\n", 1)[1].rsplit("\n</body>", 1)[0]
    for line in body.split("\n"):  # each block of the record, verbatim
        assert line in page, line[:120]
    assert "named in site_pairs.yaml: the demo pair of the golden pages" in page
    # the monthly-cost bars carry the record's figures
    bars = re.findall(r'<rect class="bar [ab]"[^>]*data-value="([^"]+)"', page)
    assert len(record.profiles) >= 2
    assert bars == [f"${u.quantize(D('0.01')):,f}" if u is not None else "unknown"
                    for p in record.profiles for u in (p.a.usd, p.b.usd)]


def test_a_price_change_is_a_step_in_the_routes_chart_with_its_periods_as_a_table(demo_site, con):
    _, out = demo_site
    rows = con.execute("""SELECT CAST(valid_from AS DATE), input_usd_per_mtok, output_usd_per_mtok FROM price_history
        WHERE model_id = 'openai/gpt-oss-120b' AND provider_id = 'openrouter' AND route = 'openai/gpt-oss-120b'
          AND source = 'modelsdev' ORDER BY valid_from""").fetchall()
    assert [(r[1], r[2]) for r in rows] == [(D("0.072"), D("0.28")), (D("0.03"), D("0.15"))]  # demo-earlier, demo
    page = (out / "models/openai-gpt-oss-120b.html").read_text(encoding="utf-8")
    figure = next(f for f in page.split('<figure class="chart"')[1:]
                  if " on OpenRouter, route openai/gpt-oss-120b (modelsdev)</title>" in f)
    assert "<desc" in figure and 'role="img"' in figure
    table = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", figure)
    assert table == [(rows[0][0].isoformat(), rows[1][0].isoformat(), "$0.072/1M", "$0.28/1M"),
                     (rows[1][0].isoformat(), "now", "$0.03/1M", "$0.15/1M")]
    path = re.search(r'class="series input" d="([^"]+)"', figure)[1]
    ys = [float(y) for y in re.findall(r"[ML][\d.]+ ([\d.]+)", path)]
    assert len(ys) == 2 and ys[1] > ys[0], "the input price steps down (a lower price sits lower)"


def test_every_figure_is_escaped_and_only_safe_links_survive(tmp_path):
    db = tmp_path / "w.duckdb"
    con = demo_warehouse(db)
    con.execute("INSERT INTO models (model_id, name, vendor, family, kind) VALUES ('evil/model', ?, 'evil', ?, 'chat')",
                [HOSTILE, HOSTILE])
    con.execute("INSERT INTO providers (provider_id, name, url) VALUES ('evil', ?, 'javascript:alert(3)')", [HOSTILE])
    insert_offering(con, model_id="evil/model", provider_id="evil", source="openrouter", route=HOSTILE,
                    input_usd_per_mtok=1, output_usd_per_mtok=2, active=True, preferred=True)
    con.execute("INSERT INTO model_aliases (source, source_id, model_id, method) VALUES ('openrouter', ?, "
                "'evil/model', 'link')", [HOSTILE])
    con.execute("INSERT INTO raw_documents (source, url, sha256, run_id, fetched_at, last_run_id, last_fetched_at, "
                "parsed) VALUES ('openrouter', 'javascript:alert(4)', 'x', 1, now(), 1, now(), true)")
    con.execute("INSERT INTO lineage (entity_type, entity, route, field, source, source_provider_id, source_id, url, "
                "document_sha256, observed_field, value, chosen) VALUES ('model', 'evil/model', NULL, 'name', "
                "'openrouter', NULL, 'evil/model', 'javascript:alert(4)', 'x', 'name', 'x', true)")
    refresh_comparisons(con, 1, date(2026, 8, 21))
    report = build_site(con, tmp_path / "site", "none", progress=lambda _: None)
    con.close()
    assert report.model_pages >= 2 and (tmp_path / "site/models/evil-model.html").is_file()
    for page in (tmp_path / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img" not in text, page
        assert "javascript:" not in " ".join(parse(page).urls), page
        for url in parse(page).urls:
            assert SAFE_HREF.match(url), (page, url)
    evil = (tmp_path / "site/models/evil-model.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in evil


def _copy_site_db(demo_site, tmp_path) -> Path:
    db, _ = demo_site
    copy = tmp_path / "w.duckdb"
    shutil.copy(db, copy)
    return copy


def test_a_rebuild_rewrites_only_the_pages_whose_content_changed(demo_site, tmp_path):
    db = _copy_site_db(demo_site, tmp_path)
    out = tmp_path / "site"
    con = duckdb.connect(str(db))
    first = build_site(con, out, progress=lambda _: None)
    # pages, two assets, the sitemap and the API (a record per pair, models, aliases, 3 schemas); none linked
    assert first.written == first.pages + 3 + first.pair_pages + 5
    inodes = {p: (out / p).stat().st_ino for p in site_pages(out)}
    again = build_site(con, out, progress=lambda _: None)
    assert (again.rendered, again.written) == (0, 0)
    assert {p: (out / p).stat().st_ino for p in site_pages(out)} == inodes, "unchanged pages are the same files"

    # a cached-input price of one route changes: that model's page and its pairs' pages show it;
    # the index (blended prices) and every other page stay the same files
    update_offerings(con, "model_id = 'qwen/qwen3-32b' AND active", cache_read_usd_per_mtok=0.01)
    run_id, reviewed = con.execute("SELECT max(run_id), (SELECT max(last_reviewed) FROM comparisons) FROM runs").fetchone()
    refresh_comparisons(con, run_id, reviewed)  # the same run again: review dates stay
    third = build_site(con, out, progress=lambda _: None)
    changed = {p for p in site_pages(out) if (out / p).stat().st_ino != inodes.get(p)}
    slug = "qwen-qwen3-32b"
    expected = {f"models/{slug}.html"} | {p for p in inodes if p.startswith("pairs/") and slug in p}
    assert len(expected) > 5 and changed == expected
    # written: those pages, their pairs' records (api/pairs/) and api/models.json (test_site_api.py)
    assert third.rendered == len(expected) and third.written == 2 * len(expected)
    assert "$0.01/1M" in (out / f"models/{slug}.html").read_text(encoding="utf-8")
    con.close()


def test_the_new_site_replaces_the_old_in_one_step_and_a_failed_build_leaves_it(demo_site, tmp_path, monkeypatch):
    db = _copy_site_db(demo_site, tmp_path)
    out = tmp_path / "site"
    con = duckdb.connect(str(db), read_only=True)
    build_site(con, out, "config", progress=lambda _: None)
    before = {p: (out / p).read_bytes() for p in site_pages(out)}
    target = out.resolve()

    from warehouse.site import builder

    def broken(self, *args):
        raise RuntimeError("render failed")

    monkeypatch.setattr(builder.Renderer, "pair_page", broken)
    monkeypatch.setattr(builder, "code_version", lambda: "changed")  # every page must be rendered again
    with pytest.raises(RuntimeError, match="render failed"):
        build_site(con, out, "config", progress=lambda _: None)
    assert out.resolve() == target and {p: (out / p).read_bytes() for p in site_pages(out)} == before
    assert [p.name for p in (tmp_path / ".site.builds").iterdir()] == [target.name], "the partial build is gone"
    monkeypatch.undo()
    build_site(con, out, "config", progress=lambda _: None)
    assert out.resolve() != target and target.is_dir(), "swapped; the previous build stays for open readers"
    con.close()


def test_out_must_be_a_versus_site_or_absent(demo_site, tmp_path):
    db, _ = demo_site
    taken = tmp_path / "docs"
    taken.mkdir()
    (taken / "keep.txt").write_text("mine")
    con = duckdb.connect(str(db), read_only=True)
    with pytest.raises(SiteError, match="is not a site built by versus"):
        build_site(con, taken, "none", progress=lambda _: None)
    from warehouse.site.builder import _build_lock

    with _build_lock(tmp_path / "site"):  # another build of the same site is running
        with pytest.raises(SiteError, match="another build of .* is running"):
            build_site(con, tmp_path / "site", "none", progress=lambda _: None)
    con.close()
    assert (taken / "keep.txt").read_text() == "mine" and not (tmp_path / "site").exists()


def versus(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=300)


def test_the_cli_explains_itself_and_names_the_bad_entry_of_a_pairs_file(demo_site, tmp_path):
    db, _ = demo_site
    proc = versus("site", "--help")
    assert proc.returncode == 0 and "--pairs" in proc.stdout and "--out" in proc.stdout
    bad = tmp_path / "pairs.yaml"
    bad.write_text("pairs:\n  - a: mistralai/mistral-small-2603\n    b: no-such-model-anywhere\n")
    proc = versus("site", "--out", str(tmp_path / "s"), "--db", str(db), "--pairs", "config", "--pairs-file", str(bad))
    assert proc.returncode == 2
    assert f"{bad}: pairs[0].b: 'no-such-model-anywhere' matches no model" in proc.stderr
    typo = tmp_path / "typo.yaml"
    typo.write_text("pairs:\n  - a: x\n    bb: y\n")
    proc = versus("site", "--out", str(tmp_path / "s"), "--db", str(db), "--pairs-file", str(typo))
    assert proc.returncode == 2 and f"{typo}:3: pairs[0].bb: Extra inputs are not permitted" in proc.stderr
    assert not (tmp_path / "s").exists()


LMARENA = PROJECT_ROOT / "snapshots" / "demo" / "lmarena" / "leaderboard-text.json"


def test_lmarena_ratings_fill_the_index_scatter_and_the_model_pages(demo_site, con):
    """The demo's LMArena rows (real rows of the 2026-08 `full` category) give the index its LMArena
    column and score-against-price scatter, and a model page its scores with intervals and source."""
    _, out = demo_site
    arena = json.loads(LMARENA.read_text(encoding="utf-8"))["full"]
    rated = con.execute("""SELECT count(*) FROM benchmark_scores s JOIN comparison_models c USING (model_id)
        WHERE s.benchmark_id = 'lmarena-full' AND s.setting IS NULL AND c.blended_usd_per_mtok IS NOT NULL
        """).fetchone()[0]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "LMArena (full)</button>" in index
    # pages are as of the data (the snapshot's newest timestamp as-of), never the build's calendar day
    from scrapers.snapshot import Snapshot
    assert f"data as of {Snapshot(PROJECT_ROOT / 'snapshots' / 'demo').data_date[:10]})" in index
    points = re.findall(r"<circle [^>]*><title>([^<]+)</title>", index)
    assert rated > 5 and len(points) == rated
    gemini = arena["gemini-2.5-pro"]
    assert any(p.startswith("Gemini 2.5 Pro: $") and p.endswith(f"{round(gemini['rating'], 1):,.1f}") for p in points)
    assert (f'<td data-value="{gemini["rating"]:.6f}">{gemini["rating"]:,.0f} ({gemini["rating_q025"]:,.0f} to '
            f'{gemini["rating_q975"]:,.0f})</td>') in index
    page = (out / "models/google-gemini-2.5-pro.html").read_text(encoding="utf-8")
    url = "https://raw.githubusercontent.com/lmarena/arena-catalog/main/data/leaderboard-text.json"
    assert f"<td>{gemini['rating_q025']:.6f} to {gemini['rating_q975']:.6f}</td>" in page
    assert f'<a href="{url}">lmarena</a>' in page
    (unrated,) = con.execute("""SELECT min(model_id) FROM comparison_models
        WHERE model_id NOT IN (SELECT model_id FROM benchmark_scores)""").fetchone()
    slug = re.sub(r"[^a-z0-9.]+", "-", unrated.lower()).strip("-")
    assert "No benchmark results are ingested" in (out / f"models/{slug}.html").read_text("utf-8")


def test_a_model_page_lists_tiered_cache_and_batch_prices_from_offering_prices(demo_site, con):
    _, out = demo_site
    rows = con.execute("""SELECT p.component, p.threshold_tokens, p.usd_per_mtok FROM offering_prices p
        WHERE p.model_id = 'google/gemini-2.5-pro' AND p.provider_id = 'google' AND p.route = 'gemini-2.5-pro'
          AND p.source = 'modelsdev' AND p.in_force AND p.valid_to IS NULL AND p.preferred
          AND p.threshold_tokens > 0 ORDER BY 1""").fetchall()
    assert ("input", 200000, D("2.5")) in rows and ("output", 200000, D("15")) in rows  # modelsdev's >200K tier
    page = (out / "models/google-gemini-2.5-pro.html").read_text(encoding="utf-8")
    table = page[page.index('<table class="components">'):].split("</table>")[0]
    for component, threshold, usd in rows:
        row = (f"<td>gemini-2.5-pro</td><td>{component.replace('_', ' ')}</td><td>standard</td>"
               f"<td>prompts over {threshold:,} tokens</td><td>${usd.normalize():.2f}/1M</td><td>modelsdev</td>")
        assert row in table, row


def test_a_model_page_shows_prices_in_other_units_in_their_unit(demo_site):
    """LiteLLM's `gemini/gemma-3-27b-it` (the demo file) states input_cost_per_character 0 and
    input_cost_per_audio_per_second 0: Gemma 3 27B's page lists them per character and per second,
    apart from its token prices."""
    _, out = demo_site
    page = (out / "models/google-gemma-3-27b-it.html").read_text(encoding="utf-8")
    table = page[page.index('<table class="unit-prices">'):].split("</table>")[0]
    assert "<td>gemini/gemma-3-27b-it</td><td>input</td><td>$0.00 per 1M characters</td><td>litellm</td>" in table
    assert "<td>gemini/gemma-3-27b-it</td><td>input audio</td><td>$0.00 per second</td><td>litellm</td>" in table
    other = (out / "models/openai-gpt-4o-mini.html").read_text(encoding="utf-8")
    assert 'class="unit-prices"' not in other  # no source states one for it
