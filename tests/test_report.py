"""The self-contained HTML report: complete, offline, escaped, deterministic, printable; its CLI."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pydantic import BaseModel

from haixi import report, views
from haixi.charts import BUILDERS
from haixi.cli import main as cli_main
from haixi.formatting import format_quantity
from haixi.i18n import CJK, LANGS, t
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS, REPO_ROOT
from haixi.schema import Bilingual, FactBase, all_quantities, all_quotes
from tests.browser import WIDE, axe_failures, axe_violations, describe_violations

TESTS = Path(__file__).parent
MINIMAL = TESTS / "fixtures" / "minimal.yaml"
SCREENSHOTS = REPO_ROOT / "screenshots"
EVIL = "<script>alert(1)</script><b>x</b>"
# Every section whose records must be reachable as report.html#<id>.
ANCHORED = ("facts", "projects", "bases", "documents", "programmes", "milestones", "priorities",
            "errata", "chains", "sources")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
URL_ATTRS = {"src", "href", "srcset", "data", "poster", "action", "formaction", "xlink:href",
             "background", "manifest", "ping"}


class Page(HTMLParser):
    """What the tests need from a report: ids, tags, URLs, styles and the visible text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.tags: Counter[str] = Counter()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.styles: list[str] = []
        self.scripts: list[dict] = []
        self.texts: list[tuple[str, bool]] = []  # (text, inside an element marked Chinese)
        self.html_lang: str | None = None
        self._stack: list[tuple[str, str | None]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags[tag] += 1
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if "id" in attributes:
            self.ids.append(attributes["id"])
        for name, value in attrs:
            if name in URL_ATTRS and value is not None:
                self.urls.append((tag, name, value))
            if name == "style" and value:
                self.styles.append(value)
        if tag == "script":
            self.scripts.append(attributes)
        if tag not in VOID:
            self._stack.append((tag, attributes.get("lang")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data):
        inside = self._stack[-1][0] if self._stack else ""
        if inside == "style":
            self.styles.append(data)
            return
        if inside == "script" or not data.strip():
            return
        chinese = any(lang and lang.lower().startswith("zh") for _, lang in self._stack)
        self.texts.append((data, chinese))

    def text(self) -> str:
        return " ".join(text for text, _ in self.texts)


def english_strings(model) -> set[str]:
    """Every English side of a Bilingual in the fact base, and every plain string."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, Bilingual):
            found.add(value.en)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(model)
    return found


@pytest.fixture(scope="module")
def base() -> FactBase:
    return load(DEFAULT_FACTS)


@pytest.fixture(scope="module")
def built(base) -> dict[str, str]:
    """The report of the embedded fact base in each language, built once."""
    return {lang: report.build_report(base, lang) for lang in LANGS}


@pytest.fixture(scope="module")
def evil_base(base) -> FactBase:
    """The fact base with markup in labels, names, texts, notes and a quote (not validated)."""
    evil = Bilingual(zh=EVIL, en=EVIL)
    facts = list(base.facts)
    facts[0] = facts[0].model_copy(update={"label": evil, "note": evil})
    for index, fact in enumerate(facts):
        if fact.id == "urban-new-jobs-target-completion":  # plotted by the employment chart
            facts[index] = fact.model_copy(
                update={"label": evil, "source": fact.source.model_copy(update={"quote": EVIL})}
            )
    chains = [base.chains[0].model_copy(update={"name": evil}), *base.chains[1:]]
    projects = [base.projects[0].model_copy(update={"name": evil}), *base.projects[1:]]
    milestones = [base.milestones[0].model_copy(update={"text": evil}), *base.milestones[1:]]
    errata = [base.errata[0].model_copy(update={"description": evil}), *base.errata[1:]]
    meta = base.meta.model_copy(update={"title": evil, "curator": EVIL})
    return base.model_copy(
        update={
            "meta": meta,
            "facts": facts,
            "chains": chains,
            "projects": projects,
            "milestones": milestones,
            "errata": errata,
        }
    )


# --------------------------------------------------------------------------- (a) complete


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", [DEFAULT_FACTS, MINIMAL], ids=["facts", "minimal"])
def test_every_record_figure_and_quote_is_in_the_report(path, lang):
    base = load(path)
    out = report.build_report(base, lang)
    page = Page(out)

    ids = Counter(page.ids)
    duplicates = [ident for ident, n in ids.items() if n > 1]
    assert duplicates == [], f"ids used twice: {duplicates}"
    for section in ANCHORED:
        for record in getattr(base, section):
            assert record.id in ids, f"no anchor id={record.id!r} ({section})"

    for fact in base.facts:
        assert html.escape(format_quantity(fact.quantity, lang)) in out, fact.id
    for record_id, _path, quantity, _quote in all_quantities(base):
        assert html.escape(format_quantity(quantity, lang)) in out, record_id
    for record_id, where, quote in all_quotes(base):
        assert html.escape(quote.quote) in out, f"quote of {record_id}.{where} missing"

    version, released = base.meta.version, base.meta.released.isoformat()
    title_page = out[out.index('id="s_title"') : out.index("<main>")]
    footer = out[out.index("<footer>") :]
    for part in (title_page, footer):
        assert version in part and released in part
        assert html.escape(t("sources.how_to_cite", lang)) in part

    assert page.html_lang == report.HTML_LANG[lang]
    positions = [out.index(f'id="s_{name}"') for name in report.SECTIONS]
    assert positions == sorted(positions), "sections out of the dashboard's order"
    for name in report.SECTIONS:
        assert html.escape(t(f"page.{name}", lang)) in out


@pytest.mark.parametrize("lang", LANGS)
def test_charts_are_inline_after_the_one_plotly_script(built, lang):
    from plotly.offline import get_plotlyjs

    out = built[lang]
    charts = report.chart_ids(out)
    assert len(charts) == len(BUILDERS) == out.count('class="plotly-graph-div"')
    assert len(set(charts)) == len(charts)
    library = out.index(get_plotlyjs()[:2000])
    assert out.count(get_plotlyjs()[:2000]) == 1, "plotly.js must be embedded exactly once"
    assert all(out.index(f'id="{chart}"') > library for chart in charts)
    assert '"displaylogo": false' in out and '"responsive": true' in out


def test_same_fact_base_and_language_give_the_same_bytes(base, built):
    assert report.build_report(base, "zh") == built["zh"]
    assert built["zh"] != built["en"]


def test_english_has_no_chinese_except_marked_originals(base, built):
    """Chinese in the English report is the source's words (marked lang="zh-Hans") or part of
    the curator's own English text (which may cite the Chinese)."""
    allowed = [s for s in english_strings(base) if CJK.search(s)]
    page = Page(built["en"])
    stray = []
    for text, chinese in page.texts:
        if chinese:
            continue
        for string in allowed:
            text = text.replace(string, "")
        if CJK.search(text):
            stray.append(text.strip())
    assert stray == []
    # ... and the Chinese report does say it is Chinese.
    assert Page(built["zh"]).html_lang == "zh-Hans"


def test_print_stylesheet(built):
    out = built["zh"]
    style = out[out.index("<style>") : out.index("</style>")]
    print_rules = style[style.index("@media print") :]
    assert "@page" in style and "A4" in style
    assert re.search(r"section\.report-section\s*\{[^}]*break-before:\s*page", print_rules)
    assert "break-inside: avoid" in print_rules
    assert re.search(r"a\[href\]::after\s*\{\s*content:\s*none", print_rules)
    assert ".modebar" in print_rules
    assert "Noto Sans CJK SC" in style and "Microsoft YaHei" in style


# --------------------------------------------------------------------------- (b) offline


@pytest.mark.parametrize("lang", LANGS)
def test_no_resource_is_loaded_from_the_network(built, lang):
    page = Page(built[lang])
    remote = [(tag, name, value) for tag, name, value in page.urls if REMOTE.match(value)]
    assert remote == []
    for tag, name, value in page.urls:  # in-page anchors only
        assert (tag, name) == ("a", "href") and value.startswith("#"), (tag, name, value)
    assert all("src" not in script for script in page.scripts), "no external script"
    assert page.tags["link"] == page.tags["img"] == page.tags["iframe"] == 0
    for css in page.styles:
        assert "@import" not in css
        assert not re.search(r"url\(\s*['\"]?\s*(?:[a-z]+:)?//", css, re.IGNORECASE)
        assert "@font-face" not in css, "system fonts only"


# --------------------------------------------------------------------------- (c) escaping


@pytest.mark.parametrize("lang", LANGS)
def test_fact_base_text_is_escaped_never_markup(built, evil_base, lang):
    out = report.build_report(evil_base, lang)
    assert html.escape(EVIL) in out
    assert "<script>alert" not in out.lower()
    assert "<b>x</b>" not in out
    page = Page(out)
    clean = Page(built[lang])
    assert page.tags["b"] == 0
    assert page.tags["script"] == clean.tags["script"], "a script element was injected"
    assert EVIL in page.text(), "the markup is shown as text"


# --------------------------------------------------------------------------- (d) real browser


def _open(page, path: Path) -> tuple[list[str], list[str], list[str]]:
    """Open a report from disk; (requests, page errors, dialogs) seen while it loads."""
    requests: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function(
        """() => {
            const plots = [...document.querySelectorAll('.js-plotly-plot')];
            return plots.length > 0 && plots.every(p => p.querySelector('.main-svg'));
        }""",
        timeout=30000,
    )
    return requests, errors, dialogs


def _local(url: str) -> bool:
    return url.split(":", 1)[0].lower() in ("file", "data", "blob", "about")


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_report_opens_offline_draws_every_chart_and_prints(page, base, built, tmp_path, lang):
    out = tmp_path / f"report-{lang}.html"
    out.write_text(built[lang], encoding="utf-8")
    page.set_viewport_size(WIDE)  # the page visits' viewport, where axe has always looked at it
    requests, errors, dialogs = _open(page, out)

    assert requests, "the report requested nothing: the recorder is not recording"
    assert [url for url in requests if not _local(url)] == [], "a request left the machine"
    # Accessible: nothing serious or critical in axe-core, no heading-order violation (was a
    # test of its own in test_pages_browser, which opened the report a second time for it).
    failing = axe_failures(axe_violations(page), f"report ({lang})")
    assert not failing, f"axe, report ({lang}):\n{describe_violations(failing)}"
    expected = report.chart_ids(built[lang])
    drawn = page.eval_on_selector_all(
        ".js-plotly-plot", "plots => plots.filter(p => p.querySelector('.main-svg')).map(p => p.id)"
    )
    assert drawn == expected
    assert errors == [] and dialogs == []
    assert page.evaluate("document.documentElement.lang") == report.HTML_LANG[lang]
    assert page.title().startswith(t("app.title", lang, period=views.covered(base)))

    # The first screen as a picture; the whole report as printed goes beside it (the PDF
    # below): a full-page PNG of it was 8.5 MB and 3.5 s of CPU per language.
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"report-{lang}.png"))

    # A permalink lands on the record (same document: no reload).
    page.goto(out.as_uri() + "#per-capita-gdp")
    assert page.evaluate("document.querySelector(':target').id") == "per-capita-gdp"

    page.emulate_media(media="print")
    pdf = SCREENSHOTS / f"report-{lang}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 100 * 1024
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages > len(report.SECTIONS), f"only {pages} pages: no page break between sections?"
    assert [url for url in requests if not _local(url)] == []


