"""Economy and finance page: GDP and fiscal figures, business-environment and tax measures."""

import streamlit as st

from haixi import app
from haixi.i18n import enum_label, t
from haixi.schema import ProgrammeKind, Topic

ctx = app.start("economy")
base, lang = ctx.base, ctx.lang

ECONOMY_TOPICS = {Topic.economy, Topic.fiscal, Topic.industry}

st.header(t("economy.figures", lang))
facts = [f for f in base.facts if f.topic in ECONOMY_TOPICS]
columns = st.columns(max(1, min(4, len(facts))))
for index, fact in enumerate(facts):
    with columns[index % len(columns)]:
        app.metric(ctx, fact.id)

milestones = [m for m in base.milestones if m.topic in ECONOMY_TOPICS]
if milestones:
    st.header(t("economy.milestones", lang))
    app.record_list(
        ctx, [app.milestone_record(ctx, m) for m in milestones], key="cite-milestones"
    )

st.header(t("economy.documents", lang))
app.record_list(
    ctx,
    [app.document_record(ctx, d) for d in sorted(base.documents, key=lambda d: d.position)],
    key="cite-documents",
)

st.header(t("economy.business_environment", lang))
st.caption(t("economy.business_environment_help", lang))
measures = [p for p in base.programmes if p.topic is Topic.business_environment]
for kind in ProgrammeKind:
    group = [p for p in measures if p.kind is kind]
    app.record_list(
        ctx,
        [app.programme_record(ctx, p) for p in group],
        key=f"cite-pg-{kind.value}",
        title=enum_label(kind, lang),
    )

strategies = [p for p in base.programmes if p.topic is Topic.strategy]
if strategies:
    st.header(t("economy.strategies", lang))
    app.record_list(ctx, [app.programme_record(ctx, p) for p in strategies], key="cite-strategies")
