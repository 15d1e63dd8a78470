"""Overview page: headline results, the year's milestones and one highlight per section."""

import streamlit as st

from haixi import app
from haixi.formatting import format_quantity
from haixi.i18n import pick, t

ctx = app.start("overview")
base, lang = ctx.base, ctx.lang

st.caption(
    t(
        "overview.intro",
        lang,
        region=app.plain(pick(base.meta.region, lang)),
        source=app.plain(pick(base.sources[0].title, lang)),
    )
)

st.header(t("overview.headlines", lang))
headlines = [f for f in base.facts if f.headline]
for start in range(0, len(headlines), 4):
    columns = st.columns(4)
    for column, fact in zip(columns, headlines[start : start + 4], strict=False):
        with column:
            app.metric(ctx, fact.id)

st.header(t("overview.milestones", lang))
# One list and one quote list, not a card and a popover per milestone (see app.record_list).
app.record_list(
    ctx,
    [
        app.milestone_record(ctx, m, f"**{m.period or t('label.no_year', lang)}** · ")
        for m in base.milestones
    ],
    key="cite-milestones",
)

st.header(t("overview.sections", lang))
columns = st.columns(3)
revenue = base.find_fact("local-general-budget-revenue")
stated_chains = base.find_fact("chain-count-stated")
record_holder = base.find_project(app.RECORD_PROJECT)
jobs = base.find_fact("urban-new-jobs-target-completion")
chains_with_projects = sum(1 for c in base.chains if base.projects_of(c.id))
# One highlight per section; a smaller fact base that lacks a highlight's figure
# shows the section's link without it.
highlights = [
    (
        "economy",
        t(
            "overview.hl_economy",
            lang,
            label=app.plain(pick(revenue.label, lang)),
            value=app.plain(format_quantity(revenue.quantity, lang)),
        )
        if revenue
        else "",
    ),
    (
        "chains",
        t(
            "overview.hl_chains",
            lang,
            listed=len(base.chains),
            stated=int(stated_chains.quantity.value),
            with_projects=chains_with_projects,
        )
        if stated_chains
        else "",
    ),
    (
        "projects",
        t(
            "overview.hl_projects",
            lang,
            projects=len(base.projects),
            record=app.plain(pick(record_holder.records[0].text, lang)),
        )
        if record_holder and record_holder.records
        else "",
    ),
    (
        "livelihood",
        t(
            "overview.hl_livelihood",
            lang,
            label=app.plain(pick(jobs.label, lang)),
            value=app.plain(format_quantity(jobs.quantity, lang)),
        )
        if jobs
        else "",
    ),
    (
        "sources",
        t("overview.hl_sources", lang, facts=len(base.facts), errata=len(base.errata)),
    ),
]
for index, (page, text) in enumerate(highlights):
    with columns[index % 3], st.container(border=True):
        if text:
            st.markdown(text)
        st.page_link(
            app.page_path(page),
            label=app.page_title(page, lang),
            icon=app.PAGE_ICONS[page],
            query_params={"lang": lang},
        )
