"""Chart geometry for the site's inline SVG charts; pure. The markup is in `templates/charts.html`.

Each function takes figures (exact Decimals) and returns a plain object the template draws: the
shapes in SVG user units, the axis ticks, and the rows of the text equivalent (a table under the
chart, so the figures read the same with JavaScript and images off). Coordinates are rounded to
0.1 unit; the figures in labels and tables are formatted by `records.figures`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from records import figures as fig

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40  # margins: axis labels sit in them


def _r(x: float) -> float:
    return round(x, 1)


def _nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (an axis top)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


@dataclass
class Series:
    label: str
    css: str  # series class in site.css: input, output, a, b
    path: str  # an SVG path (d attribute)


@dataclass
class StepChart:
    """Prices of one route over time: a horizontal step per period, a vertical one per change."""

    title: str
    series: list[Series]
    y_ticks: list[tuple[float, str]]  # (y, label)
    x_ticks: list[tuple[float, str, str]]  # (x, label, text-anchor)
    rows: list[tuple[str, str, str, str]]  # text equivalent: from, to, input, output
    width: int = WIDTH
    height: int = HEIGHT


@dataclass
class Period:
    """One price_history row: valid from `start` until `end` (None: still current)."""

    start: datetime
    end: datetime | None
    input_usd: Decimal | None
    output_usd: Decimal | None


def _day(t: datetime | date) -> date:
    return t.date() if isinstance(t, datetime) else t


def step_chart(title: str, periods: list[Period], until: datetime) -> StepChart:
    """A step chart of input and output prices (USD per 1M tokens) from the first period to `until`."""
    periods = sorted(periods, key=lambda p: p.start)
    start = periods[0].start
    end = max([until, *[p.end for p in periods if p.end], *[p.start for p in periods]])
    span = max((end - start).total_seconds(), 86400.0)
    top = _nice_max(float(max([p.input_usd or 0 for p in periods] + [p.output_usd or 0 for p in periods])))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(t: datetime) -> float:
        return _r(LEFT + plot_w * (t - start).total_seconds() / span)

    def y(v: Decimal) -> float:
        return _r(TOP + plot_h * (1 - float(v) / top))

    series = []
    for attr, label in (("input_usd", "input"), ("output_usd", "output")):
        parts, previous = [], None
        for p in periods:
            value = getattr(p, attr)
            if value is None:
                previous = None
                continue
            x0, x1, y0 = x(p.start), x(p.end or end), y(value)
            parts.append(f"{'L' if previous is not None and previous[0] == x0 else 'M'}{x0} {y0}H{x1}")
            previous = (x1, y0)
        if parts:
            series.append(Series(f"{label} price", label, "".join(parts)))
    y_ticks = [(y(Decimal(str(top * i / 4))), fig.usd_per_mtok(Decimal(str(top * i / 4))).removesuffix("/1M"))
               for i in range(5)]
    moments, seen = [], set()
    for t in sorted({start, end, *(p.start for p in periods)}):
        if _day(t) not in seen:  # one label per day, at the first moment of that day on the chart
            seen.add(_day(t))
            moments.append(t)
    x_ticks = _spread([(x(t), _day(t).isoformat()) for t in moments])
    rows = [(_day(p.start).isoformat(), _day(p.end).isoformat() if p.end else "now",
             fig.usd_per_mtok(p.input_usd) if p.input_usd is not None else "unknown",
             fig.usd_per_mtok(p.output_usd) if p.output_usd is not None else "unknown") for p in periods]
    return StepChart(title, series, y_ticks, x_ticks, rows)


def _spread(ticks: list[tuple[float, str]], gap: float = 80) -> list[tuple[float, str, str]]:
    """Ticks at least `gap` units apart (the last one always kept), the first anchored at its
    start and the last at its end so that neither label leaves the chart."""
    kept: list[tuple[float, str]] = []
    for tick in ticks:
        if kept and tick[0] - kept[-1][0] < gap:
            if tick is ticks[-1]:
                kept[-1] = tick
            continue
        kept.append(tick)
    return [(x, label, "start" if i == 0 else "end" if i == len(kept) - 1 else "middle")
            for i, (x, label) in enumerate(kept)]


@dataclass
class Bar:
    label: str  # the model
    value: str  # formatted figure, or "unknown"
    css: str
    y: float
    width: float  # 0 for an unknown value (no bar; the label says unknown)


@dataclass
class BarGroup:
    label: str  # the workload profile
    y: float
    bars: list[Bar]


@dataclass
class BarChart:
    """Horizontal bars: per workload profile, a bar per model."""

    title: str
    groups: list[BarGroup]
    rows: list[tuple[str, ...]]  # text equivalent: profile, then a figure per model
    models: list[str]
    width: int = WIDTH
    height: int = 0
    bar_height: int = 18
    left: int = 0


def bar_chart(title: str, models: list[str], profiles: list[tuple[str, list[Decimal | None]]]) -> BarChart:
    """`profiles`: (label, one USD figure per model, None when unknown)."""
    top = max([float(v) for _, values in profiles for v in values if v is not None] or [1.0]) or 1.0
    left, bar_h, gap = 200, 18, 6
    plot_w = WIDTH - left - 120  # room for the value label after the bar
    groups, y = [], TOP
    for label, values in profiles:
        group = BarGroup(label, _r(y + 12), [])
        y += 20
        for i, (model, value) in enumerate(zip(models, values)):
            width = _r(plot_w * float(value) / top) if value is not None else 0.0
            group.bars.append(Bar(model, fig.usd(value) if value is not None else "unknown",
                                  "ab"[i % 2], _r(y), width))
            y += bar_h + gap
        groups.append(group)
        y += 8
    rows = [(label, *[fig.usd(v) if v is not None else "unknown" for v in values]) for label, values in profiles]
    return BarChart(title, groups, rows, models, height=int(y + 8), bar_height=bar_h, left=left)


def _tenths(score: Decimal) -> str:
    return fig.plain(Decimal(score).quantize(Decimal("0.1"), ROUND_HALF_UP), 1)


@dataclass
class Point:
    x: float
    y: float
    label: str  # model, price and score: the point's tooltip
    href: str


@dataclass
class Scatter:
    """A benchmark score against the blended price (log scale), a point per model."""

    title: str
    points: list[Point]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    x_label: str
    y_label: str
    width: int = WIDTH
    height: int = 320


def scatter(title: str, x_label: str, y_label: str,
            points: list[tuple[str, Decimal, Decimal, str]]) -> Scatter | None:
    """`points`: (model name, blended USD per 1M, score, page href); prices must be positive."""
    points = [p for p in points if p[1] > 0]
    if not points:
        return None
    height = 320
    lo_x, hi_x = (math.log10(float(p[1])) for p in (min(points, key=lambda p: p[1]), max(points, key=lambda p: p[1])))
    lo_x, hi_x = math.floor(lo_x), max(math.ceil(hi_x), math.floor(lo_x) + 1)
    scores = [float(p[2]) for p in points]
    lo_y, hi_y = min(scores), max(scores)
    pad = (hi_y - lo_y) * 0.05 or 1.0
    lo_y, hi_y = lo_y - pad, hi_y + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM

    def x(v: float) -> float:
        return _r(LEFT + plot_w * (math.log10(v) - lo_x) / (hi_x - lo_x))

    def y(v: float) -> float:
        return _r(TOP + plot_h * (1 - (v - lo_y) / (hi_y - lo_y)))

    out = [Point(x(float(price)), y(float(score)), f"{name}: {fig.usd_per_mtok(price)}, score {_tenths(score)}",
                 href) for name, price, score, href in points]
    x_ticks = [(x(10.0 ** e), fig.usd(Decimal(10) ** e)) for e in range(lo_x, hi_x + 1)]
    y_ticks = [(y(lo_y + (hi_y - lo_y) * i / 4), fig.plain(Decimal(str(lo_y + (hi_y - lo_y) * i / 4)), 0))
               for i in range(5)]
    return Scatter(title, out, x_ticks, y_ticks, x_label, y_label, height=height)
