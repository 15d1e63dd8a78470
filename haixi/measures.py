"""Measures: the readings of one quantity by several sources and periods, ranked, compared, in series."""

# A fact is a reading of a measure (`Fact.measure_id`: its `measure`, else its own id), for one
# period, by one source. This module is pure: fact base in, plain dataclasses out; no Streamlit,
# no HTML, no language. The rules are documented in docs/curating.md, "Measures and readings".

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from haixi.schema import Examined, Fact, FactBase, Qualifier, Quantity, SourceKind

# "about X" (Qualifier.approximate) is read as X plus or minus this share of X.
APPROXIMATE_BAND = 0.10
# "nearly X" (Qualifier.nearly: 近, 将近, 接近) is read as below X by at most this share of X.
NEARLY_BAND = 0.10

# Source kinds, most official first: among exact readings of one period, the more official
# source is preferred (a statistical communiqué over a newspaper feature).
SOURCE_KIND_ORDER: tuple[SourceKind, ...] = (
    SourceKind.statistical_communique,
    SourceKind.government_work_report,
    SourceKind.policy_document,
    SourceKind.press_release,
    SourceKind.newspaper_feature,
)


# --------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class Interval:
    """The values a reading allows: from `low` to `high`, each end open or closed."""

    low: float
    high: float
    low_closed: bool = True
    high_closed: bool = True

    def overlaps(self, other: Interval) -> bool:
        """True when some value lies in both intervals."""
        if self.low != other.low:
            low, low_closed = max((self.low, self.low_closed), (other.low, other.low_closed))
        else:
            low, low_closed = self.low, self.low_closed and other.low_closed
        if self.high != other.high:
            high, high_closed = min(
                (self.high, self.high_closed), (other.high, other.high_closed)
            )
        else:
            high, high_closed = self.high, self.high_closed and other.high_closed
        if low < high:
            return True
        return low == high and low_closed and high_closed

    def __str__(self) -> str:
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{self.low:g}, {self.high:g}{right}"


def _point(value: float) -> Interval:
    return Interval(value, value)


def _at_least(value: float) -> Interval:
    return Interval(value, math.inf, True, False)


def _more_than(value: float) -> Interval:
    return Interval(value, math.inf, False, False)


def _nearly(value: float) -> Interval:
    return Interval(value - abs(value) * NEARLY_BAND, value, True, False)


def _about(value: float) -> Interval:
    band = abs(value) * APPROXIMATE_BAND
    return Interval(value - band, value + band)


# Every qualifier's interval: exact is a point, at_least a closed ray [X, inf), more_than an
# open one (X, inf), nearly the band below X without X, approximate the band around X.
QUALIFIER_INTERVALS: dict[Qualifier, Callable[[float], Interval]] = {
    Qualifier.exact: _point,
    Qualifier.at_least: _at_least,
    Qualifier.more_than: _more_than,
    Qualifier.nearly: _nearly,
    Qualifier.approximate: _about,
}


def interval(quantity: Quantity) -> Interval:
    """The values a figure allows, read from its qualifier."""
    return QUALIFIER_INTERVALS[quantity.qualifier](quantity.value)


def agree(a: Fact, b: Fact) -> bool:
    """True when two readings can both be right: their intervals overlap."""
    return interval(a.quantity).overlaps(interval(b.quantity))


# --------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Measure:
    """A measure and its readings, in the order of the fact file."""

    id: str
    readings: tuple[Fact, ...]

    @property
    def periods(self) -> tuple[int, ...]:
        """The periods read, earliest first."""
        return tuple(sorted({r.period for r in self.readings}))

    def of(self, period: int) -> tuple[Fact, ...]:
        """The readings of one period."""
        return tuple(r for r in self.readings if r.period == period)


