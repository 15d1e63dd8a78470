"""Chart builders: pure functions from the fact base to a localised Plotly figure and its data."""

# Every builder takes (base, lang, ...) and returns a Chart: the figure, the exact data it
# plots (localised column headers, for the table and CSV beside it), a title that states the
# finding, a note on what the reader should know, and the ids of the records plotted.
#
# Conventions shared by every figure:
# - each point's customdata is a list whose first element is the ids of the records the
#   point stands for, separated by spaces ("" for none); tests/test_charts.py reads them back;
# - categories on an axis are record ids or vocabulary values (language-neutral), shown
#   through ticktext in the chosen language;
# - the figure has no title of its own (plotly titles do not wrap on phones): show
#   Chart.title and Chart.note above and below it;
# - Chart.summary is the chart's text alternative: one sentence with every figure it plots,
#   as haixi.formatting writes them, for a screen reader (and anyone without the picture).

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from haixi import measures, theme
from haixi.formatting import (
    BANDS,
    as_unit,
    format_quantity,
    format_value,
    qualified,
    scale_for_axis,
    sum_qualifier,
    tick,
)
from haixi.i18n import N_, enum_label, nt, pick, t
from haixi.schema import (
    ErratumKind,
    Fact,
    FactBase,
    Project,
    Qualifier,
    Quantity,
    Stage,
    Unit,
)

STAGE_ORDER: tuple[Stage, ...] = (
    Stage.negotiating,
    Stage.filed_and_approved,
    Stage.started,
    Stage.under_construction,
    Stage.trial_production,
    Stage.grid_connected,
    Stage.built,
)

ROOT_ID = "__root__"
UNCLASSIFIED_ID = "__unclassified__"

_APPROX_MARK = "≈"


@dataclass(frozen=True, eq=False)
class Chart:
    """A built chart: figure, the data it plots, its finding and the records behind it."""

    figure: go.Figure
    data: pd.DataFrame
    title: str
    fact_ids: tuple[str, ...]
    note: str = ""
    summary: str = field(default="", kw_only=True)

    def __post_init__(self) -> None:
        if not self.summary.strip():
            raise ValueError(f"chart {self.title!r} has no summary (its text alternative)")


class ChartDataMissing(LookupError):
    """The fact base lacks records a chart needs."""

    def __init__(self, chart: str, ids: Sequence[str]):
        self.chart = chart
        self.ids = tuple(ids)
        super().__init__(
            f"chart {chart!r} needs records missing from the fact base: {', '.join(ids)}"
        )


# --------------------------------------------------------------------------- helpers


def _esc(text: str) -> str:
    """Text safe to put in a plotly label (which reads a few HTML tags and entities)."""
    return html.escape(text, quote=False)


def _wrap(text: str, lang: str, width: int | None = None) -> str:
    """Escaped text broken into lines with <br> for axis labels."""
    if lang == "zh":
        width = width or 12
        lines = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    else:
        width = width or 26
        lines = textwrap.wrap(text, width=width, break_long_words=False) or [""]
    return "<br>".join(_esc(line) for line in lines)


