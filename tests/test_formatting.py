"""Number formatting in both languages: unit tables, the real facts, exact round trips."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haixi import formatting
from haixi.formatting import (
    axis_unit_label,
    exact_decimal,
    format_quantity,
    format_value,
    qualifier_badge,
    qualifier_prefix,
    scale_for_axis,
    sum_qualifier,
    tick,
)
from haixi.i18n import CJK, enum_label
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS
from haixi.schema import Bilingual, Qualifier, Quantity, Unit, all_quantities


@pytest.fixture(scope="module")
def fact_base():
    return load(DEFAULT_FACTS)


# --------------------------------------------------------------------------- unit tables

TABLE = [
    # value, unit, zh, en
    (170_000, Unit.yuan, "17万元", "CNY 170,000"),
    (10_000_000_000, Unit.yuan, "100亿元", "CNY 10 billion"),
    (621_000_000, Unit.yuan, "6.21亿元", "CNY 621 million"),
    (100_000_000_000, Unit.yuan, "1000亿元", "CNY 100 billion"),
    (1_250_000_000, Unit.yuan, "12.5亿元", "CNY 1.25 billion"),
    (9_999, Unit.yuan, "9999元", "CNY 9,999"),
    (0, Unit.yuan, "0元", "CNY 0"),
    (123_456, Unit.yuan, "12.3456万元", "CNY 123,456"),
    (123_456_789, Unit.yuan, "123,456,789元", "CNY 123,456,789"),
    (1_234_567, Unit.yuan, "123.4567万元", "CNY 1,234,567"),
    (2_000_000_000_000, Unit.yuan, "2万亿元", "CNY 2 trillion"),
    (413_000, Unit.persons, "41.3万人", "413,000 people"),
    (1, Unit.persons, "1人", "1 person"),
    (2_500_000, Unit.persons, "250万人", "2.5 million people"),
    (196, Unit.count, "196", "196"),
    (12_345, Unit.count, "12,345", "12,345"),
    (1, Unit.rank, "第1", "1st"),
    (2, Unit.rank, "第2", "2nd"),
    (3, Unit.rank, "第3", "3rd"),
    (4, Unit.rank, "第4", "4th"),
    (6, Unit.rank, "第6", "6th"),
    (11, Unit.rank, "第11", "11th"),
    (12, Unit.rank, "第12", "12th"),
    (13, Unit.rank, "第13", "13th"),
    (21, Unit.rank, "第21", "21st"),
    (22, Unit.rank, "第22", "22nd"),
    (101, Unit.rank, "第101", "101st"),
    (111, Unit.rank, "第111", "111th"),
    (101.3, Unit.percent, "101.3%", "101.3%"),
    (102.46, Unit.percent, "102.46%", "102.46%"),
    (4.7, Unit.percent, "4.7%", "4.7%"),
    (-1.5, Unit.percent, "-1.5%", "-1.5%"),
    (100, Unit.percent, "100%", "100%"),
    (100_000, Unit.t_per_year, "10万吨/年", "100,000 t/yr"),
    (10_000, Unit.t_per_year, "1万吨/年", "10,000 t/yr"),
    (4_000, Unit.t_per_year, "4000吨/年", "4,000 t/yr"),
    (1_500_000, Unit.t_per_year, "150万吨/年", "1.5 million t/yr"),
    (50, Unit.mw, "50兆瓦", "50 MW"),
    (1_000, Unit.mw, "1GW", "1 GW"),
    (1_234.5, Unit.mw, "1234.5兆瓦", "1,234.5 MW"),
    (10_000, Unit.mw_per_year, "10GW/年", "10 GW/yr"),
    (500, Unit.mw_per_year, "500兆瓦/年", "500 MW/yr"),
    (2_500, Unit.mw_per_year, "2.5GW/年", "2.5 GW/yr"),
]


@pytest.mark.parametrize(("value", "unit", "zh", "en"), TABLE)
def test_format_value_table(value, unit, zh, en):
    assert format_value(value, unit, "zh") == zh
    assert format_value(value, unit, "en") == en


def test_table_covers_every_unit():
    assert {row[1] for row in TABLE} == set(Unit)


def test_unit_may_be_given_as_value_or_name():
    assert format_value(50, "MW", "en") == "50 MW"
    assert format_value(50, "mw", "en") == "50 MW"
    assert format_value(170000, "yuan", "zh") == "17万元"


def test_bad_arguments():
    with pytest.raises(ValueError, match="language"):
        format_value(1, Unit.count, "fr")
    with pytest.raises(ValueError, match="unit"):
        format_value(1, "furlongs", "en")
    with pytest.raises(ValueError, match="finite"):
        format_value(float("nan"), Unit.count, "en")


def test_never_rounds():
    # The compact form is used only when it holds the value exactly.
    assert format_value(123_456, Unit.yuan, "zh") == "12.3456万元"
    assert format_value(1_234_567_891, Unit.yuan, "en") == "CNY 1,234,567,891"
    assert format_value(1_234_567_891, Unit.yuan, "zh") == "1,234,567,891元"
    assert format_value(12.345678, Unit.percent, "en") == "12.345678%"


def test_qualifiers():
    assert qualifier_prefix(Qualifier.exact, "zh") == ""
    assert qualifier_prefix(Qualifier.exact, "en") == ""
    assert qualifier_prefix(Qualifier.at_least, "zh") == "至少"
    assert qualifier_prefix(Qualifier.at_least, "en") == "at least"
    assert qualifier_prefix(Qualifier.approximate, "zh") == "约"
    assert qualifier_prefix(Qualifier.approximate, "en") == "about"
    assert qualifier_prefix(Qualifier.more_than, "zh") == "超过"
    assert qualifier_prefix(Qualifier.more_than, "en") == "more than"
    assert qualifier_prefix(Qualifier.nearly, "zh") == "近"
    assert qualifier_prefix(Qualifier.nearly, "en") == "nearly"


@pytest.mark.parametrize(
    ("qualifier", "zh", "en", "label_zh", "label_en"),
    [
        (Qualifier.more_than, "超过100亿元", "more than CNY 10 billion", "超过", "more than"),
        (Qualifier.nearly, "近100亿元", "nearly CNY 10 billion", "将近", "nearly"),
    ],
)
def test_more_than_and_nearly_on_a_card_and_as_labels(qualifier, zh, en, label_zh, label_en):
    figure = Quantity(value=10_000_000_000, unit=Unit.yuan, stated="百亿元", qualifier=qualifier)
    assert (format_quantity(figure, "zh"), format_quantity(figure, "en")) == (zh, en)
    assert (enum_label(qualifier, "zh"), enum_label(qualifier, "en")) == (label_zh, label_en)


def test_format_quantity_and_badge():
    revenue = Quantity(
        value=10_000_000_000,
        unit=Unit.yuan,
        stated="百亿元",
        qualifier=Qualifier.at_least,
        qualifier_phrase=Bilingual(zh="首次突破", en="exceeded for the first time"),
    )
    assert format_quantity(revenue, "zh") == "至少100亿元"
    assert format_quantity(revenue, "en") == "at least CNY 10 billion"
    assert format_quantity(revenue, "en", qualify=False) == "CNY 10 billion"
    assert qualifier_badge(revenue, "zh") == "首次突破"
    assert qualifier_badge(revenue, "en") == "exceeded for the first time"
    about = Quantity(
        value=10_000, unit=Unit.t_per_year, stated="1万吨吨级", qualifier="approximate"
    )
    assert format_quantity(about, "en") == "about 10,000 t/yr"
    assert format_quantity(about, "zh") == "约1万吨/年"
    assert qualifier_badge(about, "en") is None


def test_axis_labels_and_scales():
    for unit in Unit:
        for lang in ("zh", "en"):
            assert axis_unit_label(unit, lang)
        assert not CJK.search(axis_unit_label(unit, "en"))
    assert axis_unit_label(Unit.yuan, "zh") == "元"
    assert axis_unit_label(Unit.yuan, "en") == "CNY"
    assert axis_unit_label(Unit.percent, "zh") == axis_unit_label(Unit.percent, "en") == "%"
    assert axis_unit_label(Unit.t_per_year, "zh") == "吨/年"
    assert axis_unit_label(Unit.t_per_year, "en") == "t/yr"
    assert scale_for_axis([1e10, 6.21e8], Unit.yuan, "zh") == (1e8, "亿元")
    assert scale_for_axis([1e10], Unit.yuan, "en") == (1e9, "CNY billion")
    assert scale_for_axis([1e5, 4000], Unit.t_per_year, "zh") == (1e4, "万吨/年")
    assert scale_for_axis([1e5], Unit.t_per_year, "en") == (1.0, "t/yr")
    assert scale_for_axis([10_000], Unit.mw_per_year, "en") == (1000.0, "GW/yr")
    assert scale_for_axis([50], Unit.mw, "zh") == (1.0, "兆瓦")
    assert scale_for_axis([], Unit.percent, "en") == (1.0, "%")


def test_tick():
    assert tick(100000, "en") == "100,000"
    assert tick(100000, "zh") == "100,000"
    assert tick(4000, "zh") == "4000"
    assert tick(2.5, "en") == "2.5"


# --------------------------------------------------------------------------- the real facts


def test_real_yuan_facts_in_chinese(fact_base):
    assert (
        format_value(fact_base.fact("per-capita-gdp").quantity.value, Unit.yuan, "zh") == "17万元"
    )
    revenue = fact_base.fact("local-general-budget-revenue").quantity
    assert format_value(revenue.value, revenue.unit, "zh") == "100亿元"
    funds = fact_base.fact("rural-revitalisation-funds").quantity
    assert format_value(funds.value, funds.unit, "zh") == "6.21亿元"
    output = fact_base.fact("industrial-output-above-size").quantity
    assert format_quantity(output, "zh") == "至少1000亿元"
    assert format_quantity(output, "en") == "at least CNY 100 billion"


def test_every_real_quantity_formats_in_both_languages(fact_base):
    quantities = list(all_quantities(fact_base))
    assert len(quantities) >= len(fact_base.facts)
    for record_id, path, quantity, _quote in quantities:
        for lang in ("zh", "en"):
            text = format_quantity(quantity, lang)
            assert text, (record_id, path)
            assert re.search(r"\d", text), (record_id, path, text)
        assert not CJK.search(format_quantity(quantity, "en")), record_id


def test_real_figures_match_their_stated_form_in_chinese(fact_base):
    """Where the text writes a plain figure, the Chinese format says the same."""
    for record_id, _path, quantity, _quote in all_quantities(fact_base):
        zh = format_value(quantity.value, quantity.unit, "zh")
        if quantity.stated in ("17万元", "6.21亿元", "41.3万人", "101.3%", "106.4%", "4.7%"):
            assert zh == quantity.stated, record_id
        if quantity.stated in ("10万吨", "5万吨", "4000吨", "1000吨", "6000吨", "2万吨"):
            assert zh == quantity.stated + "/年", record_id
        if quantity.stated == "50兆瓦":
            assert zh == "50兆瓦", record_id
        if quantity.stated == "10GW":
            assert zh == "10GW/年", record_id


# --------------------------------------------------------------------------- round trips

_EN_SCALE = {"": 1, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_ZH_SCALE = {"": 1, "万": 10**4, "亿": 10**8, "万亿": 10**12}


def parse_en(text: str, unit: Unit) -> Decimal:
    """The value in base units an English figure states (inverse of format_value)."""
    text = re.sub(r"^(at least|about) ", "", text)
    if unit is Unit.rank:
        match = re.fullmatch(r"([\d,]+)(st|nd|rd|th)", text)
        return Decimal(match.group(1).replace(",", ""))
    match = re.search(r"(-?[\d,]+(?:\.\d+)?)(?: (million|billion|trillion))?", text)
    number = Decimal(match.group(1).replace(",", "")) * _EN_SCALE[match.group(2) or ""]
    if unit in (Unit.mw, Unit.mw_per_year) and " GW" in text:
        number *= 1000
    return number


def parse_zh(text: str, unit: Unit) -> Decimal:
    """The value in base units a Chinese figure states."""
    text = re.sub(r"^(至少|约)", "", text)
    match = re.search(r"(-?[\d,]+(?:\.\d+)?)(万亿|万|亿)?", text)
    number = Decimal(match.group(1).replace(",", "")) * _ZH_SCALE[match.group(2) or ""]
    if unit in (Unit.mw, Unit.mw_per_year) and "GW" in text:
        number *= 1000
    return number


def test_round_trip_real_quantities(fact_base):
    for record_id, _path, quantity, _quote in all_quantities(fact_base):
        expected = exact_decimal(quantity.value)
        assert parse_en(format_quantity(quantity, "en"), quantity.unit) == expected, record_id
        assert parse_zh(format_quantity(quantity, "zh"), quantity.unit) == expected, record_id


@given(
    value=st.integers(min_value=0, max_value=10**15),
    unit=st.sampled_from([Unit.yuan, Unit.persons, Unit.t_per_year, Unit.count, Unit.mw]),
)
def test_round_trip_any_whole_number(value, unit):
    assert parse_en(format_value(value, unit, "en"), unit) == value
    assert parse_zh(format_value(value, unit, "zh"), unit) == value


@given(value=st.decimals(min_value=-100, max_value=1000, places=3, allow_nan=False))
def test_round_trip_percent(value):
    text = format_value(float(value), Unit.percent, "en")
    assert parse_en(text, Unit.percent) == exact_decimal(float(value))
    if abs(value) < 1000:  # Chinese groups only from five digits on
        assert text == format_value(float(value), Unit.percent, "zh")


def test_module_has_no_streamlit():
    assert "streamlit" not in open(formatting.__file__, encoding="utf-8").read()


@pytest.mark.parametrize(
    ("parts", "total"),
    [
        (("exact", "exact"), "exact"),
        ((), "exact"),
        (("exact", "at_least"), "at_least"),
        (("at_least", "at_least"), "at_least"),
        (("exact", "more_than"), "more_than"),
        (("at_least", "more_than"), "more_than"),
        (("exact", "nearly"), "nearly"),
        (("nearly", "nearly"), "nearly"),
        (("exact", "approximate"), "approximate"),
        (("at_least", "nearly"), "approximate"),
        (("more_than", "approximate"), "approximate"),
    ],
)
def test_the_qualifier_of_a_sum(parts, total):
    """Summing bounds gives a bound, summing "nearly" gives "nearly", mixing gives "about"."""
    assert sum_qualifier(parts) is Qualifier(total)