def group(facts: Iterable[Fact]) -> dict[str, Measure]:
    """Measure id -> Measure, in the order each measure is first read."""
    groups: dict[str, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(fact.measure_id, []).append(fact)
    return {ident: Measure(ident, tuple(readings)) for ident, readings in groups.items()}


def measures(base: FactBase) -> dict[str, Measure]:
    """Every measure of the fact base."""
    return group(base.facts)


def measure(base: FactBase, ident: str) -> Measure | None:
    """The measure with this id, or None when nothing reads it."""
    readings = tuple(f for f in base.facts if f.measure_id == ident)
    return Measure(ident, readings) if readings else None


def periods(base: FactBase) -> tuple[int, ...]:
    """The periods the fact base's figures describe, earliest first."""
    return tuple(sorted({fact.period for fact in base.facts}))


def periods_text(years: Sequence[int]) -> str:
    """Years as words: one year alone, "<first>-<last>" for a run, else joined by ", "."""
    years = tuple(years)
    if len(years) > 1 and list(years) == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(str(year) for year in years)


def headlines(base: FactBase) -> tuple[str, ...]:
    """The headline measures, in file order: those with a reading marked `headline: true`.

    A measure is shown once among the headlines, by the preferred reading of its latest period,
    whichever of its readings carries the mark.
    """
    return tuple(ident for ident, m in measures(base).items() if any(r.headline for r in m.readings))


def headline_readings(base: FactBase) -> tuple[Fact, ...]:
    """The overview's headlines: the preferred reading of the fact base's latest period of
    each headline measure, in file order.

    A headline measure with no reading of that period is left out: its earlier readings are
    on their topic's page and in its series, not among the latest period's results.
    """
    years = periods(base)
    if not years:
        return ()
    found = measures(base)
    return tuple(
        preferred(base, found[ident].of(years[-1]))
        for ident in headlines(base)
        if found[ident].of(years[-1])
    )


# --------------------------------------------------------------------------- preferred


def _kind_rank(base: FactBase, fact: Fact) -> int:
    try:
        kind = base.source(fact.source.source).kind
    except KeyError:
        return len(SOURCE_KIND_ORDER)
    return SOURCE_KIND_ORDER.index(kind)


def _published(base: FactBase, fact: Fact) -> int:
    try:
        published = base.source(fact.source.source).date_published
    except KeyError:
        published = None
    return -published.toordinal() if published else 0


def rank(base: FactBase, readings: Sequence[Fact]) -> tuple[Fact, ...]:
    """Readings of one measure and period, preferred first.

    `preferred: true` first; then exact before a bound or an approximation; then the more
    official source kind (SOURCE_KIND_ORDER); then the later date_published (unknown last);
    then the order of the fact file.
    """
    order = {id(f): i for i, f in enumerate(readings)}
    return tuple(
        sorted(
            readings,
            key=lambda f: (
                not f.preferred,
                f.quantity.qualifier is not Qualifier.exact,
                _kind_rank(base, f),
                _published(base, f),
                order[id(f)],
            ),
        )
    )


def preferred(base: FactBase, readings: Sequence[Fact]) -> Fact:
    """The preferred one of some readings of one measure and period."""
    if not readings:
        raise ValueError("no readings to prefer from")
    return rank(base, readings)[0]


def latest(base: FactBase, ident: str | None) -> Fact | None:
    """The preferred reading of a measure's latest period, or None without one."""
    if ident is None:
        return None
    found = measure(base, ident)
    if found is None:
        return None
    return preferred(base, found.of(found.periods[-1]))


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Comparison:
    """The readings of one measure and period set against the preferred one."""

    measure: str
    period: int
    preferred: Fact
    corroborating: tuple[Fact, ...]
    discrepant: tuple[Fact, ...]


def compare(base: FactBase, ident: str, period: int) -> Comparison | None:
    """The readings of `ident` for `period` as agreeing with its preferred reading or not."""
    found = measure(base, ident)
    readings = found.of(period) if found else ()
    if not readings:
        return None
    ranked = rank(base, readings)
    best, others = ranked[0], ranked[1:]
    return Comparison(
        ident,
        period,
        best,
        tuple(r for r in others if agree(best, r)),
        tuple(r for r in others if not agree(best, r)),
    )


@dataclass(frozen=True)
class Discrepancy:
    """Two readings of one measure and period that cannot both be right."""

    measure: str
    period: int
    readings: tuple[Fact, Fact]
    examined: Examined | None = None


def discrepancies(base: FactBase) -> list[Discrepancy]:
    """Every pair of disagreeing readings (same measure and period), in file order."""
    examined = {(e.measure, e.period): e for e in base.examined}
    found = []
    for ident, item in measures(base).items():
        for period in item.periods:
            readings = rank(base, item.of(period))
            for i, a in enumerate(readings):
                for b in readings[i + 1 :]:
                    if not agree(a, b):
                        found.append(Discrepancy(ident, period, (a, b), examined.get((ident, period))))
    return found


def _reading(fact: Fact) -> str:
    q = fact.quantity
    return f"{fact.id} ({q.stated}, {q.qualifier.value}, {interval(q)} {q.unit.value}, source {fact.source.source})"


def discrepancy_warnings(base: FactBase) -> list[str]:
    """Plain-English warnings for `validate`: every discrepancy (saying whether it was
    examined), and every examined entry that names no discrepancy."""
    lines = []
    found = discrepancies(base)
    for d in found:
        a, b = d.readings
        line = (
            f"discrepancy: {d.measure} {d.period}: {_reading(a)} disagrees with "
            f"{_reading(b)}"
        )
        if d.examined is not None:
            line += f"; examined by the curator: {d.examined.note.en}"
        lines.append(line)
    named = {(d.measure, d.period) for d in found}
    for index, entry in enumerate(base.examined):
        if (entry.measure, entry.period) not in named:
            lines.append(
                f"examined.{index}: {entry.measure} {entry.period} has no discrepancy "
                "(readings agree or there is one reading); remove the entry"
            )
    return lines


# --------------------------------------------------------------------------- series


@dataclass(frozen=True)
class Point:
    """One period of a series: its preferred reading (a bound stays a bound)."""

    period: int
    reading: Fact

    @property
    def interval(self) -> Interval:
        """The values the point allows."""
        return interval(self.reading.quantity)

    @property
    def exact(self) -> bool:
        """True when the point is an exact figure."""
        return self.reading.quantity.qualifier is Qualifier.exact


def series(base: FactBase, ident: str) -> tuple[Point, ...]:
    """One point per period, earliest first, from the preferred reading of each."""
    found = measure(base, ident)
    if found is None:
        return ()
    return tuple(Point(p, preferred(base, found.of(p))) for p in found.periods)


@dataclass(frozen=True)
class Change:
    """A measure's change from the previous period read to this one, both exact."""

    measure: str
    period: int
    previous_period: int
    value: float
    previous: float

    @property
    def difference(self) -> float:
        """This period's value minus the previous one (percentage points for percents)."""
        return self.value - self.previous

    @property
    def relative(self) -> float | None:
        """The difference as a share of the previous value; None when that is zero."""
        return self.difference / self.previous if self.previous else None


def change(base: FactBase, ident: str, period: int | None = None) -> Change | None:
    """The change of `ident` into `period` (default: its latest) from the previous period
    read, when the preferred readings of both are exact; else None."""
    points = series(base, ident)
    periods = [p.period for p in points]
    if period is None and points:
        period = periods[-1]
    if period not in periods:
        return None
    index = periods.index(period)
    if index == 0:
        return None
    now, before = points[index], points[index - 1]
    if not (now.exact and before.exact):
        return None
    return Change(
        ident, now.period, before.period, now.reading.quantity.value, before.reading.quantity.value
    )
