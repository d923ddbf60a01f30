"""A warehouse written while offerings and price_history were stored tables keeps every offering and
every price period when it is next opened: they move into offering_listings and offering_prices,
and both become views (warehouse/sql/migrations/)."""
import shutil

import duckdb

from warehouse.db import connect

ROUTE = ("model_id = 'openai/gpt-oss-120b' AND provider_id = 'openrouter' AND source = 'modelsdev' "
         "AND route = 'openai/gpt-oss-120b'")
BASE = "component IN ('input', 'output') AND service_tier = 'standard' AND threshold_tokens = 0 AND hours IS NULL"
LISTED = ("component IN ('input', 'output', 'cache_read', 'cache_write_5m') AND service_tier = 'standard' "
          "AND threshold_tokens = 0 AND hours IS NULL AND starts_on IS NULL")
OTHER_PRICES = f"SELECT * EXCLUDE (preferred, listing_price) FROM offering_prices WHERE NOT ({LISTED}) ORDER BY ALL"


def _as_an_earlier_versus_left_it(path) -> None:
    """offerings and price_history tables of the same rows, offering_prices without listing_price,
    without gpt-oss-120b's first period on OpenRouter (its price changed between the demo snapshots)
    and without the base prices of a route with a cache price, as if those predate offering_prices."""
    con = duckdb.connect(str(path))
    for view in ("price_history", "offerings"):
        con.execute(f"CREATE TABLE stored AS SELECT * FROM {view}")
        con.execute(f"DROP VIEW {view}")
        con.execute(f"ALTER TABLE stored RENAME TO {view}")
    con.execute("DROP TABLE offering_listings")
    con.execute("ALTER TABLE offering_prices DROP COLUMN listing_price")
    (gone,) = con.execute(f"DELETE FROM offering_prices WHERE {ROUTE} AND {BASE} AND valid_to IS NOT NULL").fetchone()
    assert gone == 2  # its first input and output price
    other = con.execute(f"SELECT model_id, route FROM offerings WHERE NOT ({ROUTE}) AND active "
                        "AND cache_read_usd_per_mtok IS NOT NULL ORDER BY ALL LIMIT 1").fetchone()
    (gone,) = con.execute(f"DELETE FROM offering_prices WHERE model_id = ? AND route = ? AND {LISTED}", list(other)).fetchone()
    assert gone >= 3  # input, output and cache read
    con.close()


def test_stored_offerings_and_price_history_move_and_keep_every_row(demo_site, tmp_path):
    db, _ = demo_site
    path = tmp_path / "earlier.duckdb"
    shutil.copy(db, path)
    with duckdb.connect(str(path), read_only=True) as before:
        offerings = before.execute("SELECT * FROM offerings ORDER BY ALL").fetchall()
        periods = before.execute("SELECT * FROM price_history ORDER BY ALL").fetchall()
        other_prices = before.execute(OTHER_PRICES).fetchall()
    _as_an_earlier_versus_left_it(path)

    con = connect(path)
    assert con.execute("SELECT * FROM offerings ORDER BY ALL").fetchall() == offerings
    assert con.execute("SELECT * FROM price_history ORDER BY ALL").fetchall() == periods
    assert con.execute(OTHER_PRICES).fetchall() == other_prices
    assert con.execute("SELECT table_name, table_type FROM information_schema.tables "
                       "WHERE table_name IN ('offerings', 'price_history') ORDER BY 1").fetchall() == [
        ("offerings", "VIEW"), ("price_history", "VIEW")]
    prices = con.execute("SELECT * FROM offering_prices ORDER BY ALL").fetchall()
    con.close()

    again = connect(path)  # opened again: nothing moves twice
    assert again.execute("SELECT * FROM offering_prices ORDER BY ALL").fetchall() == prices
    assert again.execute("SELECT * FROM offerings ORDER BY ALL").fetchall() == offerings
    again.close()
