"""New energy and projects page: filterable projects, capacities, stages, national bases."""

import pandas as pd
import streamlit as st

from haixi import app
from haixi.formatting import format_quantity
from haixi.i18n import enum_label, pick, t
from haixi.schema import Stage, Unit

ctx = app.start("projects", known_params=("chain", "stage", "product", "programme"))
base, lang = ctx.base, ctx.lang

chains = {c.id: c for c in base.chains}
programmes = {p.id: p for p in base.programmes}
products = sorted({o.product.zh for p in base.projects for o in p.outputs})
product_names = {o.product.zh: o.product for p in base.projects for o in p.outputs}

with st.container(border=True):
    st.markdown("**" + t("filter.title", lang) + "**")
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        chosen_chains = app.url_filter(
            "chain",
            t("col.chain", lang),
            [c.id for c in sorted(base.chains, key=lambda c: c.position)
             if base.projects_of(c.id)],
            lambda cid: pick(chains[cid].name, lang),
            lang,
        )
    with c2:
        chosen_stages = app.url_filter(
            "stage",
            t("col.stage", lang),
            [s.value for s in Stage if any(p.stage is s for p in base.projects)],
            app.label_for(Stage, lang),
            lang,
        )
    with c3:
        chosen_products = app.url_filter(
            "product",
            t("col.product", lang),
            products,
            lambda zh: pick(product_names[zh], lang),
            lang,
        )
    with c4:
        chosen_programmes = app.url_filter(
            "programme",
            t("col.programme", lang),
            sorted({pid for p in base.projects for pid in p.programmes}),
            lambda pid: pick(programmes[pid].name, lang),
            lang,
        )


def keep(project) -> bool:
    """Whether a project passes the filters (an empty filter keeps everything)."""
    if chosen_chains and project.chain not in chosen_chains:
        return False
    if chosen_stages and project.stage.value not in chosen_stages:
        return False
    if chosen_products and not any(o.product.zh in chosen_products for o in project.outputs):
        return False
    if chosen_programmes and not set(project.programmes) & set(chosen_programmes):
        return False
    return True


shown = [p for p in base.projects if keep(p)]
rows = []
for project in shown:
    for output in project.outputs:
        rows.append(
            {
                t("col.id", lang): project.id,
                t("col.project", lang): pick(project.name, lang),
                t("col.company", lang): pick(project.company, lang) if project.company else "",
                t("col.product", lang): pick(output.product, lang),
                t("col.capacity", lang): format_quantity(output.capacity, lang)
                if output.capacity
                else "",
                t("col.stage", lang): enum_label(project.stage, lang),
                t("col.stage_as_stated", lang): project.stage_as_stated,
                t("col.chain", lang): pick(chains[project.chain].name, lang)
                if project.chain
                else "",
                t("col.chain_basis", lang): enum_label(project.chain_basis, lang)
                if project.chain_basis
                else "",
                t("col.programme", lang): ", ".join(
                    pick(programmes[pid].name, lang) for pid in project.programmes
                ),
                t("col.year", lang): str(project.year) if project.year else "",
                t("col.quote", lang): project.source.quote,
            }
        )
table = pd.DataFrame(rows, columns=[
    t(k, lang)
    for k in ("col.id", "col.project", "col.company", "col.product", "col.capacity",
              "col.stage", "col.stage_as_stated", "col.chain", "col.chain_basis",
              "col.programme", "col.year", "col.quote")
])
st.header(t("projects.table", lang, shown=len(shown), total=len(base.projects)))
st.caption(t("projects.table_help", lang))
st.dataframe(table, hide_index=True, key="projects-table")
st.download_button(
    t("download.csv", lang),
    data=lambda: app.versioned_csv(base, table),
    file_name=f"haixi-projects-{lang}-v{base.meta.version}.csv",
    mime="text/csv",
    key="dl-projects",
    on_click="ignore",
    icon=":material/download:",
)
with app.lazy_expander(
    t("projects.sources", lang), key="projects-sources", icon=":material/format_quote:"
) as box:
    if box.open:
        st.markdown(
            app.quotes_markdown(ctx, [(p.id, pick(p.name, lang), p.source) for p in shown])
        )

st.header(t("projects.capacity", lang))
app.chart(ctx, "capacity_by_product", key="capacity-t", unit=Unit.t_per_year)
st.caption(t("projects.capacity_other_units", lang))
app.chart(ctx, "projects_by_stage", key="stages")

st.header(t("projects.bases", lang))
columns = st.columns(2)
for index, national_base in enumerate(base.bases):
    with columns[index % 2], st.container(border=True):
        st.markdown("**" + app.plain(pick(national_base.name, lang)) + "**")
        status = enum_label(national_base.status, lang)
        stated = app.plain(national_base.status_as_stated)
        if lang == "en":  # the text's own words, marked as such for English readers
            stated = t("label.original", lang) + " " + stated
        # In Chinese the text's words are often the label itself: say it once.
        st.caption(status if stated == status else status + " · " + stated)
        app.cite(ctx, national_base.id, national_base.source, key=f"cite-base-{national_base.id}")
app.metric(ctx, "pv-leader-base-scale")

# The solar-thermal plant whose national and world records the text reports.
record_holder = base.find_project(app.RECORD_PROJECT)
if record_holder and record_holder.records:
    st.header(t("projects.record", lang))
    st.markdown("**" + app.plain(pick(record_holder.name, lang)) + "**")
    left, right = st.columns(2)
    with left:
        app.metric(ctx, "csp-delingha-capacity")
    with right:
        app.metric(ctx, "csp-delingha-world-rank")
    app.record_list(
        ctx,
        [
            app.ListedRecord(
                record_holder.id,
                ":material/emoji_events: " + app.plain(pick(record.text, lang)),
                pick(record.text, lang),
                record.source,
            )
            for record in record_holder.records
        ],
        key="cite-records",
    )
    if record_holder.note:
        st.caption(app.plain(pick(record_holder.note, lang)))
