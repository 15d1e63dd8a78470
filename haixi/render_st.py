"""The Streamlit renderer: turns the page views of haixi.views into Streamlit elements."""

from __future__ import annotations

import streamlit as st

from haixi import app, memo, replay, report, serving, views
from haixi.app import Context, plain
from haixi.downloads import downloads
from haixi.i18n import t

# A record list's icon per kind of record (the text stays the view's).
KIND_ICONS = {
    "document": ":material/description: ",
    "record": ":material/emoji_events: ",
}

# A chart's data table with more columns than this goes under the chart, not beside it.
WIDE_TABLE_COLUMNS = 5


@memo.by_value(64, skip=1)
@st.cache_resource(show_spinner=False, max_entries=64)
def _view(_base, token: str, lang: str, name: str, stamp: tuple) -> views.PageView:
    """A page's view, built once per fact-base version, sources version and language."""
    return views.page(name, _base, lang)


@memo.by_value(16, skip=1)
@st.cache_resource(show_spinner=False, max_entries=16)
def _notices(_base, token: str, lang: str, stamp: tuple) -> list[str]:
    """What is wrong with the source files, checked once per fact base and file version."""
    return views.source_notices(_base, lang)


def page(name: str) -> None:
    """Start the page and render its view: all a file in pages/ does."""
    serving.tcp_nodelay()  # once per process
    ctx = app.start(name, known_params=views.PAGE_PARAMS.get(name, ()),
                    multi_params=views.MULTI_PARAMS.get(name, ()))
    stamp = views.sources_stamp()  # once per run: the views and notices are cached on it
    for problem in _notices(ctx.base, ctx.token, ctx.lang, stamp):
        st.warning(plain(problem), icon=":material/warning:")
    view = _view(ctx.base, ctx.token, ctx.lang, name, stamp)
    # What the address pins above the page (a permalink's record, an asked passage) and the
    # notices it raises: the view's decision, drawn here in its order.
    pinned = views.pinned(name, ctx.base, ctx.lang, app.request(), view)
    for block in pinned.blocks:
        PINNED_RENDERERS[type(block)](ctx, block)
    st.session_state[ASKED] = pinned.asked
    if view.intro:
        st.caption(plain(view.intro))
    lead, tabbed = view.split()
    for section in lead:
        if section.id not in pinned.hidden:
            render_section(ctx, section)
    if tabbed:
        for section, tab in zip(tabbed, section_tabs(ctx, name, tabbed), strict=True):
            if tab.open:
                with tab:
                    render_section(ctx, section)


def render_section(ctx: Context, section: views.Section) -> None:
    """A section: its deltas recorded the first time per view and language, replayed after
    (haixi.replay); its widgets and stateful blocks (LIVE_BLOCKS, the download buttons, the
    lazy expanders) run live on every run."""
    replay.draw(section, ctx.lang, lambda: _section(ctx, section))


def _section(ctx: Context, section: views.Section) -> None:
    if section.title:
        st.header(plain(section.title))
    if section.help:
        st.caption(plain(section.help))
    blocks(ctx, section.blocks)


# The section open in each page's tabs, by id: kept across pages and languages for the session.
OPEN_TABS = "_open_tabs"
TAB_DEFAULTS = "_tab_defaults"


def tab_key(name: str, lang: str) -> str:
    """The session key of a page's tabs: one per language, since the labels change with it
    (the open section is kept by id, in OPEN_TABS)."""
    return f"tabs-{name}-{lang}"


def _asked_section(sections) -> str | None:
    """The section whose filtered table the URL's parameters address (?q=, ?topic= ...)."""
    for section in sections:
        for block in section.blocks:
            if isinstance(block, views.FilteredTable):
                params = [f.param for f in block.facets] + (["q"] if block.search else [])
                if any(st.query_params.get_all(p) for p in params):
                    return section.id
    return None


def _url_section(ctx: Context, ids: list[str]) -> str | None:
    """The section ?tab= names, if it names one of these; a notice if it does not."""
    values = st.query_params.get_all(views.TAB_PARAM)
    if not values:
        return None
    if len(values) == 1 and values[0] in ids:
        return values[0]
    app.notice(t("notice.bad_tab", ctx.lang, name=views.TAB_PARAM))
    return None


