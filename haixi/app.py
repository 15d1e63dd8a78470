"""Streamlit glue shared by every page: cached fact base, language, URL parameters, tables."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from haixi import memo, replay, views
from haixi.export import version_columns
from haixi.i18n import LANGS, resolve_lang, t
from haixi.loader import FactBaseError, decode, load_text, read
from haixi.paths import facts_path
from haixi.schema import FactBase

log = logging.getLogger("haixi")

PAGES = views.PAGES
# The browser tab's icon: static/favicon.png beside dashboard.py, as Streamlit's static file
# serving answers for it (`[server] enableStaticServing` in .streamlit/config.toml).
FAVICON = "/app/static/favicon.png"
PAGE_ICONS = {
    "overview": ":material/dashboard:",
    "economy": ":material/account_balance:",
    "chains": ":material/link:",
    "projects": ":material/solar_power:",
    "livelihood": ":material/diversity_3:",
    "sources": ":material/menu_book:",
    "text": ":material/article:",
}
GLOBAL_PARAMS = ("lang", "fact")
MAX_PARAM_LEN = 200

# --------------------------------------------------------------------------- text safety

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^])")


def plain(text: object) -> str:
    """Text from the fact base or the URL, escaped so Markdown shows it literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


# --------------------------------------------------------------------------- fact base


@dataclass(frozen=True)
class Loaded:
    """The outcome of one load: a fact base or the error that stopped it."""

    base: FactBase | None
    error: FactBaseError | None
    token: str
    raw: bytes = b""


_last_valid: dict[str, Loaded] = {}
_last_valid_lock = threading.Lock()


@memo.by_value(8)
@st.cache_resource(show_spinner=False, max_entries=8)
def _load_cached(path: str, mtime_ns: int, size: int) -> Loaded:
    token = f"{path}:{mtime_ns}:{size}"
    try:
        # The bytes that were validated, so the YAML download is the version on screen.
        raw = read(path)
        return Loaded(load_text(decode(raw, path), path), None, token, raw)
    except FactBaseError as exc:
        log.warning("fact base invalid:\n%s", exc.report())
        return Loaded(None, exc, token)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return -1, -1
    return stat.st_mtime_ns, stat.st_size


@dataclass(frozen=True)
class Context:
    """What a page needs: the fact base, its cache token, the language and the page name."""

    base: FactBase
    token: str
    lang: str
    page: str
    raw: bytes = b""


def current_base(lang: str) -> Loaded:
    """The fact base (reloaded when the file changes), or the last valid one with a warning.

    When the file has never been valid, shows an error page listing the problems and stops.
    """
    path = facts_path()
    mtime, size = _stamp(path)
    loaded = _load_cached(str(path), mtime, size)
    key = str(path)
    if loaded.base is not None:
        with _last_valid_lock:
            _last_valid[key] = loaded
        return loaded
    with _last_valid_lock:
        last = _last_valid.get(key)
    if last is not None:
        with st.expander(t("warn.stale_title", lang), expanded=False, icon=":material/warning:"):
            st.warning(t("warn.stale", lang))
            st.text(loaded.error.report())
        return last
    st.error(t("error.load_title", lang), icon=":material/error:")
    st.markdown(t("error.load_help", lang))
    st.text(loaded.error.report())
    st.stop()
    raise AssertionError("unreachable")  # pragma: no cover


# --------------------------------------------------------------------------- language


def notice(text: str) -> None:
    """A visible, non-fatal notice (e.g. an unknown URL value that was ignored)."""
    st.info(text, icon=":material/info:")


