"""The dashboard as one self-contained, versioned, printable HTML file (python -m haixi report)."""

# One file that lasts: plotly.js is embedded inline, nothing is fetched from the network, the
# fact base version and release date are on the title page and in the footer, every record
# has an id="<record id>" anchor, and every figure stands next to its verbatim quote.
#
# Safety: every string from the fact base goes through html.escape (`_e`) before it reaches
# the page; nothing from the YAML is ever treated as markup. The figures' JSON is written by
# plotly, which escapes "<", ">" and "/" inside the script.
#
# Determinism: the output depends only on the fact base and the language (no clock, no
# random ids: each chart's div id is fixed), so two builds can be compared byte for byte.

from __future__ import annotations

import argparse
import html
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from haixi.formatting import format_quantity, qualifier_badge
from haixi.i18n import LANGS, enum_label, pick, t
from haixi.loader import FactBaseError, Problem, load
from haixi.paths import facts_path
from haixi.schema import (
    Area,
    Bilingual,
    Document,
    Fact,
    FactBase,
    Milestone,
    Programme,
    ProgrammeKind,
    Project,
    Qualifier,
    Quote,
    Statement,
    Topic,
)

DEFAULT_LANG = "zh"
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

# The dashboard's pages, in order; each becomes one <section id="s_<name>">. Ids made here
# contain "_", which a record id (lower-case words joined by "-") never does: no clash.
SECTIONS = ("overview", "economy", "chains", "projects", "livelihood", "sources")

# Which topics each section shows figures and programmes of.
ECONOMY_TOPICS = (Topic.economy, Topic.fiscal, Topic.industry)
LIVELIHOOD_GROUPS: tuple[tuple[str, tuple[Topic, ...], str | None], ...] = (
    # (heading key, topics, chart shown with them)
    ("livelihood.employment", (Topic.employment,), "employment_vs_target"),
    ("livelihood.income", (Topic.income,), "income_growth"),
    ("livelihood.insurance", (Topic.insurance,), "insurance_coverage"),
    ("livelihood.rural", (Topic.rural_revitalisation,), None),
    ("livelihood.education_health", (Topic.education, Topic.health), None),
    ("topic.social_security", (Topic.social_security,), None),
    ("topic.culture", (Topic.culture,), None),
)
CHAIN_SYSTEM = "chain-leader-system"

# Sections of the "every record with its quote" table, as on the Sources and method page.
TABLE_SECTIONS = (
    "facts",
    "projects",
    "bases",
    "documents",
    "programmes",
    "milestones",
    "priorities",
)

# System fonts only; CJK-capable fonts first for Chinese, after the Latin ones for English.
CJK_FONTS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei"'
)
LATIN_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial'

