"""The apps the dashboard is measured against, generated into bench/out/: Streamlit's own app
of the dashboard's shape (the cold loads' floor), the dashboard's own frame over that app's
pages (timed beside the page switches) and the one-line page (the script times' floor)."""

from __future__ import annotations

import base64
import json
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


# The dashboard's own messages, replayed: per (page, lang) every delta a steady rerun of the
# dashboard sent (recorded by bench.capacity.record_shape), sent again by Streamlit's own
# DeltaGenerator, as the elements' commands end (`_enqueue` an element, `_block` a container),
# with none of the work that builds them. Same elements, containers, order, content and paths,
# under st.navigation over the same pages, titles, icons and addresses: what Streamlit costs to
# send this dashboard's pages, the floor of its server CPU per rerun and per open.
_REPLAY = '''"""Bench floor: the dashboard's recorded deltas, replayed (from bench/floors.py)."""

import base64
import json
from pathlib import Path

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

PAGES = {pages!r}
TITLES = {titles!r}
ICONS = {icons!r}
ROOTS = {{(0,): st._main, (1,): st.sidebar, (2,): st._event, (3,): st._bottom}}

st.set_page_config(page_title="Replay", layout="wide")


@st.cache_resource
def recording() -> dict:
    raw = json.loads((Path(__file__).parent / "recording.json").read_text(encoding="utf-8"))
    found = {{}}
    for name, messages in raw.items():
        deltas = []
        for data in messages:
            msg = ForwardMsg()
            msg.ParseFromString(base64.b64decode(data))
            kind = msg.delta.WhichOneof("type")
            path = tuple(msg.metadata.delta_path)
            if kind == "new_element":
                element = msg.delta.new_element.WhichOneof("type")
                deltas.append((path, element, getattr(msg.delta.new_element, element)))
            elif kind == "add_block":
                deltas.append((path, None, msg.delta.add_block))
        found[name] = deltas
    return found


lang = st.query_params.get("lang") or "zh"


def replay(name: str) -> None:
    containers = dict(ROOTS)
    for path, element, proto in recording()[f"{{name}}/{{lang}}"]:
        parent = containers[path[:-1]]
        if element is None:
            containers[path] = parent._block(proto)
        else:
            parent._enqueue(element, proto)


def page(name: str, url_path: str, **kwargs):
    def run() -> None:
        replay(name)

    run.__name__ = "page_" + url_path
    return st.Page(run, title=TITLES[name][lang], icon=ICONS[name], url_path=url_path, **kwargs)


pages = [page(n, "home" if n == "overview" else n, default=n == "overview") for n in PAGES]
pages.append(page("overview", "overview", visibility="hidden"))
st.navigation(pages).run()
'''


def write_replay_floor(
    folder: Path,
    recording: Mapping[str, list[bytes]],
    titles: Mapping[str, Mapping[str, str]],
    icons: Mapping[str, str],
) -> Path:
    """Write the replay floor into `folder`; return its entry script.

    `recording["<page>/<lang>"]`: the delta ForwardMsgs (serialised) of one rerun of that page
    of the dashboard, in order; the pages in the order of `titles`, the first at "/".
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "recording.json").write_text(
        json.dumps({name: [base64.b64encode(m).decode("ascii") for m in messages]
                    for name, messages in recording.items()}),
        encoding="utf-8",
    )
    pages = tuple(titles)
    entry = folder / "app.py"
    entry.write_text(
        _REPLAY.format(pages=pages, titles={p: dict(titles[p]) for p in pages},
                       icons={p: icons[p] for p in pages}),
        encoding="utf-8",
    )
    return entry