def language() -> tuple[str, str | None]:
    """The language from ?lang=, then this session's choice, then the browser's locale.

    Once resolved it is written to the address (?lang=) on every page: a sidebar click opens
    the next page without a query string, and a reader whose server process was lost is
    reconnected to another that knows nothing of the session, only the address the browser
    sends again (deploy/, a replica lost). A copied address keeps the language too.
    """
    raw = st.query_params.get_all("lang")
    notice_key = None
    if raw:
        lang, notice_key = resolve_lang(raw, _browser_locale())
        if notice_key is None:
            st.session_state["lang"] = lang
        else:
            lang = st.session_state.get("lang", lang)
    elif st.session_state.get("lang") in LANGS:
        lang = st.session_state["lang"]
    else:
        lang, _ = resolve_lang(None, _browser_locale())
    if raw != [lang]:  # missing, ignored or not canonical ("EN", "zh-CN"): the address says it
        st.query_params["lang"] = lang
    return lang, notice_key


def _browser_locale() -> str | None:
    try:
        return st.context.locale
    except Exception:  # noqa: BLE001 - no browser context (bare mode, tests)
        return None


def _on_lang_change() -> None:
    chosen = st.session_state.get("_lang_switch")
    if chosen in LANGS:
        st.session_state["lang"] = chosen
        st.query_params["lang"] = chosen


def language_switch(lang: str) -> None:
    """The sidebar switch; changing it reruns the current page in the other language."""
    # The value comes from Session State (no default=, which Streamlit would log as a conflict).
    st.session_state["_lang_switch"] = lang
    st.sidebar.segmented_control(
        t("sidebar.language", lang),
        options=list(LANGS),
        format_func=lambda code: t("language.name", code),  # each language names itself
        key="_lang_switch",
        on_change=_on_lang_change,
        required=True,
    )


# --------------------------------------------------------------------------- query params


def check_params(known: tuple[str, ...], lang: str, multi: tuple[str, ...] = ()) -> None:
    """Show a notice for URL parameters this page does not know or that are repeated.

    `multi` names the parameters that may repeat (a filter's values); the page says so up
    front, so the notice is right on the first visit to a fresh server too.
    """
    names = list(st.query_params.keys())
    unknown = [n for n in names if n not in (*GLOBAL_PARAMS, *known)]
    if unknown:
        shown = ", ".join(plain(n[:40]) for n in unknown[:5])
        notice(t("notice.unknown_params", lang, names=shown))
    for name in names:
        values = st.query_params.get_all(name)
        if name in known and len(values) > 1 and name not in multi:
            notice(t("notice.repeated_param", lang, name=plain(name[:40])))


def request() -> views.Request:
    """What the address asks of a page beyond its filters, as the views take it: the last
    ?fact=, ?source= and ?line= (None where absent), cut to length."""

    def last(name: str, length: int) -> str | None:
        values = st.query_params.get_all(name)
        return values[-1][:length] if values else None

    # A line number longer than 12 digits is no line: cut, it is still reported as given.
    return views.Request(fact=last("fact", MAX_PARAM_LEN), source=last("source", MAX_PARAM_LEN),
                         line=last("line", 12))


def url_filter(
    param: str,
    label: str,
    options: list[str],
    format_func,
    lang: str,
    *,
    key_prefix: str = "f",
) -> list[str]:
    """A multiselect bound to ?param=a&param=b; unknown values are dropped with a notice."""
    raw = [v for value in st.query_params.get_all(param) for v in value.split(",") if v]
    valid = [v for v in raw if v in options and len(v) <= MAX_PARAM_LEN]
    dropped = len(raw) - len(valid)
    if dropped:
        notice(t("notice.bad_param", lang, name=plain(param)))
    key = f"{key_prefix}_{param}"
    seen_key = f"{key}__url"
    # The language is part of what was seen: the browser keeps a multiselect's choices as
    # their labels, so after a language switch they must be set again, or the old-language
    # labels come back as values (and end up in the URL).
    url_value = (lang, tuple(dict.fromkeys(valid)))
    if st.session_state.get(seen_key) != url_value:
        st.session_state[key] = list(url_value[1])
        st.session_state[seen_key] = url_value

    def sync() -> None:
        chosen = st.session_state.get(key) or []
        st.session_state[seen_key] = (lang, tuple(chosen))
        if chosen:
            st.query_params[param] = chosen
        elif param in st.query_params:
            del st.query_params[param]

    return st.multiselect(
        label,
        options,
        key=key,
        format_func=format_func,
        on_change=sync,
        placeholder=t("filter.all", lang),
        # Streamlit's own "Select all" is English on the Chinese page too, and an empty
        # filter already shows every record.
        select_all=False,
    )


