"""Measures and readings: grouping, the preferred reading, intervals, discrepancies, series, change."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from haixi import measures
from haixi.charts import ChartDataMissing, employment_vs_target
from haixi.cli import main
from haixi.formatting import format_quantity
from haixi.loader import FactBaseError, load
from haixi.measures import (
    APPROXIMATE_BAND,
    NEARLY_BAND,
    QUALIFIER_INTERVALS,
    SOURCE_KIND_ORDER,
    Interval,
    change,
    compare,
    discrepancies,
    discrepancy_warnings,
    interval,
    latest,
    rank,
    series,
)
from haixi.paths import DEFAULT_FACTS
from haixi.provenance import check
from haixi.schema import Qualifier, Quantity, SourceKind, Unit
from tests.multi import MULTI, MULTI_SOURCES
from tests.multi import multi_edited as edited

HERE = Path(__file__).parent
CURATING = HERE.parent / "docs" / "curating.md"

GDP, REVENUE = "per-capita-gdp", "local-general-budget-revenue"
GDP_NEWS, GDP_COMMUNIQUE, GDP_2021 = GDP, "per-capita-gdp-communique-2022", "per-capita-gdp-2021"
REVENUE_NEWS, REVENUE_COMMUNIQUE = REVENUE, "local-general-budget-revenue-communique-2022"


@pytest.fixture(scope="module")
def multi():
    return load(MULTI)


def ids(facts) -> list[str]:
    return [f.id for f in facts]


def q(value: float, qualifier: Qualifier) -> Quantity:
    return Quantity(value=float(value), unit=Unit.yuan, stated="x", qualifier=qualifier)


# --------------------------------------------------------------------------- the fixture


def test_the_fixture_says_it_is_fictitious_and_passes_provenance(multi):
    assert "Fictitious" in MULTI.read_text(encoding="utf-8").splitlines()[0]
    for source in multi.sources:
        first = (MULTI_SOURCES / source.file).read_text(encoding="utf-8").splitlines()[0]
        assert "Fictitious test text" in first, source.file
    result = check(multi, MULTI_SOURCES)
    assert result.ok, result.problems
    assert (result.quotes_found, result.checksums_ok) == (5, 3)


def test_validate_passes_the_fixture_and_warns_of_its_discrepancy(capsys):
    assert main(["validate", str(MULTI), "--sources", str(MULTI_SOURCES)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == f"{MULTI}: valid"
    assert "measures 2: 5 readings, 1 discrepancy (0 examined)" in out
    assert f"{MULTI}: 1 warning (the file is still valid)" in err
    (warning,) = [line for line in err.splitlines() if "warning:" in line]
    assert warning.startswith(f"  warning: discrepancy: {GDP} 2022: {GDP_COMMUNIQUE} (16.9万元")
    assert f"disagrees with {GDP_NEWS} (17万元" in warning
    assert "examined" not in warning


def test_the_entry_point_validates_the_fixture_through_haixi_facts_and_haixi_sources():
    env = {**os.environ, "HAIXI_FACTS": str(MULTI), "HAIXI_SOURCES": str(MULTI_SOURCES)}
    result = subprocess.run([sys.executable, "-m", "haixi", "validate"], capture_output=True,
                            text=True, env=env, cwd=HERE.parent, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"provenance ({MULTI_SOURCES})" in result.stdout
    assert "quotes found verbatim    5/5" in result.stdout
    assert "warning: discrepancy: per-capita-gdp 2022" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_examined_discrepancy_is_still_a_warning_and_says_so(tmp_path, capsys):
    text = MULTI.read_text(encoding="utf-8") + (
        f"examined:\n  - measure: {GDP}\n    period: 2022\n"
        "    note: {zh: 公报为修订数, en: The communiqué revised the figure}\n"
    )
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path), "--sources", str(MULTI_SOURCES)]) == 0
    out, err = capsys.readouterr()
    assert "1 discrepancy (1 examined)" in out
    assert "warning: discrepancy: per-capita-gdp 2022" in err
    assert "examined by the curator: The communiqué revised the figure" in err


def test_an_examined_entry_without_a_discrepancy_is_a_warning():
    base = edited(("display:", f"examined:\n  - measure: {REVENUE}\n    period: 2022\n"
                   "    note: {zh: 已核对, en: Checked}\ndisplay:"))
    stale = [w for w in discrepancy_warnings(base) if w.startswith("examined.0")]
    assert stale == [f"examined.0: {REVENUE} 2022 has no discrepancy (readings agree or there is "
                     "one reading); remove the entry"]


def test_validate_warns_of_a_discrepancy_with_more_than_or_nearly():
    # The newspaper's bound read as "more than 百亿元"; the communiqué's figure set to 100亿元
    # exactly: (1e10, inf) does not hold 1e10, so the two disagree.
    more = edited(("      qualifier: at_least\n", "      qualifier: more_than\n"),
                  ("{value: 14191000000, unit: yuan, stated: 141.91亿元}",
                   "{value: 10000000000, unit: yuan, stated: 141.91亿元}"))
    (warning,) = [w for w in discrepancy_warnings(more) if REVENUE in w]
    assert warning == (
        f"discrepancy: {REVENUE} 2022: {REVENUE_COMMUNIQUE} (141.91亿元, exact, [1e+10, 1e+10] yuan, "
        f"source haixi-communique-2022) disagrees with {REVENUE_NEWS} (百亿元, more_than, "
        "(1e+10, inf) yuan, source haixi-news-2022)"
    )
    # The newspaper's 17万元 read as "nearly": the communiqué's 16.9万元 then corroborates it...
    nearly = edited(("{value: 170000, unit: yuan, stated: 17万元}",
                     "{value: 170000, unit: yuan, stated: 17万元, qualifier: nearly}"))
    assert discrepancy_warnings(nearly) == []
    assert ids(compare(nearly, GDP, 2022).corroborating) == [GDP_NEWS]
    # ...and an exact 17万元 disagrees with it: nearly X excludes X.
    reached = edited(("{value: 170000, unit: yuan, stated: 17万元}",
                      "{value: 170000, unit: yuan, stated: 17万元, qualifier: nearly}"),
                     ("{value: 169000, unit: yuan, stated: 16.9万元}",
                      "{value: 170000, unit: yuan, stated: 16.9万元}"))
    (warning,) = discrepancy_warnings(reached)
    assert warning.startswith(f"discrepancy: {GDP} 2022: {GDP_COMMUNIQUE} (16.9万元, exact, ")
    assert f"disagrees with {GDP_NEWS} (17万元, nearly, [153000, 170000) yuan" in warning


def test_readings_are_grouped_into_measures(multi):
    found = measures.measures(multi)
    assert list(found) == [GDP, REVENUE]
    assert ids(found[GDP].readings) == [GDP_NEWS, GDP_COMMUNIQUE, GDP_2021]
    assert found[GDP].periods == (2021, 2022)
    assert ids(found[GDP].of(2022)) == [GDP_NEWS, GDP_COMMUNIQUE]
    assert ids(found[REVENUE].readings) == [REVENUE_NEWS, REVENUE_COMMUNIQUE]
    assert measures.measure(multi, "no-such-measure") is None


def test_a_measure_is_a_headline_once_whichever_reading_is_marked(multi):
    assert measures.headlines(multi) == (GDP, REVENUE)
    only_2021 = edited(("    headline: true\n", ""), ("    headline: true\n", ""),
                       ("    period: 2021\n", "    period: 2021\n    headline: true\n"))
    assert measures.headlines(only_2021) == (GDP,)
    assert latest(only_2021, GDP).id == GDP_COMMUNIQUE  # shown by its latest period


def test_the_real_fact_base_is_one_reading_per_measure_with_the_old_chart_ids():
    base = load(DEFAULT_FACTS)
    found = measures.measures(base)
    assert list(found) == [f.id for f in base.facts]
    assert all(len(m.readings) == 1 for m in found.values())
    assert discrepancies(base) == []
    # The ids charts.py and views.py held before they became data.
    charts = base.display.charts
    assert (charts.employment_vs_target.urban_jobs, charts.employment_vs_target.rural_transfer) == (
        "urban-new-jobs-target-completion", "rural-labour-transfer-target-completion")
    assert (charts.income_growth.urban, charts.income_growth.rural) == (
        "urban-disposable-income-growth", "rural-disposable-income-growth")
    assert charts.insurance_coverage.enrolled == "medical-insurance-coverage"
    assert base.display.highlights.economy == REVENUE
    assert base.display.highlights.livelihood == "urban-new-jobs-target-completion"
    assert base.display.chain_count == "chain-count-stated"


# --------------------------------------------------------------------------- preferred


def test_an_official_exact_reading_is_preferred_over_a_newspaper(multi):
    assert latest(multi, GDP).id == GDP_COMMUNIQUE  # both exact: the communiqué
    assert latest(multi, REVENUE).id == REVENUE_COMMUNIQUE  # exact beats "at least"
    assert latest(multi, None) is None
    assert latest(multi, "no-such-measure") is None


def test_exact_beats_a_bound_even_from_a_more_official_source():
    base = edited(("{value: 14191000000, unit: yuan, stated: 141.91亿元}",
                   "{value: 14191000000, unit: yuan, stated: 141.91亿元, qualifier: at_least}"),
                  ("    stated: 百亿元\n      qualifier: at_least", "    stated: 百亿元\n      qualifier: exact"))
    assert latest(base, REVENUE).id == REVENUE_NEWS


def test_among_equals_the_later_publication_is_preferred():
    base = edited(("    kind: newspaper_feature\n    covers: 2022",
                   "    kind: statistical_communique\n    covers: 2022\n    date_published: 2023-04-01"))
    assert latest(base, GDP).id == GDP_NEWS  # published a day after the communiqué
    earlier = edited(("    kind: newspaper_feature\n    covers: 2022",
                      "    kind: statistical_communique\n    covers: 2022\n    date_published: 2023-03-30"))
    assert latest(earlier, GDP).id == GDP_COMMUNIQUE
    undated = edited(("    kind: newspaper_feature\n    covers: 2022",
                      "    kind: statistical_communique\n    covers: 2022"))
    assert latest(undated, GDP).id == GDP_COMMUNIQUE  # an unknown date comes last


def test_preferred_true_overrules_and_hides_no_discrepancy():
    base = edited(("    headline: true\n", "    headline: true\n    preferred: true\n"
                   "    preferred_note: {zh: 整理者选择, en: The curator's choice}\n"))
    assert latest(base, GDP).id == GDP_NEWS
    assert ids(rank(base, base.facts[:1] + base.facts[2:3])) == [GDP_NEWS, GDP_COMMUNIQUE]
    comparison = compare(base, GDP, 2022)
    assert (comparison.preferred.id, ids(comparison.discrepant)) == (GDP_NEWS, [GDP_COMMUNIQUE])
    assert len(discrepancies(base)) == 1


def test_every_source_kind_and_qualifier_has_its_rule():
    assert sorted(SOURCE_KIND_ORDER) == sorted(SourceKind)
    assert SOURCE_KIND_ORDER.index(SourceKind.statistical_communique) < SOURCE_KIND_ORDER.index(
        SourceKind.newspaper_feature)
    assert set(QUALIFIER_INTERVALS) == set(Qualifier)


# --------------------------------------------------------------------------- intervals


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (q(100, Qualifier.exact), q(100, Qualifier.exact), True),
        (q(100, Qualifier.exact), q(101, Qualifier.exact), False),
        (q(100, Qualifier.exact), q(100, Qualifier.at_least), True),  # [100, inf) holds 100
        (q(99, Qualifier.exact), q(100, Qualifier.at_least), False),
        (q(14191000000, Qualifier.exact), q(10000000000, Qualifier.at_least), True),
        (q(5, Qualifier.at_least), q(500, Qualifier.at_least), True),
        (q(100, Qualifier.approximate), q(100 + 100 * APPROXIMATE_BAND, Qualifier.exact), True),
        (q(100, Qualifier.approximate), q(100 - 100 * APPROXIMATE_BAND, Qualifier.exact), True),
        (q(100, Qualifier.approximate), q(100 * (1 + 2 * APPROXIMATE_BAND), Qualifier.exact), False),
        (q(100, Qualifier.approximate), q(100 * (1 - 2 * APPROXIMATE_BAND), Qualifier.exact), False),
        (q(100, Qualifier.approximate), q(100 * (1 + 3 * APPROXIMATE_BAND), Qualifier.approximate),
         False),
        (q(100, Qualifier.approximate), q(100 * (1 + APPROXIMATE_BAND), Qualifier.approximate), True),
        (q(100, Qualifier.approximate), q(200, Qualifier.at_least), False),
        (q(100, Qualifier.approximate), q(100, Qualifier.at_least), True),
        # "more than X" is (X, inf): X itself is out, anything above it in.
        (q(10, Qualifier.more_than), q(10, Qualifier.exact), False),
        (q(10, Qualifier.more_than), q(10.001, Qualifier.exact), True),
        (q(10, Qualifier.more_than), q(9, Qualifier.exact), False),
        (q(10, Qualifier.more_than), q(10, Qualifier.at_least), True),  # both hold 11
        (q(10, Qualifier.more_than), q(10, Qualifier.more_than), True),
        (q(10, Qualifier.more_than), q(5, Qualifier.more_than), True),
        # "nearly X" is [X - band, X): X itself is out, a little below it in.
        (q(10, Qualifier.nearly), q(10, Qualifier.exact), False),
        (q(10, Qualifier.nearly), q(9.5, Qualifier.exact), True),
        (q(10, Qualifier.nearly), q(10 * (1 - NEARLY_BAND), Qualifier.exact), True),  # closed low end
        (q(10, Qualifier.nearly), q(10 * (1 - 2 * NEARLY_BAND), Qualifier.exact), False),
        (q(10, Qualifier.nearly), q(10.5, Qualifier.exact), False),
        (q(10, Qualifier.nearly), q(10, Qualifier.at_least), False),  # [9, 10) and [10, inf)
        (q(10, Qualifier.nearly), q(9.9, Qualifier.at_least), True),
        (q(10, Qualifier.nearly), q(10, Qualifier.more_than), False),
        (q(10, Qualifier.nearly), q(9.5, Qualifier.more_than), True),
        (q(10, Qualifier.nearly), q(10, Qualifier.nearly), True),
        (q(10, Qualifier.nearly), q(10 * (1 - NEARLY_BAND), Qualifier.nearly), False),  # [8.1, 9)
        (q(10, Qualifier.nearly), q(10, Qualifier.approximate), True),
        (q(10, Qualifier.nearly), q(10 * (1 + 2 * APPROXIMATE_BAND), Qualifier.approximate), False),
        (q(10, Qualifier.more_than), q(9.5, Qualifier.approximate), True),  # [8.55, 10.45]
        (q(10, Qualifier.more_than), q(9, Qualifier.approximate), False),  # [8.1, 9.9]
    ],
)
def test_readings_compare_as_intervals(a, b, overlap):
    assert interval(a).overlaps(interval(b)) is overlap
    assert interval(b).overlaps(interval(a)) is overlap


def test_interval_ends_open_and_closed():
    assert interval(q(7, Qualifier.exact)) == Interval(7, 7)
    assert interval(q(7, Qualifier.at_least)) == Interval(7, math.inf, True, False)
    assert not Interval(0, 1, True, False).overlaps(Interval(1, 2))
    assert not Interval(1, 2).overlaps(Interval(0, 1, True, False))
    assert Interval(0, 1).overlaps(Interval(1, 2))
    assert not Interval(1, 2, False, True).overlaps(Interval(1, 1))
    assert str(Interval(7, math.inf, True, False)) == "[7, inf)"
    assert interval(q(7, Qualifier.more_than)) == Interval(7, math.inf, False, False)
    assert str(interval(q(7, Qualifier.more_than))) == "(7, inf)"
    assert interval(q(10, Qualifier.nearly)) == Interval(10 - 10 * NEARLY_BAND, 10, True, False)
    assert str(interval(q(10, Qualifier.nearly))) == f"[{10 - 10 * NEARLY_BAND:g}, 10)"
    # A negative percent is nearly reached from below too: the band is a share of |X|.
    negative = Quantity(value=-10.0, unit=Unit.percent, stated="x", qualifier=Qualifier.nearly)
    assert interval(negative) == Interval(-10 - 10 * NEARLY_BAND, -10, True, False)


def test_the_band_of_about_is_documented_in_the_curators_guide():
    text = CURATING.read_text(encoding="utf-8")
    assert f"±{APPROXIMATE_BAND:.0%}" in text
    assert "APPROXIMATE_BAND" in text
    assert f"up to {NEARLY_BAND:.0%} below X" in text
    assert "NEARLY_BAND" in text
    for qualifier in Qualifier:
        assert f"| `{qualifier.value}`" in text, qualifier  # in both tables
        assert text.count(f"| `{qualifier.value}`") >= 2, qualifier


# --------------------------------------------------------------------------- comparison


def test_a_bound_corroborates_the_exact_reading(multi):
    comparison = compare(multi, REVENUE, 2022)
    assert comparison.preferred.id == REVENUE_COMMUNIQUE
    assert (ids(comparison.corroborating), ids(comparison.discrepant)) == ([REVENUE_NEWS], [])
    assert compare(multi, REVENUE, 2021) is None


def test_two_exact_readings_that_differ_are_a_discrepancy(multi):
    comparison = compare(multi, GDP, 2022)
    assert (ids(comparison.corroborating), ids(comparison.discrepant)) == ([], [GDP_NEWS])
    (found,) = discrepancies(multi)
    assert (found.measure, found.period, ids(found.readings)) == (GDP, 2022,
                                                                   [GDP_COMMUNIQUE, GDP_NEWS])
    assert found.examined is None


def test_discrepancies_are_pairs_even_when_both_agree_with_the_preferred():
    # Preferred: at least 100亿; the others, about 120亿 and about 300亿, each agree with it
    # but not with each other.
    base = edited(
        ("{value: 14191000000, unit: yuan, stated: 141.91亿元}",
         "{value: 30000000000, unit: yuan, stated: 141.91亿元, qualifier: approximate}"),
    )
    news = base.facts[1].model_copy(update={"preferred": True})
    base = base.model_copy(update={"facts": [
        base.facts[0], news, *base.facts[2:],
        base.facts[3].model_copy(update={
            "id": "revenue-third", "quantity": q(12000000000, Qualifier.approximate),
            "source": base.facts[4].source,
        }),
    ]})
    comparison = compare(base, REVENUE, 2022)
    assert comparison.preferred.id == REVENUE_NEWS
    assert (sorted(ids(comparison.corroborating)), ids(comparison.discrepant)) == (
        sorted([REVENUE_COMMUNIQUE, "revenue-third"]), [])
    (found,) = [d for d in discrepancies(base) if d.measure == REVENUE]
    assert set(ids(found.readings)) == {REVENUE_COMMUNIQUE, "revenue-third"}


# --------------------------------------------------------------------------- series and change


def test_a_series_has_one_point_per_period_from_the_preferred_reading(multi):
    points = series(multi, GDP)
    assert [(p.period, p.reading.id) for p in points] == [(2021, GDP_2021), (2022, GDP_COMMUNIQUE)]
    assert all(p.exact for p in points)
    assert series(multi, "no-such-measure") == ()


def test_a_bound_stays_a_bound_in_its_series(multi):
    only_news = multi.model_copy(update={"facts": [f for f in multi.facts
                                                   if f.id != REVENUE_COMMUNIQUE]})
    (point,) = series(only_news, REVENUE)
    assert (point.reading.id, point.exact) == (REVENUE_NEWS, False)
    assert point.interval == Interval(1e10, math.inf, True, False)


def test_change_against_the_previous_period_where_both_are_exact(multi):
    found = change(multi, GDP)
    assert (found.period, found.previous_period) == (2022, 2021)
    assert (found.value, found.previous, found.difference) == (169000, 152000, 17000)
    assert found.relative == pytest.approx(17000 / 152000)
    assert change(multi, GDP, 2021) is None  # no earlier period
    assert change(multi, REVENUE) is None  # one period only
    assert change(multi, GDP, 2020) is None


def test_no_change_when_a_period_is_only_a_bound():
    base = edited(("{value: 152000, unit: yuan, stated: 15.2万元}",
                   "{value: 152000, unit: yuan, stated: 15.2万元, qualifier: at_least}"))
    assert series(base, GDP)[0].exact is False
    assert change(base, GDP) is None


# --------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("old", "new", "field", "fragment"),
    [
        ("    measure: per-capita-gdp\n", "    measure: per-capita-gpd\n", "facts.2.measure",
         "unknown measure 'per-capita-gpd'"),
        ("    measure: per-capita-gdp\n", f"    measure: {GDP_2021}\n", "facts.2.measure",
         f"unknown measure '{GDP_2021}': it is itself a reading"),
        ("{value: 169000, unit: yuan, stated: 16.9万元}", "{value: 16.9, unit: percent, stated: 16.9万元}",
         "facts.2.quantity.unit", "in percent, but the measure is in yuan"),
        ("economy: local-general-budget-revenue", f"economy: {REVENUE_COMMUNIQUE}",
         "display.highlights.economy", f"unknown measure '{REVENUE_COMMUNIQUE}'"),
        ("    period: 2021\n", "    period: 2028\n", "facts.4.period",
         "period 2028 is after 2027"),
        ("    period: 2021\n", "    period: 1948\n", "facts.4.period", "greater than or equal to 1949"),
    ],
)
def test_each_rule_names_line_and_field(old, new, field, fragment):
    with pytest.raises(FactBaseError) as info:
        edited((old, new))
    report = info.value.report()
    assert "Traceback" not in report
    matching = [p for p in info.value.problems if p.field == field]
    assert matching and fragment in matching[0].message, report
    assert matching[0].line is not None and re.match(r"multi\.yaml:\d+", str(matching[0]))


def test_one_source_gives_one_reading_per_measure_and_period():
    # Three sources may each read one measure for one period.
    three = edited(("    period: 2021\n", "    period: 2022\n"))
    assert ids(measures.measure(three, GDP).of(2022)) == [GDP_NEWS, GDP_COMMUNIQUE, GDP_2021]
    with pytest.raises(FactBaseError) as info:
        edited(("source: {source: haixi-report-2021, quote: 全州人均GDP达到15.2万元}",
                "source: {source: haixi-news-2022, quote: 全州人均GDP达到15.2万元}"),
               ("    period: 2021\n", "    period: 2022\n"))
    (problem,) = info.value.problems
    assert problem.field == "facts.4.source.source"
    assert "a second reading of measure 'per-capita-gdp' for 2022 from source 'haixi-news-2022'" in (
        problem.message)


def test_two_preferred_readings_of_one_period_are_refused_one_in_each_period_is_not():
    note = "    preferred_note: {zh: 选择, en: Chosen}\n"
    news = ("    headline: true\n    source: {source: haixi-news-2022, quote: 人均GDP达到17万元}",
            "    headline: true\n    preferred: true\n" + note
            + "    source: {source: haixi-news-2022, quote: 人均GDP达到17万元}")
    communique = ("    source: {source: haixi-communique-2022, quote: 全州人均生产总值16.9万元}",
                  "    preferred: true\n" + note
                  + "    source: {source: haixi-communique-2022, quote: 全州人均生产总值16.9万元}")
    report_2021 = ("    source: {source: haixi-report-2021",
                   "    preferred: true\n" + note + "    source: {source: haixi-report-2021")
    assert latest(edited(news, report_2021), GDP).id == GDP_NEWS
    with pytest.raises(FactBaseError) as info:
        edited(news, communique)
    (problem,) = info.value.problems
    assert (problem.field, "a second preferred reading" in problem.message) == ("facts.2.preferred",
                                                                                 True)
    with pytest.raises(FactBaseError, match="preferred_note is only for a reading marked"):
        edited(("    topic: economy\n    source: {source: haixi-report-2021",
                "    topic: economy\n" + note + "    source: {source: haixi-report-2021"))


def test_period_bound_follows_the_release_year():
    base = edited(("released: 2026-12-06", "released: 2027-01-02"), ("    period: 2021\n", "    period: 2028\n"))
    assert series(base, GDP)[-1].period == 2028
    assert base.meta.released == dt.date(2027, 1, 2)


# --------------------------------------------------------------------------- display


def test_charts_and_highlights_show_the_preferred_reading_of_their_measure(multi):
    from haixi.views.overview import highlights

    reading = latest(multi, REVENUE)
    links = {link.page: link for link in highlights(multi, "en")}
    assert format_quantity(reading.quantity, "en") in links["economy"].text
    assert links["livelihood"].text == ""  # the fixture names no livelihood highlight
    with pytest.raises(ChartDataMissing, match="display.charts.employment_vs_target"):
        employment_vs_target(multi, "en")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_card_words_a_more_than_or_nearly_reading_with_its_qualifier(lang):
    from haixi.views import measure_figure

    more = edited(("      qualifier: at_least\n", "      qualifier: more_than\n"))
    news = more.by_id(REVENUE_NEWS).quantity
    card = measure_figure(more, lang, measures.measure(more, REVENUE))
    (also,) = card.also  # 141.91亿 lies above 百亿: the bound corroborates it, in its words
    assert format_quantity(news, lang) in also
    assert format_quantity(news, lang).startswith({"en": "more than ", "zh": "超过"}[lang])
    nearly = edited(("{value: 169000, unit: yuan, stated: 16.9万元}",
                     "{value: 169000, unit: yuan, stated: 16.9万元, qualifier: nearly}"))
    card = measure_figure(nearly, lang, measures.measure(nearly, GDP))
    # The exact 17万 is preferred; "nearly 16.9万" excludes it: the card says they disagree.
    assert format_quantity(nearly.by_id(GDP_COMMUNIQUE).quantity, lang) in card.disagreement
    assert {"en": "nearly ", "zh": "近"}[lang] in card.disagreement
