"""The annotated source: the view, its page, its appendix in the report, and bad source files."""

from __future__ import annotations

import html
import shutil
from functools import cache
from pathlib import Path

import markupsafe
import pytest

from haixi import report, views
from haixi.i18n import LANGS, enum_label, nt, pick, t
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS, sources_dir
from haixi.schema import all_quotes
from tests.test_app import app_test, assert_clean, infos, unescape


@cache
def base():
    return load(DEFAULT_FACTS)


@cache
def text(lang: str = "en") -> views.SourceText:
    (found,) = views.source_texts(base(), lang)
    return found


def source_lines() -> list[str]:
    return (sources_dir() / base().sources[0].file).read_text(encoding="utf-8").split("\n")


def test_every_paragraph_is_the_source_line_as_it_is():
    lines = source_lines()
    marked = text()
    assert marked.problem == ""
    assert [p.line for p in marked.paragraphs] == [i for i, x in enumerate(lines, 1) if x.strip()]
    for p in marked.paragraphs:
        assert "".join(s.text for s in p.spans) == lines[p.line - 1]


def test_every_quote_is_marked_with_its_record_where_it_stands():
    marked = text()
    lines = source_lines()
    for record_id, _path, quote in all_quotes(base()):
        at = [i for i, line in enumerate(lines, 1) if quote.quote in line]
        if not at:
            continue  # an erratum may cite words a line break splits
        for line in at:
            paragraph = marked.paragraph(line)
            assert record_id in [m.id for m in paragraph.marks], (record_id, line)
            covered = "".join(s.text for s in paragraph.spans
                              if any(m.id == record_id for m in s.marks))
            assert quote.quote in covered


@pytest.mark.parametrize("lang", LANGS)
def test_errata_stand_at_their_line_in_the_readers_language(lang):
    marked = text(lang)
    for erratum in base().errata:
        notes = marked.paragraph(erratum.line).errata
        assert enum_label(erratum.kind, lang) + ": " + pick(erratum.description, lang) in notes


def html_blocks(at) -> list[str]:
    """The bodies of the page's st.html blocks (the annotated source is one of them)."""
    return [h.proto.body for h in at.get("html")]


def anchor(line: int) -> str:
    """The id of a paragraph of the (one) source: `<source id>-line-<n>`, unique across sources."""
    return f"{base().sources[0].id}-line-{line}"


def by_line(body: str) -> dict[int, str]:
    """The annotated source's HTML cut at each paragraph's anchor: line -> that paragraph."""
    chunks = body.split('<div class="paragraph')[1:]
    found = {}
    prefix = f'id="{anchor("")}'
    for chunk in chunks:
        head = chunk.partition(">")[0]
        if prefix in head:
            found[int(head.split(prefix)[1].partition('"')[0])] = chunk
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_shows_the_whole_source_in_one_block_each_erratum_at_its_line(lang):
    at = app_test("text", lang)
    assert_clean(at)
    # One block for the whole text: as Markdown, one per heading section, it was the page's
    # cost in the browser (bench/notes.md, "session").
    (body,) = [b for b in html_blocks(at) if 'class="annotated"' in b]
    paragraphs = by_line(body)
    assert sorted(paragraphs) == [p.line for p in text(lang).paragraphs]
    for erratum in base().errata:
        note = enum_label(erratum.kind, lang) + ": " + pick(erratum.description, lang)
        shown = html.unescape(paragraphs[erratum.line])
        assert t("text.erratum", lang) in shown and note in shown, erratum.id
    for p in text(lang).paragraphs:
        for mark in p.marks:
            # In a new tab, as the page's Markdown links open: the text stays where it was.
            link = f'href="sources?fact={mark.id}&amp;lang={lang}" target="_blank"'
            assert link in paragraphs[p.line]
        tag = "h3" if p.heading else "p"
        assert f'<{tag} class="source-text" lang="zh-Hans">' in paragraphs[p.line], p.line


def test_a_figure_without_its_record_is_marked_uncovered():
    b = base()
    fact = b.fact("per-capita-gdp")
    smaller = b.model_copy(update={"facts": [f for f in b.facts if f.id != fact.id]})
    (marked,) = views.source_texts(smaller, "en")
    holes = [s.text for p in marked.paragraphs for s in p.spans if s.uncovered]
    assert holes == [fact.quantity.stated]
    assert not [s for p in text().paragraphs for s in p.spans if s.uncovered]


def test_headings_are_the_texts_own():
    marked = text()
    headings = [p.line for p in marked.paragraphs if p.heading]
    lines = source_lines()
    assert 3 in headings  # the title
    assert all(len(lines[n - 1].strip()) <= views.HEADING_MAX_CHARS for n in headings)
    assert not marked.paragraph(5).heading


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_pins_the_passage_a_link_asks_for(lang):
    at = app_test("text", lang, line="5")
    assert_clean(at)
    pinned = [h.value for h in at.header if "push_pin" in h.value]
    assert pinned
    (passage,) = [b for b in html_blocks(at) if "annotated pinned" in b]
    assert "人均GDP达到17万元" in passage
    assert f'href="sources?fact=per-capita-gdp&amp;lang={lang}"' in passage
    assert f'id="{anchor("")}' not in passage  # the anchors stay on the text itself
    (whole,) = [b for b in html_blocks(at) if 'class="annotated"' in b]
    assert f'class="paragraph asked" id="{anchor(5)}"' in whole
    at = app_test("text", lang, fact="per-capita-gdp")
    assert_clean(at)
    assert [h.value for h in at.header if "push_pin" in h.value]
    at = app_test("text", lang, line="999")
    assert_clean(at)
    assert t("text.no_line", lang, line="999") in infos(at)