def url_text(param: str, label: str, lang: str, *, key_prefix: str = "q") -> str:
    """A text search box bound to ?param=; over-long values are cut with a notice."""
    raw = st.query_params.get_all(param)
    value = raw[-1] if raw else ""
    if len(value) > MAX_PARAM_LEN:
        notice(t("notice.bad_param", lang, name=plain(param)))
        value = ""
    key = f"{key_prefix}_{param}"
    seen_key = f"{key}__url"
    if st.session_state.get(seen_key) != value:
        st.session_state[key] = value
        st.session_state[seen_key] = value

    def sync() -> None:
        chosen = (st.session_state.get(key) or "")[:MAX_PARAM_LEN]
        st.session_state[seen_key] = chosen
        if chosen:
            st.query_params[param] = chosen
        elif param in st.query_params:
            del st.query_params[param]

    return st.text_input(label, key=key, on_change=sync, max_chars=MAX_PARAM_LEN)


def lazy_expander(label: str, *, key: str, icon: str | None = None):
    """A collapsed expander whose content the page builds only while it is open.

    Use as ``with lazy_expander(...) as box: if box.open: ...``. A plain expander sends its
    content with the page and the browser mounts all of it, open or not; opening this one
    reruns the page (tens of milliseconds) to fill it. Its state lives in the session under
    ``key``, so it stays open across reruns and filters.
    """
    return st.expander(label, expanded=False, key=key, icon=icon, on_change="rerun")


# Tables up to this many rows are Markdown tables; longer ones get the data grid.
MARKDOWN_TABLE_ROWS = 20


