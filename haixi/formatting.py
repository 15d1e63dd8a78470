"""Number formatting for both languages: the one place values become text (Babel-based)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from babel.numbers import format_decimal

from haixi.i18n import check_lang
from haixi.schema import Qualifier, Quantity, Unit

LOCALES = {"zh": "zh_Hans_CN", "en": "en"}

# How many decimals a compact form ("6.21亿元", "CNY 1.25 billion", "10 GW/yr") may carry.
# A figure that needs more is written out in full instead, so nothing is ever rounded:
# one 万 holds four digits, one thousand-group three.
MAX_COMPACT_DECIMALS = {"zh": 4, "en": 3}

_ZH_SCALES = ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
_EN_SCALES = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)
_GW = Decimal(1000)

_PREFIX = {
    Qualifier.exact: {"zh": "", "en": ""},
    Qualifier.at_least: {"zh": "至少", "en": "at least"},
    Qualifier.more_than: {"zh": "超过", "en": "more than"},
    Qualifier.nearly: {"zh": "近", "en": "nearly"},
    Qualifier.approximate: {"zh": "约", "en": "about"},
}

_AXIS_LABEL = {
    Unit.yuan: {"zh": "元", "en": "CNY"},
    Unit.percent: {"zh": "%", "en": "%"},
    Unit.persons: {"zh": "人", "en": "people"},
    Unit.count: {"zh": "个", "en": "number"},
    Unit.rank: {"zh": "位次", "en": "rank"},
    Unit.t_per_year: {"zh": "吨/年", "en": "t/yr"},
    Unit.mw: {"zh": "兆瓦", "en": "MW"},
    Unit.mw_per_year: {"zh": "兆瓦/年", "en": "MW/yr"},
}


# --------------------------------------------------------------------------- helpers


def as_unit(unit: Unit | str) -> Unit:
    """A Unit from a Unit, its value ("MW") or its member name ("mw")."""
    if isinstance(unit, Unit):
        return unit
    try:
        return Unit(unit)
    except ValueError:
        try:
            return Unit[unit]
        except KeyError:
            raise ValueError(f"unknown unit {unit!r}") from None


def exact_decimal(value: float | int | Decimal) -> Decimal:
    """The shortest exact decimal of a number (101.3 → Decimal('101.3')), no trailing zeros."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    else:
        number = Decimal(repr(float(value)))
    if not number.is_finite():
        raise ValueError(f"cannot format {value!r}: not a finite number")
    return _strip(number)