@pytest.mark.parametrize("lang", LANGS)
def test_one_source_has_no_picker_and_its_passage_is_addressed_either_way(lang):
    """?source=<id>&line=<n> and an older report's ?line=<n> pin the same passage, with no
    notice; an unknown source is one."""
    bodies = []
    for params in ({"line": "5"}, {"source": base().sources[0].id, "line": "5"}):
        at = app_test("text", lang, **params)
        assert_clean(at)
        assert not at.selectbox and not infos(at)
        bodies.append([b for b in html_blocks(at) if "annotated pinned" in b])
    assert bodies[0] == bodies[1] and bodies[0]
    at = app_test("text", lang, source="no-such-source")
    assert_clean(at)
    assert t("notice.bad_param", lang, name="source") in infos(at)


HOSTILE_LINE = '<script>alert("x")</script><img src=x onerror="alert(document.cookie)"> **bold** [x](http://e.com)'


def test_the_source_text_reaches_the_page_as_text(tmp_path, monkeypatch):
    """A source whose text looks like markup is shown as that text, never as markup."""
    folder = _sources_copy(tmp_path, lambda path: path.write_text(
        path.read_text(encoding="utf-8") + "\n" + HOSTILE_LINE + "\n", encoding="utf-8"))
    monkeypatch.setenv("HAIXI_SOURCES", str(folder))
    at = app_test("text", "en")
    assert_clean(at)
    (body,) = [b for b in html_blocks(at) if 'class="annotated"' in b]
    assert "<script" not in body and "<img" not in body
    assert markupsafe.escape(HOSTILE_LINE) in body


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_appendix_is_built_from_the_same_view(lang):
    out = report.build_report(base(), lang)
    appendix = out[out.index('id="s_text"'):]
    for p in text(lang).paragraphs:
        assert f'id="{anchor(p.line)}"' in appendix
        for mark in p.marks:
            assert f'href="#{mark.id}"' in appendix
    assert '<p class="source-text" lang="zh-Hans">' in appendix
    assert '<h4 class="source-text" lang="zh-Hans">' in appendix  # the text's own headings
    assert 'target="_blank"' not in appendix  # its links stay in the file


@pytest.mark.parametrize("lang", LANGS)
def test_the_sources_page_gives_the_account_of_every_number(lang):
    from haixi import coverage

    at = app_test("sources", lang, tabs={"sources": "coverage"})
    assert_clean(at)
    line = coverage.summary(coverage.account(base(), sources_dir(), lang), lang)
    assert line in [unescape(m.value) for m in at.markdown]
    assert t("coverage.list", lang) in [e.label for e in at.expander]


def _sources_copy(tmp_path: Path, damage) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(sources_dir(), folder)
    damage(folder / base().sources[0].file)
    return folder


DAMAGE = {
    "missing": lambda path: path.unlink(),
    "not-utf8": lambda path: path.write_bytes(b"\xff\xfe" + path.read_bytes()),
    "checksum": lambda path: path.write_bytes(path.read_bytes() + b"\n"),
}


@pytest.mark.parametrize("case", DAMAGE)
@pytest.mark.parametrize("page", ["overview", "sources", "text"])
def test_a_bad_source_file_is_named_and_the_dashboard_keeps_working(tmp_path, monkeypatch,
                                                                    case, page):
    folder = _sources_copy(tmp_path, DAMAGE[case])
    monkeypatch.setenv("HAIXI_SOURCES", str(folder))
    at = app_test(page, "en")
    assert_clean(at)
    assert titles_are(at, page)
    warnings = [unescape(w.value) for w in at.warning]
    assert any(base().sources[0].file in w for w in warnings), warnings


@pytest.mark.parametrize("case", ["missing", "not-utf8"])
def test_the_annotated_page_says_why_it_has_no_text_inside_its_styled_block(tmp_path,
                                                                          monkeypatch, case):
    monkeypatch.setenv("HAIXI_SOURCES", str(_sources_copy(tmp_path, DAMAGE[case])))
    at = app_test("text", "en")
    assert_clean(at)
    (body,) = [b for b in html_blocks(at) if 'class="annotated"' in b]
    inside = body.partition('<div class="annotated">')[2]
    assert '<p class="note warning">' + t("text.problem", "en") in inside


def titles_are(at, page: str) -> bool:
    return [x.value for x in at.title] == [t(f"page.{page}", "en")]


@pytest.mark.parametrize("lang", LANGS)
def test_each_source_counts_its_own_paragraphs(multi, lang):
    """The page shows one source at a time where there are several: its section says how many
    paragraphs that source has and how many records are drawn from, not the sum of all."""
    view = views.page("text", multi, lang)
    texts = {x.source_id: x for x in views.source_texts(multi, lang)}
    assert len(texts) > 1
    for source_id, x in texts.items():
        section = next(s for s in view.sections if s.id == "source-" + source_id)
        counts = [b.text for b in section.blocks if isinstance(b, views.Text)]
        marked = sum(1 for p in x.paragraphs if p.marks)
        assert counts == [nt("text.counts", "text.counts.plural", len(x.paragraphs), lang,
                             paragraphs=len(x.paragraphs), marked=marked)]
    legend = next(s for s in view.sections if s.id == "legend")
    total = sum(len(x.paragraphs) for x in texts.values())
    assert not any(str(total) in b.text for b in legend.blocks if isinstance(b, views.Text))
