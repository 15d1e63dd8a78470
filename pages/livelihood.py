"""Livelihood page: jobs, incomes, insurance, rural revitalisation, education, health, priorities."""

import streamlit as st

from haixi import app
from haixi.i18n import enum_label, pick, t
from haixi.schema import Area, Topic

ctx = app.start("livelihood")
base, lang = ctx.base, ctx.lang


def facts_of(topic: Topic) -> list[str]:
    """Ids of the facts of a topic, in file order."""
    return [f.id for f in base.facts if f.topic is topic]


def programmes_of(*topics: Topic, key: str) -> None:
    """Programmes, milestones and documents of these topics: one list with its quotes."""
    listed = [app.programme_record(ctx, p) for p in base.programmes if p.topic in topics]
    listed += [
        app.milestone_record(ctx, m, ":material/flag: ")
        for m in base.milestones
        if m.topic in topics
    ]
    listed += [
        app.document_record(ctx, d, ":material/description: ")
        for d in base.documents
        if d.topic in topics
    ]
    app.record_list(ctx, listed, key=key)


def metrics(ids: list[str]) -> None:
    """Metric cards in a row."""
    if not ids:
        return
    columns = st.columns(len(ids))
    for column, fact_id in zip(columns, ids, strict=True):
        with column:
            app.metric(ctx, fact_id)


st.header(t("livelihood.employment", lang))
metrics(facts_of(Topic.employment))
app.chart(ctx, "employment_vs_target", key="employment")
programmes_of(Topic.employment, key="cite-employment")

st.header(t("livelihood.income", lang))
metrics(facts_of(Topic.income))
app.chart(ctx, "income_growth", key="income")

st.header(t("livelihood.insurance", lang))
metrics(facts_of(Topic.insurance))
app.chart(ctx, "insurance_coverage", key="insurance")

st.header(t("livelihood.rural", lang))
metrics(facts_of(Topic.rural_revitalisation))
programmes_of(Topic.rural_revitalisation, key="cite-rural")

st.header(t("livelihood.education_health", lang))
programmes_of(Topic.education, Topic.health, key="cite-education-health")

st.header(t("livelihood.priorities", lang))
st.caption(t("livelihood.priorities_help", lang))
columns = st.columns(2)
for index, area in enumerate(Area):
    items = [p for p in base.priorities if p.area is area]
    if not items:
        continue
    with columns[index % 2]:
        app.record_list(
            ctx,
            [
                app.ListedRecord(i.id, app.plain(pick(i.text, lang)), pick(i.text, lang), i.source)
                for i in items
            ],
            key=f"cite-pr-{area.value}",
            title=enum_label(area, lang),
        )
