"""Entry point: page config, language, navigation over the six pages and ?fact= deep links."""

import logging

import streamlit as st

from haixi import app
from haixi.i18n import t

log = logging.getLogger("haixi")

st.set_page_config(
    page_title="Haixi 2022 · 海西州2022",
    page_icon=":material/query_stats:",
    layout="wide",
    initial_sidebar_state="auto",
)

lang, lang_notice = app.language()
st.session_state["_ctx_lang"] = lang

pages = {
    name: st.Page(
        app.page_path(name),
        title=app.page_title(name, lang),
        icon=app.PAGE_ICONS[name],
        url_path=name,
        default=name == "overview",
    )
    for name in app.PAGES
}
current = st.navigation(list(pages.values()))
app.language_switch(lang)
app.sidebar_footer(lang)

if lang_notice:
    app.notice(t(lang_notice, lang))

fact_param = st.query_params.get_all("fact")
if fact_param and current.url_path != pages["sources"].url_path:
    st.switch_page(pages["sources"], query_params={"fact": fact_param[-1][:200], "lang": lang})

try:
    with app.through_navigation():
        current.run()
except Exception:  # noqa: BLE001 - a user must never see a traceback
    log.exception("page %s failed", current.title)
    st.error(t("error.unexpected", lang), icon=":material/error:")
