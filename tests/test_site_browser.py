"""The demo site in a real browser: Debian's headless Chromium driven by Selenium through Debian's
chromedriver (explicit paths: nothing downloads a browser). Outside CI they skip when Chromium is
absent; in CI (CI=true) they fail."""
from __future__ import annotations

import os
import re
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from records.schema import ComparisonRecord
from records.render import to_json
from warehouse.export import stored_traffic
from warehouse.records import pair_record

pytestmark = pytest.mark.browser

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {CHROMIUM} or {CHROMEDRIVER} is absent (.ci/run installs them)")
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1024", "--allow-file-access-from-files"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def con(demo_site):
    con = duckdb.connect(str(demo_site[0]), read_only=True)
    yield con
    con.close()


def open_page(browser, site: Path, page: str):
    browser.get((site / page).resolve().as_uri())
    return browser


def visible_ids(browser) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#models tbody tr')).filter(r => !r.hidden)"
        ".map(r => r.dataset.id)")


def choose(browser, name: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("name", name)).select_by_value(value)


def test_the_index_loads_without_console_errors_and_filters_by_capability(browser, demo_site, con):
    open_page(browser, demo_site[1], "index.html")
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    tracked = {r[0] for r in con.execute("SELECT model_id FROM comparison_models").fetchall()}
    assert set(visible_ids(browser)) == tracked
    assert browser.find_element("id", "filters").is_displayed(), "the script shows the filters"
    choose(browser, "capability", "vision")
    vision = {r[0] for r in con.execute("""SELECT model_id FROM model_capabilities
        WHERE capability = 'vision' AND value = 'yes' AND model_id IN (SELECT model_id FROM comparison_models)""").fetchall()}
    assert 0 < len(vision) < len(tracked)
    assert set(visible_ids(browser)) == vision
    assert browser.find_element("id", "shown").text == f"{len(vision)} of {len(tracked)} models shown"
    choose(browser, "open", "yes")
    open_vision = {r[0] for r in con.execute("SELECT model_id FROM models WHERE open_weights").fetchall()} & vision
    assert set(visible_ids(browser)) == open_vision
    choose(browser, "capability", "")
    choose(browser, "open", "")
    choose(browser, "provider", "mistral")
    on_mistral = {r[0] for r in con.execute("""SELECT model_id FROM comparison_models
        WHERE list_contains(providers, 'mistral')""").fetchall()}
    assert on_mistral and set(visible_ids(browser)) == on_mistral
    choose(browser, "provider", "")
    search = browser.find_element("name", "q")
    search.send_keys("mistral-small-2603")  # an alias (the OpenRouter id), not the display name
    assert visible_ids(browser) == ["mistralai/mistral-small-2603"]
    assert browser.find_element("id", "models").find_element("css selector", "tr:not([hidden]) a").text == "Mistral Small 4"


def test_sorting_by_price_orders_the_rows_both_ways(browser, demo_site, con):
    open_page(browser, demo_site[1], "index.html")
    prices = dict(con.execute("SELECT model_id, blended_usd_per_mtok FROM comparison_models").fetchall())
    button = browser.find_element("xpath", "//th/button[text()='Blended price']")
    button.click()
    shown = visible_ids(browser)
    assert [prices[m] for m in shown] == sorted(prices.values())
    assert button.find_element("xpath", "..").get_attribute("aria-sort") == "ascending"
    button.click()
    assert [prices[m] for m in visible_ids(browser)] == sorted(prices.values(), reverse=True)
    # context windows differ in digits (32,768 to 1,048,576): a text sort would misorder them
    contexts = dict(con.execute("SELECT model_id, context_window FROM comparison_models").fetchall())
    known = sorted(v for v in contexts.values() if v is not None)
    assert len(set(len(str(v)) for v in known)) > 1
    browser.find_element("xpath", "//th/button[text()='Context']").click()
    shown = [contexts[m] for m in visible_ids(browser)]
    assert shown == known + [None] * (len(shown) - len(known)), "ascending, unknown last"


def test_a_model_pages_price_history_chart_is_drawn(browser, demo_site):
    open_page(browser, demo_site[1], "models/openai-gpt-oss-120b.html")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    drawn = browser.execute_script("""
        const figures = Array.from(document.querySelectorAll('figure.chart'));
        return figures.map(f => {
            const p = f.querySelector('path.series.input'), box = f.querySelector('svg').getBoundingClientRect();
            return [f.querySelector('svg title').textContent, p ? p.getTotalLength() : 0, box.width, box.height];
        });""")
    assert drawn, "the page has charts"
    title, length, width, height = next(d for d in drawn if "OpenRouter, route openai/gpt-oss-120b (modelsdev)" in d[0])
    assert length > 100 and width > 300 and height > 100


def test_a_pair_pages_figures_equal_the_records_json(browser, demo_site, con):
    a, b = "mistralai/mistral-large-2407", "mistralai/mistral-small-2603"
    record = ComparisonRecord.model_validate_json(to_json(pair_record(con, a, b, stored_traffic(con))))
    open_page(browser, demo_site[1], "pairs/mistralai-mistral-large-2407--vs--mistralai-mistral-small-2603.html")
    cells = browser.execute_script("""
        const t = document.querySelector('table');
        return Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(c => c.textContent));""")
    scorecard = {row[0]: row[1:] for row in cells}

    def price(text: str) -> D:
        return D(re.match(r"\$([\d,.]+)/1M", text)[1].replace(",", ""))

    for label, attr in (("Cheapest input", "cheapest_input"), ("Cheapest output", "cheapest_output")):
        for shown, side in zip(scorecard[label], (record.side_a, record.side_b)):
            assert price(shown) == getattr(side, attr).usd
    blended = next(v for k, v in scorecard.items() if k.startswith("Blended price"))
    assert [price(v) for v in blended] == [record.side_a.blended.usd.normalize(), record.side_b.blended.usd.normalize()]
    bars = browser.execute_script(
        "return Array.from(document.querySelectorAll('#monthly rect.bar')).map(r => [r.dataset.value, r.getBBox().width]);")
    monthly = [u for p in record.profiles for u in (p.a.usd, p.b.usd)]  # per workload profile, A then B
    assert len(monthly) >= 4 and len([m for m in monthly if m is not None]) >= 4
    assert [v for v, _ in bars] == [f"${m.quantize(D('0.01')):,f}" if m is not None else "unknown" for m in monthly]
    known = [(w, m) for (_, w), m in zip(bars, monthly) if m is not None]  # one scale: widths as the costs
    top_width, top = max(w for w, _ in known), max(m for _, m in known)
    for width, usd in known:
        assert abs(width / top_width - float(usd / top)) < 0.01
    assert all(w == 0 for (_, w), m in zip(bars, monthly) if m is None), "an unknown cost draws no bar"
