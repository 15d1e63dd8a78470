"""Sources and method page: the sources, the method, errata, every record and downloads."""

import pandas as pd
import streamlit as st

from haixi import app
from haixi.downloads import downloads
from haixi.formatting import format_quantity
from haixi.i18n import enum_label, pick, t
from haixi.schema import Fact, Qualifier, Topic, all_quotes

ctx = app.start("sources", known_params=("q", "topic"))
base, lang = ctx.base, ctx.lang

# ---------------------------------------------------------------- the record a permalink opens
fact_param = st.query_params.get_all("fact")
if fact_param:
    wanted = fact_param[-1][:200]
    record = base.by_id(wanted)
    if record is None:
        app.notice(t("notice.unknown_fact", lang))
    else:
        with st.container(border=True):
            st.markdown("## :material/push_pin: " + app.plain(record.id))
            label = getattr(record, "label", None) or getattr(record, "name", None) or getattr(
                record, "text", None
            ) or getattr(record, "title", None) or getattr(record, "description", None)
            if label is not None:
                st.markdown("**" + app.plain(pick(label, lang)) + "**")
            if isinstance(record, Fact):
                st.metric(
                    t("col.value", lang),
                    format_quantity(record.quantity, lang),
                    label_visibility="collapsed",
                )
                st.caption(
                    " · ".join(
                        [
                            t("col.stated", lang) + " " + app.plain(record.quantity.stated),
                            enum_label(record.quantity.qualifier, lang),
                            t("label.period", lang, year=record.period),
                            enum_label(record.topic, lang),
                        ]
                    )
                )
            quotes = [q for rid, _path, q in all_quotes(base) if rid == record.id] or (
                [record.source] if hasattr(record, "source") else []
            )
            for quote in quotes:
                st.markdown("> " + app.plain(quote.quote))
                line = app.quote_line(base, quote)
                source = base.source(quote.source)
                where = app.plain(pick(source.title, lang)) + f" ({app.plain(source.file)})"
                if line:
                    where += " · " + t("cite.line", lang, line=line)
                st.caption(where)
            note = getattr(record, "note", None)
            if note:
                st.info(app.plain(pick(note, lang)), icon=":material/info:")

# ---------------------------------------------------------------- sources and citation
st.header(t("sources.sources", lang))
for source in base.sources:
    with st.container(border=True):
        st.markdown("**" + app.plain(pick(source.title, lang)) + "**")
        if lang == "en":
            st.caption(t("label.original", lang) + " 《" + app.plain(source.title.zh) + "》")
        st.caption(
            " · ".join(
                [
                    app.plain(pick(source.publisher, lang)),
                    enum_label(source.kind, lang),
                    t("label.period", lang, year=source.covers),
                    app.plain(source.file),
                    "sha256 " + source.sha256[:16] + "…",
                ]
            )
        )
        if source.note:
            st.markdown(app.plain(pick(source.note, lang)))

st.markdown(
    t(
        "sources.version",
        lang,
        version=app.plain(base.meta.version),
        released=base.meta.released.isoformat(),
    )
)
st.markdown("**" + t("sources.how_to_cite", lang) + "**")
# Plain text in a box, not st.code: st.code loads the frontend's syntax highlighter, about
# 0.3-0.5 s of browser main-thread time on every load of this page (bench/results.md).
with st.container(border=True):
    st.text(
        t(
            "sources.citation",
            lang,
            title=pick(base.meta.title, lang),
            version=base.meta.version,
            released=base.meta.released.isoformat(),
            source=pick(base.sources[0].title, lang),
        )
    )

# ---------------------------------------------------------------- method
st.header(t("sources.method", lang))
st.markdown(t("sources.method_text", lang))
st.markdown(app.plain(pick(base.meta.translation_note, lang)))
qualifiers = pd.DataFrame(
    [
        {
            t("col.qualifier", lang): enum_label(q, lang),
            t("col.description", lang): t(f"qualifier_help.{q.value}", lang),
        }
        for q in Qualifier
    ]
)
app.table(qualifiers, key="qualifiers")

# ---------------------------------------------------------------- errata
st.header(t("sources.errata", lang, n=len(base.errata)))
app.chart(ctx, "errata_by_kind", key="errata")
errata = pd.DataFrame(
    [
        {
            t("col.id", lang): e.id,
            t("col.kind", lang): enum_label(e.kind, lang),
            t("col.line", lang): e.line,
            t("col.description", lang): pick(e.description, lang),
            t("col.quote", lang): e.source.quote,
        }
        for e in base.errata
    ]
)
st.dataframe(errata, hide_index=True, key="errata-table")

# ---------------------------------------------------------------- every record with its quote
st.header(t("sources.all_records", lang))
SECTIONS = ("facts", "projects", "bases", "documents", "programmes", "milestones", "priorities")
rows = []
for section in SECTIONS:
    for record in getattr(base, section):
        label = (
            getattr(record, "label", None)
            or getattr(record, "name", None)
            or getattr(record, "title", None)
            or getattr(record, "text", None)
        )
        value = ""
        if isinstance(record, Fact):
            value = format_quantity(record.quantity, lang)
        topic = getattr(record, "topic", None)
        rows.append(
            {
                t("col.id", lang): record.id,
                t("col.section", lang): t(f"section.{section}", lang),
                t("col.label", lang): pick(label, lang) if label else "",
                t("col.value", lang): value,
                t("col.topic", lang): enum_label(topic, lang) if topic else "",
                t("col.quote", lang): record.source.quote,
                "_topic": topic.value if topic else "",
            }
        )
records = pd.DataFrame(rows)
left, right = st.columns([2, 1])
with left:
    query = app.url_text("q", t("sources.search", lang), lang)
with right:
    topics = app.url_filter(
        "topic",
        t("col.topic", lang),
        [tp.value for tp in Topic if (records["_topic"] == tp.value).any()],
        app.label_for(Topic, lang),
        lang,
    )
mask = pd.Series(True, index=records.index)
if query:
    needle = query.casefold()
    mask &= records.drop(columns="_topic").apply(
        lambda row: any(needle in str(v).casefold() for v in row), axis=1
    )
if topics:
    mask &= records["_topic"].isin(topics)
shown = records[mask].drop(columns="_topic")
st.caption(t("sources.showing", lang, shown=len(shown), total=len(records)))
st.dataframe(shown, hide_index=True, key="records-table")

# ---------------------------------------------------------------- downloads
st.header(t("sources.downloads", lang))
for column, item in zip(st.columns(5), downloads(base, ctx.raw, lang), strict=True):
    column.download_button(
        item.label,
        data=item.data,
        file_name=item.file_name,
        mime=item.mime,
        key=item.key,
        on_click="ignore",
        icon=item.icon,
    )
st.caption(t("sources.downloads_help", lang))
