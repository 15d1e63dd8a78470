"""The economy page: GDP and fiscal figures, documents, business environment, strategies."""

from __future__ import annotations

from haixi.i18n import enum_label, t
from haixi.schema import (
    FactBase,
    ProgrammeKind,
    Topic,
)
from haixi.views.blocks import (
    PageView,
    document_item,
    figures,
    keep,
    milestone_item,
    page_title,
    programme_item,
    records,
    section,
)

# The topics of the economy page's figures, milestones and programmes.
ECONOMY_TOPICS = (Topic.economy, Topic.fiscal, Topic.industry)


def view(base: FactBase, lang: str) -> PageView:
    """GDP and fiscal figures, the year's documents, business environment and strategies."""
    facts = [f for f in base.facts if f.topic in ECONOMY_TOPICS]
    others = [programme_item(base, lang, p) for p in base.programmes if p.topic in ECONOMY_TOPICS]
    milestones = [milestone_item(base, lang, m) for m in base.milestones if m.topic in ECONOMY_TOPICS]
    documents = [document_item(base, lang, d) for d in sorted(base.documents, key=lambda d: d.position)]
    measures = [p for p in base.programmes if p.topic is Topic.business_environment]
    business_facts = [f for f in base.facts if f.topic is Topic.business_environment]
    strategies = [programme_item(base, lang, p) for p in base.programmes if p.topic is Topic.strategy]
    strategy_facts = [f for f in base.facts if f.topic is Topic.strategy]
    by_kind = [
        records(
            f"cite-pg-{kind.value}",
            [programme_item(base, lang, p) for p in measures if p.kind is kind],
            enum_label(kind, lang),
        )
        for kind in ProgrammeKind
    ]
    return PageView(
        "economy",
        page_title("economy", lang),
        "",
        keep(
            [
                section(
                    "figures",
                    t("economy.figures", lang),
                    figures(base, lang, facts),
                    records("cite-economy-programmes", others),
                ),
                section("milestones", t("economy.milestones", lang), records("cite-milestones", milestones)),
                section("documents", t("economy.documents", lang), records("cite-documents", documents)),
                section(
                    "business",
                    t("economy.business_environment", lang),
                    figures(base, lang, business_facts),
                    *by_kind,
                    help=t("economy.business_environment_help", lang),
                ),
                section(
                    "strategies",
                    t("economy.strategies", lang),
                    figures(base, lang, strategy_facts),
                    records("cite-strategies", strategies),
                ),
            ]
        ),
    )


# The project table's columns on the page: a row reads on a phone, and the long ones (the