def section_tabs(ctx: Context, name: str, sections):
    """A tab per section, only the open one built (st.tabs with on_change: a tab click reruns
    the page). Mounting every section of the long pages at once was most of a page switch
    (bench/notes.md, "session"); the report still prints them all. The open section is kept
    by id for the session and named in the address (?tab=), so a copied link opens it too."""
    ids = [s.id for s in sections]
    labels = [plain(s.title) for s in sections]
    opened = st.session_state.setdefault(OPEN_TABS, {})
    if name in opened:
        chosen = opened[name]
    else:  # the first time this session shows the page: the address says which section
        chosen = _url_section(ctx, ids) or _asked_section(sections)
    key = tab_key(name, ctx.lang)
    # The default counts when the tabs show (again) in this language, and must stay the same
    # while they are on screen: a changed default makes them a new widget, on its first tab.
    defaults = st.session_state.setdefault(TAB_DEFAULTS, {})
    if key not in st.session_state:
        defaults[key] = labels[ids.index(chosen)] if chosen in ids else None
    tabs = st.tabs(labels, key=key, on_change="rerun", default=defaults.get(key))
    label = st.session_state.get(key)
    if label in labels:
        opened[name] = ids[labels.index(label)]
    shown = opened.get(name, chosen)
    if shown not in ids:
        shown = ids[0]
    if shown == ids[0]:  # the first section is what the bare address opens
        if views.TAB_PARAM in st.query_params:
            del st.query_params[views.TAB_PARAM]
    elif st.query_params.get_all(views.TAB_PARAM) != [shown]:
        st.query_params[views.TAB_PARAM] = shown
    return tabs


def blocks(ctx: Context, items) -> None:
    for block in items:
        if type(block) in LIVE_BLOCKS:
            replay.live(RENDERERS[type(block)], ctx, block)
        else:
            RENDERERS[type(block)](ctx, block)


# --------------------------------------------------------------------------- citations


def _where(ctx: Context, c: views.Citation, publisher: bool) -> str:
    where = plain(c.source_title)
    if publisher:
        where = t("cite.where", ctx.lang, title=plain(c.source_title), publisher=plain(c.publisher))
    if c.line:
        where += " · " + t("cite.line", ctx.lang, line=c.line)
        if c.source_id:
            where += f" · [{t('text.in_context', ctx.lang)}]({passage_href(c, ctx.lang)})"
    return where


def cite(ctx: Context, c: views.Citation, *, key: str, more: tuple = ()) -> None:
    """A popover with the verbatim quote, its source and a permalink to Sources and method;
    `more`: a measure's other readings, listed under it with their own quotes and sources."""
    lang = ctx.lang
    # Two elements per popover (one Markdown block, one link): every number has one, and
    # each element costs the browser time to mount (see bench/results.md).
    with st.popover(t("cite.button", lang), icon=":material/format_quote:", key=key):
        notes = [_where(ctx, c, True)] + ([t("cite.original_note", lang)] if lang == "en" else [])
        st.markdown(
            ":small[" + plain(t("cite.quote_label", lang)) + "]\n\n> "
            + plain(c.quote)
            + "\n\n"
            + "\n\n".join(":small[" + n + "]" for n in notes)
        )
        st.page_link(
            app.page_target("sources"),
            label=t("cite.permalink", lang),
            icon=":material/link:",
            query_params={"fact": c.record_id, "lang": lang},
        )
        if more:
            st.markdown("**" + plain(t("card.other_readings", lang)) + "**\n\n"
                        + quotes_markdown(ctx, more))


def quotes_markdown(ctx: Context, citations) -> str:
    """One Markdown block listing citations with their permalinks (one element, not a popover each)."""
    lang = ctx.lang
    parts = []
    for c in citations:
        link = record_href(c.record_id, lang)
        parts.append(
            f"**{plain(c.label)}**\n\n> {plain(c.quote)}\n\n"
            f":small[{_where(ctx, c, False)} · [" + t("cite.permalink", lang) + f"]({link})]"
        )
    note = "\n\n:small[" + t("cite.original_note", lang) + "]" if lang == "en" else ""
    return "\n\n".join(parts) + note


