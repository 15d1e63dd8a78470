"""The annotated source page: every source marked up with the records drawn from it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from haixi.formatting import format_quantity
from haixi.i18n import enum_label, nt, pick, t
from haixi.paths import sources_dir
from haixi.schema import (
    Fact,
    FactBase,
    all_quotes,
    record_label,
)
from haixi.views.blocks import (
    Notice,
    PageView,
    Pinned,
    Request,
    Text,
    keep,
    page_title,
    section,
)

# The URL parameters the page reads (besides lang and fact).
PARAMS = ("line", "source")
# The page's sections of the sources are "source-<source id>".
SOURCE_SECTION = "source-"

# A line of the source this short, without a full stop, is one of the text's own headings.
HEADING_MAX_CHARS = 30


@dataclass(frozen=True)
class Mark:
    """A record drawn from a run of the source text: its id and what it says there."""

    id: str
    label: str  # the record's label, and its figure when it has one
    erratum: bool = False


@dataclass(frozen=True)
class Span:
    """A run of one paragraph's text with the same marks: plain, quoted, or an uncovered number."""

    text: str
    marks: tuple[Mark, ...] = ()
    uncovered: bool = False  # a number no record covers and no curator's note explains


@dataclass(frozen=True)
class Paragraph:
    """A line of the source as the text has it, with its line number and what was drawn from it."""

    line: int
    heading: bool
    spans: tuple[Span, ...]
    marks: tuple[Mark, ...]  # every record drawn from the paragraph, in order of appearance
    errata: tuple[str, ...]  # the notes of the errata at this line, in the reader's language


@dataclass(frozen=True)
class SourceText:
    """One source, paragraph by paragraph, marked up; or the problem that stopped reading it."""

    source_id: str
    title: str
    file: str
    paragraphs: tuple[Paragraph, ...]
    problem: str = ""

    def paragraph(self, line: int) -> Paragraph | None:
        return next((p for p in self.paragraphs if p.line == line), None)

    def lines_of(self, record_id: str) -> list[int]:
        return [p.line for p in self.paragraphs if any(m.id == record_id for m in p.marks)]


def _mark(base: FactBase, lang: str, record_id: str) -> Mark:
    record = base.by_id(record_id)
    label = pick(record_label(record), lang) if record is not None and record_label(record) else ""
    if isinstance(record, Fact):
        label += (": " if lang == "en" else ":") + format_quantity(record.quantity, lang)
    return Mark(record_id, label or record_id, erratum=record in base.errata)


def source_texts(base: FactBase, lang: str, folder: Path | None = None) -> list[SourceText]:
    """Every source marked up: every quote with the records it backs, every erratum's note at
    its line, and each number that no record covers and no curator's note explains."""
    from haixi import coverage
    from haixi.sources import read_sources

    texts, problems = read_sources(base, Path(folder or sources_dir()))
    account = coverage.account_texts(base, texts)
    found = []
    for source in base.sources:
        holes = [(n.phrase.line, n.phrase.start, n.phrase.end)
                 for n in account.uncovered if n.phrase.source == source.id]
        problem = " ".join(p.message(lang) for p in problems if p.source == source.id)
        found.append(_source_text(base, lang, source.id, texts.get(source.id, ""), holes, problem))
    return found


def _source_text(
    base: FactBase, lang: str, source_id: str, text: str,
    uncovered: Sequence[tuple[int, int, int]], problem: str,
) -> SourceText:
    from haixi.coverage import lines_of

    source = base.source(source_id)
    quotes = [(rid, q.quote) for rid, _path, q in all_quotes(base) if q.source == source_id]
    errata: dict[int, list[str]] = {}
    for erratum in base.errata:
        if erratum.source.source == source_id:
            errata.setdefault(erratum.line, []).append(
                enum_label(erratum.kind, lang) + ": " + pick(erratum.description, lang)
            )
    holes: dict[int, list[tuple[int, int]]] = {}
    for line, start, end in uncovered:
        holes.setdefault(line, []).append((start, end))
    marks_of = {rid: _mark(base, lang, rid) for rid, _ in quotes}
    paragraphs = []
    for number, line in enumerate(lines_of(text) if text else [], start=1):
        if not line.strip():
            continue
        cover: list[list[str]] = [[] for _ in line]
        for rid, quote in quotes:
            start = line.find(quote)
            while quote and start >= 0:
                for i in range(start, start + len(quote)):
                    if rid not in cover[i]:
                        cover[i].append(rid)
                start = line.find(quote, start + 1)
        hole = [False] * len(line)
        for start, end in holes.get(number, ()):
            for i in range(max(0, start), min(len(line), end)):
                hole[i] = True
        spans: list[Span] = []
        begin = 0
        for i in range(1, len(line) + 1):
            if i == len(line) or cover[i] != cover[begin] or hole[i] != hole[begin]:
                spans.append(Span(line[begin:i], tuple(marks_of[r] for r in cover[begin]),
                                  hole[begin]))
                begin = i
        seen = list(dict.fromkeys(r for ids in cover for r in ids))
        stripped = line.strip()
        paragraphs.append(
            Paragraph(
                number,
                len(stripped) <= HEADING_MAX_CHARS and "。" not in stripped
                and not stripped.startswith(("(", "(")),
                tuple(spans),
                tuple(marks_of[r] for r in seen),
                tuple(errata.get(number, ())),
            )
        )
    return SourceText(source.id, pick(source.title, lang), source.file, tuple(paragraphs), problem)


