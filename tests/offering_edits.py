"""Edits to offerings in tests. Its price columns are a view of offering_prices (schema_views.sql),
so a test lists or changes an offering where a reconcile writes it: the listing in
offering_listings, its own base prices as open `listing_price` rows of offering_prices."""
from __future__ import annotations

from datetime import datetime, timezone

PRICE_COLUMNS = {"input_usd_per_mtok": "input", "output_usd_per_mtok": "output",
                 "cache_read_usd_per_mtok": "cache_read", "cache_write_usd_per_mtok": "cache_write_5m"}
SINCE = datetime(2026, 8, 21, tzinfo=timezone.utc)  # when a price a test adds took effect
KEY = ("model_id", "provider_id", "source", "route")


def insert_offering(con, **values) -> None:
    """One offering: its listing columns and its prices (a price the cost engine does not prefer, as
    a listing no reconcile has ranked)."""
    listing = {c: v for c, v in values.items() if c not in PRICE_COLUMNS}
    con.execute(f"INSERT INTO offering_listings ({', '.join(listing)}) VALUES ({', '.join('?' * len(listing))})",
                list(listing.values()))
    _set_prices(con, tuple(values[c] for c in KEY), {c: v for c, v in values.items() if c in PRICE_COLUMNS})


def update_offerings(con, where: str, params: list | None = None, **changes) -> None:
    """`UPDATE offerings SET <changes> WHERE <where>`: the rows `where` picks (over the offerings
    view) before the change; a price set to None is no longer stated."""
    keys = con.execute(f"SELECT {', '.join(KEY)} FROM offerings WHERE {where}", params or []).fetchall()
    listing = {c: v for c, v in changes.items() if c not in PRICE_COLUMNS}
    for key in keys:
        if listing:
            con.execute(f"UPDATE offering_listings SET {', '.join(f'{c} = ?' for c in listing)} "
                        f"WHERE {' AND '.join(f'{c} = ?' for c in KEY)}", [*listing.values(), *key])
        _set_prices(con, key, {c: v for c, v in changes.items() if c in PRICE_COLUMNS})


def _set_prices(con, key: tuple, prices: dict) -> None:
    match = " AND ".join(f"{c} = ?" for c in KEY)
    for column, usd in prices.items():
        component = PRICE_COLUMNS[column]  # its current row: what the offerings view shows
        current = f"{match} AND component = ? AND valid_to IS NULL AND is_listing_price(offering_prices)"
        if usd is None:
            con.execute(f"DELETE FROM offering_prices WHERE {current}", [*key, component])
        elif con.execute(f"SELECT count(*) FROM offering_prices WHERE {current}", [*key, component]).fetchone()[0]:
            con.execute(f"UPDATE offering_prices SET usd_per_mtok = ? WHERE {current}", [usd, *key, component])
        else:
            con.execute("""INSERT INTO offering_prices (model_id, provider_id, source, route, variant, component,
                               service_tier, threshold_tokens, threshold_inclusive, usd_per_mtok, in_force, valid_from,
                               preferred, listing_price)
                           SELECT model_id, provider_id, source, route, variant, ?, 'standard', 0, false, ?, true, ?,
                                  false, true
                           FROM offering_listings WHERE """ + match, [component, usd, SINCE, *key])