# --------------------------------------------------------------------------- blocks


def figure_card(ctx: Context, f: views.Figure) -> None:
    """A metric card: the figure as formatted, its qualifier, period and quote."""
    with st.container(border=True):
        st.metric(plain(f.label), f.value, help=plain(f.note) if f.note else None)
        if f.badges:
            st.caption(" · ".join(plain(b) for b in f.badges))
        # A measure read more than once: the change, the count of other readings and the
        # agreeing ones in one caption (one element), a disagreement as a warning.
        lines = [x for x in (f.change, f.others, *f.also) if x]
        if lines:
            st.caption("  \n".join(plain(x) for x in lines))
        if f.disagreement:
            st.warning(plain(f.disagreement), icon=":material/error:")
        if f.warning:
            st.warning(plain(f.warning), icon=":material/warning:")
        if f.citation is not None:
            cite(ctx, f.citation, key=f"cite-{f.id}", more=f.readings)


def render_figures(ctx: Context, block: views.Figures) -> None:
    columns = st.columns(block.columns)
    for index, f in enumerate(block.figures):
        with columns[index % block.columns]:
            figure_card(ctx, f)


def item_line(item: views.Item) -> str:
    line = KIND_ICONS.get(item.kind, "")
    if item.lead:
        line += "**" + plain(item.lead) + "** · "
    line += plain(item.text)
    if item.detail:
        line += " :small[" + plain(item.detail) + "]"
    if item.note:
        line += " :small[(" + plain(item.note) + ")]"
    return line


def render_records(ctx: Context, block: views.Records) -> None:
    """One Markdown list in a card with one popover of every record's quote and permalink.

    Twenty rows of a card, two columns and a popover each cost the browser about a fifth of a
    second of main-thread time to mount (bench/results.md); a list almost nothing.
    """
    n = len(block.items)
    with st.container(border=True):
        heading = "**" + plain(block.title) + "**\n\n" if block.title else ""
        st.markdown(heading + "\n".join("- " + item_line(i) for i in block.items))
        with st.popover(
            t("cite.button", ctx.lang) + (f" ({n})" if n > 1 else ""),
            icon=":material/format_quote:",
            key=block.key,
        ):
            st.markdown(quotes_markdown(ctx, [i.citation for i in block.items]))


def render_cards(ctx: Context, block: views.Cards) -> None:
    columns = st.columns(block.columns)
    for index, card in enumerate(block.cards):
        with columns[index % block.columns], st.container(border=True):
            st.markdown("**" + plain(card.title) + "**")
            for line in card.lines:
                st.caption(plain(line))
            if card.original:
                st.caption(original(ctx, card.original))
            if card.warning:
                st.warning(plain(card.warning), icon=":material/warning:")
            if card.citation is not None:
                cite(ctx, card.citation, key=f"cite-card-{card.id}")


def original(ctx: Context, words: str) -> str:
    """The source's own words, marked as such for an English reader."""
    return (t("label.original", ctx.lang) + " " if ctx.lang == "en" else "") + plain(words)


def render_chart(ctx: Context, block: views.ChartBlock) -> None:
    """A chart with its finding, its data table and the CSV of its data."""
    built = block.chart
    if built is None:
        st.info(t("notice.chart_data_missing", ctx.lang), icon=":material/info:")
        return
    with st.container(border=True):
        st.markdown("**" + plain(built.title) + "**")
        if block.summary:
            st.caption(plain(block.summary))
        if built.note:
            st.caption(plain(built.note))
        # Up to five columns of data fit beside the chart; a wider table (the capacities,
        # the chain hierarchy) goes under it at full width instead of scrolling in half.
        if len(block.shown.columns) > WIDE_TABLE_COLUMNS:
            left, right = st.container(), st.container()
        else:
            left, right = st.columns(2, gap="medium")
        with left:
            st.plotly_chart(
                _sent_figure(built.figure),
                theme=None,
                key=f"chart-{block.key}",
                config={"displaylogo": False, "responsive": True},
            )
        with right:
            st.caption(t("chart.data", ctx.lang))
            app.table(block.shown, key=f"table-{block.key}")
            csv_button(ctx, built.data, block.key)


