"""Entry point: page config, language, navigation over the six pages and ?fact= deep links."""

import logging
from datetime import timedelta

import streamlit as st

from haixi import app, replay, report, views
from haixi.i18n import t

log = logging.getLogger("haixi")

st.set_page_config(
    # The period(s) of the fact base, from the data ("Haixi 2022 · 海西州2022").
    page_title=views.tab_title(app.shown_base()),
    # A file in the repository: a :material/...: icon makes the browser fetch it from Google's
    # font servers on every visit (and shows no tab icon offline). Served as a static file
    # (static/, `enableStaticServing` in .streamlit/config.toml): given as a path, Streamlit
    # read it, hashed it and registered it as a media file on every run.
    page_icon=app.FAVICON,
    layout="wide",
    initial_sidebar_state="auto",
)

# Metric labels and values wrap instead of being cut with "…" (long English labels, "at least
# CNY 100 billion" in a quarter-width card, phones). Markdown tables (haixi.app.table) scroll
# sideways inside their column instead of spilling over its border, in the grid's type size;
# on a phone their cells keep room for a few words, so the table scrolls instead of wrapping
# each cell to a word a line. The annotated source's own rules (haixi/templates/annotated.css)
# are here too: a <style> that comes with the page's HTML block would make the browser restyle
# the whole document on every switch to that page.
STYLE = (
    "<style>[data-testid='stMetric'] .stMarkdownEllipsis,"
    " [data-testid='stMetric'] .stMarkdownEllipsis p"
    " {white-space: normal; overflow: visible; text-overflow: clip;}"
    " [data-testid='stMarkdownContainer'] table"
    " {display: block; max-width: 100%; overflow-x: auto; font-size: 0.875rem;}"
    " [data-testid='stMarkdownContainer'] th, [data-testid='stMarkdownContainer'] td"
    " {min-width: 3.5em;}"
    " @media (max-width: 640px) {[data-testid='stMarkdownContainer'] th,"
    " [data-testid='stMarkdownContainer'] td {min-width: 6em;}}"
    + report.stylesheet("annotated.css")
    + "</style>"
)
# Drawn once per process and stylesheet, then its delta replayed (haixi.replay).
replay.draw(replay.PROCESS, STYLE, lambda: st.html(STYLE))

lang, lang_notice = app.language()
st.session_state["_ctx_lang"] = lang
# The page titles, the version line and the source note (views.chrome decides them).
chrome = views.chrome.view(app.shown_base(), lang)
titles = dict(chrome.pages)


def _pages() -> tuple[dict, st.Page]:
    pages = {
        name: st.Page(
            app.page_path(name),
            title=titles[name],
            icon=app.PAGE_ICONS[name],
            url_path="home" if name == "overview" else name,  # the default page is at "/"
            default=name == "overview",
        )
        for name in titles
    }
    # /overview would otherwise open a "Page not found" dialog: a hidden page on the same
    # script answers that address.
    overview_alias = st.Page(
        app.page_path("overview"),
        title=titles["overview"],
        icon=app.PAGE_ICONS["overview"],
        url_path="overview",
        visibility="hidden",
    )
    return pages, overview_alias


# Built once per session and set of titles (each st.Page resolves its script on disk).
pages, overview_alias = app.per_session("_pages", tuple(titles.items()), _pages)
current = st.navigation([*pages.values(), overview_alias])
app.language_switch(lang)
app.sidebar_footer(chrome)

if lang_notice:
    app.notice(t(lang_notice, lang))

fact_param = st.query_params.get_all("fact")
# A permalink opens its record on Sources and method; the annotated source reads it itself.
if fact_param and current.url_path not in (pages["sources"].url_path, pages["text"].url_path):
    st.switch_page(pages["sources"], query_params={"fact": fact_param[-1][:200], "lang": lang})

try:
    with app.through_navigation(pages):
        current.run()
except Exception:  # noqa: BLE001 - a user must never see a traceback
    log.exception("page %s failed", current.title)
    st.error(t("error.unexpected", lang), icon=":material/error:")


# Streamlit 1.67's browser reruns the page on reconnecting only if the app has a fragment that
# reruns on a timer. Without one, a reader whose server process died is reconnected to another
# process (deploy/: replicas behind a load balancer) that holds no session, and their next
# click is lost: the new process rebuilds the page from the address instead. This fragment
# draws nothing (an empty block at the foot of the page), and its timer fires twice a day.
@st.fragment(run_every=timedelta(hours=12))
def _rerun_on_reconnect() -> None:
    pass


_rerun_on_reconnect()