def _strip(number: Decimal) -> Decimal:
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def _decimals(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _number(number: Decimal, lang: str) -> str:
    """A plain number in the locale, every decimal kept.

    Chinese writes four-digit numbers without a separator ("4000吨", as the source does);
    from five digits on, both languages group by thousands.
    """
    group = lang == "en" or abs(number) >= 10_000
    return format_decimal(
        number, locale=LOCALES[lang], decimal_quantization=False, group_separator=group
    )


def _compact(number: Decimal, lang: str) -> tuple[str, str] | None:
    """(mantissa text, scale word) for 万/亿 or million/billion, or None if plain is better."""
    scales = _ZH_SCALES if lang == "zh" else _EN_SCALES
    for size, word in scales:
        if abs(number) >= size:
            mantissa = _strip(number / size)
            if _decimals(mantissa) > MAX_COMPACT_DECIMALS[lang]:
                return None
            return _number(mantissa, lang), word
    return None


def _gigawatts(number: Decimal, lang: str) -> str | None:
    """The number of MW in GW, if at least 1 GW and exact within the compact decimals."""
    if abs(number) < _GW:
        return None
    gw = _strip(number / _GW)
    if _decimals(gw) > MAX_COMPACT_DECIMALS["en"]:
        return None
    return _number(gw, lang)


def ordinal_en(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 101st, 111th."""
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


# --------------------------------------------------------------------------- public API


def tick(value: float, lang: str) -> str:
    """A plain number in the locale, every decimal kept (for ticks and table cells)."""
    check_lang(lang)
    return _number(exact_decimal(value), lang)


def format_value(value: float, unit: Unit | str, lang: str) -> str:
    """A figure with its unit, e.g. 621000000 yuan → "6.21亿元" / "CNY 621 million".

    Never rounds: a figure the compact form cannot hold exactly is written out in full.
    """
    check_lang(lang)
    unit = as_unit(unit)
    number = exact_decimal(value)
    zh = lang == "zh"

    if unit is Unit.yuan:
        compact = _compact(number, lang)
        if zh:
            return f"{compact[0]}{compact[1]}元" if compact else f"{_number(number, lang)}元"
        return f"CNY {compact[0]} {compact[1]}" if compact else f"CNY {_number(number, lang)}"

    if unit is Unit.persons:
        compact = _compact(number, lang)
        if zh:
            return f"{compact[0]}{compact[1]}人" if compact else f"{_number(number, lang)}人"
        text = f"{compact[0]} {compact[1]}" if compact else _number(number, lang)
        return f"{text} {'person' if number == 1 else 'people'}"

    if unit is Unit.t_per_year:
        compact = _compact(number, lang)
        if zh:
            return f"{compact[0]}{compact[1]}吨/年" if compact else f"{_number(number, lang)}吨/年"
        text = f"{compact[0]} {compact[1]}" if compact else _number(number, lang)
        return f"{text} t/yr"

    if unit is Unit.count:
        return _number(number, lang)

    if unit is Unit.rank:
        n = int(number)
        if n != number:
            return _number(number, lang)
        return f"第{_number(number, lang)}" if zh else ordinal_en(n)

    if unit is Unit.percent:
        return f"{_number(number, lang)}%"

    if unit in (Unit.mw, Unit.mw_per_year):
        per_year = unit is Unit.mw_per_year
        gw = _gigawatts(number, lang)
        if zh:
            text = f"{gw}GW" if gw is not None else f"{_number(number, lang)}兆瓦"
            return f"{text}/年" if per_year else text
        text = f"{gw} GW" if gw is not None else f"{_number(number, lang)} MW"
        return f"{text}/yr" if per_year else text

    raise ValueError(f"no format for unit {unit!r}")  # pragma: no cover - every Unit is handled


def qualifier_prefix(q: Qualifier | str, lang: str) -> str:
    """The words put before a figure: "" (exact), "至少"/"at least", "超过"/"more than",
    "近"/"nearly", "约"/"about"."""
    check_lang(lang)
    return _PREFIX[Qualifier(q)][lang]


# Qualifiers whose figure is a band around or below the value, not a bound: a chart marks them.
BANDS = frozenset({Qualifier.approximate, Qualifier.nearly})


def sum_qualifier(qualifiers) -> Qualifier:
    """The qualifier of a sum of figures: exact if all are; a lower bound ("at least", or "more
    than" when one end is open) if every figure is exact or such a bound; "nearly" if every
    figure is exact or "nearly"; otherwise "about"."""
    found = {Qualifier(q) for q in qualifiers} - {Qualifier.exact}
    if not found:
        return Qualifier.exact
    if found <= {Qualifier.at_least, Qualifier.more_than}:
        return Qualifier.more_than if Qualifier.more_than in found else Qualifier.at_least
    if found == {Qualifier.nearly}:
        return Qualifier.nearly
    return Qualifier.approximate


def format_quantity(q: Quantity, lang: str, qualify: bool = True) -> str:
    """A Quantity with its qualifier, e.g. "至少100亿元" / "at least CNY 10 billion"."""
    text = format_value(q.value, q.unit, lang)
    return qualified(text, q.qualifier, lang) if qualify else text


def qualified(text: str, q: Qualifier | str, lang: str) -> str:
    """A formatted figure with its qualifier's words before it ("至少100亿元", "at least ...")."""
    prefix = qualifier_prefix(q, lang)
    if not prefix:
        return text
    return f"{prefix}{text}" if lang == "zh" else f"{prefix} {text}"


def qualifier_badge(q: Quantity, lang: str) -> str | None:
    """The text's own qualifying words ("首次突破" / "exceeded for the first time"), or None."""
    check_lang(lang)
    if q.qualifier_phrase is None:
        return None
    return getattr(q.qualifier_phrase, lang)


def axis_unit_label(unit: Unit | str, lang: str) -> str:
    """The unit as an axis title: "元"/"CNY", "%", "吨/年"/"t/yr", "兆瓦"/"MW"..."""
    check_lang(lang)
    return _AXIS_LABEL[as_unit(unit)][lang]


def scale_for_axis(values: Iterable[float], unit: Unit | str, lang: str) -> tuple[float, str]:
    """(divisor, axis label) so the largest value reads well, e.g. (1e8, "亿元")."""
    check_lang(lang)
    unit = as_unit(unit)
    largest = max((abs(float(v)) for v in values), default=0.0)
    if unit in (Unit.mw, Unit.mw_per_year):
        if largest >= 1000:
            return 1000.0, ("GW" if unit is Unit.mw else ("GW/年" if lang == "zh" else "GW/yr"))
        return 1.0, axis_unit_label(unit, lang)
    if unit not in (Unit.yuan, Unit.persons, Unit.t_per_year):
        return 1.0, axis_unit_label(unit, lang)
    scales = _ZH_SCALES if lang == "zh" else _EN_SCALES
    for size, word in scales:
        if largest >= size:
            if lang == "zh":
                return float(size), f"{word}{axis_unit_label(unit, lang)}"
            if unit is Unit.yuan:
                return float(size), f"CNY {word}"
            return float(size), f"{word} {axis_unit_label(unit, lang)}"
    return 1.0, axis_unit_label(unit, lang)
