"""Price arithmetic and display formatting for comparison records: exact Decimal, one place.

Conventions (stated once, used everywhere):
- Prices are USD per million tokens (`$0.15/1M`); money is USD.
- "X% cheaper" is (higher - lower) / higher, so $0.15 against $0.50 is 70% cheaper, never 233%;
  the multiple is higher / lower ("costs 3.3x as much"). Both are rounded half up to one decimal,
  exactly (through integers: no float, no 28-digit truncation), as the SQL in
  `warehouse/sql/marts_comparisons.sql` does through integers.
- A blended price weighs input by `input_share` and output by `1 - input_share`.
- Token counts as vendors label them: a count that is a multiple of 1,024 but not of 1,000 is
  shown in binary units (K = 1,024, M = 1,048,576: 131,072 is "128K", 32,768 is "32K"), any other
  count in decimal units (K = 1,000, M = 1,000,000: 128,000 is "128K"). Pages give the exact
  count beside it wherever two counts are compared. Parameters: B = 10^9, M = 10^6.

Every function is pure; the ones that bulk rendering calls again and again with the same prices and
counts are memoized (`lru_cache`).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

MILLION = Decimal(1_000_000)
TENTH = Decimal("0.1")


def blended_price(input_price: Decimal, output_price: Decimal, input_share: Decimal) -> Decimal:
    """Input and output prices weighed by the traffic's input share (0.7 means 70/30)."""
    return input_price * input_share + output_price * (1 - input_share)


def monthly_cost(input_price: Decimal, output_price: Decimal, input_tokens: int, output_tokens: int) -> Decimal:
    """USD a month for that many input and output tokens at per-million prices; exact."""
    return (input_price * input_tokens + output_price * output_tokens) / MILLION


def _tenths_half_up(numerator: int, denominator: int) -> Decimal:
    """A non-negative ratio of integers rounded half up to one decimal, exactly."""
    return Decimal((20 * numerator + denominator) // (2 * denominator)) * TENTH  # floor(10x + 1/2)


def _integers(*values: Decimal) -> list[int]:
    """The values as integers at one common scale (exact)."""
    scale = max(-v.as_tuple().exponent for v in values)
    return [int(v.scaleb(scale)) for v in values]


@lru_cache(maxsize=4096)
def percent_cheaper(lower: Decimal, higher: Decimal) -> Decimal:
    """How much cheaper `lower` is than `higher`, in percent of `higher` (one decimal)."""
    if not 0 <= lower <= higher or higher == 0:
        raise ValueError(f"expected 0 <= lower <= higher, higher > 0; got {lower}, {higher}")
    lo, hi = _integers(lower, higher)
    return _tenths_half_up((hi - lo) * 100, hi)


@lru_cache(maxsize=4096)
def times_as_much(lower: Decimal, higher: Decimal) -> Decimal | None:
    """How many times `lower` `higher` is (one decimal); None when `lower` is free."""
    if not 0 <= lower <= higher:
        raise ValueError(f"expected 0 <= lower <= higher; got {lower}, {higher}")
    if lower == 0:
        return None
    lo, hi = _integers(lower, higher)
    return _tenths_half_up(hi, lo)


# --- display -------------------------------------------------------------------------------

def plain(value: Decimal, min_places: int = 0) -> str:
    """Fixed-point text without trailing zeros beyond `min_places`, with thousands separators."""
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0")
        places = len(text.split(".")[1])
        if places < min_places:
            text += "0" * (min_places - places)
        text = text.rstrip(".")
    elif min_places:
        text += "." + "0" * min_places
    return text


@lru_cache(maxsize=4096)
def usd_per_mtok(price: Decimal | None) -> str:
    """`$0.15/1M`; at least cents, at most four decimals (sub-cent prices keep 3 significant digits)."""
    if price is None:
        return "unknown"
    if 0 < price < Decimal("0.01"):
        shown = price.quantize(Decimal(1).scaleb(price.adjusted() - 2), ROUND_HALF_UP)
    else:
        shown = price.quantize(Decimal("0.0001"), ROUND_HALF_UP)
    return f"${plain(shown, 2)}/1M"


UNIT_WORDS = {"character": ("1M characters", Decimal(1_000_000)), "image": ("image", Decimal(1)),
              "second": ("second", Decimal(1))}


def usd_per_unit(price: Decimal, component: str) -> str:
    """A price per non-token unit in that unit: `$15.00 per 1M characters`, `$0.04 per image`,
    `$0.0001 per second` (component: a pipeline/observation.py UNIT_COMPONENTS name)."""
    words, scale = UNIT_WORDS[component.rsplit("_per_", 1)[1]]
    return usd_per_mtok(price * scale).removesuffix("/1M") + f" per {words}"


@lru_cache(maxsize=4096)
def usd(amount: Decimal | None) -> str:
    """Money to the cent: `$1,234.50`; a positive amount under a cent is `under $0.01`."""
    if amount is None:
        return "unknown"
    if 0 < amount < Decimal("0.005"):
        return "under $0.01"
    return f"${amount.quantize(Decimal('0.01'), ROUND_HALF_UP):,f}"


def _scaled(n: int, unit: int, suffix: str, places: int) -> str:
    shown = (Decimal(n) / unit).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return plain(shown, 0) + suffix


@lru_cache(maxsize=4096)
def tokens(n: int | None) -> str:
    """Context-window style: `128K`, `32K`, `1M`, `1.5M` (units in the module docstring)."""
    if n is None:
        return "unknown"
    kilo = 1_024 if n % 1_024 == 0 and n % 1_000 else 1_000
    if n < kilo:
        return str(n)
    if (Decimal(n) / kilo).quantize(Decimal(1), ROUND_HALF_UP) < kilo:
        return _scaled(n, kilo, "K", 0)
    return _scaled(n, kilo * kilo, "M", 2)


def count(n: int) -> str:
    """An exact count with thousands separators: `131,072`."""
    return f"{n:,}"


def parameters(n: int | None) -> str:
    """`123B`, `7.6B`, `500M` (B = 10^9, M = 10^6); `unknown` for None."""
    if n is None:
        return "unknown"
    if n >= 999_500_000:
        return _scaled(n, 1_000_000_000, "B", 1)
    return _scaled(n, 1_000_000, "M", 0)


def percent(value: Decimal) -> str:
    """`70%`, `91.1%`."""
    return f"{plain(value, 0)}%"


def multiple(value: Decimal) -> str:
    """`3.3x`, `4x`."""
    return f"{plain(value, 0)}x"


def listing(items: list[str], conjunction: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def score(value: Decimal) -> str:
    """A benchmark score or gap, one decimal, half up: 1495.170625 is '1495.2'."""
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}"
