"""Economy and finance page: GDP and fiscal figures, business-environment and tax measures."""

import streamlit as st

from haixi import app
from haixi.i18n import enum_label, pick, t
from haixi.schema import ProgrammeKind, Topic

ctx = app.start("economy")
base, lang = ctx.base, ctx.lang

ECONOMY_TOPICS = {Topic.economy, Topic.fiscal, Topic.industry}

st.subheader(t("economy.figures", lang))
facts = [f for f in base.facts if f.topic in ECONOMY_TOPICS]
columns = st.columns(max(1, min(4, len(facts))))
for index, fact in enumerate(facts):
    with columns[index % len(columns)]:
        app.metric(ctx, fact.id)

milestones = [m for m in base.milestones if m.topic in ECONOMY_TOPICS]
if milestones:
    st.subheader(t("economy.milestones", lang))
    for milestone in milestones:
        text_col, cite_col = st.columns([5, 1])
        text_col.markdown("- " + app.plain(pick(milestone.text, lang)))
        with cite_col:
            app.cite(ctx, milestone.id, milestone.source, key=f"cite-ms-{milestone.id}")

st.subheader(t("economy.documents", lang))
app.chart(ctx, "documents_timeline", key="documents")

st.subheader(t("economy.business_environment", lang))
st.caption(t("economy.business_environment_help", lang))
measures = [p for p in base.programmes if p.topic is Topic.business_environment]
for kind in ProgrammeKind:
    group = [p for p in measures if p.kind is kind]
    if not group:
        continue
    st.markdown("**" + app.plain(enum_label(kind, lang)) + "**")
    for programme in group:
        with st.container(border=True):
            text_col, cite_col = st.columns([5, 1])
            text_col.markdown("**" + app.plain(pick(programme.name, lang)) + "**")
            text_col.caption(app.plain(pick(programme.description, lang)))
            with cite_col:
                app.cite(ctx, programme.id, programme.source, key=f"cite-pg-{programme.id}")

strategies = [p for p in base.programmes if p.topic is Topic.strategy]
if strategies:
    st.subheader(t("economy.strategies", lang))
    for programme in strategies:
        text_col, cite_col = st.columns([5, 1])
        text_col.markdown(
            "**" + app.plain(pick(programme.name, lang)) + "** · "
            + app.plain(pick(programme.description, lang))
        )
        with cite_col:
            app.cite(ctx, programme.id, programme.source, key=f"cite-st-{programme.id}")
