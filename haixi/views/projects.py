"""The projects page: every project (filterable), capacities, stages, bases, records."""

from __future__ import annotations

from collections.abc import Sequence

from haixi import charts as charts_mod
from haixi.i18n import N_, enum_label, pick, t
from haixi.schema import (
    Fact,
    FactBase,
    Project,
    Stage,
    Topic,
    Unit,
)
from haixi.views.blocks import (
    Card,
    Cards,
    Facet,
    FilteredTable,
    Group,
    PageView,
    Text,
    chart_block,
    citation,
    figures,
    keep,
    originals,
    page_title,
    project_rows,
    record_item,
    records,
    section,
)

# The filters of the projects table, in order: (URL parameter, column key).
PROJECT_FILTERS = (
    ("chain", "col.chain"),
    ("stage", "col.stage"),
    ("product", "col.product"),
    ("programme", "col.programme"),
)
# The URL parameters the page reads (besides lang, fact and tab), and those that may repeat.
PARAMS = tuple(p for p, _ in PROJECT_FILTERS)
MULTI_PARAMS = PARAMS

# programme, the quote) are in the CSV, the report and the quote list under the table.
PROJECT_COLUMNS = (
    "col.project", "col.company", "col.product", "col.capacity", "col.stage",
    "col.stage_as_stated", "col.chain", "col.chain_basis", "col.id",
)


def _facts_of_project(project: Project, facts: Sequence[Fact]) -> list[Fact]:
    """Figures quoting the same clause as the project or one of its records."""
    quotes = {project.source.quote, *(r.source.quote for r in project.records)}
    return [f for f in facts if f.source.quote in quotes]


def project_table(base: FactBase, lang: str) -> FilteredTable:
    """Every project output, with the filters a reader narrows them by."""
    chain_names = {c.id: c for c in base.chains}
    programmes = {p.id: p for p in base.programmes}
    product_names = {o.product.zh: o.product for p in base.projects for o in p.outputs}
    facets = (
        Facet(
            "chain",
            t("col.chain", lang),
            tuple(
                (c.id, pick(chain_names[c.id].name, lang))
                for c in sorted(base.chains, key=lambda c: c.position)
                if base.projects_of(c.id)
            ),
        ),
        Facet(
            "stage",
            t("col.stage", lang),
            tuple(
                (s.value, enum_label(s, lang))
                for s in Stage
                if any(p.stage is s for p in base.projects)
            ),
        ),
        Facet(
            "product",
            t("col.product", lang),
            tuple((zh, pick(product_names[zh], lang)) for zh in sorted(product_names)),
        ),
        Facet(
            "programme",
            t("col.programme", lang),
            tuple(
                (pid, pick(programmes[pid].name, lang))
                for pid in sorted({pid for p in base.projects for pid in p.programmes})
            ),
        ),
    )
    frame, row_facets, ids = project_rows(base, lang, base.projects, full=True)
    return FilteredTable(
        key="projects-table",
        title_key=N_("projects.table"),
        help=t("projects.table_help", lang),
        facets=facets,
        frame=frame,
        row_facets=row_facets,
        row_records=ids,
        citations={
            p.id: citation(base, lang, p.id, pick(p.name, lang), p.source) for p in base.projects
        },
        csv="projects",
        originals=originals(lang, frame),
        quotes_title=t("projects.sources", lang),
        total=len(base.projects),
        heading=True,
        columns=tuple(t(k, lang) for k in PROJECT_COLUMNS),
    )


def view(base: FactBase, lang: str) -> PageView:
    """Every project (filterable), capacity by product, stages, national bases, records."""
    energy = [f for f in base.facts if f.topic is Topic.energy]
    holders = [p for p in base.projects if p.records]
    of_project = {p.id: _facts_of_project(p, energy) for p in holders}
    claimed = {f.id for facts in of_project.values() for f in facts}
    rest = [f for f in energy if f.id not in claimed]
    base_cards = []
    for national in base.bases:
        status = enum_label(national.status, lang)
        stated = national.status_as_stated
        # In Chinese the text's words are often the label itself: say it once.
        base_cards.append(
            Card(
                national.id,
                pick(national.name, lang),
                (status,),
                citation(base, lang, national.id, pick(national.name, lang), national.source),
                original="" if stated == status else stated,
            )
        )
    record_sections = []
    for project in holders:
        items = [
            record_item(base, lang, project.id, "record", "", pick(r.text, lang), "", r.source)
            for r in project.records
        ]
        record_sections.append(
            Group(
                f"record-{project.id}",
                project.id,
                pick(project.name, lang),
                (
                    *figures(base, lang, of_project[project.id], 2),
                    *records(f"cite-records-{project.id}", items),
                    *((Text(pick(project.note, lang), "caption"),) if project.note else ()),
                ),
                collapsed=False,
            )
        )
    return PageView(
        "projects",
        page_title("projects", lang),
        "",
        keep(
            [
                section("table", "", project_table(base, lang)),
                section(
                    "capacity",
                    t("projects.capacity", lang),
                    chart_block(
                        base, lang, charts_mod.capacity_by_product, "capacity-t",
                        unit=Unit.t_per_year,
                    ),
                    Text(t("projects.capacity_other_units", lang), "caption"),
                    chart_block(base, lang, charts_mod.projects_by_stage, "stages"),
                ),
                section(
                    "bases",
                    t("projects.bases", lang),
                    Cards(tuple(base_cards), 2) if base_cards else (),
                    figures(base, lang, rest),
                ),
                section("record", t("projects.record", lang), tuple(record_sections)),
            ]
        ),
    )