@memo.by_identity
def _sent_figure(figure):
    """The chart as st.plotly_chart takes it, its dict built once per view's figure.

    st.plotly_chart turns a figure into a dict (`to_dict`, a deep copy) and the dict into JSON
    on every run; the copy alone was about 1 ms per chart and rerun. The figure is a view's,
    cached and never changed, so its dict is too: this copy hands out the same dict each time
    (st.plotly_chart only serialises it)."""
    import plotly.graph_objects as go

    class SentFigure(go.Figure):
        def to_dict(self):
            return self._sent

    sent = SentFigure(figure)
    sent._sent = figure.to_dict()  # the view's own figure's dict, as it would be sent
    return sent


def csv_button(ctx: Context, frame, name: str) -> None:
    """The CSV of a table: a download button, live on every run (its file is the session's)."""
    replay.live(_csv_button, ctx, frame, name)


def _csv_button(ctx: Context, frame, name: str) -> None:
    st.download_button(
        t("download.csv", ctx.lang),
        data=lambda: app.versioned_csv(ctx.base, frame),
        file_name=f"haixi-{name}-{ctx.lang}-v{ctx.base.meta.version}.csv",
        mime="text/csv",
        key=f"dl-{name}",
        on_click="ignore",
        icon=":material/download:",
    )


def render_table(ctx: Context, block: views.Table) -> None:
    if block.grid:
        st.dataframe(block.frame, hide_index=True, key=block.key)
    else:
        app.table(block.frame, key=block.key)
    if block.csv:
        csv_button(ctx, block.frame, block.csv)


def render_filtered(ctx: Context, block: views.FilteredTable) -> None:
    """Filters bound to the URL, the rows that pass them, their CSV and their quotes."""
    lang = ctx.lang
    chosen: dict[str, list[str]] = {}
    query = ""
    with st.container(border=True):
        st.markdown("**" + t("filter.title", lang) + "**")
        widths = ([2] if block.search else []) + [1] * len(block.facets)
        columns = st.columns(widths)
        if block.search:
            with columns[0]:
                query = app.url_text("q", block.search, lang)
        for column, facet in zip(columns[-len(block.facets):], block.facets, strict=True):
            labels = dict(facet.options)
            with column:
                chosen[facet.param] = app.url_filter(
                    facet.param, facet.label, list(labels), labels.__getitem__, lang
                )
    # What the filters leave: the same deltas for the same choice (haixi.replay); the CSV
    # button and the quotes' lazy expander stay live.
    choice = (lang, tuple((param, tuple(values)) for param, values in chosen.items()), query)
    replay.draw(block, choice, lambda: _filtered_rows(ctx, block, chosen, query))


def _filtered_rows(ctx: Context, block: views.FilteredTable, chosen: dict[str, list[str]],
                   query: str) -> None:
    lang = ctx.lang
    kept = views.filter_rows(block, chosen, query)
    shown = block.frame.iloc[kept]
    records = list(dict.fromkeys(block.row_records[i] for i in kept))
    count = t(block.title_key, lang, shown=len(records) if block.heading else len(kept),
              total=block.total)
    if block.heading:
        st.header(count)
    else:
        st.caption(count)
    if block.help:
        st.caption(plain(block.help))
    # Whether it is a grid depends on every row, not on the rows a filter leaves.
    app.table(shown[list(block.columns)] if block.columns else shown, key=block.key,
              rows=len(block.frame))
    if block.csv:
        csv_button(ctx, shown, block.csv)
    if block.quotes_title:
        replay.live(_filtered_quotes, ctx, block, records)


def _filtered_quotes(ctx: Context, block: views.FilteredTable, records: list[str]) -> None:
    with app.lazy_expander(
        block.quotes_title, key=f"{block.key}-quotes", icon=":material/format_quote:"
    ) as box:
        if box.open:
            st.markdown(quotes_markdown(ctx, [block.citations[r] for r in records]))


