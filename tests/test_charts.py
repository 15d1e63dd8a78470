"""Chart builders on the real fact base, in both languages, and on modified copies of it."""

from __future__ import annotations

import json
from collections import Counter

import plotly.graph_objects as go
import pytest

from haixi import charts, theme
from haixi.charts import (
    BUILDERS,
    STAGE_ORDER,
    Chart,
    ChartDataMissing,
    capacity_by_product,
    chain_hierarchy,
    chains_overview,
    employment_vs_target,
    errata_by_kind,
    income_growth,
    insurance_coverage,
    projects_by_stage,
)
from haixi.formatting import format_quantity
from haixi.i18n import CJK, COLUMN_HEADERS, LANGS, enum_label, nt, pick, t
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS
from haixi.schema import ErratumKind, Qualifier, Quantity, Stage, Unit, all_quantities


def chart_ids(fig: go.Figure) -> set[str]:
    """Every record id carried in the figure's customdata (first element of each point)."""
    ids: set[str] = set()
    for trace in fig.data:
        customdata = getattr(trace, "customdata", None)
        if customdata is None:
            continue
        for row in customdata:
            first = row[0] if not isinstance(row, str) else row
            ids.update(str(first).split())
    return ids



@pytest.fixture(scope="module")
def fact_base():
    return load(DEFAULT_FACTS)


def _replace(items, ident, **update):
    """A copy of a list of records with the one whose id is `ident` updated."""
    return [item.model_copy(update=update) if item.id == ident else item for item in items]


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _strings(value)


def _points(fig: go.Figure) -> list[tuple]:
    """(trace index, customdata row) for every point that carries customdata."""
    return [(i, row) for i, trace in enumerate(fig.data) for row in (trace.customdata or ())]


# --------------------------------------------------------------------------- every builder


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builder_contract(fact_base, name, lang):
    before = fact_base.model_dump()
    chart = BUILDERS[name](fact_base, lang)
    assert fact_base.model_dump() == before, "builders must not mutate the base"

    assert isinstance(chart, Chart)
    assert isinstance(chart.figure, go.Figure)
    assert chart.title.strip()
    assert chart.fact_ids
    assert len(set(chart.fact_ids)) == len(chart.fact_ids)
    assert chart_ids(chart.figure) == set(chart.fact_ids)
    assert not chart.data.empty

    # Column headers are catalogue strings of the chosen language.
    headers = {t(key, lang) for key in COLUMN_HEADERS}
    assert set(chart.data.columns) <= headers, set(chart.data.columns) - headers

    # One template, stored in the figure, with a CJK-capable font and the palette.
    template = chart.figure.layout.template
    assert "Noto Sans CJK SC" in template.layout.font.family
    assert tuple(template.layout.colorway) == theme.PALETTE
    assert template.layout.paper_bgcolor == "#FFFFFF"

    for trace in chart.figure.data:
        assert trace.customdata is not None and len(trace.customdata) > 0
        assert trace.hovertemplate and "customdata" in trace.hovertemplate
        assert trace.type in {"bar", "scatter", "sunburst", "treemap", "indicator"}

    # Pure: the same input gives the same figure.
    assert BUILDERS[name](fact_base, lang).figure.to_json() == chart.figure.to_json()


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_english_figure_has_no_chinese(fact_base, name):
    """Only the source's own wording of a figure ("as stated") may appear in Chinese."""
    stated = sorted({q.stated for _, _, q, _ in all_quantities(fact_base)}, key=len, reverse=True)
    english = json.loads(BUILDERS[name](fact_base, "en").figure.to_json())
    for text in _strings(english):
        for deliberate in stated:
            text = text.replace(deliberate, "")
        assert not CJK.search(text), text
    chinese = json.loads(BUILDERS[name](fact_base, "zh").figure.to_json())
    assert any(CJK.search(text) for text in _strings(chinese))


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_english_data_has_no_chinese_except_stated(fact_base, name):
    stated = {q.stated for _, _, q, _ in all_quantities(fact_base)}
    data = BUILDERS[name](fact_base, "en").data
    for value in data.astype(str).to_numpy().ravel():
        if value not in stated:
            assert not CJK.search(value), value


# --------------------------------------------------------------------------- livelihood


