"""Industry chains page: the chain-leader system, every chain with its projects and facts."""

import pandas as pd
import streamlit as st

from haixi import app
from haixi.formatting import format_quantity
from haixi.i18n import enum_label, pick, t
from haixi.schema import Topic

ctx = app.start("chains")
base, lang = ctx.base, ctx.lang

system = next((p for p in base.programmes if p.id == "chain-leader-system"), None)
if system:
    st.markdown(app.plain(pick(system.description, lang)))
    app.cite(ctx, system.id, system.source, key="cite-system")

count = base.find_fact("chain-count-stated")
left, right = st.columns([1, 2])
with left:
    app.metric(ctx, "chain-count-stated")
with right, st.container(border=True):
    st.metric(t("chains.listed_names", lang), str(len(base.chains)))
    if count and count.note:
        st.warning(app.plain(pick(count.note, lang)), icon=":material/warning:")

documents = [d for d in base.documents if d.topic is Topic.chains]
app.record_list(
    ctx,
    [
        app.ListedRecord(
            d.id,
            (f"**{d.year}** · " if d.year else "")
            + t("label.document_title", lang, title=app.plain(pick(d.title, lang))),
            pick(d.title, lang),
            d.source,
        )
        for d in documents
    ],
    key="cite-documents",
)

programmes = [p for p in base.programmes if p.topic is Topic.chains and p.id != "chain-leader-system"]
if programmes:
    st.header(t("chains.programmes", lang))
    columns = st.columns(len(programmes))
    for column, programme in zip(columns, programmes, strict=True):
        with column, st.container(border=True):
            st.markdown("**" + app.plain(pick(programme.name, lang)) + "**")
            st.caption(app.plain(pick(programme.description, lang)))
            linked = [p for p in base.projects if programme.id in p.programmes]
            st.caption(t("chains.programme_projects", lang, n=len(linked)))
            app.cite(ctx, programme.id, programme.source, key=f"cite-pg-{programme.id}")

st.header(t("chains.reported", lang))
app.chart(ctx, "chains_overview", key="chains-overview")
app.chart(ctx, "chain_hierarchy", key="chain-hierarchy")

st.header(t("chains.each", lang))
st.caption(t("chains.classification_note", lang))
for chain in sorted(base.chains, key=lambda c: c.position):
    projects = base.projects_of(chain.id)
    facts = base.facts_of(chain.id)
    title = f"{chain.position}. " + app.plain(pick(chain.name, lang))
    title += " · " + t("chains.counts", lang, projects=len(projects), facts=len(facts))
    with app.lazy_expander(title, key=f"chain-{chain.id}") as box:
        if not box.open:
            continue  # built when opened (see app.lazy_expander)
        if lang == "en":
            st.caption(t("label.original", lang) + " " + app.plain(chain.name.zh))
        if chain.note:
            st.info(app.plain(pick(chain.note, lang)), icon=":material/info:")
        if not (projects or facts or chain.highlights):
            st.caption(t("chains.nothing_reported", lang))
        if projects:
            rows = []
            for project in projects:
                for output in project.outputs:
                    rows.append(
                        {
                            t("col.project", lang): pick(project.name, lang),
                            t("col.company", lang): pick(project.company, lang)
                            if project.company
                            else "",
                            t("col.product", lang): pick(output.product, lang),
                            t("col.capacity", lang): format_quantity(output.capacity, lang)
                            if output.capacity
                            else "",
                            t("col.stage", lang): enum_label(project.stage, lang),
                            t("col.chain_basis", lang): enum_label(project.chain_basis, lang)
                            if project.chain_basis
                            else "",
                        }
                    )
            app.table(pd.DataFrame(rows), key=f"chain-table-{chain.id}")
        for fact in facts:
            text_col, cite_col = st.columns([5, 1])
            text_col.markdown(
                app.plain(pick(fact.label, lang))
                + ": **"
                + app.plain(format_quantity(fact.quantity, lang))
                + "**"
            )
            with cite_col:
                app.cite(ctx, fact.id, fact.source, key=f"cite-cf-{chain.id}-{fact.id}")
        for index, highlight in enumerate(chain.highlights):
            text_col, cite_col = st.columns([5, 1])
            text_col.markdown("- " + app.plain(pick(highlight.text, lang)))
            with cite_col:
                app.cite(ctx, chain.id, highlight.source, key=f"cite-hl-{chain.id}-{index}")