CSS = """
:root { color-scheme: light; --ink: #222; --muted: #5f6368; --line: #d9dce1;
  --soft: #f5f7fa; --accent: #0072B2; --warn: #fff6e0; --warn-line: #E69F00; }
* { box-sizing: border-box; }
html { font-size: 16px; -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.6;
  font-family: __LATIN__, __CJK__, sans-serif; }
html:lang(zh) body, [lang|="zh"] { font-family: __CJK__, __LATIN__, sans-serif; }
main, .title-page, footer { max-width: 62rem; margin: 0 auto; padding: 0 1.25rem; }
h1 { font-size: 2rem; line-height: 1.25; margin: 0 0 .5rem; }
h2 { font-size: 1.6rem; margin: 0 0 .25rem; padding-top: 1rem;
  border-top: 3px solid var(--accent); }
h3 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
h4 { font-size: 1.02rem; margin: 1rem 0 .35rem; }
p { margin: .35rem 0; }
a { color: var(--accent); }
.intro, .help, .muted { color: var(--muted); }
.help { font-size: .92rem; }
.title-page { padding-top: 2.5rem; padding-bottom: 2rem; }
.kind { text-transform: uppercase; letter-spacing: .06em; color: var(--accent); font-weight: 600;
  font-size: .85rem; }
.subtitle { font-size: 1.1rem; color: var(--muted); }
dl.facts-of-base { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem;
  margin: 1.25rem 0; }
dl.facts-of-base dt { color: var(--muted); }
dl.facts-of-base dd { margin: 0; }
.cite-box { border: 1px solid var(--line); border-left: 4px solid var(--accent);
  background: var(--soft); padding: .75rem 1rem; margin: 1rem 0; }
.cite-box p { margin: .2rem 0; }
code, .rid, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono",
  monospace; font-size: .85em; }
nav.toc ol { padding-left: 1.4rem; }
section.report-section { padding: 1.5rem 0 2rem; }
.back-to-top { font-size: .85rem; margin-top: 1.5rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: .75rem; }
.card, .item { border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem;
  background: #fff; }
.item { margin: .5rem 0; }
.card-head { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 .75rem;
  align-items: baseline; }
.card-head > :first-child { flex: 1 1 14rem; }
.card-head > .rid { margin-left: auto; }
.card .label { font-weight: 600; }
.rid { color: var(--muted); text-decoration: none; }
a.rid:hover { text-decoration: underline; }
.value { font-size: 1.55rem; font-weight: 650; line-height: 1.3; margin: .2rem 0; }
.badges { margin: .15rem 0; }
.badge { display: inline-block; border: 1px solid var(--line); border-radius: 999px;
  padding: 0 .55rem; font-size: .8rem; background: var(--soft); margin: 0 .25rem .2rem 0; }
.badge.qualifier { border-color: var(--warn-line); background: var(--warn); }
.meta { font-size: .88rem; color: var(--muted); }
.note { font-size: .88rem; }
.warning { border-left: 4px solid var(--warn-line); background: var(--warn); padding: .5rem .8rem; }
blockquote.quote { margin: .45rem 0 0; padding: .3rem .7rem; border-left: 3px solid var(--line);
  background: var(--soft); font-size: .9rem; }
.quote-label { color: var(--muted); font-size: .8rem; margin-right: .35rem; }
.orig { font-family: __CJK__, sans-serif; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left;
  vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
tr.quote-row td { background: #fcfcfd; border-top: 0; }
tr.quote-row blockquote.quote { margin: 0; }
figure.chart { margin: 1rem 0 1.5rem; max-width: 170mm; border: 1px solid var(--line);
  border-radius: 6px; padding: .6rem .6rem .4rem; }
figure.chart figcaption { font-weight: 600; margin-bottom: .3rem; }
.chart-note { font-size: .85rem; color: var(--muted); }
footer { border-top: 1px solid var(--line); margin-top: 2rem; padding-top: 1rem;
  padding-bottom: 2rem; font-size: .88rem; color: var(--muted); }
:target { outline: 3px solid var(--warn-line); outline-offset: 2px; }
@page { size: A4; margin: 16mm 15mm 18mm; }
@media print {
  html { font-size: 10pt; }
  main, .title-page, footer { max-width: none; padding: 0; }
  section.report-section { break-before: page; padding-top: 0; }
  .screen-only, .back-to-top, .modebar-container, .modebar { display: none !important; }
  .card, .item, figure.chart, tr, tbody.project, blockquote, .cite-box, dl { break-inside: avoid; }
  h2, h3, h4, figcaption { break-after: avoid; }
  a, a.rid { color: inherit; text-decoration: none; }
  a[href]::after { content: none !important; }
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  figure.chart { max-width: 100%; }
  :target { outline: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".replace("__CJK__", CJK_FONTS).replace("__LATIN__", LATIN_FONTS)


# --------------------------------------------------------------------------- text helpers


def _e(text: object) -> str:
    """Text escaped for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def _colon(lang: str) -> str:
    return ":" if lang == "zh" else ": "