@pytest.mark.parametrize("lang", LANGS)
def test_employment_vs_target(fact_base, lang):
    ids = ["urban-new-jobs-target-completion", "rural-labour-transfer-target-completion"]
    chart = employment_vs_target(fact_base, lang)
    (bar,) = chart.figure.data
    assert list(bar.x) == ids
    assert list(bar.y) == [fact_base.fact(i).quantity.value for i in ids]
    assert list(bar.y) == [101.3, 106.4]
    lines = [
        s
        for s in chart.figure.layout.shapes
        if s.type == "line" and s.y0 == 100 and s.y1 == 100 and s.line.dash == "dash"
    ]
    assert len(lines) == 1
    label = t("chart.annual_target_line", lang)
    assert any(label in (a.text or "") for a in chart.figure.layout.annotations)
    assert chart.title == t(
        "chart.employment.title_all_beaten",
        lang,
        values=("101.3%、106.4%" if lang == "zh" else "101.3% and 106.4%"),
    )
    assert chart.data[t("col.value_raw", lang)].tolist() == [101.3, 106.4]


def test_employment_title_follows_the_data(fact_base):
    ident = "urban-new-jobs-target-completion"
    fact = fact_base.fact(ident)
    lower = fact.quantity.model_copy(update={"value": 95.0, "stated": "95%"})
    modified = fact_base.model_copy(
        update={"facts": _replace(fact_base.facts, ident, quantity=lower)}
    )
    chart = employment_vs_target(modified, "en")
    assert list(chart.figure.data[0].y) == [95.0, 106.4]
    assert chart.title == "1 of 2 employment targets was missed: 95% and 106.4%"
    # The original is untouched.
    assert employment_vs_target(fact_base, "en").figure.data[0].y[0] == 101.3


def test_missing_fact_is_reported(fact_base):
    modified = fact_base.model_copy(
        update={"facts": [f for f in fact_base.facts if f.id != "rural-disposable-income-growth"]}
    )
    with pytest.raises(ChartDataMissing, match="rural-disposable-income-growth"):
        income_growth(modified, "zh")


@pytest.mark.parametrize("lang", LANGS)
def test_income_growth(fact_base, lang):
    chart = income_growth(fact_base, lang)
    (bar,) = chart.figure.data
    assert list(bar.y) == [4.7, 6.2]
    assert set(bar.x) == set(chart.fact_ids)
    assert ("6.2%" in chart.title) and ("4.7%" in chart.title)
    assert chart.title == t("chart.income.title_rural_faster", lang, rural="6.2%", urban="4.7%")


def test_income_title_follows_the_data(fact_base):
    ident = "urban-disposable-income-growth"
    q = fact_base.fact(ident).quantity.model_copy(update={"value": 7.5})
    modified = fact_base.model_copy(update={"facts": _replace(fact_base.facts, ident, quantity=q)})
    assert income_growth(modified, "en").title.startswith("Urban incomes grew faster")


@pytest.mark.parametrize("lang", LANGS)
def test_insurance_coverage(fact_base, lang):
    chart = insurance_coverage(fact_base, lang)
    (bar,) = chart.figure.data
    assert list(bar.y) == [102.46]
    assert chart.fact_ids == ("medical-insurance-coverage",)
    assert any(s.y0 == 100 and s.line.dash == "dash" for s in chart.figure.layout.shapes)
    assert "102.46%" in chart.title
    assert chart.note


# --------------------------------------------------------------------------- chains


@pytest.mark.parametrize("lang", LANGS)
def test_chains_overview(fact_base, lang):
    chart = chains_overview(fact_base, lang)
    chains = sorted(fact_base.chains, key=lambda c: c.position)
    ids = [c.id for c in chains]
    assert len(ids) == 13
    assert chart.fact_ids == tuple(ids)
    assert len(chart.figure.data) == 3
    for trace in chart.figure.data:
        assert list(trace.y) == ids  # one bar category per chain, in the text's order
        assert trace.orientation == "h"
    assert chart.figure.layout.barmode == "stack"
    projects, facts, highlights = (list(trace.x) for trace in chart.figure.data)
    assert projects == [len(fact_base.projects_of(c)) for c in ids]
    assert facts == [len(fact_base.facts_of(c)) for c in ids]
    assert highlights == [len(c.highlights) for c in chains]
    assert list(chart.figure.layout.yaxis.ticktext) != ids
    assert len(chart.data) == 13
    # Chains the text says nothing about are marked, not dropped.
    silent = [
        c for c, p, f, h in zip(ids, projects, facts, highlights, strict=True) if p + f + h == 0
    ]
    assert silent
    marked = [
        a.y for a in chart.figure.layout.annotations if a.text == t("chart.nothing_reported", lang)
    ]
    assert marked == silent
    with_projects = sum(1 for p in projects if p)
    assert chart.title == nt("chart.chains.title_some", "chart.chains.title_some.plural",
                             with_projects, lang, with_projects=with_projects, total=13)