def _join(items: Sequence[str], lang: str) -> str:
    """Items joined as "a、b、c" in Chinese and "a, b and c" in English."""
    items = list(items)
    if lang == "zh":
        return "、".join(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _summary(what_key: str, items: Sequence[tuple[str, str]], lang: str, **kwargs) -> str:
    """The text alternative: "what: name value, name value and name value." in the language."""
    parts = [t("chart.summary.item", lang, name=name, value=value).strip() for name, value in items]
    return t("chart.summary.sentence", lang, what=t(what_key, lang, **kwargs), items=_join(parts, lang))


def _count_summary(
    what_key: str,
    what_plural: str,
    count_key: str,
    counts: Sequence[tuple[str, int]],
    lang: str,
    empty: str,
) -> str:
    """The text alternative of a chart of counts: "N things by group: a 3, b 0 and c 2.";
    `empty` when there is nothing to count. `what_key`/`what_plural` is a plural message."""
    total = sum(n for _, n in counts)
    if not total:
        return empty
    items = [(name, t(count_key, lang, n=tick(n, lang))) for name, n in counts]
    what = nt(what_key, what_plural, total, lang, total=tick(total, lang))
    parts = [t("chart.summary.item", lang, name=name, value=value).strip() for name, value in items]
    return t("chart.summary.sentence", lang, what=what, items=_join(parts, lang))


def _facts(base: FactBase, chart: str, slots: Sequence[str]) -> list[Fact]:
    """The latest preferred reading of each measure the fact base's `display.charts.<chart>`
    names in the given slots; ChartDataMissing naming what is not there."""
    entry = getattr(base.display.charts, chart)
    if entry is None:
        raise ChartDataMissing(chart, [f"display.charts.{chart}"])
    ids = [getattr(entry, slot) for slot in slots]
    readings = [measures.latest(base, ident) for ident in ids]
    missing = [i for i, r in zip(ids, readings, strict=True) if r is None]
    if missing:
        raise ChartDataMissing(chart, missing)
    return readings


def _frame(rows: list[dict], columns: Sequence[str], lang: str) -> pd.DataFrame:
    """A DataFrame of `rows` (keyed by catalogue column keys) with localised headers."""
    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.rename(columns={c: t(c, lang) for c in columns})


def _hover(lines: Sequence[str]) -> str:
    """A hovertemplate from lines; the trace name box is hidden."""
    return "<br>".join(lines) + "<extra></extra>"


def _bold(index: int) -> str:
    return f"<b>%{{customdata[{index}]}}</b>"


def _field(key: str, index: int, lang: str) -> str:
    sep = ":" if lang == "zh" else ": "
    return f"{_esc(t(key, lang))}{sep}%{{customdata[{index}]}}"


def _qualified_unit_text(q: Quantity, lang: str) -> str:
    """The figure as text, with the text's own qualifying words when it has them."""
    text = format_quantity(q, lang)
    if q.qualifier_phrase is not None:
        phrase = pick(q.qualifier_phrase, lang)
        text = f"{text}({phrase})" if lang == "zh" else f"{text} ({phrase})"
    return text


def _bar_height(categories: int) -> int:
    return max(260, 90 + 46 * categories)


def _nice_step(span: float, ticks: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover


def _value_axis(largest: float, unit: Unit, lang: str, pad: float = 1.2) -> dict:
    """Axis settings with localised tick labels in a readable scale (万, million, GW...)."""
    divisor, label = scale_for_axis([largest], unit, lang)
    top = largest * pad if largest > 0 else 1.0
    step = _nice_step(top / divisor) * divisor
    count = int(top // step) + 1
    values = [step * i for i in range(count + 1)]
    return {
        "title": {"text": _esc(label)},
        "tickmode": "array",
        "tickvals": values,
        "ticktext": [tick(round(v / divisor, 6), lang) for v in values],
        "range": [0, top],
    }


def _category_axis(keys: Sequence[str], labels: Sequence[str], reversed_: bool) -> dict:
    axis = {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": list(keys),
        "tickmode": "array",
        "tickvals": list(keys),
        "ticktext": list(labels),
    }
    if reversed_:
        axis["autorange"] = "reversed"
    return axis


def _percent_bars(
    lang: str,
    chart: str,
    facts: list[Fact],
    short_labels: list[str],
    axis_title: str,
    reference: str | None,
) -> tuple[go.Figure, pd.DataFrame]:
    """Vertical bars of percent facts, optionally with a dashed 100% reference line."""
    for fact in facts:
        if fact.quantity.unit is not Unit.percent:
            raise ValueError(f"chart {chart!r}: fact {fact.id!r} is not in percent")
    keys = [f.id for f in facts]
    values = [f.quantity.value for f in facts]
    texts = [format_quantity(f.quantity, lang) for f in facts]
    customdata = [
        [
            f.id,
            _esc(pick(f.label, lang)),
            _esc(_qualified_unit_text(f.quantity, lang)),
            _esc(f.quantity.stated),
        ]
        for f in facts
    ]
    fig = go.Figure(
        go.Bar(
            x=keys,
            y=values,
            text=[_esc(x) for x in texts],
            textposition="inside",
            insidetextanchor="middle",
            insidetextfont={"color": theme.text_on(theme.BLUE)},
            marker_color=theme.BLUE,
            customdata=customdata,
            hovertemplate=_hover(
                [_bold(1), _field("hover.value", 2, lang), _field("hover.stated", 3, lang)]
            ),
            name=_esc(axis_title),
            showlegend=False,
        )
    )
    top = max([*values, 100.0 if reference else 0.0, 1.0]) * 1.18
    fig.update_layout(
        xaxis=_category_axis(
            keys, [_wrap(s, lang, 10 if lang == "zh" else 18) for s in short_labels], False
        ),
        yaxis={"title": {"text": _esc(axis_title)}, "range": [0, top], "ticksuffix": "%"},
        height=380,
    )
    if reference:
        fig.add_hline(
            y=100,
            line_dash="dash",
            line_color=theme.REFERENCE_LINE_COLOUR,
            line_width=1.5,
        )
        # The line's label sits above the plot, where no bar or value can cover it.
        fig.add_annotation(
            xref="paper",
            yref="paper",
            x=0,
            y=1.0,
            xanchor="left",
            yanchor="bottom",
            text=f"– – {_esc(reference)}",
            showarrow=False,
            font={"color": theme.REFERENCE_LINE_COLOUR, "size": 13},
        )
    rows = [
        {
            "col.fact_id": f.id,
            "col.label": pick(f.label, lang),
            "col.value": format_quantity(f.quantity, lang),
            "col.value_raw": f.quantity.value,
            "col.unit": enum_label(f.quantity.unit, lang),
            "col.stated": f.quantity.stated,
            "col.qualifier": enum_label(f.quantity.qualifier, lang),
            "col.period": f.period,
        }
        for f in facts
    ]
    columns = (
        "col.fact_id",
        "col.label",
        "col.value",
        "col.value_raw",
        "col.unit",
        "col.stated",
        "col.qualifier",
        "col.period",
    )
    return theme.apply(fig, lang), _frame(rows, columns, lang)


# --------------------------------------------------------------------------- livelihood


def employment_vs_target(base: FactBase, lang: str) -> Chart:
    """New urban jobs and rural labour transfer as shares of their annual targets, 100% dashed."""
    facts = _facts(base, "employment_vs_target", ("urban_jobs", "rural_transfer"))
    short = [t("chart.employment.urban_jobs", lang), t("chart.employment.rural_transfer", lang)]
    fig, data = _percent_bars(
        lang,
        "employment_vs_target",
        facts,
        short,
        t("chart.share_of_target", lang),
        t("chart.annual_target_line", lang),
    )
    values = _join([format_quantity(f.quantity, lang) for f in facts], lang)
    missed = sum(1 for f in facts if f.quantity.value < 100)
    if missed:
        title = nt(
            "chart.employment.title_some_missed",
            "chart.employment.title_some_missed.plural",
            missed,
            lang,
            missed=missed,
            total=len(facts),
            values=values,
        )
    elif all(f.quantity.value > 100 for f in facts):
        title = t("chart.employment.title_all_beaten", lang, values=values)
    else:
        title = t("chart.employment.title_all_met", lang, values=values)
    summary = _summary(
        "chart.summary.employment",
        [(s, format_quantity(f.quantity, lang)) for s, f in zip(short, facts, strict=True)],
        lang,
    )
    return Chart(
        fig,
        data,
        title,
        tuple(f.id for f in facts),
        t("chart.employment.note", lang),
        summary=summary,
    )


def income_growth(base: FactBase, lang: str) -> Chart:
    """Growth of urban and rural per-capita disposable income, side by side."""
    urban, rural = _facts(base, "income_growth", ("urban", "rural"))
    fig, data = _percent_bars(
        lang,
        "income_growth",
        [urban, rural],
        [t("chart.urban", lang), t("chart.rural", lang)],
        t("chart.growth", lang),
        None,
    )
    u, r = urban.quantity.value, rural.quantity.value
    fmt = {
        "urban": format_quantity(urban.quantity, lang),
        "rural": format_quantity(rural.quantity, lang),
    }
    if r > u:
        title = t("chart.income.title_rural_faster", lang, **fmt)
    elif u > r:
        title = t("chart.income.title_urban_faster", lang, **fmt)
    else:
        title = t("chart.income.title_equal", lang, **fmt)
    summary = _summary(
        "chart.summary.income",
        [(t("chart.urban", lang), fmt["urban"]), (t("chart.rural", lang), fmt["rural"])],
        lang,
    )
    return Chart(
        fig, data, title, (urban.id, rural.id), t("chart.income.note", lang), summary=summary
    )


def insurance_coverage(base: FactBase, lang: str) -> Chart:
    """Medical-insurance enrolment as a share of the registered population, against 100%."""
    (fact,) = _facts(base, "insurance_coverage", ("enrolled",))
    fig, data = _percent_bars(
        lang,
        "insurance_coverage",
        [fact],
        [t("chart.insurance.enrolled", lang)],
        t("chart.share_of_population", lang),
        t("chart.registered_population_line", lang),
    )
    fig.update_layout(bargap=0.6)
    share = format_quantity(fact.quantity, lang)
    key = (
        N_("chart.insurance.title_over")
        if fact.quantity.value > 100
        else N_("chart.insurance.title_under")
    )
    note = t("chart.insurance.note", lang) if fact.quantity.value > 100 else ""
    summary = t("chart.summary.insurance", lang, share=share)
    return Chart(fig, data, t(key, lang, share=share), (fact.id,), note, summary=summary)


# --------------------------------------------------------------------------- chains


def chains_overview(base: FactBase, lang: str) -> Chart:
    """Every listed chain with its numbers of linked projects, figures and highlights."""
    chains = sorted(base.chains, key=lambda c: c.position)
    keys = [c.id for c in chains]
    names = [pick(c.name, lang) for c in chains]
    series = (
        (
            "col.projects",
            N_("hover.projects"),
            theme.BLUE,
            lambda c: [pick(p.name, lang) for p in base.projects_of(c.id)],
        ),
        (
            "col.facts",
            N_("hover.facts"),
            theme.ORANGE,
            lambda c: [pick(f.label, lang) for f in base.facts_of(c.id)],
        ),
        (
            "col.highlights",
            N_("hover.highlights"),
            theme.GREEN,
            lambda c: [pick(h.text, lang) for h in c.highlights],
        ),
    )
    fig = go.Figure()
    counts: dict[str, list[int]] = {}
    for col_key, hover_key, colour, items_of in series:
        items = [items_of(c) for c in chains]
        counts[col_key] = [len(i) for i in items]
        fig.add_trace(
            go.Bar(
                y=keys,
                x=counts[col_key],
                orientation="h",
                name=_esc(t(col_key, lang)),
                marker_color=colour,
                customdata=[
                    [c.id, _esc(pick(c.name, lang)), len(i), "<br>".join("· " + _esc(x) for x in i)]
                    for c, i in zip(chains, items, strict=True)
                ],
                hovertemplate=_hover([_bold(1), _field(hover_key, 2, lang), "%{customdata[3]}"]),
            )
        )
    totals = [sum(counts[k][i] for k in counts) for i in range(len(chains))]
    for key, total in zip(keys, totals, strict=True):
        if total == 0:
            fig.add_annotation(
                x=0,
                y=key,
                xref="x",
                yref="y",
                text=_esc(t("chart.nothing_reported", lang)),
                showarrow=False,
                xanchor="left",
                xshift=4,
                font={"color": theme.MUTED_TEXT_COLOUR, "size": 12},
            )
    largest = max(totals, default=0)
    fig.update_layout(
        barmode="stack",
        yaxis=_category_axis(keys, [_wrap(n, lang) for n in names], True),
        xaxis={
            "title": {"text": _esc(t("chart.number_of_records", lang))},
            "dtick": 1 if largest <= 12 else None,
            "range": [0, max(largest, 3) * 1.1],
            "tickformat": "d",
        },
        legend_title_text=_esc(t("chart.series", lang)),
        legend_traceorder="normal",
        height=_bar_height(len(chains)),
    )
    theme.apply(fig, lang)

    with_projects = sum(1 for n in counts.get("col.projects", []) if n)
    if with_projects == len(chains) and chains:
        title = nt("chart.chains.title_all", "chart.chains.title_all.plural", len(chains), lang,
                   total=len(chains))
    else:
        title = nt("chart.chains.title_some", "chart.chains.title_some.plural", with_projects,
                   lang, with_projects=with_projects, total=len(chains))
    silent = sum(1 for n in totals if n == 0)
    note = nt("chart.chains.note", "chart.chains.note.plural", silent, lang, silent=silent)
    stated = measures.latest(base, base.display.chain_count)
    if stated is not None and stated.quantity.value != len(chains):
        note += ("" if lang == "zh" else " ") + t(
            "chart.chains.note_mismatch",
            lang,
            stated=nt(
                "count.chains",
                "count.chains.plural",
                int(stated.quantity.value),
                lang,
                n=format_value(stated.quantity.value, stated.quantity.unit, lang),
            ),
            listed=nt("count.names", "count.names.plural", len(chains), lang),
        )
    rows = [
        {
            "col.id": c.id,
            "col.position": c.position,
            "col.chain": pick(c.name, lang),
            "col.projects": counts["col.projects"][i],
            "col.facts": counts["col.facts"][i],
            "col.highlights": counts["col.highlights"][i],
        }
        for i, c in enumerate(chains)
    ]
    columns = ("col.id", "col.position", "col.chain", "col.projects", "col.facts", "col.highlights")
    reported = [
        (
            name,
            t(
                "chart.summary.chain_counts",
                lang,
                projects=tick(counts["col.projects"][i], lang),
                facts=tick(counts["col.facts"][i], lang),
                highlights=tick(counts["col.highlights"][i], lang),
            ),
        )
        for i, name in enumerate(names)
        if totals[i]
    ]
    if silent:
        reported.append((nt("chart.summary.chains_silent", "chart.summary.chains_silent.plural",
                            silent, lang, silent=tick(silent, lang)), ""))
    summary = _summary("chart.summary.chains", reported, lang) if chains else title
    return Chart(fig, _frame(rows, columns, lang), title, tuple(keys), note, summary=summary)


def _outputs_text(project: Project, lang: str) -> list[str]:
    lines = []
    for output in project.outputs:
        product = pick(output.product, lang)
        if output.capacity is None:
            lines.append(product)
        else:
            sep = ":" if lang == "zh" else ": "
            lines.append(f"{product}{sep}{format_quantity(output.capacity, lang)}")
    return lines


def chain_hierarchy(base: FactBase, lang: str) -> Chart:
    """Sunburst: all chains → chain → project. Only chains with projects are shown."""
    chains = sorted(base.chains, key=lambda c: c.position)
    groups: list[tuple[str, str, list[Project]]] = []
    for chain in chains:
        projects = base.projects_of(chain.id)
        if projects:
            groups.append((chain.id, pick(chain.name, lang), projects))
    unclassified = [p for p in base.projects if p.chain is None]
    if unclassified:
        groups.append((UNCLASSIFIED_ID, t("chart.unclassified", lang), unclassified))
    total = sum(len(g[2]) for g in groups)

    ids, labels, parents, values, colours, customdata = [], [], [], [], [], []
    ids.append(ROOT_ID)
    labels.append(_esc(t("chart.root", lang)))
    parents.append("")
    values.append(total)
    colours.append(theme.BACKGROUND)
    sep = ":" if lang == "zh" else ": "
    count_label = _esc(t("chart.number_of_projects", lang)) + sep
    customdata.append(["", _esc(t("chart.root", lang)), f"{count_label}{total}"])
    rows = []
    for index, (chain_id, chain_name, projects) in enumerate(groups):
        colour = theme.PALETTE[index % len(theme.PALETTE)]
        ids.append(chain_id)
        labels.append(_wrap(chain_name, lang, 8 if lang == "zh" else 16))
        parents.append(ROOT_ID)
        values.append(len(projects))
        colours.append(colour)
        customdata.append(
            [
                chain_id if chain_id != UNCLASSIFIED_ID else "",
                _esc(chain_name),
                f"{count_label}{len(projects)}",
            ]
        )
        for project in projects:
            name = pick(project.name, lang)
            details = [
                f"{_esc(t('col.company', lang))}{sep}{_esc(pick(project.company, lang) or '—')}",
                f"{_esc(t('col.stage', lang))}{sep}{_esc(enum_label(project.stage, lang))}",
                *(f"· {_esc(line)}" for line in _outputs_text(project, lang)),
            ]
            if project.chain_basis is not None:
                details.append(
                    f"{_esc(t('col.chain_basis', lang))}{sep}{_esc(enum_label(project.chain_basis, lang))}"
                )
            ids.append(project.id)
            labels.append(_wrap(name, lang, 8 if lang == "zh" else 16))
            parents.append(chain_id)
            values.append(1)
            colours.append(colour)
            customdata.append([project.id, _esc(name), "<br>".join(details)])
            rows.append(
                {
                    "col.id": project.id,
                    "col.chain": chain_name,
                    "col.project": name,
                    "col.company": pick(project.company, lang),
                    "col.stage": enum_label(project.stage, lang),
                    "col.outputs": "; ".join(_outputs_text(project, lang)),
                    "col.chain_basis": enum_label(project.chain_basis, lang)
                    if project.chain_basis
                    else "",
                }
            )
    # Project hover shows details; chain and root hover show the number of projects.
    hover = [_bold(1), "%{customdata[2]}"]
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={"colors": colours},
            insidetextfont={"color": [theme.text_on(c) for c in colours]},
            customdata=customdata,
            hovertemplate=_hover(hover),
            insidetextorientation="horizontal",
            sort=False,
        )
    )
    fig.update_layout(height=560, margin={"t": 8, "l": 8, "r": 8, "b": 8})
    theme.apply(fig, lang)

    if groups:
        top = max(groups, key=lambda g: len(g[2]))
        title = nt("chart.hierarchy.title", "chart.hierarchy.title.plural", total, lang, top=top[1],
                   count=len(top[2]), total=total)
    else:
        title = t("chart.hierarchy.title_empty", lang)
    record_ids = tuple(
        [g[0] for g in groups if g[0] != UNCLASSIFIED_ID] + [p.id for g in groups for p in g[2]]
    )
    columns = (
        "col.id",
        "col.chain",
        "col.project",
        "col.company",
        "col.stage",
        "col.outputs",
        "col.chain_basis",
    )
    summary = _count_summary(
        "chart.summary.hierarchy",
        "chart.summary.hierarchy.plural",
        N_("chart.summary.n_projects"),
        [(g[1], len(g[2])) for g in groups],
        lang,
        title,
    )
    return Chart(
        fig,
        _frame(rows, columns, lang),
        title,
        record_ids,
        t("chart.hierarchy.note", lang),
        summary=summary,
    )


# --------------------------------------------------------------------------- projects


def capacity_by_product(base: FactBase, lang: str, unit: Unit | str = Unit.t_per_year) -> Chart:
    """Reported capacity per product, one stacked segment per project output, in one unit only."""
    unit = as_unit(unit)
    entries = [
        (project, output)
        for project in base.projects
        for output in project.outputs
        if output.capacity is not None and output.capacity.unit is unit
    ]
    # Products are grouped by the source's own words, the language-neutral key.
    products: dict[str, dict] = {}
    for project, output in entries:
        group = products.setdefault(
            output.product.zh, {"label": pick(output.product, lang), "entries": [], "total": 0.0}
        )
        group["entries"].append((project, output))
        group["total"] += output.capacity.value
    order = sorted(products.values(), key=lambda g: -g["total"])
    keys = [f"product-{i + 1}" for i in range(len(order))]
    unit_label = enum_label(unit, lang)

    fig = go.Figure()
    seen_stages: set[Stage] = set()
    rows = []
    for key, group in zip(keys, order, strict=True):
        group["entries"].sort(key=lambda e: -e[1].capacity.value)
        for project, output in group["entries"]:
            q = output.capacity
            approx = q.qualifier in BANDS
            value_text = format_quantity(q, lang)
            company = pick(project.company, lang)
            fig.add_trace(
                go.Bar(
                    y=[key],
                    x=[q.value],
                    orientation="h",
                    name=_esc(enum_label(project.stage, lang)),
                    legendgroup=project.stage.value,
                    showlegend=project.stage not in seen_stages,
                    marker={
                        "color": theme.STAGE_COLOURS[project.stage],
                        "pattern": {
                            "shape": "/" if approx else "",
                            "fillmode": "overlay",
                            "fgcolor": "#FFFFFF",
                            "solidity": 0.3,
                        },
                    },
                    text=[
                        _esc(
                            f"{_APPROX_MARK if approx else ''}{company or pick(project.name, lang)}"
                        )
                    ],
                    textposition="inside",
                    insidetextanchor="middle",
                    insidetextfont={"color": theme.text_on(theme.STAGE_COLOURS[project.stage])},
                    customdata=[
                        [
                            project.id,
                            _esc(pick(project.name, lang)),
                            _esc(_qualified_unit_text(q, lang)),
                            _esc(q.stated),
                            _esc(enum_label(project.stage, lang)),
                            _esc(company or "—"),
                        ]
                    ],
                    hovertemplate=_hover(
                        [
                            _bold(1),
                            _field("col.company", 5, lang),
                            _field("col.capacity", 2, lang),
                            _field("hover.stated", 3, lang),
                            _field("col.stage", 4, lang),
                        ]
                    ),
                )
            )
            seen_stages.add(project.stage)
            rows.append(
                {
                    "col.id": project.id,
                    "col.project": pick(project.name, lang),
                    "col.company": company,
                    "col.product": group["label"],
                    "col.capacity": value_text,
                    "col.value_raw": q.value,
                    "col.unit": unit_label,
                    "col.stated": q.stated,
                    "col.qualifier": enum_label(q.qualifier, lang),
                    "col.stage": enum_label(project.stage, lang),
                }
            )
    totals = []
    for key, group in zip(keys, order, strict=True):
        total = sum_qualifier(o.capacity.qualifier for _, o in group["entries"])
        text = qualified(format_value(group["total"], unit, lang), total, lang)
        totals.append(text)
        fig.add_annotation(
            x=group["total"],
            y=key,
            xref="x",
            yref="y",
            text=_esc(text),
            showarrow=False,
            xanchor="left",
            xshift=6,
            font={"size": 12},
        )
    largest = max((g["total"] for g in order), default=0.0)
    fig.update_layout(
        barmode="stack",
        yaxis=_category_axis(keys, [_wrap(g["label"], lang) for g in order], True),
        xaxis=_value_axis(largest, unit, lang, pad=1.45),
        legend_title_text=_esc(t("col.stage", lang)),
        legend_traceorder="normal",
        uniformtext={"minsize": 10, "mode": "hide"},
        height=_bar_height(len(order)),
    )
    theme.apply(fig, lang)

    if order:
        title = t("chart.capacity.title", lang, product=order[0]["label"], total=totals[0])
    else:
        title = t("chart.none_in_unit", lang, unit=unit_label)
    columns = (
        "col.id",
        "col.project",
        "col.company",
        "col.product",
        "col.capacity",
        "col.value_raw",
        "col.unit",
        "col.stated",
        "col.qualifier",
        "col.stage",
    )
    note = t("chart.capacity.note", lang, unit=unit_label)
    summary = _summary(
        "chart.summary.capacity",
        [(g["label"], total) for g, total in zip(order, totals, strict=True)],
        lang,
        unit=unit_label,
    ) if order else title
    return Chart(
        fig,
        _frame(rows, columns, lang),
        title,
        tuple(dict.fromkeys(r["col.id"] for r in rows)),
        note,
        summary=summary,
    )


def projects_by_stage(base: FactBase, lang: str) -> Chart:
    """Number of projects per stage, every stage shown in order (0 where there are none)."""
    by_stage = {stage: [p for p in base.projects if p.stage is stage] for stage in STAGE_ORDER}
    keys = [s.value for s in STAGE_ORDER]
    labels = [enum_label(s, lang) for s in STAGE_ORDER]
    counts = [len(by_stage[s]) for s in STAGE_ORDER]
    customdata = [
        [
            " ".join(p.id for p in by_stage[s]),
            _esc(enum_label(s, lang)),
            len(by_stage[s]),
            "<br>".join("· " + _esc(pick(p.name, lang)) for p in by_stage[s]),
        ]
        for s in STAGE_ORDER
    ]
    fig = go.Figure(
        go.Bar(
            y=keys,
            x=counts,
            orientation="h",
            marker_color=[theme.STAGE_COLOURS[s] for s in STAGE_ORDER],
            text=[tick(c, lang) for c in counts],
            textposition="outside",
            cliponaxis=False,
            customdata=customdata,
            hovertemplate=_hover([_bold(1), _field("hover.projects", 2, lang), "%{customdata[3]}"]),
            showlegend=False,
        )
    )
    largest = max(counts, default=0)
    fig.update_layout(
        yaxis=_category_axis(keys, [_esc(x) for x in labels], True),
        xaxis={
            "title": {"text": _esc(t("chart.number_of_projects", lang))},
            "dtick": 1 if largest <= 12 else None,
            "range": [0, max(largest, 1) * 1.2],
            "tickformat": "d",
        },
        height=_bar_height(len(keys)),
    )
    theme.apply(fig, lang)
    total = sum(counts)
    if total:
        top = max(STAGE_ORDER, key=lambda s: len(by_stage[s]))
        title = t(
            "chart.stage.title",
            lang,
            stage=enum_label(top, lang),
            count=len(by_stage[top]),
            total=total,
        )
    else:
        title = t("chart.stage.title_empty", lang)
    rows = [
        {
            "col.stage": enum_label(s, lang),
            "col.count": len(by_stage[s]),
            "col.project_names": "; ".join(pick(p.name, lang) for p in by_stage[s]),
            "col.id": " ".join(p.id for p in by_stage[s]),
        }
        for s in STAGE_ORDER
    ]
    ids = tuple(p.id for s in STAGE_ORDER for p in by_stage[s])
    columns = ("col.stage", "col.count", "col.project_names", "col.id")
    summary = _count_summary(
        "chart.summary.stage",
        "chart.summary.stage.plural",
        N_("chart.summary.n_projects"),
        list(zip(labels, counts, strict=True)),
        lang,
        title,
    )
    return Chart(
        fig,
        _frame(rows, columns, lang),
        title,
        ids,
        t("chart.stage.note", lang),
        summary=summary,
    )


# --------------------------------------------------------------------------- sources


def errata_by_kind(base: FactBase, lang: str) -> Chart:
    """Number of errata of the source text per kind, every kind shown (0 where none)."""
    kinds = list(ErratumKind)
    by_kind = {
        k: sorted((e for e in base.errata if e.kind is k), key=lambda e: e.line) for k in kinds
    }
    keys = [k.value for k in kinds]
    counts = [len(by_kind[k]) for k in kinds]
    fig = go.Figure(
        go.Bar(
            y=keys,
            x=counts,
            orientation="h",
            marker_color=theme.VERMILLION,
            text=[tick(c, lang) for c in counts],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [
                    " ".join(e.id for e in by_kind[k]),
                    _esc(enum_label(k, lang)),
                    len(by_kind[k]),
                    _esc(
                        ", ".join(str(line) for line in dict.fromkeys(e.line for e in by_kind[k]))
                        or "—"
                    ),
                ]
                for k in kinds
            ],
            hovertemplate=_hover(
                [_bold(1), _field("col.count", 2, lang), _field("hover.lines", 3, lang)]
            ),
            showlegend=False,
        )
    )
    largest = max(counts, default=0)
    fig.update_layout(
        yaxis=_category_axis(keys, [_esc(enum_label(k, lang)) for k in kinds], True),
        xaxis={
            "title": {"text": _esc(t("chart.number_of_errata", lang))},
            "dtick": 1 if largest <= 12 else None,
            "range": [0, max(largest, 1) * 1.2],
            "tickformat": "d",
        },
        height=_bar_height(len(kinds)),
    )
    theme.apply(fig, lang)
    total = sum(counts)
    if total:
        top = max(kinds, key=lambda k: len(by_kind[k]))
        title = t(
            "chart.errata.title",
            lang,
            kind=enum_label(top, lang),
            count=len(by_kind[top]),
            total=total,
        )
    else:
        title = t("chart.errata.title_empty", lang)
    rows = [
        {
            "col.kind": enum_label(k, lang),
            "col.count": len(by_kind[k]),
            "col.line": ", ".join(str(e.line) for e in by_kind[k]),
            "col.id": " ".join(e.id for e in by_kind[k]),
        }
        for k in kinds
    ]
    ids = tuple(e.id for k in kinds for e in by_kind[k])
    summary = _count_summary(
        "chart.summary.errata",
        "chart.summary.errata.plural",
        N_("chart.summary.n_errata"),
        [(enum_label(k, lang), n) for k, n in zip(kinds, counts, strict=True)],
        lang,
        title,
    )
    return Chart(
        fig,
        _frame(rows, ("col.kind", "col.count", "col.line", "col.id"), lang),
        title,
        ids,
        t("chart.errata.note", lang),
        summary=summary,
    )


