"""Pure builders of the comparison record from facts: figures, verdict, tradeoffs, switch friction,
deep dive, FAQ (the rules they follow are in `records.schema`'s docstring)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from pipeline.reconcile import equivalent
from records import figures as fig
from records.cost import Profile
from records.schema import (CAPABILITIES, DECISION_FIT_RULES, LONG_CONTEXT_TOKENS, RAG_CONTEXT_TOKENS, BenchmarkRow,
                                    Benchmarks, BenchmarkScore,
                                    Cheapest, ComparisonRecord, FaqEntry, ModelFacts, OverlapPrice, PriceComparison,
                                    ProfileCost, ProfileSide, Route, SideFigures, SourceDocument, SwitchFriction,
                                    TrafficProfile)

# --- figures -------------------------------------------------------------------------------

def _cheapest(routes: list[Route], value) -> Cheapest | None:
    values = [(value(r), r.provider_id) for r in routes]
    if not values:
        return None
    low = min(v for v, _ in values)
    return Cheapest(usd=low, providers=sorted({p for v, p in values if v == low}))


def decision_fit(m: ModelFacts) -> list[str]:
    """Tags from `DECISION_FIT_RULES`, in that order; unknowns earn none."""
    ctx = m.specs.context_window.value
    yes = {c.name for c in m.capabilities if c.value == "yes"}
    earned = {
        "Long context": ctx is not None and ctx >= LONG_CONTEXT_TOKENS,
        "RAG": ctx is not None and ctx >= RAG_CONTEXT_TOKENS,
        "Agents": bool(yes & {"function_calling", "tool_use"}),
        "Vision": "vision" in yes,
        "Reasoning": "reasoning" in yes,
        "Structured output": "structured_outputs" in yes,
        "Self-hosting": m.specs.open_weights.value is True,
    }
    return [tag for tag in DECISION_FIT_RULES if earned[tag]]


def side_figures(m: ModelFacts, traffic: TrafficProfile) -> SideFigures:
    priced = [r for r in m.routes if r.priced]
    return SideFigures(
        model_id=m.model_id,
        decision_fit=decision_fit(m),
        context_window=m.specs.context_window.value,
        cheapest_input=_cheapest(priced, lambda r: r.input_usd_per_mtok),
        cheapest_output=_cheapest(priced, lambda r: r.output_usd_per_mtok),
        blended=_cheapest(priced, lambda r: fig.blended_price(
            r.input_usd_per_mtok, r.output_usd_per_mtok, traffic.input_share)),
        monthly=_cheapest(priced, lambda r: fig.monthly_cost(
            r.input_usd_per_mtok, r.output_usd_per_mtok, traffic.input_tokens_per_month,
            traffic.output_tokens_per_month)),
        routes=len({(r.provider_id, r.route) for r in m.routes}),
        providers=sorted({r.provider_id for r in m.routes}),
    )


def compare_prices(a: SideFigures, b: SideFigures) -> PriceComparison:
    if a.blended is None or b.blended is None:
        return PriceComparison()
    lo, hi = sorted([a.blended.usd, b.blended.usd])
    cheaper = None if lo == hi else (a if a.blended.usd == lo else b).model_id
    return PriceComparison(
        cheaper_model=cheaper,
        percent_cheaper=fig.percent_cheaper(lo, hi) if hi else Decimal(0),
        times_as_much=fig.times_as_much(lo, hi),
        monthly_gap_usd=abs(a.monthly.usd - b.monthly.usd),
        comparable=True,
    )


def _capabilities_where(x: ModelFacts, x_value: str, y: ModelFacts, y_value: str) -> list[str]:
    """Capabilities, in CAPABILITIES order, that are `x_value` for x and `y_value` for y."""
    vx, vy = x.capability_values, y.capability_values
    return [c for c in CAPABILITIES if vx[c] == x_value and vy[c] == y_value]


def capability_contrast(x: ModelFacts, y: ModelFacts) -> list[str]:
    """Capabilities x has (Yes) that y lacks (No), in CAPABILITIES order."""
    return _capabilities_where(x, "yes", y, "no")


def capability_unknown(x: ModelFacts, y: ModelFacts) -> list[str]:
    """Capabilities not sourced for x that y has."""
    return _capabilities_where(x, "unknown", y, "yes")


# --- text ----------------------------------------------------------------------------------

class _Pair:
    """The two sides with their figures, for the sentence builders."""

    def __init__(self, a: ModelFacts, b: ModelFacts, traffic: TrafficProfile,
                 figures: tuple[SideFigures, SideFigures] | None = None):
        self.a, self.b, self.traffic = a, b, traffic
        self.fa, self.fb = figures or (side_figures(a, traffic), side_figures(b, traffic))
        self.price = compare_prices(self.fa, self.fb)
        # capability relations, used by several sections: computed once per pair
        self.only_a, self.only_b = capability_contrast(a, b), capability_contrast(b, a)
        self.unknown_a, self.unknown_b = capability_unknown(a, b), capability_unknown(b, a)
        self._larger_context = self._find_larger_context()

    def only(self, x: ModelFacts) -> list[str]:
        """Capabilities side x has (Yes) that the other side lacks (No)."""
        return self.only_a if x is self.a else self.only_b

    def sides(self):
        return ((self.a, self.fa, self.b), (self.b, self.fb, self.a))

    def by_id(self, model_id: str) -> tuple[ModelFacts, ModelFacts]:
        return (self.a, self.b) if model_id == self.a.model_id else (self.b, self.a)

    def larger_context(self) -> tuple[ModelFacts, ModelFacts] | None:
        """(larger, smaller) by context window; None when equal or a side is unknown."""
        return self._larger_context

    def _find_larger_context(self) -> tuple[ModelFacts, ModelFacts] | None:
        """Two windows the token tolerance (pipeline/precedence.yaml) calls one size, such as
        128,000 and 131,072 (both 128K), are not a difference."""
        ca, cb = self.fa.context_window, self.fb.context_window
        if ca is None or cb is None or equivalent("tokens", ca, cb):
            return None
        return (self.a, self.b) if ca > cb else (self.b, self.a)


def _labels(names: list[str]) -> str:
    return fig.listing([CAPABILITIES.get(n, n) for n in names])


def _providers(m: ModelFacts, ids: list[str]) -> str:
    return fig.listing([m.provider_name(p) for p in ids], "or")


def _ctx(m: ModelFacts) -> str:
    return fig.tokens(m.specs.context_window.value)


def _exact_windows(p: _Pair) -> str:
    """` (A 131,072, B 128,000)` when two windows of one size differ in their exact counts."""
    if p.fa.context_window == p.fb.context_window:
        return ""
    return f" ({p.a.name} {fig.count(p.fa.context_window)}, {p.b.name} {fig.count(p.fb.context_window)})"


def _ctx_versus(big: ModelFacts, small: ModelFacts, joiner: str) -> str:
    """`256K vs 128K`; exact counts when both round to one label (131,072 and 128,000 are 128K)."""
    labels = _ctx(big), _ctx(small)
    if labels[0] == labels[1]:
        labels = fig.count(big.specs.context_window.value), fig.count(small.specs.context_window.value)
    return f"{labels[0]}{joiner}{labels[1]}"


def _price_phrase(p: _Pair) -> str:
    """`X is 91.1% cheaper than Y at a 70/30 blended price ($0.285/1M vs $3.20/1M)`."""
    cheap, dear = p.by_id(p.price.cheaper_model)
    fc, fd = (p.fa, p.fb) if cheap is p.a else (p.fb, p.fa)
    free = f", free on {_providers(cheap, fc.blended.providers)}" if p.price.times_as_much is None else ""
    return (f"{cheap.name} is {fig.percent(p.price.percent_cheaper)} cheaper than {dear.name} at a "
            f"{p.traffic.blend_label} blended price ({fig.usd_per_mtok(fc.blended.usd)} vs "
            f"{fig.usd_per_mtok(fd.blended.usd)}{free})")


def _unpriced(p: _Pair) -> list[ModelFacts]:
    return [m for m, f, _ in p.sides() if f.blended is None]


def verdict(p: _Pair) -> str:
    """One line: price relation when both sides are priced, and what the other side adds."""
    if not p.price.comparable:
        missing = fig.listing([m.name for m in _unpriced(p)])
        return (f"No cost verdict: {missing} {'has' if len(_unpriced(p)) == 1 else 'have'} no sourced input and "
                f"output price on an active route; compare the sourced specs and capabilities below.")
    if p.price.cheaper_model is None:
        lead = (f"{p.a.name} and {p.b.name} cost the same at a {p.traffic.blend_label} blended price "
                f"({fig.usd_per_mtok(p.fa.blended.usd)})")
        return lead + "; decide on the capabilities and context below."
    cheap, dear = p.by_id(p.price.cheaper_model)
    adds = [CAPABILITIES[c] for c in p.only(dear)]
    larger = p.larger_context()
    if larger and larger[0] is dear:
        adds.append(f"a larger context window ({_ctx_versus(dear, cheap, ' vs ')} tokens)")
    times = p.price.times_as_much
    tail = [f"costs {fig.multiple(times)} as much"] if times is not None and times >= 2 else []
    tail.append(f"adds {fig.listing(adds)}" if adds else "has no sourced capability or context advantage")
    return f"{_price_phrase(p)}; {dear.name} {' and '.join(tail)}."


def tradeoffs(p: _Pair) -> list[str]:
    out: list[str] = []
    if p.price.comparable:
        for kind, fa, fb in (("input", p.fa.cheapest_input, p.fb.cheapest_input),
                             ("output", p.fa.cheapest_output, p.fb.cheapest_output)):
            if fa.usd == fb.usd:
                out.append(f"Cheapest {kind} price is the same for both: {fig.usd_per_mtok(fa.usd)}.")
                continue
            (lo, lo_m), (hi, hi_m) = sorted([(fa.usd, p.a), (fb.usd, p.b)], key=lambda t: t[0])
            out.append(f"Cheapest {kind} price: {lo_m.name} {fig.usd_per_mtok(lo)} against "
                       f"{hi_m.name} {fig.usd_per_mtok(hi)} ({fig.percent(fig.percent_cheaper(lo, hi))} lower).")
    else:
        for m in _unpriced(p):
            out.append(f"{m.name} has no sourced token price, so no price comparison is made.")
    larger = p.larger_context()
    if larger:
        big, small = larger
        out.append(f"{big.name} has the larger context window: {_ctx_versus(big, small, ' against ')} tokens.")
    else:
        unknown = [m.name for m, f, _ in p.sides() if f.context_window is None]
        if unknown:
            out.append(f"Context window is not sourced for {fig.listing(unknown)}; no context comparison is made.")
        else:
            out.append(f"Both have a {_ctx(p.a)}-token context window{_exact_windows(p)}.")
    for x, _, y in p.sides():
        only = p.only(x)
        if only:
            out.append(f"Only {x.name} supports {_labels(only)} ({y.name}: No).")
    out.append(f"{p.a.name} has {p.fa.routes} tracked provider route{'s' * (p.fa.routes != 1)}, "
               f"{p.b.name} has {p.fb.routes}.")
    da, db = p.a.specs.release_date.value, p.b.specs.release_date.value
    if da and db and da != db:
        newer, older = (p.a, p.b) if da > db else (p.b, p.a)
        out.append(f"{newer.name} is the newer release ({newer.specs.release_date.value} against "
                   f"{older.specs.release_date.value}).")
    wa, wb = p.a.specs.open_weights.value, p.b.specs.open_weights.value
    if wa is not None and wb is not None and wa != wb:
        out.append(f"Only {(p.a if wa else p.b).name} has open weights, so only it can be self-hosted.")
    return out


def _overlap_prices(p: _Pair, providers: list[str]) -> list[OverlapPrice]:
    def cheapest(m: ModelFacts, provider_id: str, attr: str) -> Decimal | None:
        values = [getattr(r, attr) for r in m.routes if r.provider_id == provider_id and r.priced]
        return min(values) if values else None

    return [OverlapPrice(provider_id=pid, provider=p.a.provider_name(pid),
                         a_input=cheapest(p.a, pid, "input_usd_per_mtok"),
                         a_output=cheapest(p.a, pid, "output_usd_per_mtok"),
                         b_input=cheapest(p.b, pid, "input_usd_per_mtok"),
                         b_output=cheapest(p.b, pid, "output_usd_per_mtok")) for pid in providers]


def switch_friction(p: _Pair) -> SwitchFriction:
    """Moving traffic from A to B, stated once (the way back is the same facts reversed)."""
    shared = sorted(set(p.fa.providers) & set(p.fb.providers))
    prices = _overlap_prices(p, shared)
    only_a, only_b, unknown_a, unknown_b = p.only_a, p.only_b, p.unknown_a, p.unknown_b
    said: list[str] = []
    if shared:
        said.append(f"Both are offered on {fig.listing([o.provider for o in prices])}: "
                    "A/B test there without a new provider integration.")
    else:
        said.append("No tracked provider offers both; switching means a new provider account, SDK or endpoint.")
    for o in prices:
        if None in (o.a_input, o.a_output, o.b_input, o.b_output):
            continue
        said.append(f"On {o.provider}: {p.a.name} {fig.usd_per_mtok(o.a_input)} input / "
                    f"{fig.usd_per_mtok(o.a_output)} output, {p.b.name} {fig.usd_per_mtok(o.b_input)} / "
                    f"{fig.usd_per_mtok(o.b_output)}.")
    if only_a or only_b:
        parts = ([f"gains {_labels(only_b)}"] if only_b else []) + ([f"loses {_labels(only_a)}"] if only_a else [])
        said.append(f"Moving from {p.a.name} to {p.b.name} {' and '.join(parts)}; the reverse move mirrors it.")
    larger = p.larger_context()
    if larger:
        big, small = larger
        said.append(f"Prompts longer than {fig.count(small.specs.context_window.value)} tokens fit only {big.name}.")
    going = [f"{m.name} on {rt.provider} ({rt.route}: {rt.deprecation_note})"
             for m in (p.a, p.b) for rt in m.routes if rt.deprecating]
    if going:
        said.append(f"Deprecated routes, plan around them: {fig.listing(going)}.")
    for m, unknown, other in ((p.a, unknown_a, p.b), (p.b, unknown_b, p.a)):
        if unknown:
            said.append(f"Verify before switching: no source states whether {m.name} supports "
                        f"{_labels(unknown)} ({other.name}: Yes).")
    return SwitchFriction(overlapping_providers=shared, overlap_prices=prices, only_a=only_a, only_b=only_b,
                          unknown_a=unknown_a, unknown_b=unknown_b, statements=said)


def _spec_phrase(m: ModelFacts) -> str:
    s = m.specs
    known = []
    if s.release_date.value:
        known.append(f"released {s.release_date.value}")
    if s.params_total.value:
        active = f" ({fig.parameters(s.params_active.value)} active)" if s.params_active.value else ""
        known.append(f"{fig.parameters(s.params_total.value)} parameters{active}")
    if s.architecture.value:
        known.append(f"{s.architecture.value} architecture")
    if s.license.value:
        known.append(f"licensed {s.license.value}")
    if s.knowledge_cutoff.value:
        known.append(f"knowledge cutoff {s.knowledge_cutoff.value}")
    return f"{m.name}: {'; '.join(known)}." if known else f"{m.name}: no release, size or license facts are sourced."


def _advantages(p: _Pair, m: ModelFacts, other: ModelFacts) -> list[str]:
    adv = []
    if p.price.cheaper_model == m.model_id:
        adv.append("the lower blended price")
    larger = p.larger_context()
    if larger and larger[0] is m:
        adv.append("the larger context window")
    only = p.only(m)
    if only:
        adv.append(_labels(only))
    fm, fo = (p.fa, p.fb) if m is p.a else (p.fb, p.fa)
    if fm.routes > fo.routes:
        adv.append("more provider routes to fall back on")
    if m.specs.open_weights.value is True and other.specs.open_weights.value is False:
        adv.append("open weights")
    return adv


def deep_dive(p: _Pair) -> list[str]:
    both = _capabilities_where(p.a, "yes", p.b, "yes")
    neither = _capabilities_where(p.a, "no", p.b, "no")
    caps = [f"Sourced for both: {_labels(both)}." if both else "No capability is sourced as Yes for both."]
    for x, _, y in p.sides():
        only = p.only(x)
        if only:
            caps.append(f"{x.name} alone: {_labels(only)}.")
    if neither:
        caps.append(f"Neither supports {_labels(neither)}.")
    for m in (p.a, p.b):
        unknown = m.capabilities_with("unknown")
        if unknown:
            caps.append(f"Not sourced for {m.name}: {_labels(unknown)}.")
    out = [" ".join(caps)]
    t = p.traffic
    if p.price.comparable:
        lower = p.a if p.fa.monthly.usd <= p.fb.monthly.usd else p.b
        gap = (f"{lower.name} saves {fig.usd(p.price.monthly_gap_usd)} a month." if p.price.monthly_gap_usd
               else "The monthly cost is the same.")
        out.append(f"At {fig.tokens(t.input_tokens_per_month)} input and {fig.tokens(t.output_tokens_per_month)} "
                   f"output tokens a month on each model's cheapest route, {p.a.name} costs "
                   f"{fig.usd(p.fa.monthly.usd)} ({_providers(p.a, p.fa.monthly.providers)}) and {p.b.name} "
                   f"{fig.usd(p.fb.monthly.usd)} ({_providers(p.b, p.fb.monthly.providers)}). {gap} "
                   "Cached-input, batch and negotiated prices are not included.")
    else:
        out.append(f"Monthly cost cannot be compared: {fig.listing([m.name for m in _unpriced(p)])} "
                   "has no sourced input and output price. Unknown prices are a gap in the sources, not zero.")
    out.append(f"{_spec_phrase(p.a)} {_spec_phrase(p.b)}")
    choose = []
    for x, _, y in p.sides():
        adv = _advantages(p, x, y)
        choose.append(f"Choose {x.name} for {fig.listing(adv)}." if adv
                      else f"{x.name} has no sourced advantage over {y.name} here.")
    choose.append("Run your own prompts on the exact provider route before committing traffic.")
    out.append(" ".join(choose))
    return out


def _cap_answer(m: ModelFacts, name: str) -> str:
    cap, label = m.capability_detail(name), CAPABILITIES[name]
    if cap is None or cap.value == "unknown":
        return f"No source states whether {m.name} supports {label}."
    cited = ", ".join([*cap.sources, *cap.copies] or [cap.source or "unattributed"])
    verb = "supports" if cap.value == "yes" else "does not support"
    return f"{m.name} {verb} {label} ({cited})."


def faq(p: _Pair) -> list[FaqEntry]:
    a, b = p.a.name, p.b.name
    out = []
    if p.price.comparable and p.price.cheaper_model:
        cheap, _ = p.by_id(p.price.cheaper_model)
        answer = (f"{cheap.name}, on the cheapest tracked routes. Input: {a} {fig.usd_per_mtok(p.fa.cheapest_input.usd)}, "
                  f"{b} {fig.usd_per_mtok(p.fb.cheapest_input.usd)}; output: {a} "
                  f"{fig.usd_per_mtok(p.fa.cheapest_output.usd)}, {b} {fig.usd_per_mtok(p.fb.cheapest_output.usd)}.")
    elif p.price.comparable:
        answer = f"Neither: both cost {fig.usd_per_mtok(p.fa.blended.usd)} at a {p.traffic.blend_label} blend."
    else:
        answer = (f"Unknown: {fig.listing([m.name for m in _unpriced(p)])} has no sourced token price on an "
                  "active route.")
    out.append(FaqEntry(question=f"Which is cheaper, {a} or {b}?", answer=answer))
    larger = p.larger_context()
    if larger:
        big, small = larger
        answer = (f"{big.name}: {fig.count(big.specs.context_window.value)} tokens against "
                  f"{fig.count(small.specs.context_window.value)} for {small.name}.")
    elif p.fa.context_window is not None and p.fb.context_window is not None:
        answer = (f"Neither: both accept {fig.count(p.fa.context_window)} tokens." if p.fa.context_window == p.fb.context_window
                  else f"Neither: both accept {fig.tokens(p.fa.context_window)} tokens{_exact_windows(p)}.")
    else:
        unknown = [m.name for m, f, _ in p.sides() if f.context_window is None]
        answer = f"Unknown: no source states the context window of {fig.listing(unknown)}."
    out.append(FaqEntry(question=f"Which has the larger context window, {a} or {b}?", answer=answer))

    def licence(m: ModelFacts) -> str:
        lic = m.specs.license.value or "license not sourced"
        weights = {True: "open weights", False: "closed weights", None: "weights availability not sourced"}
        return f"{m.name}: {lic}, {weights[m.specs.open_weights.value]}"
    out.append(FaqEntry(question=f"Can I self-host {a} or {b}?",
                        answer=f"{licence(p.a)}. {licence(p.b)}. Read the license before deploying."))

    def where(m: ModelFacts, f: SideFigures) -> str:
        names = [m.provider_name(pid) for pid in f.providers]
        return f"{m.name} on {fig.listing(names)}" if names else f"{m.name} has no active tracked route"
    out.append(FaqEntry(question=f"Where can I run {a} and {b}?", answer=f"{where(p.a, p.fa)}; {where(p.b, p.fb)}."))
    va, vb = p.a.capability_values, p.b.capability_values
    for name, label in CAPABILITIES.items():
        if va[name] != vb[name]:
            out.append(FaqEntry(question=f"Do {a} and {b} support {label}?",
                                answer=f"{_cap_answer(p.a, name)} {_cap_answer(p.b, name)}"))
    return out


def profile_costs(a: list[tuple[Profile, ProfileSide]], b: list[tuple[Profile, ProfileSide]],
                  a_id: str, b_id: str) -> list[ProfileCost]:
    """Both sides of every profile (the same profiles, in the same order), with the gap."""
    out = []
    for (profile, sa), (_, sb) in zip(a, b):
        both = sa.usd is not None and sb.usd is not None
        lower = None if not both or sa.usd == sb.usd else (a_id if sa.usd < sb.usd else b_id)
        out.append(ProfileCost(name=profile.name, description=profile.description, assumptions=profile.assumptions,
                               service_tier=profile.service_tier, a=sa, b=sb,
                               gap_usd=abs(sa.usd - sb.usd) if both else None, lower_model=lower))
    return out


_NO_BENCHMARKS = Benchmarks()


def _lead(x: BenchmarkScore, y: BenchmarkScore) -> tuple[bool | None, int]:
    """(outside both intervals, who leads: 1 x, -1 y, 0 neither), as the warehouse macro
    benchmark_lead decides it: with intervals only a gap outside both counts."""
    better = 1 if x.higher_is_better else -1
    if x.significance == "interval":
        if x.ci_low is None or y.ci_low is None:
            return None, 0
        if x.ci_low > y.ci_high:
            return True, better
        if y.ci_low > x.ci_high:
            return True, -better
        return False, 0
    if x.score == y.score:
        return None, 0
    return None, better if x.score > y.score else -better


def benchmarks(a: ModelFacts, b: ModelFacts, scores_a: list[BenchmarkScore], scores_b: list[BenchmarkScore]) -> Benchmarks:
    """Shared rows (same benchmark and metric, like harness and setting), then what only one side has."""
    if not scores_a and not scores_b:
        return _NO_BENCHMARKS
    by_b = {s.compare_key: s for s in scores_b}
    rows = []
    for x in sorted(scores_a, key=lambda s: (s.benchmark, s.harness or "", s.setting or "")):
        y = by_b.get(x.compare_key)
        if y is None:
            continue
        outside, lead = _lead(x, y)
        rows.append(BenchmarkRow(
            benchmark_id=x.benchmark_id, benchmark=x.benchmark, metric=x.metric, unit=x.unit, harness=x.harness,
            setting_a=x.setting, setting_b=y.setting, score_a=x.score, score_b=y.score,
            ci_a=(x.ci_low, x.ci_high) if x.ci_low is not None else None,
            ci_b=(y.ci_low, y.ci_high) if y.ci_low is not None else None,
            difference=x.score - y.score, outside_intervals=outside, leader={1: "a", -1: "b"}.get(lead),
            as_of=str(x.evaluated_at or y.evaluated_at or x.as_of or "") or None,
            source=_cited(x) if _cited(x) == _cited(y) else f"{_cited(x)}, {_cited(y)}", url=x.url or y.url))
    names_a = {s.benchmark_id: s.benchmark for s in scores_a}
    names_b = {s.benchmark_id: s.benchmark for s in scores_b}
    both = set(names_a) & set(names_b)
    keys_a, keys_b = {s.compare_key for s in scores_a}, {s.compare_key for s in scores_b}
    not_comparable = [*_unmatched(a, b, [s for s in scores_a if s.benchmark_id in both and s.compare_key not in keys_b],
                                  scores_b),
                      *_unmatched(b, a, [s for s in scores_b if s.benchmark_id in both and s.compare_key not in keys_a],
                                  scores_a)]
    only_a = sorted({names_a[i] for i in set(names_a) - set(names_b)})
    only_b = sorted({names_b[i] for i in set(names_b) - set(names_a)})
    lead_a = sum(r.leader == "a" for r in rows)
    lead_b = sum(r.leader == "b" for r in rows)
    note = (f"{len(rows)} shared rows: {a.name} leads {lead_a}, {b.name} leads {lead_b}, "
            f"{len(rows) - lead_a - lead_b} without a lead (equal, or intervals overlap)." if rows
            else "No benchmark row with the same setting for both models: 0 shared rows.")
    return Benchmarks(rows=rows, not_comparable=not_comparable, only_a=only_a, only_b=only_b, note=note)


def _unmatched(x: ModelFacts, y: ModelFacts, rows: list[BenchmarkScore], other: list[BenchmarkScore]) -> list[str]:
    """One sentence per setting of x's rows on benchmarks y is evaluated on, under other settings only."""
    out = []
    for label in sorted({_setting_label(s) for s in rows}):
        group = sorted({s.benchmark for s in rows if _setting_label(s) == label})
        theirs = sorted({_setting_label(s) for s in other if s.benchmark in group})
        what = fig.listing(group) if len(group) <= 3 else f"{len(group)} benchmarks ({fig.listing(group[:3])}...)"
        kind = " (a thinking variant against a non-thinking one)" if _thinking([label]) != _thinking(theirs) else ""
        out.append(f"{x.name} at {label} on {what} is not compared: {y.name} is evaluated there only at "
                   f"{fig.listing(theirs)}{kind}.")
    return out