def test_chains_overview_follows_the_data(fact_base):
    moved = _replace(fact_base.projects, "yuse-big-data-centre", chain="eco-tourism")
    chart = chains_overview(fact_base.model_copy(update={"projects": moved}), "en")
    ids = list(chart.figure.data[0].y)
    assert chart.figure.data[0].x[ids.index("eco-tourism")] == 1
    assert chart.figure.data[0].x[ids.index("digital-economy")] == 0
    assert chart.title == "Only 4 of the 13 listed chains have projects reported"
    moved = _replace(moved, "ganfeng-lithium-metal", chain="astronomy")
    chart = chains_overview(fact_base.model_copy(update={"projects": moved}), "en")
    assert chart.title == "Only 5 of the 13 listed chains have projects reported"


@pytest.mark.parametrize("lang", LANGS)
def test_chain_hierarchy(fact_base, lang):
    chart = chain_hierarchy(fact_base, lang)
    (sun,) = chart.figure.data
    chains_with_projects = {p.chain for p in fact_base.projects if p.chain}
    expected = chains_with_projects | {p.id for p in fact_base.projects}
    assert set(chart.fact_ids) == expected
    parent = dict(zip(sun.ids, sun.parents, strict=True))
    value = dict(zip(sun.ids, sun.values, strict=True))
    for project in fact_base.projects:
        assert parent[project.id] == project.chain
        assert value[project.id] == 1
    for chain in chains_with_projects:
        assert parent[chain] == charts.ROOT_ID
        assert value[chain] == len(fact_base.projects_of(chain))
    assert value[charts.ROOT_ID] == len(fact_base.projects)
    assert len(chart.data) == len(fact_base.projects)
    top = max(chains_with_projects, key=lambda c: len(fact_base.projects_of(c)))
    assert pick(next(c.name for c in fact_base.chains if c.id == top), lang) in chart.title


# --------------------------------------------------------------------------- projects


def _expected_capacity(base, unit):
    return [
        (p.id, o.capacity.value, o.capacity.qualifier)
        for p in base.projects
        for o in p.outputs
        if o.capacity is not None and o.capacity.unit is unit
    ]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("unit", [Unit.t_per_year, Unit.mw, Unit.mw_per_year])
def test_capacity_by_product(fact_base, lang, unit):
    expected = _expected_capacity(fact_base, unit)
    assert expected
    chart = capacity_by_product(fact_base, lang, unit)
    assert set(chart.fact_ids) == {e[0] for e in expected}
    plotted = []
    for trace in chart.figure.data:
        assert trace.orientation == "h"
        (row,) = trace.customdata
        (x,) = trace.x
        shape = trace.marker.pattern.shape
        plotted.append((row[0], x, shape))
    assert sorted((i, v) for i, v, _ in plotted) == sorted((i, v) for i, v, _ in expected)
    # Bands (about, nearly) are hatched; exact figures and bounds are not.
    bands = (Qualifier.approximate, Qualifier.nearly)
    approximate = {(i, v) for i, v, q in expected if q in bands}
    for ident, x, shape in plotted:
        assert (shape == "/") == ((ident, x) in approximate)
    assert len(chart.data) == len(expected)
    assert chart.data[t("col.value_raw", lang)].sum() == sum(v for _, v, _ in expected)
    for column in ("col.project", "col.company", "col.product", "col.capacity", "col.qualifier"):
        assert t(column, lang) in chart.data.columns


