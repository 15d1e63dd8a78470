"""Citations are per source: a quote's line is looked up in its own source, anchors are unique."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import markupsafe
import pytest

from haixi import report, views
from haixi.i18n import LANGS
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS
from haixi.schema import Quote, all_quotes
from tests.multi import MULTI_SOURCES
from tests.test_report import Page

# The line of its own source each quote of the fixture is on (read off the fictitious texts).
FIXTURE_LINES = {
    "per-capita-gdp": ("haixi-news-2022", 3),
    "local-general-budget-revenue": ("haixi-news-2022", 3),
    "per-capita-gdp-communique-2022": ("haixi-communique-2022", 4),
    "local-general-budget-revenue-communique-2022": ("haixi-communique-2022", 5),
    "per-capita-gdp-2021": ("haixi-report-2021", 3),
}


def _line_in_file(path: Path, quote: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert quote in text, (path, quote)
    return text.count("\n", 0, text.index(quote)) + 1


@pytest.mark.parametrize("lang", LANGS)
def test_each_fixture_citation_names_the_line_of_its_own_source(multi, lang):
    found = {}
    for record_id, _where, quote in all_quotes(multi):
        cited = views.citation(multi, lang, record_id, record_id, quote)
        source = multi.source(quote.source)
        assert cited.file == source.file
        assert cited.line == _line_in_file(MULTI_SOURCES / source.file, quote.quote)
        found[record_id] = (quote.source, cited.line)
    assert found == FIXTURE_LINES


def test_a_quote_found_in_another_source_first_is_still_cited_at_its_own_line(multi):
    # "地方一般公共预算收入" is on line 5 of the communiqué (the first file by name) and on line 3
    # of the newspaper: a newspaper quote of it is the newspaper's line 3, never the communiqué's.
    words = "地方一般公共预算收入"
    assert _line_in_file(MULTI_SOURCES / "haixi-communique-2022.txt", words) == 5
    news = Quote(source="haixi-news-2022", quote=words)
    communique = Quote(source="haixi-communique-2022", quote=words)
    assert views.citation(multi, "en", "x", "x", news).line == 3
    assert views.citation(multi, "en", "x", "x", communique).line == 5
    # A quote not in its own source has no line, even when another source has it.
    only_2021 = Quote(source="haixi-news-2022", quote="全州人均GDP达到15.2万元")
    assert views.quote_line(multi, only_2021) is None


@pytest.mark.parametrize("lang", LANGS)
def test_the_fixture_report_uses_no_id_twice_and_anchors_each_line_per_source(multi, lang):
    page = Page(report.build_report(multi, lang))
    ids = Counter(page.ids)
    assert [ident for ident, n in ids.items() if n > 1] == []
    for source in multi.sources:
        lines = (MULTI_SOURCES / source.file).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if line.strip():
                assert f"{source.id}-line-{number}" in ids, (source.id, number)
    assert not any(ident.startswith("line_") for ident in ids)


def test_the_real_report_anchors_its_lines_by_source():
    base = load(DEFAULT_FACTS)
    page = Page(report.build_report(base, "en"))
    (source,) = base.sources
    lines = (DEFAULT_FACTS.parent / "sources" / source.file).read_text(encoding="utf-8")
    first = next(n for n, line in enumerate(lines.splitlines(), start=1) if line.strip())
    assert f"{source.id}-line-{first}" in page.ids
    assert "line_" + str(first) not in page.ids
    assert Counter(page.ids).most_common(1)[0][1] == 1


@pytest.mark.parametrize("lang", LANGS)
def test_the_fixture_reports_title_page_credits_every_source(multi, lang):
    out = report.build_report(multi, lang)
    title_page = out[out.index('id="s_title"') : out.index("<main>")]
    for source in multi.sources:
        title = source.title.zh if lang == "zh" else source.title.en
        shown = f"《{title}》" if lang == "zh" else title
        publisher = source.publisher.zh if lang == "zh" else source.publisher.en
        assert f"<dd>{markupsafe.escape(shown)}</dd>" in title_page, source.id
        assert f"<dd>{markupsafe.escape(publisher)}</dd>" in title_page, source.id