@memo.by_identity
def markdown_table(frame) -> str:
    """A table as GFM Markdown, every header and cell escaped so it shows literally (once per
    frame: a view's frames are cached, and building it was pandas' share of a rerun).

    Empty cells (None, NaN, pandas' NA and NaT) stay empty; line breaks inside a cell become
    spaces, since a Markdown table row is one line.
    """

    def cell(value) -> str:
        try:
            missing = bool(pd.isna(value))
        except (TypeError, ValueError):  # a list or array in a cell: not a single missing value
            missing = False
        if missing:
            return ""
        return plain(" ".join(str(value).split()))

    lines = [
        "| " + " | ".join(cell(c) for c in frame.columns) + " |",
        "|" + "---|" * len(frame.columns),
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def table(frame, *, key: str, rows: int | None = None) -> None:
    """A table on a page: Markdown when short, the data grid (scrolling, sorting) when long.

    `rows` is the count that decides (a filtered table passes all its rows, so a filter does
    not turn a grid into Markdown); by default the frame's own. The browser loads the grid and
    its Arrow decoder (about 1.5 MB of JavaScript) for the first st.table or st.dataframe of a
    page; a Markdown table uses the renderer every page already has. On the chains page that
    was 0.5 s of the time to rendered, on projects 0.3 s of a click (bench/notes.md).
    """
    if (len(frame) if rows is None else rows) <= MARKDOWN_TABLE_ROWS:
        st.markdown(markdown_table(frame))
    else:
        st.dataframe(frame, hide_index=True, key=key)


def versioned_csv(base: FactBase, data) -> bytes:
    """A table as UTF-8 CSV, with the fact base's version and release date on every row."""
    table = data.copy()
    for column, value in version_columns(base).items():
        table[column] = value
    return table.to_csv(index=False).encode("utf-8")


# --------------------------------------------------------------------------- pages


def per_session(name: str, key: tuple, build, keep: int = len(LANGS)):
    """`build()`, kept in the session under `name` for `key`, the `keep` most recent keys (the
    st.Page objects of the navigation, per language: building them was about 5% of a rerun's
    server CPU, each resolving its script on disk). Not shared between sessions: Streamlit
    marks the page it runs on the object itself (`_can_be_called`), and two sessions run at
    the same time."""
    kept = st.session_state.get(name)
    if kept is None:
        kept = st.session_state[name] = {}
    if key in kept:
        return kept[key]
    value = kept[key] = build()
    while len(kept) > keep:
        del kept[next(iter(kept))]
    return value


def page_path(name: str) -> str:
    """The script path of a page, as st.page_link and st.switch_page want it."""
    return f"pages/{name}.py"


def page_title(name: str, lang: str) -> str:
    """The page's title in the language."""
    return views.page_title(name, lang)


_nav = threading.local()


class through_navigation:  # noqa: N801 - used as a context manager in dashboard.py
    """Marks that a page runs under dashboard.py's st.navigation, not on its own; `pages`
    (name -> st.Page of this run) are what `page_target` links to meanwhile."""

    def __init__(self, pages: dict | None = None) -> None:
        self.pages = pages or {}

    def __enter__(self):
        _nav.active = True
        _nav.pages = self.pages
        st.session_state["_nav_reruns"] = 0
        return self

    def __exit__(self, *exc) -> None:
        _nav.active = False
        _nav.pages = {}


def page_target(name: str):
    """What st.page_link takes for a page: this run's st.Page under dashboard.py's navigation,
    else its script path. Given a path, st.page_link resolves it on disk (os.path.realpath)
    and compares it with every page's, on every call: with a page's citations that was about
    2% of a rerun's server CPU (bench/notes.md, "capacity")."""
    return getattr(_nav, "pages", {}).get(name) or page_path(name)


def _ensure_navigation() -> None:
    """Rerun through dashboard.py when Streamlit ran a page script directly.

    With a `pages/` folder beside the entry point, Streamlit runs the first script of a
    process (and every AppTest run) in its old folder-based mode, which executes the page
    without dashboard.py: no language switch, no navigation titles. st.navigation turns that
    mode off, so one rerun is enough.
    """
    if getattr(_nav, "active", False):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    reruns = st.session_state.get("_nav_reruns", 0)
    if reruns < 2:
        st.session_state["_nav_reruns"] = reruns + 1
        st.rerun()


def start(
    page: str, known_params: tuple[str, ...] = (), multi_params: tuple[str, ...] = ()
) -> Context:
    """Begin a page: language, fact base, header and URL checks. Call first on every page."""
    _ensure_navigation()
    lang = st.session_state.get("_ctx_lang") or language()[0]
    loaded = current_base(lang)
    check_params(known_params, lang, multi_params)
    title = page_title(page, lang)
    replay.draw(replay.PROCESS, ("title", title), lambda: st.title(title))
    return Context(base=loaded.base, token=loaded.token, lang=lang, page=page, raw=loaded.raw)


def shown_base() -> FactBase | None:
    """The fact base the pages show: the current one, else the last valid one, else None.

    Draws nothing (the pages' own `current_base` shows the warning or the error).
    """
    path = facts_path()
    loaded = _load_cached(str(path), *_stamp(path))
    if loaded.base is not None:
        return loaded.base
    with _last_valid_lock:
        last = _last_valid.get(str(path))
    return last.base if last else None


def sidebar_footer(chrome: views.Chrome) -> None:
    """Fact-base version and the sources, at the foot of the sidebar (views.chrome: nothing
    without a valid fact base)."""
    replay.draw(replay.PROCESS, ("footer", chrome.version, chrome.source_note),
                lambda: _footer(chrome), container=st.sidebar)


def _footer(chrome: views.Chrome) -> None:
    for line in (chrome.version, chrome.source_note):
        if line:
            st.sidebar.caption(plain(line))