@dataclass(frozen=True, eq=False)
class Annotated:
    """The block of the annotated source text: one marked-up source."""

    text: SourceText


def view(base: FactBase, lang: str) -> PageView:
    """Every source as a reader would read a marked-up original, with a legend."""
    texts = source_texts(base, lang)
    return PageView(
        "text",
        page_title("text", lang),
        nt("text.intro", "text.intro.plural", len(base.sources), lang),
        keep(
            [
                section(
                    "legend",
                    t("text.legend", lang),
                    Text(t("text.legend_quote", lang), "caption"),
                    Text(t("text.legend_erratum", lang), "caption"),
                    Text(t("text.legend_uncovered", lang), "caption"),
                ),
                # Each source under its own heading with its own counts: the page shows one
                # source at a time where there are several.
                *(section(SOURCE_SECTION + x.source_id, x.title, _counts(x, lang), Annotated(x))
                  for x in texts),
            ]
        ),
    )


def _counts(text: SourceText, lang: str) -> Text:
    """How many paragraphs a source has, and how many of them records are drawn from."""
    paragraphs = len(text.paragraphs)
    marked = sum(1 for p in text.paragraphs if p.marks)
    return Text(nt("text.counts", "text.counts.plural", paragraphs, lang,
                   paragraphs=paragraphs, marked=marked), "caption")


@dataclass(frozen=True)
class SourceChoice:
    """The picker of the one source the page shows, where there are several: its label, the
    sources it offers (id, title) in file order, and the one chosen."""

    label: str
    options: tuple[tuple[str, str], ...]
    chosen: str


@dataclass(frozen=True)
class Passage:
    """The lines a link asks for, pinned above the annotated text: a heading and, source by
    source in order, the source's title ("" when there is one source) and its paragraphs."""

    title: str
    groups: tuple[tuple[str, tuple[Paragraph, ...]], ...]


def pinned(base: FactBase, lang: str, request: Request, page: PageView) -> Pinned:
    """The passage a ?source=&line= or ?fact= link asks for, pinned above the text page `page`
    (its view, whose sources are read already), and the one source it shows: the one ?source=
    names, else the one a ?fact= record's quote is in, else the first; the others' sections are
    hidden. Notices, in the order a reader meets them: an unknown record, an unknown source, a
    line the shown source lacks, and a line of an address that names no source where there are
    several ("line n pinned in <first source>")."""
    texts = [b.text for b in page.blocks() if isinstance(b, Annotated)]
    if not texts:
        return Pinned()
    ids = [x.source_id for x in texts]
    before: list = []
    wanted = request.fact or ""
    # A fact's passage is in its own quote's source only (its marks are that source's).
    of_fact = [(x, n) for x in texts for n in x.lines_of(wanted)] if wanted else []
    if wanted and not of_fact:
        before.append(Notice(t("notice.unknown_fact", lang)))
    named = request.source or ""
    if named and named not in ids:
        before.append(Notice(t("notice.bad_param", lang, name="source")))
        named = ""
    chosen = named or (of_fact[0][0].source_id if of_fact else ids[0])
    text = texts[ids.index(chosen)]
    if len(texts) > 1:
        before.append(SourceChoice(t("text.pick_source", lang),
                                   tuple((x.source_id, x.title) for x in texts), chosen))
    lines: list[tuple[SourceText, int]] = []
    if request.line is not None:
        value = request.line
        line = int(value) if value.isdigit() else None
        if line is not None and text.paragraph(line):
            lines.append((text, line))
            if len(texts) > 1 and request.source is None:
                # An address from before there were several sources: its line is the first's.
                before.append(Notice(t("text.line_pinned_in", lang, line=line, title=text.title)))
        else:
            before.append(Notice(t("text.no_line", lang, line=value)))
    lines += of_fact
    groups: dict[str, tuple[SourceText, list[int]]] = {}
    for source, line in dict.fromkeys(lines):  # each asked line once, in order
        groups.setdefault(source.source_id, (source, []))[1].append(line)
    passage = Passage(
        t("text.asked", lang),
        tuple((source.title if len(texts) > 1 else "",
               tuple(source.paragraph(n) for n in group)) for source, group in groups.values()),
    ) if lines else None
    return Pinned(
        (*before, *((passage,) if passage else ())),
        hidden=tuple(SOURCE_SECTION + i for i in ids if i != chosen),
        asked=tuple(n for x, n in lines if x is text),
    )
