"""The apps the dashboard is measured against, generated into bench/out/: Streamlit's own app
of the dashboard's shape (the cold loads' floor), the dashboard's own frame over that app's
pages (timed beside the page switches) and the one-line page (the script times' floor)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bench import REPO

# The page of the floor that holds the control a filter change is measured against.
FILTER_PAGE = "projects"
FLOOR_FILTER_OPTIONS = ("a", "b", "c")

_ENTRY = '''"""Bench floor: Streamlit's own app of the dashboard's shape (from bench/floors.py)."""

import streamlit as st

PAGES = {pages!r}
TITLES = {titles!r}
ICONS = {icons!r}

st.set_page_config(page_title="Floor", page_icon=":material/query_stats:", layout="wide")
lang = st.query_params.get("lang") or st.session_state.get("floor_lang", "zh")
st.session_state["floor_lang"] = lang
pages = [
    st.Page(
        f"page_scripts/{{name}}.py",
        title=TITLES[name][lang],
        icon=ICONS[name],
        url_path="home" if name == "overview" else name,
        default=name == "overview",
    )
    for name in PAGES
]
current = st.navigation(pages)
st.sidebar.segmented_control(
    "Language", ["zh", "en"], default=lang, key="floor_lang_switch", required=True
)
st.sidebar.caption("Fact base version 1.0, released 2026-01-01")
st.sidebar.caption("Every figure comes from one source, quoted sentence by sentence.")
current.run()
'''

_PAGE = '''"""Bench floor page {name}: its title and {charts} one-bar Plotly charts by language."""

import plotly.graph_objects as go
import streamlit as st

TITLES = {titles!r}
CHARTS = {charts!r}

lang = st.session_state.get("floor_lang", "zh")
st.title(TITLES[lang])
{body}'''

# What a floor page shows under its title: the floor's filter control and its one-bar charts
# (`lang` is the page's language). The frame app's pages show the same, under the dashboard's
# own title.
_BODY = '''{control}for i in range(CHARTS.get(lang, 0)):
    st.plotly_chart(go.Figure(go.Bar(x=["a"], y=[1])), key=f"chart-{{i}}")
'''

_CONTROL = f'st.selectbox("Filter", {list(FLOOR_FILTER_OPTIONS)!r}, key="floor_filter")\n'


def write_shape_floor(
    folder: Path,
    charts: Mapping[str, Mapping[str, int]],
    titles: Mapping[str, Mapping[str, str]],
    icons: Mapping[str, str],
) -> Path:
    """Write the shape-matched floor into `folder`; return its entry script.

    `charts[page][lang]` one-bar charts on each page (as many as the dashboard draws there),
    `titles[page][lang]` and `icons[page]` as the dashboard has them; the pages in the order of
    `titles`, the first the default one at "/". FILTER_PAGE also gets a selectbox.
    """
    pages = tuple(titles)
    (folder / "page_scripts").mkdir(parents=True, exist_ok=True)
    entry = folder / "app.py"
    entry.write_text(
        _ENTRY.format(pages=pages, titles={p: dict(titles[p]) for p in pages},
                      icons={p: icons[p] for p in pages}),
        encoding="utf-8",
    )
    for name in pages:
        counts = dict(charts.get(name, {}))
        (folder / "page_scripts" / f"{name}.py").write_text(
            _PAGE.format(name=name, charts=counts, titles=dict(titles[name]),
                         body=_body(name)),
            encoding="utf-8",
        )
    return entry


def _body(name: str) -> str:
    return _BODY.format(control=_CONTROL if name == FILTER_PAGE else "")


# The dashboard's frame (dashboard.py as it is: its CSS, the sidebar with the pages, the
# language switch and the footer; app.start's title and URL checks) over the floor's pages:
# timed beside the dashboard's page switches, it shows what the frame costs and what the
# content adds.
_FRAME_PAGE = '''"""Bench: the dashboard's frame, its {name} page holding only the floor's content."""

import plotly.graph_objects as go
import streamlit as st

from haixi import app

CHARTS = {charts!r}

lang = app.start("{name}").lang
{body}'''


def write_frame_floor(folder: Path, charts: Mapping[str, Mapping[str, int]],
                      pages: tuple[str, ...]) -> Path:
    """Write the dashboard's frame with the floor's pages into `folder`; return its entry script.

    dashboard.py and its favicon are copied as they are; each pages/<name>.py starts the page
    as the dashboard does (app.start: its title) and then draws what the floor's page draws
    (`charts[page][lang]` one-bar charts, the selectbox on FILTER_PAGE). It imports `haixi`
    from the repository (PYTHONPATH), so it is served from the repository like the dashboard.
    """
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    (folder / "static").mkdir(exist_ok=True)
    entry = folder / "dashboard.py"
    entry.write_text((REPO / "dashboard.py").read_text(encoding="utf-8"), encoding="utf-8")
    for icon in (REPO / "static").iterdir():
        (folder / "static" / icon.name).write_bytes(icon.read_bytes())
    for name in pages:
        source = _FRAME_PAGE.format(name=name, charts=dict(charts.get(name, {})),
                                    body=_body(name))
        (folder / "pages" / f"{name}.py").write_text(source, encoding="utf-8")
    return entry


def dashboard_shape() -> tuple[tuple[str, ...], dict[str, dict[str, str]], dict[str, str]]:
    """The dashboard's pages, their titles per language and icons, from haixi.app itself."""
    from bench import LANGS
    from haixi.app import PAGE_ICONS, PAGES, page_title

    titles = {page: {lang: page_title(page, lang) for lang in LANGS} for page in PAGES}
    return tuple(PAGES), titles, dict(PAGE_ICONS)


# The floor of the script times: Streamlit's per-run cost with nothing to draw.
ONE_LINE_APP = 'import streamlit as st\n\nst.write("x")\n'


def write_one_line(out: Path) -> Path:
    """The one-line app, alone in bench/out/floor_one_line/; its entry script."""
    folder = out / "floor_one_line"
    folder.mkdir(parents=True, exist_ok=True)
    entry = folder / "app.py"
    entry.write_text(ONE_LINE_APP, encoding="utf-8")
    return entry