def _list_separator(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def _join(parts: Iterable[str]) -> str:
    """Already-escaped parts joined with a middle dot, empty parts dropped."""
    return " · ".join(p for p in parts if p)


def _label_of(record) -> Bilingual | None:
    for name in ("label", "name", "title", "text", "description"):
        value = getattr(record, name, None)
        if isinstance(value, Bilingual):
            return value
    return None


# --------------------------------------------------------------------------- the builder


class _Report:
    """Builds the report's HTML in one language; remembers which records got their anchor."""

    def __init__(self, base: FactBase, lang: str):
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
        self.base = base
        self.lang = lang
        self.anchored: set[str] = set()
        self.chains = {c.id: c for c in base.chains}
        self.programmes = {p.id: p for p in base.programmes}
        self.sources = {s.id: s for s in base.sources}

    # ------------------------------------------------------------------ small pieces

    def t(self, key: str, **fmt: object) -> str:
        """A catalogue string, escaped (placeholders may carry fact-base text)."""
        return _e(t(key, self.lang, **fmt))

    def pick(self, bilingual: Bilingual | None) -> str:
        return _e(pick(bilingual, self.lang))

    def anchor(self, ident: str, home: bool = True) -> str:
        """` id="ident"` the first time a record is shown at home, else ""."""
        if not home or ident in self.anchored:
            return ""
        self.anchored.add(ident)
        return f' id="{_e(ident)}"'

    def rid(self, ident: str) -> str:
        """The record id, as a link to the record's anchor (its permalink)."""
        return f'<a class="rid" href="#{_e(ident)}">{_e(ident)}</a>'

    def orig(self, text: str) -> str:
        """Words of the source text, marked as Chinese."""
        return f'<span class="orig" lang="zh-Hans">{_e(text)}</span>'

    def original_of(self, bilingual: Bilingual | None) -> str:
        """In English, the Chinese original of a name, marked as such; "" in Chinese."""
        if self.lang == "zh" or bilingual is None:
            return ""
        return (
            f'<p class="meta">{self.t("label.original")} {self.orig(bilingual.zh)}</p>'
        )

    def quote(self, quote: Quote) -> str:
        """The verbatim quote, marked as the original Chinese, with its source if several."""
        source = ""
        if len(self.sources) > 1 and quote.source in self.sources:
            source = (
                f' <cite class="muted">— <a href="#{_e(quote.source)}">'
                f"{self.pick(self.sources[quote.source].title)}</a></cite>"
            )
        return (
            f'<blockquote class="quote"><span class="quote-label">{self.t("report.quote")}'
            f'{_e(_colon(self.lang).strip())}</span>'
            f'<span lang="zh-Hans" class="orig">{_e(quote.quote)}</span>{source}</blockquote>'
        )

    def note(self, note: Bilingual | None, warning: bool = False) -> str:
        if note is None:
            return ""
        css = "note warning" if warning else "note"
        return f'<p class="{css}">{self.t("prov.note")}{_e(_colon(self.lang))}{self.pick(note)}</p>'

    def year(self, year: int | None) -> str:
        return self.t("label.period", year=year) if year else self.t("label.no_year")

    def stated(self, words: str) -> str:
        return f"{self.t('prov.stated_as')}{_e(_colon(self.lang))}{self.orig(words)}"

    # ------------------------------------------------------------------ records

    def fact_card(self, fact: Fact, home: bool = True) -> str:
        q = fact.quantity
        # The qualifier is in the value itself ("至少100亿元", "about 1 GW"); the badge
        # gives the text's own qualifying words, as the dashboard's metric cards do.
        badges = []
        phrase = qualifier_badge(q, self.lang)
        if phrase:
            badges.append(f'<span class="badge qualifier">{_e(phrase)}</span>')
        return (
            f'<article class="card fact"{self.anchor(fact.id, home)}>'
            f'<div class="card-head"><span class="label">{self.pick(fact.label)}</span>'
            f"{self.rid(fact.id)}</div>"
            f'<div class="value">{_e(format_quantity(q, self.lang))}</div>'
            + (f'<div class="badges">{"".join(badges)}</div>' if badges else "")
            + f'<p class="meta">{_join([self.year(fact.period), self.stated(q.stated)])}</p>'
            + self.note(fact.note)
            + self.quote(fact.source)
            + "</article>"
        )

    def fact_cards(self, facts: Sequence[Fact], home: bool = True) -> str:
        if not facts:
            return ""
        return '<div class="cards">' + "".join(self.fact_card(f, home) for f in facts) + "</div>"

    def milestone(self, milestone: Milestone, home: bool = True) -> str:
        return (
            f'<div class="item milestone"{self.anchor(milestone.id, home)}>'
            f'<div class="card-head"><span><strong>{self.year(milestone.period)}</strong> · '
            f"{self.pick(milestone.text)}</span>{self.rid(milestone.id)}</div>"
            + self.note(milestone.note)
            + self.quote(milestone.source)
            + "</div>"
        )

    def programme(
        self, programme: Programme, home: bool = True, linked: bool = False, kind: bool = True
    ) -> str:
        extra = ""
        if linked:
            projects = [p for p in self.base.projects if programme.id in p.programmes]
            links = _list_separator(self.lang).join(
                f'<a href="#{_e(p.id)}">{self.pick(p.name)}</a>' for p in projects
            )
            extra = (
                f'<p class="meta">{self.t("chains.programme_projects", n=len(projects))}'
                + (f"<br>{links}" if links else "")
                + "</p>"
            )
        return (
            f'<div class="item programme"{self.anchor(programme.id, home)}>'
            f'<div class="card-head"><span><strong>{self.pick(programme.name)}</strong>'
            + (
                f' <span class="badge">{_e(enum_label(programme.kind, self.lang))}</span>'
                if kind
                else ""
            )
            + "</span>"
            f"{self.rid(programme.id)}</div>"
            f"<p>{self.pick(programme.description)}</p>"
            + self.original_of(programme.name)
            + extra
            + self.quote(programme.source)
            + "</div>"
        )

    def document_title(self, document: Document) -> str:
        title = pick(document.title, self.lang)
        if self.lang == "zh":
            return _e(f"《{title}》")
        return f"<cite>{_e(title)}</cite>"

    def document(self, document: Document, home: bool = True) -> str:
        year = self.year(document.year)
        if document.year_basis is not None:
            year += f" ({_e(enum_label(document.year_basis, self.lang))})"
        meta = _join(
            [
                year,
                self.pick(document.issuer),
                _e(enum_label(document.topic, self.lang)),
            ]
        )
        original = ""
        if self.lang == "en":
            words = self.orig(f"《{document.title.zh}》")
            original = f'<p class="meta">{self.t("label.original")} {words}</p>'
        return (
            f'<div class="item document"{self.anchor(document.id, home)}>'
            f'<div class="card-head"><span>{self.document_title(document)}</span>'
            f"{self.rid(document.id)}</div>"
            f'<p class="meta">{meta}</p>'
            + original
            + self.quote(document.source)
            + "</div>"
        )

    def statement(self, statement: Statement, owner: str) -> str:
        return (
            f'<div class="item statement"><p>{self.pick(statement.text)}'
            f" <span class=\"muted\">({self.rid(owner)})</span></p>"
            + self.quote(statement.source)
            + "</div>"
        )

    def projects_table(self, projects: Sequence[Project], home: bool, show_chain: bool) -> str:
        if not projects:
            return ""
        heads = ["col.project", "col.outputs", "col.stage"]
        if show_chain:
            heads.append("col.chain")
        else:
            heads.append("col.chain_basis")
        heads += ["col.programmes", "col.year"]
        head = "".join(f"<th>{self.t(k)}</th>" for k in heads)
        bodies = []
        for project in projects:
            company = self.pick(project.company) if project.company else ""
            name = (
                f"<strong>{self.pick(project.name)}</strong>"
                + (f"<br>{company}" if company else "")
                + f"<br>{self.rid(project.id)}"
            )
            if self.lang == "en":
                words = self.orig(project.name.zh)
                name += f'<br><span class="meta">{self.t("label.original")} {words}</span>'
            outputs = "<br>".join(
                _e(pick(o.product, self.lang))
                + (
                    f"{_e(_colon(self.lang))}"
                    f"<strong>{_e(format_quantity(o.capacity, self.lang))}</strong>"
                    f' <span class="meta">({self.stated(o.capacity.stated)})</span>'
                    if o.capacity is not None
                    else ""
                )
                for o in project.outputs
            )
            stage = (
                f"{_e(enum_label(project.stage, self.lang))}"
                f'<br><span class="meta">{self.stated(project.stage_as_stated)}</span>'
            )
            basis = (
                _e(enum_label(project.chain_basis, self.lang)) if project.chain_basis else ""
            )
            chain_parts = []
            if show_chain and project.chain:
                chain = self.chains.get(project.chain)
                chain_parts.append(
                    f'<a href="#{_e(project.chain)}">'
                    f"{self.pick(chain.name) if chain else _e(project.chain)}</a>"
                )
            if basis:
                chain_parts.append(f'<span class="meta">{basis}</span>')
            if project.chain_as_stated:
                stated = self.stated(project.chain_as_stated)
                chain_parts.append(f'<span class="meta">{stated}</span>')
            programmes = "<br>".join(
                f'<a href="#{_e(pid)}">'
                f"{self.pick(self.programmes[pid].name) if pid in self.programmes else _e(pid)}</a>"
                for pid in project.programmes
            )
            cells = [name, outputs, stage, "<br>".join(chain_parts), programmes,
                     _e(project.year) if project.year else ""]
            row = "".join(f"<td>{c}</td>" for c in cells)
            extra = self.quote(project.source) + self.note(project.note)
            bodies.append(
                f'<tbody class="project"{self.anchor(project.id, home)}><tr>{row}</tr>'
                f'<tr class="quote-row"><td colspan="{len(cells)}">{extra}</td></tr></tbody>'
            )
        return f"<table class=\"projects\"><thead><tr>{head}</tr></thead>{''.join(bodies)}</table>"

    def chart(self, name: str, **kwargs) -> str:
        """A chart of haixi.charts, interactive, with its finding above and its note below."""
        from haixi import charts

        try:
            built = charts.BUILDERS[name](self.base, self.lang, **kwargs)
        except charts.ChartDataMissing:
            return f'<p class="note warning">{self.t("notice.chart_data_missing")}</p>'
        div_id = f"c_{name}" + "".join(f"_{v}" for v in kwargs.values())
        div_id = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in div_id)
        figure_html = built.figure.to_html(
            full_html=False,
            include_plotlyjs=False,
            config=PLOTLY_CONFIG,
            div_id=div_id,
        )
        note = f'<p class="chart-note">{_e(built.note)}</p>' if built.note else ""
        return (
            f'<figure class="chart"><figcaption>{_e(built.title)}</figcaption>'
            f"{figure_html}{note}</figure>"
        )

    # ------------------------------------------------------------------ page parts

    def title_page(self) -> str:
        meta = self.base.meta
        released = meta.released.isoformat()
        source = self.base.sources[0]
        rows = [
            ("data.version", _e(meta.version)),
            ("data.released", _e(meta.released.isoformat())),
            ("col.source", self.source_title(source)),
            ("report.publisher", self.pick(source.publisher)),
            ("data.curator", _e(meta.curator)),
            ("data.license", _e(meta.license)),
        ]
        dl = "".join(f"<dt>{self.t(k)}</dt><dd>{v}</dd>" for k, v in rows)
        toc = "".join(
            f'<li><a href="#s_{name}">{self.t("page." + name)}</a></li>' for name in SECTIONS
        )
        return (
            '<header class="title-page" id="s_title">'
            f'<p class="kind">{self.t("report.kind")}</p>'
            f"<h1>{self.t('app.title')}</h1>"
            f'<p class="subtitle">{self.t("app.subtitle")}</p>'
            f"<p>{self.pick(meta.title)} · {self.pick(meta.region)}</p>"
            f'<dl class="facts-of-base">{dl}</dl>'
            f"<p>{self.t('report.snapshot', version=meta.version, released=released)}</p>"
            + self.cite_box()
            + f'<p class="help">{self.pick(meta.translation_note)}</p>'
            + f'<nav class="toc"><h2 class="toc-title">{self.t("report.contents")}</h2>'
            + f"<ol>{toc}</ol></nav>"
            + f'<p class="help screen-only">{self.t("report.interactive")} '
            f'{self.t("report.print_hint")}</p>'
            "</header>"
        )

    def source_title(self, source) -> str:
        title = pick(source.title, self.lang)
        return _e(f"《{title}》") if self.lang == "zh" else f"<cite>{_e(title)}</cite>"

    def citation(self) -> str:
        meta = self.base.meta
        return self.t(
            "sources.citation",
            title=pick(meta.title, self.lang),
            version=meta.version,
            released=meta.released.isoformat(),
            source=pick(self.base.sources[0].title, self.lang),
        )

    def cite_box(self) -> str:
        example_id = self.base.facts[0].id
        example = f"report.html#{example_id}"
        return (
            '<div class="cite-box">'
            f"<p><strong>{self.t('sources.how_to_cite')}</strong></p>"
            f'<p class="citation">{self.citation()}</p>'
            f'<p class="help">{self.t("report.cite_record", example=example)}</p>'
            "</div>"
        )

    def section(self, name: str, body: str) -> str:
        return (
            f'<section class="report-section" id="s_{name}">'
            f"<h2>{self.t('page.' + name)}</h2>"
            f'<p class="intro">{self.t("page." + name + ".intro")}</p>'
            f"{body}"
            f'<p class="back-to-top"><a href="#s_title">↑ {self.t("nav.back_to_top")}</a></p>'
            "</section>"
        )

    # ------------------------------------------------------------------ sections

    def overview(self) -> str:
        base = self.base
        parts = [
            "<p>"
            + self.t(
                "overview.intro",
                region=pick(base.meta.region, self.lang),
                source=pick(base.sources[0].title, self.lang),
            )
            + "</p><p class=\"muted\">"
            + self.t(
                "overview.counts",
                facts=len(base.facts),
                projects=len(base.projects),
                chains=len(base.chains),
            )
            + "</p>"
        ]
        headlines = [f for f in base.facts if f.headline]
        if headlines:
            parts.append(f"<h3>{self.t('overview.headlines')}</h3>")
            parts.append(self.fact_cards(headlines))
        if base.milestones:
            parts.append(f"<h3>{self.t('overview.milestones')}</h3>")
            parts.extend(self.milestone(m) for m in base.milestones)
        return self.section("overview", "".join(parts))

    def economy(self) -> str:
        base = self.base
        parts = []
        facts = [f for f in base.facts if f.topic in ECONOMY_TOPICS]
        if facts:
            parts.append(f"<h3>{self.t('economy.figures')}</h3>")
            parts.append(self.fact_cards(facts))
        milestones = [m for m in base.milestones if m.topic in ECONOMY_TOPICS]
        if milestones:
            parts.append(f"<h3>{self.t('economy.milestones')}</h3>")
            parts.extend(self.milestone(m) for m in milestones)
        parts.append(f"<h3>{self.t('economy.documents')}</h3>")
        documents = sorted(base.documents, key=lambda d: d.position)
        parts.extend(self.document(d) for d in documents)
        measures = [p for p in base.programmes if p.topic is Topic.business_environment]
        business_facts = [f for f in base.facts if f.topic is Topic.business_environment]
        if measures or business_facts:
            parts.append(f"<h3>{self.t('economy.business_environment')}</h3>")
            parts.append(f'<p class="help">{self.t("economy.business_environment_help")}</p>')
            parts.append(self.fact_cards(business_facts))
            for kind in ProgrammeKind:
                group = [p for p in measures if p.kind is kind]
                if group:
                    parts.append(f"<h4>{_e(enum_label(kind, self.lang))}</h4>")
                    parts.extend(self.programme(p, kind=False) for p in group)
        strategies = [p for p in base.programmes if p.topic is Topic.strategy]
        strategy_facts = [f for f in base.facts if f.topic is Topic.strategy]
        if strategies or strategy_facts:
            parts.append(f"<h3>{self.t('economy.strategies')}</h3>")
            parts.append(self.fact_cards(strategy_facts))
            parts.extend(self.programme(p) for p in strategies)
        others = [p for p in base.programmes if p.topic in ECONOMY_TOPICS]
        parts.extend(self.programme(p) for p in others)
        return self.section("economy", "".join(parts))

    def chain_count(self) -> str:
        """The stated number of chains against the number of names listed, and the note."""
        base = self.base
        try:
            count = base.fact("chain-count-stated")
        except KeyError:
            count = None
        listed = len(base.chains)
        parts = []
        if count is not None:
            parts.append('<div class="cards">' + self.fact_card(count))
        else:
            parts.append('<div class="cards">')
        parts.append(
            '<article class="card">'
            '<div class="card-head">'
            f'<span class="label">{self.t("chains.listed_names")}</span></div>'
            f'<div class="value">{listed}</div>'
        )
        stated = int(count.quantity.value) if count is not None else listed
        if stated != listed:
            mismatch = self.t("chart.chains.note_mismatch", stated=stated, listed=listed)
            parts.append(f'<p class="note warning">{mismatch}</p>')
        parts.append(
            '<p class="meta">'
            + _list_separator(self.lang).join(
                f'<a href="#{_e(c.id)}">{self.pick(c.name)}</a>'
                for c in sorted(base.chains, key=lambda c: c.position)
            )
            + "</p></article></div>"
        )
        return "".join(parts)

    def chains_section(self) -> str:
        base = self.base
        parts = []
        system = self.programmes.get(CHAIN_SYSTEM)
        if system is not None:
            parts.append(self.programme(system))
        if base.chains:
            parts.append(self.chain_count())
        documents = [d for d in base.documents if d.topic is Topic.chains]
        parts.extend(self.document(d) for d in documents)
        programmes = [
            p for p in base.programmes if p.topic is Topic.chains and p.id != CHAIN_SYSTEM
        ]
        if programmes:
            parts.append(f"<h3>{self.t('chains.programmes')}</h3>")
            parts.extend(self.programme(p, linked=True) for p in programmes)
        parts.append(f"<h3>{self.t('chains.reported')}</h3>")
        parts.append(self.chart("chains_overview"))
        parts.append(self.chart("chain_hierarchy"))
        milestones = [m for m in base.milestones if m.topic is Topic.chains]
        parts.extend(self.milestone(m) for m in milestones)
        chain_facts = [
            f for f in base.facts if f.topic is Topic.chains and f.id != "chain-count-stated"
        ]
        parts.append(self.fact_cards(chain_facts))
        parts.append(f"<h3>{self.t('chains.each')}</h3>")
        parts.append(f'<p class="help">{self.t("chains.classification_note")}</p>')
        for chain in sorted(base.chains, key=lambda c: c.position):
            projects = base.projects_of(chain.id)
            facts = base.facts_of(chain.id)
            counts = self.t("chains.counts", projects=len(projects), facts=len(facts))
            block = [
                f'<div class="chain"{self.anchor(chain.id)}>'
                f"<h4>{chain.position}. {self.pick(chain.name)} "
                f'<span class="muted">· {counts}</span> {self.rid(chain.id)}</h4>',
                self.original_of(chain.name),
                self.note(chain.note),
            ]
            if not (projects or facts or chain.highlights):
                block.append(f'<p class="muted">{self.t("chains.nothing_reported")}</p>')
            block.append(self.projects_table(projects, home=False, show_chain=False))
            # Energy figures are at home in "New energy and projects".
            block.extend(
                self.fact_cards([f], home=f.topic is not Topic.energy) for f in facts
            )
            block.extend(self.statement(h, chain.id) for h in chain.highlights)
            block.append("</div>")
            parts.append("".join(block))
        return self.section("chains", "".join(parts))

    def projects_section(self) -> str:
        base = self.base
        parts = [
            f"<h3>{self.t('report.projects', count=len(base.projects))}</h3>",
            f'<p class="help">{self.t("projects.table_help")}</p>',
            self.projects_table(base.projects, home=True, show_chain=True),
            f"<h3>{self.t('projects.capacity')}</h3>",
            self.chart("capacity_by_product"),
            f'<p class="help">{self.t("projects.capacity_other_units")}</p>',
            self.chart("projects_by_stage"),
        ]
        energy = [f for f in base.facts if f.topic is Topic.energy]
        holders = [p for p in base.projects if p.records]
        of_project = {p.id: self._facts_of_project(p, energy) for p in holders}
        claimed = {f.id for facts in of_project.values() for f in facts}
        rest = [f for f in energy if f.id not in claimed]
        if base.bases or rest:
            parts.append(f"<h3>{self.t('projects.bases')}</h3>")
            cards = []
            for national in base.bases:
                status = _join(
                    [
                        _e(enum_label(national.status, self.lang)),
                        self.stated(national.status_as_stated),
                    ]
                )
                cards.append(
                    f'<article class="card base"{self.anchor(national.id)}>'
                    f'<div class="card-head"><span class="label">{self.pick(national.name)}</span>'
                    f"{self.rid(national.id)}</div>"
                    f'<p class="meta">{status}</p>'
                    + self.original_of(national.name)
                    + self.quote(national.source)
                    + "</article>"
                )
            if cards:
                parts.append('<div class="cards">' + "".join(cards) + "</div>")
            parts.append(self.fact_cards(rest))
        if holders:
            parts.append(f"<h3>{self.t('projects.record')}</h3>")
            for project in holders:
                parts.append(
                    f"<h4>{self.pick(project.name)} {self.rid(project.id)}</h4>"
                    + self.fact_cards(of_project[project.id])
                    + "".join(self.statement(r, project.id) for r in project.records)
                    + self.note(project.note)
                )
        return self.section("projects", "".join(parts))

    @staticmethod
    def _facts_of_project(project: Project, facts: Sequence[Fact]) -> list[Fact]:
        """Figures quoting the same clause as the project or one of its records."""
        quotes = {project.source.quote, *(r.source.quote for r in project.records)}
        return [f for f in facts if f.source.quote in quotes]

    def livelihood(self) -> str:
        base = self.base
        parts = []
        for heading, topics, chart in LIVELIHOOD_GROUPS:
            facts = [f for f in base.facts if f.topic in topics]
            programmes = [p for p in base.programmes if p.topic in topics]
            milestones = [m for m in base.milestones if m.topic in topics]
            documents = [d for d in base.documents if d.topic in topics]
            if not (facts or programmes or milestones or documents or chart):
                continue
            parts.append(f"<h3>{self.t(heading)}</h3>")
            parts.append(self.fact_cards(facts))
            if chart:
                parts.append(self.chart(chart))
            parts.extend(self.programme(p) for p in programmes)
            parts.extend(self.milestone(m) for m in milestones)
            parts.extend(self.document(d) for d in documents)
        if base.priorities:
            parts.append(f"<h3>{self.t('livelihood.priorities')}</h3>")
            parts.append(f'<p class="help">{self.t("livelihood.priorities_help")}</p>')
            for area in Area:
                items = [p for p in base.priorities if p.area is area]
                if not items:
                    continue
                parts.append(f"<h4>{_e(enum_label(area, self.lang))}</h4>")
                for item in items:
                    parts.append(
                        f'<div class="item priority"{self.anchor(item.id)}>'
                        f'<div class="card-head"><span>{self.pick(item.text)}</span>'
                        f"{self.rid(item.id)}</div>"
                        + self.quote(item.source)
                        + "</div>"
                    )
        return self.section("livelihood", "".join(parts))

    def sources_section(self) -> str:
        base = self.base
        parts = [f"<h3>{self.t('sources.sources')}</h3>"]
        for source in base.sources:
            rows = [
                ("col.source", self.source_title(source)),
                ("report.publisher", self.pick(source.publisher)),
                ("report.kind_of_source", _e(enum_label(source.kind, self.lang))),
                ("col.period", self.t("label.period", year=source.covers)),
                ("report.file", f"<code>{_e(source.file)}</code>"),
                ("sources.checksum", f'<code class="sha">{_e(source.sha256)}</code>'),
            ]
            if self.lang == "en":
                rows.insert(1, ("label.original", self.orig(f"《{source.title.zh}》")))
            dl = "".join(f"<dt>{self.t(k)}</dt><dd>{v}</dd>" for k, v in rows)
            parts.append(
                f'<div class="item source"{self.anchor(source.id)}>'
                f'<div class="card-head"><strong>{self.pick(source.title)}</strong>'
                f"{self.rid(source.id)}</div>"
                f'<dl class="facts-of-base">{dl}</dl>'
                + (f"<p>{self.pick(source.note)}</p>" if source.note else "")
                + "</div>"
            )
        meta = base.meta
        parts.append(
            "<p>"
            + self.t("sources.version", version=meta.version, released=meta.released.isoformat())
            + "</p>"
        )
        parts.append(self.cite_box())

        parts.append(f"<h3>{self.t('sources.method')}</h3>")
        parts.append(f"<p>{self.t('sources.method_text')}</p>")
        parts.append(f"<p>{self.pick(meta.translation_note)}</p>")
        rows = "".join(
            f"<tr><td>{_e(enum_label(q, self.lang))}</td>"
            f"<td>{self.t('qualifier_help.' + q.value)}</td></tr>"
            for q in Qualifier
        )
        parts.append(
            f'<table class="qualifiers"><thead><tr><th>{self.t("col.qualifier")}</th>'
            f"<th>{self.t('col.description')}</th></tr></thead><tbody>{rows}</tbody></table>"
        )

        parts.append(f"<h3>{self.t('sources.errata', n=len(base.errata))}</h3>")
        parts.append(self.chart("errata_by_kind"))
        if base.errata:
            heads = ("col.id", "col.kind", "col.line", "col.description", "col.quote")
            head = "".join(f"<th>{self.t(k)}</th>" for k in heads)
            body = "".join(
                f"<tr{self.anchor(e.id)}><td>{self.rid(e.id)}</td>"
                f'<td class="nowrap">{_e(enum_label(e.kind, self.lang))}</td>'
                f'<td class="num">{e.line}</td>'
                f"<td>{self.pick(e.description)}</td>"
                f'<td><span lang="zh-Hans" class="orig">{_e(e.source.quote)}</span></td></tr>'
                for e in base.errata
            )
            parts.append(
                f'<table class="errata"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            )

        parts.append(f"<h3>{self.t('sources.all_records')}</h3>")
        heads = ("col.id", "col.section", "col.label", "col.value", "col.topic", "col.quote")
        head = "".join(f"<th>{self.t(k)}</th>" for k in heads)
        body = []
        for section in TABLE_SECTIONS:
            for record in getattr(base, section):
                label = _label_of(record)
                value = (
                    _e(format_quantity(record.quantity, self.lang))
                    if isinstance(record, Fact)
                    else ""
                )
                topic = getattr(record, "topic", None)
                area = getattr(record, "area", None)
                topic_text = (
                    _e(enum_label(topic, self.lang))
                    if topic is not None
                    else (_e(enum_label(area, self.lang)) if area is not None else "")
                )
                body.append(
                    f"<tr{self.anchor(record.id)}><td>{self.rid(record.id)}</td>"
                    f'<td class="nowrap">{self.t("section." + section)}</td>'
                    f"<td>{self.pick(label)}</td>"
                    f'<td class="num">{value}</td>'
                    f'<td class="nowrap">{topic_text}</td>'
                    f'<td><span lang="zh-Hans" class="orig">{_e(record.source.quote)}</span></td>'
                    "</tr>"
                )
        parts.append(
            f'<table class="records"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )
        return self.section("sources", "".join(parts))

    def footer(self) -> str:
        meta = self.base.meta
        return (
            "<footer>"
            + "<p>"
            + self.t(
                "report.footer",
                title=pick(meta.title, self.lang),
                version=meta.version,
                released=meta.released.isoformat(),
                license=meta.license,
                curator=meta.curator,
            )
            + "</p>"
            + f"<p><strong>{self.t('sources.how_to_cite')}{_e(_colon(self.lang))}</strong>"
            f"{self.citation()}</p>"
            + f"<p>{self.t('sidebar.source_note')}</p>"
            + f"<p>{self.t('report.generated')}</p>"
            + "</footer>"
        )

    def build(self) -> str:
        from plotly.offline import get_plotlyjs

        meta = self.base.meta
        body = "".join(
            [
                self.title_page(),
                "<main>",
                self.overview(),
                self.economy(),
                self.chains_section(),
                self.projects_section(),
                self.livelihood(),
                self.sources_section(),
                "</main>",
                self.footer(),
            ]
        )
        title = f"{t('app.title', self.lang)} · {meta.version} ({meta.released.isoformat()})"
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{HTML_LANG[self.lang]}">\n<head>\n'
            '<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="haixi.report">\n'
            f'<meta name="haixi-fact-base-version" content="{_e(meta.version)}">\n'
            f'<meta name="haixi-fact-base-released" content="{_e(meta.released.isoformat())}">\n'
            f"<title>{_e(title)}</title>\n"
            f"<style>{CSS}</style>\n"
            "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>\n"
            f'<script type="text/javascript">{get_plotlyjs()}</script>\n'
            "</head>\n<body>\n"
            f"{body}\n"
            "</body>\n</html>\n"
        )


def build_report(base: FactBase, lang: str = DEFAULT_LANG) -> str:
    """The whole dashboard as one self-contained HTML page in `lang` ("zh" or "en")."""
    return _Report(base, lang).build()


def chart_ids(report_html: str) -> list[str]:
    """The div ids of the Plotly charts in a built report, in page order."""
    marker = 'class="plotly-graph-div"'
    ids = []
    for chunk in report_html.split("<div id=\"")[1:]:
        ident, _, rest = chunk.partition('"')
        if rest.lstrip().startswith(marker):
            ids.append(ident)
    return ids


# --------------------------------------------------------------------------- command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of `report`, for any argparse parser."""
    parser.add_argument("out", type=Path, metavar="OUT.html", help="the HTML file to write")
    parser.add_argument(
        "--lang", choices=LANGS, default=DEFAULT_LANG, help="language of the report; default zh"
    )
    parser.add_argument(
        "--facts",
        type=Path,
        metavar="PATH",
        help="fact file to report on (default: $HAIXI_FACTS or data/facts.yaml)",
    )


def run(args: argparse.Namespace) -> int:
    """Run `report` on parsed arguments: 0 when written, 1 if invalid or unwritable."""
    path = getattr(args, "facts", None) or facts_path()
    try:
        base = load(path)
    except FactBaseError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except OSError as exc:
        problem = Problem(str(path), None, None, "", f"cannot read: {exc.strerror or exc}")
        print(FactBaseError(str(path), [problem]).report(), file=sys.stderr)
        return 1
    lang = getattr(args, "lang", DEFAULT_LANG)
    text = build_report(base, lang)
    out = Path(args.out)
    temporary = out.with_name(f".{out.name}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, out)
    except OSError as exc:
        if temporary.parent.is_dir():
            temporary.unlink(missing_ok=True)
        print(f"{out}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 1
    size = len(text.encode("utf-8"))
    print(
        f"{path} (version {base.meta.version}, released {base.meta.released.isoformat()}) "
        f"-> {out} [{lang}, {size / 1024 / 1024:.1f} MB]"
    )
    return 0