# --------------------------------------------------------------------------- series


# How a point is drawn by its qualifier: an exact figure filled; a bound ("at least", "more
# than") an open triangle pointing up, its error bar drawn upward; "nearly" one pointing down,
# its bar drawn downward; an approximation an open circle with its band.
SERIES_MARKERS = {
    Qualifier.exact: "circle",
    Qualifier.at_least: "triangle-up-open",
    Qualifier.more_than: "triangle-up-open",
    Qualifier.nearly: "triangle-down-open",
    Qualifier.approximate: "circle-open",
}


def measure_series(base: FactBase, lang: str, measure: str) -> Chart:
    """One measure over the years: a point per period from its preferred reading (haixi.measures),
    a bound drawn as a bound, each point's source and quote in its hover and its table row."""
    points = measures.series(base, measure)
    if len(points) < 2:
        raise ChartDataMissing("measure_series", [measure])
    unit = points[-1].reading.quantity.unit
    label = pick(points[-1].reading.label, lang)
    divisor, axis_label = scale_for_axis([p.reading.quantity.value for p in points], unit, lang)
    rows, custom = [], []
    for point in points:
        fact = point.reading
        q = fact.quantity
        source = base.source(fact.source.source)
        rows.append(
            {
                "col.period": point.period,
                "col.value": _qualified_unit_text(q, lang),
                "col.qualifier": enum_label(q.qualifier, lang),
                "col.source": pick(source.title, lang),
                "col.quote": fact.source.quote,
                "col.fact_id": fact.id,
                "col.value_raw": q.value,
                "col.unit": q.unit.value,
            }
        )
        custom.append(
            [fact.id, point.period, _esc(_qualified_unit_text(q, lang)),
             _esc(pick(source.title, lang)), _esc(fact.source.quote)]
        )
    interval = [p.interval for p in points]
    # Upward (and downward) arms: to the band's ends, or a tenth of the value above a bound.
    up = [
        ((i.high if math.isfinite(i.high) else p.reading.quantity.value * 1.1)
         - p.reading.quantity.value) / divisor
        if not p.exact else 0
        for p, i in zip(points, interval, strict=True)
    ]
    down = [(p.reading.quantity.value - i.low) / divisor for p, i in zip(points, interval, strict=True)]
    fig = go.Figure(
        go.Scatter(
            x=[str(p.period) for p in points],
            y=[p.reading.quantity.value / divisor for p in points],
            mode="lines+markers",
            line={"color": theme.BLUE},
            marker={
                "symbol": [SERIES_MARKERS[p.reading.quantity.qualifier] for p in points],
                "size": 12,
                "color": theme.BLUE,
            },
            error_y={"type": "data", "symmetric": False, "array": up, "arrayminus": down,
                     "color": theme.BLUE, "visible": any(not p.exact for p in points)},
            customdata=custom,
            hovertemplate=_hover(
                [
                    "<b>%{customdata[1]}</b> %{customdata[2]}",
                    _field("col.source", 3, lang),
                    _field("col.quote", 4, lang),
                ]
            ),
        )
    )
    fig.update_layout(
        height=320,
        showlegend=False,
        xaxis={"type": "category", "title": {"text": _esc(t("col.period", lang))}},
        yaxis={"title": {"text": _esc(axis_label)}, "rangemode": "tozero"},
    )
    summary = _summary(
        "chart.summary.series",
        [(t("label.period", lang, year=p.period), _qualified_unit_text(p.reading.quantity, lang))
         for p in points],
        lang,
        label=label,
    )
    title = t("chart.series.title", lang, label=label,
              first=points[0].period, last=points[-1].period)
    return Chart(
        theme.apply(fig, lang),
        _frame(rows, tuple(rows[0]), lang),
        title,
        tuple(p.reading.id for p in points),
        summary=summary,
    )


BUILDERS = {
    "employment_vs_target": employment_vs_target,
    "income_growth": income_growth,
    "insurance_coverage": insurance_coverage,
    "chains_overview": chains_overview,
    "chain_hierarchy": chain_hierarchy,
    "capacity_by_product": capacity_by_product,
    "projects_by_stage": projects_by_stage,
    "errata_by_kind": errata_by_kind,
}
