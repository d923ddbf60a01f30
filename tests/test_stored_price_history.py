"""A warehouse written while price_history was a stored table keeps every price period when it is
next opened: the periods offering_prices lacks move there, and price_history becomes its view."""
import shutil

import duckdb

from warehouse.db import connect

ROUTE = ("model_id = 'openai/gpt-oss-120b' AND provider_id = 'openrouter' AND source = 'modelsdev' "
         "AND route = 'openai/gpt-oss-120b'")
BASE = "component IN ('input', 'output') AND service_tier = 'standard' AND threshold_tokens = 0 AND hours IS NULL"
COMPONENTS = "SELECT * EXCLUDE (preferred) FROM offering_prices ORDER BY ALL"


def _as_an_earlier_versus_left_it(path) -> None:
    """price_history a table of the same periods; offering_prices without gpt-oss-120b's first
    period on OpenRouter (its price changed between the demo snapshots) and without any row of
    one other priced route, as if those periods predate offering_prices."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE stored AS SELECT * FROM price_history")
    con.execute("DROP VIEW price_history")
    con.execute("ALTER TABLE stored RENAME TO price_history")
    (gone,) = con.execute(f"DELETE FROM offering_prices WHERE {ROUTE} AND {BASE} AND valid_to IS NOT NULL").fetchone()
    assert gone == 2  # its first input and output price
    other = con.execute(f"SELECT model_id, route FROM price_history WHERE NOT ({ROUTE}) ORDER BY ALL LIMIT 1").fetchone()
    con.execute(f"DELETE FROM offering_prices WHERE model_id = ? AND route = ? AND {BASE}", list(other))
    con.close()


def test_a_stored_price_history_moves_into_offering_prices_and_keeps_every_period(demo_site, tmp_path):
    db, _ = demo_site
    path = tmp_path / "earlier.duckdb"
    shutil.copy(db, path)
    with duckdb.connect(str(path), read_only=True) as before:
        periods = before.execute("SELECT * FROM price_history ORDER BY ALL").fetchall()
        components = before.execute(COMPONENTS).fetchall()
    _as_an_earlier_versus_left_it(path)

    con = connect(path)
    assert con.execute("SELECT * FROM price_history ORDER BY ALL").fetchall() == periods
    assert con.execute(COMPONENTS).fetchall() == components  # the moved rows, once each
    assert con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = 'price_history'"
                       ).fetchall() == [("VIEW",)]
    con.close()

    again = connect(path)  # opened again: nothing moves twice
    assert again.execute(COMPONENTS).fetchall() == components
    again.close()