def test_capacity_real_values(fact_base):
    chart = capacity_by_product(fact_base, "en")
    assert chart.title == "Largest reported capacity: High-purity polysilicon, 100,000 t/yr in all"
    products = chart.data.groupby("Product")["Value (base units)"].sum().to_dict()
    assert products["Lithium carbonate"] == 26000
    approx = chart.data[chart.data["Qualifier"] == "approximate"]["ID"].tolist()
    assert sorted(approx) == ["jinhai-lithium-chloride-carbonate", "zhonglixin-lithium-carbonate"]
    assert "≈" in " ".join(str(tr.text) for tr in chart.figure.data)
    assert any("about 26,000 t/yr" in (a.text or "") for a in chart.figure.layout.annotations)
    # Only comparable units: the MW and MW/yr outputs are not in the tonnes chart.
    assert "supcon-delingha-csp" not in chart.fact_ids
    assert "crrc-wind-pv-equipment" not in chart.fact_ids


def test_capacity_follows_the_data(fact_base):
    project = next(p for p in fact_base.projects if p.id == "lihao-monocrystalline-silicon")
    output = project.outputs[0].model_copy(
        update={"capacity": Quantity(value=300000, unit=Unit.t_per_year, stated="30万吨")}
    )
    modified = fact_base.model_copy(
        update={"projects": _replace(fact_base.projects, project.id, outputs=[output])}
    )
    chart = capacity_by_product(modified, "zh")
    assert project.id in chart.fact_ids
    assert chart.title == "报道产能最大的产品:单晶硅,合计30万吨/年"
    empty = fact_base.model_copy(update={"projects": []})
    chart = capacity_by_product(empty, "en")
    assert chart.title == t("chart.none_in_unit", "en", unit=enum_label(Unit.t_per_year, "en"))
    assert chart.data.empty and not chart.fact_ids


def test_a_total_of_bounds_says_at_least_and_a_nearly_bar_is_hatched(fact_base):
    """A product's total carries the qualifier of its sum: exact plus "at least" is at least."""
    chart = capacity_by_product(fact_base, "en")
    top = chart.data.groupby("Product")["Value (base units)"].sum().idxmax()
    rows = chart.data[chart.data["Product"] == top]
    first = rows["ID"].iloc[0]
    project = next(p for p in fact_base.projects if p.id == first)
    bound = project.outputs[0].capacity.model_copy(update={"qualifier": Qualifier.at_least})
    output = project.outputs[0].model_copy(update={"capacity": bound})
    modified = fact_base.model_copy(
        update={"projects": _replace(fact_base.projects, project.id, outputs=[output])}
    )
    exact_rest = all(q == "exact" for q in rows["Qualifier"].iloc[1:])
    assert exact_rest, "the test wants the other outputs of the largest product exact"
    total = rows["Value (base units)"].sum()
    annotations = [a.text for a in capacity_by_product(modified, "en").figure.layout.annotations]
    assert any(a.startswith("at least ") and f"{total:,.0f}" in a for a in annotations), annotations
    nearly = project.outputs[0].capacity.model_copy(update={"qualifier": Qualifier.nearly})
    modified = fact_base.model_copy(update={"projects": _replace(
        fact_base.projects, project.id,
        outputs=[project.outputs[0].model_copy(update={"capacity": nearly})])})
    bars = {tr.customdata[0][0]: tr.marker.pattern.shape
            for tr in capacity_by_product(modified, "en").figure.data}
    assert bars[project.id] == "/"


@pytest.mark.parametrize("lang", LANGS)
def test_projects_by_stage(fact_base, lang):
    chart = projects_by_stage(fact_base, lang)
    (bar,) = chart.figure.data
    assert list(bar.y) == [s.value for s in STAGE_ORDER]
    counts = Counter(p.stage for p in fact_base.projects)
    assert list(bar.x) == [counts.get(s, 0) for s in STAGE_ORDER]
    assert sum(bar.x) == len(fact_base.projects)
    assert set(chart.fact_ids) == {p.id for p in fact_base.projects}
    assert list(bar.marker.color) == [theme.STAGE_COLOURS[s] for s in STAGE_ORDER]
    assert list(chart.figure.layout.yaxis.ticktext) == [enum_label(s, lang) for s in STAGE_ORDER]
    assert chart.title == t(
        "chart.stage.title", lang, stage=enum_label(Stage.started, lang), count=8, total=17
    )
    # The names column is headed as names: "项目数" (number of projects) headed it in Chinese.
    names = chart.data[t("col.project_names", lang)]
    started = [pick(p.name, lang) for p in fact_base.projects if p.stage is Stage.started]
    assert names[STAGE_ORDER.index(Stage.started)] == "; ".join(started)
    assert t("col.project_names", "zh") == "项目"