def _cited(s: BenchmarkScore) -> str:
    return f"{s.source} (copy of {s.copy_of})" if s.copy_of else s.source


def _setting_label(s: BenchmarkScore) -> str:
    label = s.setting or "the default setting"
    return f"{label} via {s.harness}" if s.harness else label


def _thinking(labels: list[str]) -> bool:
    return any("thinking" in x and "no-thinking" not in x for x in labels)


def benchmark_tradeoffs(a: ModelFacts, b: ModelFacts, bench: Benchmarks, limit: int = 3) -> list[str]:
    """Sentences for shared rows whose gap is outside both intervals, largest first."""
    out = []
    first = ("lmarena-full", "lmarena-coding", "lmarena-math", "lmarena-hard-6")  # the headline categories
    rows = sorted((r for r in bench.rows if r.outside_intervals and r.leader),
                  key=lambda r: (first.index(r.benchmark_id) if r.benchmark_id in first else len(first),
                                 -abs(r.difference), r.benchmark))
    for r in rows[:limit]:
        lead, other = (a, b) if r.leader == "a" else (b, a)
        setting = f" ({r.setting_a})" if r.setting_a else ""
        out.append(f"{lead.name} leads {other.name} on {r.benchmark}{setting} by {fig.score(abs(r.difference))} "
                   f"{r.unit}, outside both 95% intervals ({r.source}, {r.as_of}).")
    return out