def render_text(ctx: Context, block: views.Text) -> None:
    text = plain(block.text)
    if block.style == "caption":
        st.caption(text)
    elif block.style == "info":
        st.info(text, icon=":material/info:")
    elif block.style == "warning":
        st.warning(text, icon=":material/warning:")
    elif block.style == "box":
        st.markdown("**" + plain(block.title) + "**")
        # Plain text in a box, not st.code: st.code loads the frontend's syntax highlighter,
        # about 0.3-0.5 s of browser main-thread time on every load (bench/results.md).
        with st.container(border=True):
            st.text(block.text)
    else:
        st.markdown(text)


def render_links(ctx: Context, block: views.Links) -> None:
    columns = st.columns(3)
    for index, link in enumerate(block.links):
        with columns[index % 3], st.container(border=True):
            if link.text:
                st.markdown(plain(link.text))
            st.page_link(
                app.page_target(link.page),
                label=link.title,
                icon=app.PAGE_ICONS[link.page],
                query_params={"lang": ctx.lang},
            )


def render_downloads(ctx: Context, block: views.Downloads) -> None:
    items = downloads(ctx.base, ctx.raw, ctx.lang)
    for column, item in zip(st.columns(len(items)), items, strict=True):
        column.download_button(
            item.label,
            data=item.data,
            file_name=item.file_name,
            mime=item.mime,
            key=item.key,
            on_click="ignore",
            icon=item.icon,
        )


def render_group(ctx: Context, block: views.Group) -> None:
    """A collapsed group whose content is built only while it is open (app.lazy_expander).

    A group that is not collapsed is shown under its own heading.
    """
    if not block.collapsed:
        st.subheader(plain(block.title))
        blocks(ctx, block.blocks)
        return
    replay.live(_lazy_group, ctx, block)


def _lazy_group(ctx: Context, block: views.Group) -> None:
    with app.lazy_expander(block.title, key=block.key) as box:
        if not box.open:
            return
        if block.original:
            st.caption(original(ctx, block.original))
        blocks(ctx, block.blocks)
        if block.citation is not None:
            cite(ctx, block.citation, key=f"cite-{block.key}")


def record_href(ident: str, lang: str) -> str:
    """A record's permalink on Sources and method, relative to the page (its url_path in
    dashboard.py), in the reader's language."""
    return f"sources?fact={ident}&lang={lang}"


def passage_href(c: views.Citation, lang: str) -> str:
    """Where a citation's passage stands on the annotated source page: its source and line."""
    return f"text?source={c.source_id}&line={c.line}&lang={lang}"


# The source's own headings on the annotated page: under the page's h1 and the source's h2.
SOURCE_HEADING = "h3"
# The session key of the lines the address asks for in the source on show (views.Pinned.asked),
# marked where they stand in the annotated text.
ASKED = "_text_asked"


def _source_fragment(template: str, lang: str, **values) -> str:
    return report.fragment(
        template, lang, href=lambda ident: record_href(ident, lang),
        source_heading=SOURCE_HEADING, link_target="_blank", **values,
    )


def source_html(ctx: Context, template: str, **values) -> None:
    """Source paragraphs as one st.html block, drawn by the report's own templates (Jinja2,
    autoescaped: the text and every label are text, never markup); their stylesheet is in
    the app-wide <style> of dashboard.py.

    As Markdown, one block per heading section, the annotated source took the browser 4-6x
    the floor's time to switch to; as HTML about half of that (bench/notes.md, "session")."""
    st.html(_source_fragment(template, ctx.lang, **values))


@memo.by_identity
def _annotated_body(block: views.Annotated, lang: str, asked: tuple[int, ...]) -> str:
    """The annotated source's HTML, drawn once per view (a fact-base, sources and language
    version) and set of asked lines: drawing its 47 KB took about 2 ms of every run of the page
    (8.7 against 10.7 ms of server CPU per rerun of the text page, bench/capacity.py)."""
    return _source_fragment("blocks/Annotated.html.j2", lang, block=block, asked=asked)


