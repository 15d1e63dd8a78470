"""The livelihood page: jobs, incomes, insurance, rural life, education and health."""

from __future__ import annotations

from haixi import charts as charts_mod
from haixi.i18n import N_, enum_label, pick, t
from haixi.schema import (
    Area,
    FactBase,
    Topic,
)
from haixi.views.blocks import (
    PageView,
    chart_block,
    document_item,
    figures,
    keep,
    milestone_item,
    page_title,
    programme_item,
    record_item,
    records,
    section,
)

# The livelihood page's groups: (heading key, topics, chart drawn with them).
LIVELIHOOD_GROUPS: tuple[tuple[str, tuple[Topic, ...], str | None], ...] = (
    (N_("livelihood.employment"), (Topic.employment,), "employment_vs_target"),
    (N_("livelihood.income"), (Topic.income,), "income_growth"),
    (N_("livelihood.insurance"), (Topic.insurance,), "insurance_coverage"),
    (N_("livelihood.rural"), (Topic.rural_revitalisation,), None),
    (N_("livelihood.education_health"), (Topic.education, Topic.health), None),
    ("topic.social_security", (Topic.social_security,), None),
    ("topic.culture", (Topic.culture,), None),
)


def view(base: FactBase, lang: str) -> PageView:
    """Jobs, incomes, insurance, rural revitalisation, education and health, priorities."""
    sections = []
    for heading, topics, chart in LIVELIHOOD_GROUPS:
        facts = [f for f in base.facts if f.topic in topics]
        items = [programme_item(base, lang, p) for p in base.programmes if p.topic in topics]
        items += [milestone_item(base, lang, m) for m in base.milestones if m.topic in topics]
        items += [document_item(base, lang, d) for d in base.documents if d.topic in topics]
        sections.append(
            section(
                heading.split(".")[-1],
                t(heading, lang),
                figures(base, lang, facts),
                chart_block(base, lang, charts_mod.BUILDERS[chart], chart.replace("_", "-"))
                if chart
                else (),
                records(f"cite-{heading.split('.')[-1]}", items),
            )
        )
    priorities = [
        records(
            f"cite-pr-{area.value}",
            [
                record_item(base, lang, p.id, "priority", "", pick(p.text, lang), "", p.source)
                for p in base.priorities
                if p.area is area
            ],
            enum_label(area, lang),
        )
        for area in Area
    ]
    sections.append(
        section(
            "priorities",
            t("livelihood.priorities", lang),
            *priorities,
            help=t("livelihood.priorities_help", lang),
        )
    )
    return PageView("livelihood", page_title("livelihood", lang), "", keep(sections))

