"""The dashboard as one self-contained, versioned, printable HTML file, from the page views."""

# One file that lasts: plotly.js is embedded inline, nothing is fetched from the network, the
# fact base version and release date are on the title page and in the footer, every record
# has an id="<record id>" anchor (where it is first shown), and every figure stands next to
# its verbatim quote. What each section shows is haixi.views', the same as the dashboard's.
#
# Safety: Jinja2 autoescapes every string; nothing from the YAML is ever treated as markup.
# The only markup not from a template is plotly's figure HTML (its JSON escapes "<", ">" and
# "/") and plotly.js itself.
#
# Determinism: the output depends only on the fact base and the language (no clock, no
# random ids: each chart's div id is fixed), so two builds can be compared byte for byte.

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
from markupsafe import Markup

from haixi import views
from haixi.i18n import DEFAULT_LANG, check_lang, nt, pick, t
from haixi.schema import FactBase

HTML_LANG = {"zh": "zh-Hans", "en": "en"}
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
TEMPLATES = Path(__file__).parent / "templates"

# The dashboard's pages, in order; each becomes one <section id="s_<name>">. Ids made here
# contain "_", which a record id (lower-case words joined by "-") never does: no clash.
SECTIONS = views.PAGES


@functools.cache
def _environment() -> jinja2.Environment:
    # jinja2.ext.i18n: the templates look their strings up with _("id", name=...) and
    # ngettext("id", "id.plural", n, ...), which pybabel extracts (babel.cfg). The functions
    # come with each render (_words), not installed on the one shared environment, so two
    # languages can render at once; {% trans %} is not used: it %-formats, the catalogues'
    # placeholders are {name}.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _cell(value) -> str:
    """A table cell as text: missing values empty, line breaks as spaces."""
    import pandas as pd

    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return " ".join(str(value).split())


def _figure_html(block: views.ChartBlock) -> Markup:
    """Plotly's own HTML for a chart, with a fixed div id (its key)."""
    div_id = "c_" + "".join(ch if ch.isalnum() else "_" for ch in block.key)
    return Markup(  # noqa: S704 - plotly's output: the figure's JSON, escaped by plotly
        block.chart.figure.to_html(
            full_html=False, include_plotlyjs=False, config=PLOTLY_CONFIG, div_id=div_id
        )
    )


def _words(lang: str) -> dict:
    """What every template is given to speak the reader's language."""
    return {
        "lang": lang,
        # What the i18n extension's _() calls, and its plural form.
        "gettext": lambda key, **fmt: t(key, lang, **fmt),
        "ngettext": lambda singular, plural, n, **fmt: nt(singular, plural, n, lang, **fmt),
        "pick": lambda bilingual: pick(bilingual, lang),
        "colon": ":" if lang == "zh" else ": ",
    }


@functools.cache
def stylesheet(name: str) -> str:
    """One of the templates' stylesheets, as text."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


def fragment(name: str, lang: str, **values) -> str:
    """One template rendered on its own, autoescaped, for the dashboard's st.html blocks: the
    annotated source is drawn by the same template as the report's appendix."""
    check_lang(lang)
    return _environment().get_template(name).render(_words(lang), **values)


def build_report(base: FactBase, lang: str = DEFAULT_LANG) -> str:
    """The whole dashboard as one self-contained HTML page in `lang` ("zh" or "en")."""
    from plotly.offline import get_plotlyjs

    check_lang(lang)
    env = _environment()
    anchored: set[str] = set()

    def first(ident: str) -> bool:
        """Whether a record is shown here for the first time (it gets its anchor there)."""
        if ident in anchored:
            return False
        anchored.add(ident)
        return True

    def render(block) -> Markup:
        template = env.get_template(f"blocks/{type(block).__name__}.html.j2")
        return Markup(template.render(context, block=block))  # noqa: S704 - autoescaped

    context = {
        **_words(lang),
        "html_lang": HTML_LANG[lang],
        "first": first,
        # A record's anchor is in this file; the source's own headings sit under a section's h3.
        "href": lambda ident: "#" + ident,
        "source_heading": "h4",
        "link_target": None,
        "asked": (),
        "render": render,
        "cell": _cell,
        "figure_html": _figure_html,
        "id_column": t("col.id", lang),
        "meta": base.meta,
        # Every source, each with its title (in 《》 in Chinese) and publisher, in file order.
        "sources": [
            (views.source_title(source, lang), pick(source.publisher, lang))
            for source in base.sources
        ],
        # The period(s) the figures describe, for the titles and the overview's intro.
        "period": views.covered(base),
        "page_intro": lambda name: views.page_intro(name, base, lang),
        "citation": views.citation_text(base, lang),
        "source_note": views.source_note(base, lang),
        "example_id": base.facts[0].id,
        "views": [views.page(name, base, lang) for name in SECTIONS],
        "css": Markup(stylesheet("report.css") + stylesheet("annotated.css")),  # noqa: S704
        "plotlyjs": Markup(get_plotlyjs()),  # noqa: S704 - the library itself
    }
    return env.get_template("report.html.j2").render(context)


def chart_ids(report_html: str) -> list[str]:
    """The div ids of the Plotly charts in a built report, in page order."""
    marker = 'class="plotly-graph-div"'
    ids = []
    for chunk in report_html.split("<div id=\"")[1:]:
        ident, _, rest = chunk.partition('"')
        if rest.lstrip().startswith(marker):
            ids.append(ident)
    return ids