def test_projects_by_stage_follows_the_data(fact_base):
    modified = fact_base.model_copy(
        update={"projects": _replace(fact_base.projects, "supcon-delingha-csp", stage=Stage.built)}
    )
    (bar,) = projects_by_stage(modified, "en").figure.data
    assert bar.x[STAGE_ORDER.index(Stage.built)] == 1
    assert bar.x[STAGE_ORDER.index(Stage.grid_connected)] == 0


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize("lang", LANGS)
def test_errata_by_kind(fact_base, lang):
    chart = errata_by_kind(fact_base, lang)
    (bar,) = chart.figure.data
    counts = Counter(e.kind for e in fact_base.errata)
    assert list(bar.y) == [k.value for k in ErratumKind]
    assert list(bar.x) == [counts.get(k, 0) for k in ErratumKind]
    assert set(chart.fact_ids) == {e.id for e in fact_base.errata}
    top, n = counts.most_common(1)[0]
    assert chart.title == t(
        "chart.errata.title", lang, kind=enum_label(top, lang), count=n, total=len(fact_base.errata)
    )


def test_errata_follow_the_data(fact_base):
    chart = errata_by_kind(fact_base.model_copy(update={"errata": []}), "zh")
    assert chart.title == t("chart.errata.title_empty", "zh")
    assert list(chart.figure.data[0].x) == [0] * len(ErratumKind)


# --------------------------------------------------------------------------- summaries


def _numbers(text: str) -> list[str]:
    import re

    return re.findall(r"\d[\d,.]*\d|\d", text)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_summary_is_one_sentence_of_the_charts_own_numbers(fact_base, name, lang):
    chart = BUILDERS[name](fact_base, lang)
    summary = chart.summary
    assert summary.endswith("。" if lang == "zh" else ".")
    assert summary.count("。" if lang == "zh" else ". ") <= (1 if lang == "zh" else 0)
    assert (CJK.search(summary) is not None) == (lang == "zh")
    # No number the chart does not show: each is in the data, the figure or the title.
    shown = chart.data.to_csv() + chart.figure.to_json() + chart.title
    assert _numbers(summary)
    for number in _numbers(summary):
        assert number in shown, (number, summary)


@pytest.mark.parametrize("lang", LANGS)
def test_summaries_state_every_figure_as_formatted(fact_base, lang):
    def summary(name):
        return BUILDERS[name](fact_base, lang).summary

    for ident in ("urban-new-jobs-target-completion", "rural-labour-transfer-target-completion"):
        assert format_quantity(fact_base.fact(ident).quantity, lang) in summary(
            "employment_vs_target"
        )
    income = fact_base.display.charts.income_growth
    for ident in (income.urban, income.rural):
        assert format_quantity(fact_base.fact(ident).quantity, lang) in summary("income_growth")
    insurance = fact_base.fact(fact_base.display.charts.insurance_coverage.enrolled).quantity
    assert format_quantity(insurance, lang) in summary("insurance_coverage")
    stages = summary("projects_by_stage")
    for stage in STAGE_ORDER:
        count = sum(1 for p in fact_base.projects if p.stage is stage)
        item = f"{enum_label(stage, lang)}{count}个" if lang == "zh" else f"{enum_label(stage, lang)} {count}"
        assert item in stages
    errata = summary("errata_by_kind")
    for kind in ErratumKind:
        count = sum(1 for e in fact_base.errata if e.kind is kind)
        assert (f"{enum_label(kind, lang)}{count}条" if lang == "zh" else f"{enum_label(kind, lang)} {count}") in errata
    capacity = capacity_by_product(fact_base, lang)
    product = capacity.data[t("col.product", lang)].iloc[0]
    assert product in capacity.summary
    assert ("10万吨/年" if lang == "zh" else "100,000 t/yr") in capacity.summary
    hierarchy = summary("chain_hierarchy")
    for chain in fact_base.chains:
        assert (pick(chain.name, lang) in hierarchy) == bool(fact_base.projects_of(chain.id))