def build_record(a: ModelFacts, b: ModelFacts, documents: list[SourceDocument],
                 traffic: TrafficProfile | None = None, last_reviewed: date | None = None,
                 figures: tuple[SideFigures, SideFigures] | None = None,
                 profiles: tuple[list[tuple[Profile, ProfileSide]], list[tuple[Profile, ProfileSide]]] | None = None,
                 scores: tuple[list[BenchmarkScore], list[BenchmarkScore]] = ([], []),
                 stale: dict[str, str] | None = None) -> ComparisonRecord:
    """The full record for A against B (A first, as asked); `figures`: side_figures of A and B
    at `traffic`, when the caller already has them (bulk builds compute them once per model);
    `profiles`: each side's cost under every workload profile (the cost engine's, per model);
    `stale`: every stale source and why (the record keeps those its models depend on)."""
    p = _Pair(a, b, traffic or TrafficProfile(), figures)
    unique = {(d.source, d.url): d for d in documents}
    bench = benchmarks(a, b, *scores)
    return ComparisonRecord(
        title=f"{a.name} vs {b.name}",
        model_a=a, model_b=b, traffic=p.traffic, side_a=p.fa, side_b=p.fb, price=p.price,
        verdict=verdict(p), tradeoffs=tradeoffs(p) + benchmark_tradeoffs(a, b, bench),
        switch_friction=switch_friction(p), benchmarks=bench, deep_dive=deep_dive(p), faq=faq(p),
        sources=[unique[k] for k in sorted(unique)], last_reviewed=last_reviewed,
        profiles=profile_costs(*profiles, a.model_id, b.model_id) if profiles else [],
        stale_sources={s: why for s, why in sorted((stale or {}).items())
                       if s in set(a.contributing_sources) | set(b.contributing_sources)},
    )


