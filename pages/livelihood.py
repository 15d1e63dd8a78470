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


def programmes_of(*topics: Topic) -> None:
    """Programmes and milestones of these topics, each with its source."""
    for programme in (p for p in base.programmes if p.topic in topics):
        text_col, cite_col = st.columns([5, 1])
        text_col.markdown(
            "**" + app.plain(pick(programme.name, lang)) + "** · "
            + app.plain(pick(programme.description, lang))
        )
        with cite_col:
            app.cite(ctx, programme.id, programme.source, key=f"cite-pg-{programme.id}")
    for milestone in (m for m in base.milestones if m.topic in topics):
        text_col, cite_col = st.columns([5, 1])
        text_col.markdown(":material/flag: " + app.plain(pick(milestone.text, lang)))
        if milestone.note:
            text_col.caption(app.plain(pick(milestone.note, lang)))
        with cite_col:
            app.cite(ctx, milestone.id, milestone.source, key=f"cite-ms-{milestone.id}")
    for document in (d for d in base.documents if d.topic in topics):
        text_col, cite_col = st.columns([5, 1])
        year = f"{document.year} · " if document.year else ""
        text_col.markdown(":material/description: " + year + app.plain(pick(document.title, lang)))
        with cite_col:
            app.cite(ctx, document.id, document.source, key=f"cite-doc-{document.id}")


def metrics(ids: list[str]) -> None:
    """Metric cards in a row."""
    if not ids:
        return
    columns = st.columns(len(ids))
    for column, fact_id in zip(columns, ids, strict=True):
        with column:
            app.metric(ctx, fact_id)


st.subheader(t("livelihood.employment", lang))
metrics(facts_of(Topic.employment))
app.chart(ctx, "employment_vs_target", key="employment")
programmes_of(Topic.employment)

st.subheader(t("livelihood.income", lang))
metrics(facts_of(Topic.income))
app.chart(ctx, "income_growth", key="income")

st.subheader(t("livelihood.insurance", lang))
metrics(facts_of(Topic.insurance))
app.chart(ctx, "insurance_coverage", key="insurance")

st.subheader(t("livelihood.rural", lang))
metrics(facts_of(Topic.rural_revitalisation))
programmes_of(Topic.rural_revitalisation)

st.subheader(t("livelihood.education_health", lang))
programmes_of(Topic.education, Topic.health)

st.subheader(t("livelihood.priorities", lang))
st.caption(t("livelihood.priorities_help", lang))
columns = st.columns(2)
for index, area in enumerate(Area):
    items = [p for p in base.priorities if p.area is area]
    if not items:
        continue
    with columns[index % 2], st.container(border=True):
        st.markdown(
            "**"
            + app.plain(enum_label(area, lang))
            + "**\n\n"
            + "\n".join("- " + app.plain(pick(item.text, lang)) for item in items)
        )
        with st.popover(
            t("cite.button", lang) + f" ({len(items)})",
            icon=":material/format_quote:",
            key=f"cite-pr-{area.value}",
        ):
            st.markdown(
                app.quotes_markdown(ctx, [(i.id, pick(i.text, lang), i.source) for i in items])
            )