@pytest.mark.browser
def test_markup_in_the_fact_base_does_not_run(page, evil_base, tmp_path):
    out = tmp_path / "evil.html"
    out.write_text(report.build_report(evil_base, "en"), encoding="utf-8")
    requests, errors, dialogs = _open(page, out)
    assert dialogs == [] and errors == []
    assert [url for url in requests if not _local(url)] == []
    assert page.locator("b").count() == 0
    assert page.get_by_text(EVIL).count() > 0


# --------------------------------------------------------------------------- (e) command line


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "HAIXI_FACTS"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "haixi", "report", *args],
        capture_output=True, text=True, env=full_env, cwd=REPO_ROOT, timeout=120,
    )


def test_cli_writes_the_report(tmp_path, built):
    out = tmp_path / "out.html"
    result = _run("--lang", "en", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == built["en"]
    assert str(out) in result.stdout


def test_cli_invalid_fact_file(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("meta: [unclosed\n", encoding="utf-8")
    out = tmp_path / "out.html"
    result = _run(str(out), env={"HAIXI_FACTS": str(broken)})
    assert result.returncode == 1
    assert str(broken) in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_main_in_process(tmp_path, capsys, monkeypatch, built):
    monkeypatch.delenv("HAIXI_FACTS", raising=False)
    out = tmp_path / "sub" / "r.html"
    assert cli_main(["report", str(out)]) == 0  # default zh; folders are created
    assert out.read_text(encoding="utf-8") == built["zh"]

    minimal = tmp_path / "m.html"
    assert cli_main(["report", "--facts", str(MINIMAL), "--lang", "en", str(minimal)]) == 0
    assert "0.1.0" in minimal.read_text(encoding="utf-8")

    monkeypatch.setenv("HAIXI_FACTS", str(MINIMAL))
    assert cli_main(["report", str(minimal)]) == 0
    assert '<html lang="zh-Hans">' in minimal.read_text(encoding="utf-8")

    missing = tmp_path / "nope.yaml"
    assert cli_main(["report", "--facts", str(missing), str(out)]) == 1
    assert str(missing) in capsys.readouterr().err

    assert cli_main(["report", "--lang", "fr", str(out)]) == 2
    assert cli_main(["report"]) == 2
    folder = tmp_path / "folder"
    folder.mkdir()
    assert cli_main(["report", "--lang", "en", str(folder)]) == 1  # a folder is not a file
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err


def test_report_module_does_not_import_streamlit():
    code = "import sys, haixi.report; sys.exit('streamlit' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, timeout=60)
    assert result.returncode == 0