def test_summary_follows_the_data(fact_base):
    ident = "urban-new-jobs-target-completion"
    lower = fact_base.fact(ident).quantity.model_copy(update={"value": 95.0, "stated": "95%"})
    modified = fact_base.model_copy(
        update={"facts": _replace(fact_base.facts, ident, quantity=lower)}
    )
    assert employment_vs_target(modified, "en").summary == (
        "Share of the annual target reached: New urban jobs 95% and Rural labour moved into "
        "work 106.4%."
    )
    assert employment_vs_target(fact_base, "zh").summary == (
        "完成年度目标的比例:城镇新增就业101.3%、农牧区劳动力转移就业106.4%。"
    )
    empty = fact_base.model_copy(update={"errata": []})
    assert errata_by_kind(empty, "en").summary == t("chart.errata.title_empty", "en")


def test_a_chart_without_a_summary_is_refused():
    with pytest.raises(ValueError, match="summary"):
        Chart(go.Figure(), None, "A title", ())


# --------------------------------------------------------------------------- theme


def test_theme():
    assert len(theme.PALETTE) == len(set(theme.PALETTE)) == 7
    assert set(theme.STAGE_COLOURS) == set(Stage)
    assert set(theme.STAGE_COLOURS.values()) <= set(theme.PALETTE)
    assert len(set(theme.STAGE_COLOURS.values())) == len(Stage)
    fig = theme.apply(go.Figure(go.Bar(x=[1], y=[1])), "en")
    assert fig.layout.template.layout.font.family == theme.FONT_FAMILY
    assert fig.layout.template.layout.plot_bgcolor == theme.BACKGROUND == "#FFFFFF"


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#FFFFFF", 21.0),
        ("#FFFFFF", "#FFFFFF", 1.0),
        ("#767676", "#FFFFFF", 4.54),  # the lightest grey that passes AA on white
        ("#0072B2", "#FFFFFF", 5.19),
        ("#E69F00", "#FFFFFF", 2.25),  # Okabe-Ito orange: too light for a mark
        ("#76797C", "#FFFFFF", 4.37),  # the old caption colour (issue 15)
    ],
)
def test_contrast_ratio_is_wcag(first, second, ratio):
    assert theme.contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)
    assert theme.contrast_ratio(second, first) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("colour", theme.PALETTE)
def test_every_mark_colour_reaches_3_to_1_and_its_label_4_5_to_1(colour):
    assert theme.contrast_ratio(colour, theme.BACKGROUND) >= 3.0
    assert theme.contrast_ratio(theme.text_on(colour), colour) >= 4.5


@pytest.mark.parametrize(
    "colour",
    [theme.TEXT_COLOUR, theme.MUTED_TEXT_COLOUR, theme.REFERENCE_LINE_COLOUR],
)
def test_chart_text_reaches_4_5_to_1(colour):
    assert theme.contrast_ratio(colour, theme.BACKGROUND) >= 4.5


def test_axis_lines_reach_3_to_1():
    assert theme.contrast_ratio(theme.ZERO_LINE_COLOUR, theme.BACKGROUND) >= 3.0


# Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB.
_CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")


def _lab(colour: str, vision: str) -> tuple[float, float, float]:
    """CIELAB (D65) of the colour as seen with the given vision ("normal" or a _CVD key)."""
    srgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    rgb = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
    if vision != "normal":
        rgb = [
            min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True))))
            for row in _CVD[vision]
        ]
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(v: float) -> float:
        return v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _closest_pair(colours, vision: str) -> float:
    """The smallest CIE76 colour difference between two of the colours, for that vision."""
    import itertools
    import math

    return min(
        math.dist(_lab(a, vision), _lab(b, vision)) for a, b in itertools.combinations(colours, 2)
    )


@pytest.mark.parametrize("vision", ["normal", *_CVD])
def test_palette_stays_as_colour_blind_safe_as_okabe_ito(vision):
    # Darkened for contrast, no two colours come closer than the original palette's two
    # closest (16 ΔE under tritanopia) with any common colour-vision deficiency.
    floor = min(_closest_pair(OKABE_ITO, v) for v in ("normal", *_CVD))
    assert _closest_pair(theme.PALETTE, vision) >= floor
    assert _closest_pair(("#000000", "#151515", "#FFFFFF"), vision) < floor  # it can fail


def test_modules_do_not_import_streamlit():
    for module in (charts, theme):
        assert "streamlit" not in open(module.__file__, encoding="utf-8").read()