def render_annotated(ctx: Context, block: views.Annotated) -> None:
    """The whole source in one block: every paragraph with its line, quotes, errata and
    records; the lines a link asked for (pinned above it) are marked where they stand."""
    asked = tuple(st.session_state.get(ASKED, ()))
    # Live (it reads the session), but its one block is the same for the same asked lines:
    # recorded per set of them (haixi.replay), as its HTML is drawn once (_annotated_body).
    replay.draw(block, (ctx.lang, asked),
                lambda: st.html(_annotated_body(block, ctx.lang, asked)))


def render_source_choice(ctx: Context, block: views.SourceChoice) -> None:
    """The picker of the source the text page shows, bound to ?source=<id>: it starts on the
    one the view chose (from the address); a pick names it in the address and drops ?line=."""
    ids = [ident for ident, _ in block.options]
    titles = dict(block.options)
    key, seen_key = "text_source", "text_source__url"
    if st.session_state.get(seen_key) != block.chosen:
        st.session_state[key] = block.chosen
        st.session_state[seen_key] = block.chosen

    def sync() -> None:
        picked = st.session_state.get(key) or ids[0]
        st.session_state[seen_key] = picked
        st.query_params["source"] = picked
        # A line is a line of the source it was asked in: it does not follow to another.
        if "line" in st.query_params:
            del st.query_params["line"]

    st.selectbox(plain(block.label), ids, key=key, on_change=sync,
                 format_func=lambda ident: titles.get(ident, ident))


def render_passage(ctx: Context, block: views.Passage) -> None:
    """The asked lines, pinned above the annotated text, source by source."""
    with st.container(border=True):
        st.header(":material/push_pin: " + plain(block.title))
        for title, paragraphs in block.groups:
            if title:
                st.caption(plain(title))
            source_html(ctx, "passage.html.j2", paragraphs=list(paragraphs))


def render_notice(ctx: Context, block: views.Notice) -> None:
    app.notice(plain(block.text))


# Blocks that read the address or the session, or hold widgets throughout: drawn live on every
# run, never replayed (haixi.replay).
LIVE_BLOCKS = frozenset({views.FilteredTable, views.Downloads, views.Annotated})

RENDERERS = {
    views.Figures: render_figures,
    views.Records: render_records,
    views.Cards: render_cards,
    views.ChartBlock: render_chart,
    views.Table: render_table,
    views.FilteredTable: render_filtered,
    views.Text: render_text,
    views.Links: render_links,
    views.Downloads: render_downloads,
    views.Group: render_group,
    views.Annotated: render_annotated,
}


# --------------------------------------------------------------------------- a permalink


def render_record_detail(ctx: Context, detail: views.RecordDetail) -> None:
    """The record a ?fact= permalink names, pinned above the Sources page."""
    with st.container(border=True):
        st.markdown("## :material/push_pin: " + plain(detail.id))
        if detail.label:
            st.markdown("**" + plain(detail.label) + "**")
        if detail.figure is not None:
            st.metric(t("col.value", ctx.lang), detail.figure.value, label_visibility="collapsed")
            st.caption(" · ".join(plain(d) for d in detail.details))
        for c in detail.citations:
            st.markdown("> " + plain(c.quote))
            where = plain(c.source_title) + f" ({plain(c.file)})"
            if c.line:
                where += " · " + t("cite.line", ctx.lang, line=c.line)
            st.caption(where)
        if detail.note:
            st.info(plain(detail.note), icon=":material/info:")
        placed = detail.passage
        if placed is not None:  # the passage of its (first placed) quote, in its own source
            st.page_link(
                app.page_target("text"),
                label=t("text.in_context", ctx.lang),
                icon=":material/article:",
                query_params={"source": placed.source_id, "line": str(placed.line),
                              "lang": ctx.lang},
            )


# What a request pins above a page (views.Pinned.blocks), by kind.
PINNED_RENDERERS = {
    views.Notice: render_notice,
    views.SourceChoice: render_source_choice,
    views.Passage: render_passage,
    views.RecordDetail: render_record_detail,
}
