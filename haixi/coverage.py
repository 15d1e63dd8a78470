"""An account of every number in the sources: found by a scanner, covered by a record or a reason.

Pure (no Streamlit): the command line (`python -m haixi coverage`), the dashboard and the report
all use `scan` and `account`.

The scanner: what a number-bearing phrase is
--------------------------------------------
The text is scanned line by line (lines as the file has them, 1-based; offsets are characters
within the line, end exclusive). A phrase is one of:

1. **Arabic figure** (kind ``arabic``): a run of digits (ASCII or full-width) with an optional
   decimal part, then an optional magnitude (万 亿 千 百), an optional unit or counter from
   `ARABIC_UNITS` (元, 吨, %, GW, 兆瓦, 千瓦, 人, 个, 年 ...) and an optional 级:
   ``17万元``, ``6.21亿元``, ``101.3%``, ``10GW``, ``4000吨``, ``2022年``, ``41.3万人``, ``1万吨``.
   A digit run without a unit is reported on its own (``2411``). Every Arabic digit is in
   some phrase.
2. **Arabic name** (kind ``name``): digits joined by ``+``: ``1+7``, ``1+3+8``.
3. **Chinese numeral with a counter or unit** (kind ``chinese``): a run of the numerals in
   `CHINESE_NUMERALS` (〇零一二两三四五六七八九十百千万亿), optionally after 第, followed by a
   counter or unit from `CHINESE_COUNTERS` (条 项 个 座 大 次 期 级 ..., 元 吨 千瓦 兆瓦 ...) and
   an optional 级: ``十二条``, ``四大``, ``百亿元``, ``千亿元``, ``百万千瓦级``, ``第六座``,
   ``十项``, ``二十大``, ``第十四次``. After 第 the counter may be missing (``第一``).
   A run not followed by a counter is no phrase (万千气象, 千里戈壁).
4. **Quoted name** (kind ``name``): a phrase in quotation marks (“…” 「…」 "…") of at most
   12 characters that begins with a numeral, Arabic or Chinese: “三区三州”, “一优两高”,
   “四地”, “两山”, “2411”. The phrase is the text inside the marks.

**一 on its own** (not part of a longer numeral such as 十一, not after 第) is the article "a",
"one whole", in nearly every use (一批, 一件件, 一大批, 一系列, 一体化, 新的一年, 一流), so it is
no phrase, except before 期 (一期 is "phase I", as 二期 is "phase II") and inside a quoted name.
双, 首, 半 and 零 are not counted as numerals: 双过半 and 首座 are words, not figures.
Where two phrases overlap, the earlier, then the longer, is kept (“十二条” is one phrase).

Accounting: each phrase is exactly one of
-----------------------------------------
- ``record``: a record with a figure (a fact's `quantity`, a project output's `capacity`) has
  a quote that occurs in the source at a place covering the phrase, and inside that occurrence
  either (a) the record's `stated` figure occurs where the phrase is, one containing the other
  (phrase ``1万吨`` in stated ``1万吨吨级``, stated ``17万元`` equal to the phrase), or (b) the
  phrase's value, converted to the record's unit, equals the record's `value` (``101.3%`` and
  101.3 percent; ``10GW`` and 10000 MW). Phrases whose unit does not fit the record's unit never
  match by value. The record ids are listed.
- ``not_a_figure``: an entry of the fact base's `not_figures` names the phrase, its source and
  its line, with the curator's reason. One entry covers every occurrence of the phrase on
  that line.
- ``uncovered``: neither.

An entry of `not_figures` is **stale**, an error, when its source is unknown, when the scanner
finds no such phrase on that line, when every such phrase there is already a record's figure,
or when it repeats an earlier entry.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from haixi.formatting import format_value
from haixi.i18n import N_, nt, pick, t
from haixi.schema import Bilingual, FactBase, NotFigure, Unit, all_quantities
from haixi.sources import read_sources

# --------------------------------------------------------------------------- the scanner's rules

DIGITS = "0-9０-９"
CHINESE_NUMERALS = "〇零一二两三四五六七八九十百千万亿"
MAGNITUDES = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}

# Units and counters after an Arabic figure and its magnitude (longest first, so 千瓦时 wins
# over 千瓦). None begins with 万 or 亿: 万元 is the magnitude 万 and the unit 元.
ARABIC_UNITS = (
    "平方公里", "千瓦时", "千瓦", "兆瓦", "GW", "MW", "kW", "KW", "%", "％", "‰",
    "元", "吨", "人次", "人", "公里", "千米", "米", "亩",
    "个", "项", "座", "条", "家", "户", "名", "位", "次", "所", "批", "件", "台", "套", "辆",
    "处", "种", "类", "倍", "期", "级", "年", "月", "日", "天",
)
# Counters and units after a Chinese numeral. 瓦 alone is left out, so 百万千瓦 parses as
# 百万 + 千瓦; 里, 地 and the like are left out (千里戈壁, and “四地” is caught as a quoted name).
CHINESE_COUNTERS = (
    "千瓦时", "千瓦", "兆瓦", "平方公里", "公里", "元", "吨", "人次", "人", "亩",
    "条", "项", "个", "座", "大", "次", "期", "级", "家", "户", "名", "位", "所", "批", "件",
    "幅", "串", "组", "轮", "种", "类", "处", "倍", "成", "年", "月", "天",
)
QUOTED_NAME_MAX = 12

_alternatives = "|".join(re.escape(u) for u in ARABIC_UNITS)
ARABIC = re.compile(
    rf"(?P<num>[{DIGITS}]+(?:[.．][{DIGITS}]+)?)"
    rf"(?P<plus>(?:\+[{DIGITS}]+)+)?"
    # A unit first (so 千瓦 is not read as 千 + 瓦), else a magnitude and perhaps a unit.
    rf"(?:(?P<unit>{_alternatives})|(?P<mag>[万亿千百])(?P<unit2>{_alternatives})?)?"
    rf"(?P<ji>级?)"
)
# The counter is required (so 百万千瓦 backtracks to 百万 + 千瓦), except after 第.
CHINESE = re.compile(
    rf"(?<![{DIGITS}.．{CHINESE_NUMERALS}])"
    rf"(?:(?P<di>第?)(?P<num>[{CHINESE_NUMERALS}]+)"
    rf"(?P<unit>{'|'.join(re.escape(u) for u in CHINESE_COUNTERS)})级?"
    rf"|第(?P<ordinal>[{CHINESE_NUMERALS}]+))"
)
QUOTED = re.compile(
    rf"[“\"「『](?P<name>[{DIGITS}{CHINESE_NUMERALS}][^“”\"「」『』,,。;;:：、\s]"
    rf"{{0,{QUOTED_NAME_MAX - 1}}})[”\"」』]"
)
# Counters whose phrases count things (the fact base's unit `count`).
COUNTERS = frozenset("个项座条家户名位次所批件台套辆处种类大幅串组轮")
# A lone 一 is a phrase only before these counters.
LONE_YI_COUNTERS = ("期",)

# What a phrase's unit can be a value of (for matching by value).
_MONEY = {"元": 1.0}
_POWER_MW = {"GW": 1000.0, "MW": 1.0, "兆瓦": 1.0, "千瓦": 1e-3, "kW": 1e-3, "KW": 1e-3}
_TONNES = {"吨": 1.0}
_PERSONS = {"人": 1.0}


class Kind(StrEnum):
    """Which rule found a phrase."""

    arabic = "arabic"
    chinese = "chinese"
    name = "name"


@dataclass(frozen=True)
class Phrase:
    """A number-bearing phrase: its text, where it is (1-based line, offsets in the line)."""

    text: str
    source: str
    line: int
    start: int  # first character, within the line
    end: int  # one past the last character, within the line
    kind: Kind
    value: float | None = None  # in the unit of `units` (yuan, percent, MW, t, persons, count)
    units: frozenset[Unit] = frozenset()  # the record units the value can be compared with


def _chinese_int(numeral: str) -> int | None:
    """The value of a Chinese numeral: 十二 → 12, 二十 → 20, 百万 → 10^6, 一亿二千万 → 1.2 × 10^8.

    Digits in a row are positional (二〇二二 → 2022).
    """
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    units = {"十": 10, "百": 100, "千": 1000}
    total = wan = section = 0  # complete 亿 groups, the 万 group, the group below 万
    number: int | None = None  # digits read since the last unit
    previous_digit = False
    for char in numeral:
        if char in digits:
            number = number * 10 + digits[char] if previous_digit and number else digits[char]
            previous_digit = True
            continue
        previous_digit = False
        if char in units:
            section += (1 if number is None else number) * units[char]
        elif char == "万":
            wan += (section + (number or 0) or 1) * 10_000
            section = 0
        elif char == "亿":
            rest = wan + section + (number or 0)
            total = (total + (rest or (0 if total else 1))) * 100_000_000
            wan = section = 0
        else:
            return None
        number = None
    return total + wan + section + (number or 0)


def _value(number: float, unit: str, ordinal: bool) -> tuple[float | None, frozenset[Unit]]:
    """A phrase's value in base units and the record units it can be compared with."""
    if ordinal:
        return number, frozenset({Unit.rank})
    for table, kinds in (
        (_MONEY, {Unit.yuan}),
        (_POWER_MW, {Unit.mw, Unit.mw_per_year}),
        (_TONNES, {Unit.t_per_year}),
        (_PERSONS, {Unit.persons}),
    ):
        if unit in table:
            return number * table[unit], frozenset(kinds)
    if unit in ("%", "％"):
        return number, frozenset({Unit.percent})
    if unit in COUNTERS:
        return number, frozenset({Unit.count})
    return None, frozenset()  # dates, durations, phases, grades, lengths: no values of ours


def _arabic(match: re.Match) -> tuple[Kind, float | None, frozenset[Unit]]:
    if match["plus"]:
        return Kind.name, None, frozenset()
    number = float(match["num"].translate(_FULL_WIDTH))
    number *= MAGNITUDES.get(match["mag"] or "", 1.0)
    value, units = _value(number, match["unit"] or match["unit2"] or "", False)
    return Kind.arabic, value, units


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _line_phrases(line: str, source: str, number: int) -> list[Phrase]:
    found: list[Phrase] = []
    for match in QUOTED.finditer(line):
        found.append(Phrase(match["name"], source, number, match.start("name"),
                            match.end("name"), Kind.name))
    for match in ARABIC.finditer(line):
        kind, value, units = _arabic(match)
        found.append(Phrase(match[0], source, number, match.start(), match.end(), kind,
                            value, units))
    for match in CHINESE.finditer(line):
        ordinal = bool(match["di"] or match["ordinal"])
        numeral, unit = match["num"] or match["ordinal"], match["unit"] or ""
        if numeral == "一" and not ordinal and unit not in LONE_YI_COUNTERS:
            continue
        integer = _chinese_int(numeral)
        if integer is None:
            continue
        value, units = _value(float(integer), unit, ordinal)
        found.append(Phrase(match[0], source, number, match.start(), match.end(), Kind.chinese,
                            value, units))
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    kept: list[Phrase] = []
    for phrase in found:
        if not kept or phrase.start >= kept[-1].end:
            kept.append(phrase)
    return kept


def lines_of(text: str) -> list[str]:
    """The lines of a source text as the scanner numbers them (line n is item n - 1)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def scan(text: str, source: str = "") -> list[Phrase]:
    """Every number-bearing phrase of a text, in reading order (see the module docstring)."""
    phrases: list[Phrase] = []
    for number, line in enumerate(lines_of(text), start=1):
        if any(c.isdigit() or c in CHINESE_NUMERALS for c in line):
            phrases.extend(_line_phrases(line, source, number))
    return phrases


# --------------------------------------------------------------------------- the account


class Status(StrEnum):
    """How a phrase is accounted for."""

    record = "record"
    not_a_figure = "not_a_figure"
    uncovered = "uncovered"


STATUS_KEYS = {
    Status.record: N_("coverage.status.record"),
    Status.not_a_figure: N_("coverage.status.not_a_figure"),
    Status.uncovered: N_("coverage.status.uncovered"),
}


@dataclass(frozen=True)
class Accounted:
    """A phrase and what accounts for it."""

    phrase: Phrase
    status: Status
    records: tuple[str, ...] = ()  # ids of the records whose figure it is
    reason: Bilingual | None = None  # the not_figures entry's reason

    def as_dict(self) -> dict:
        """The phrase as one item of the JSON output's "numbers"."""
        p = self.phrase
        return {
            "text": p.text, "source": p.source, "line": p.line, "start": p.start, "end": p.end,
            "kind": p.kind.value, "status": self.status.value, "records": list(self.records),
            "reason": self.reason.model_dump() if self.reason else None,
        }


@dataclass(frozen=True)
class StaleEntry:
    """An entry of `not_figures` that accounts for nothing: an error."""

    index: int  # position in not_figures
    entry: NotFigure
    problem: str

    def __str__(self) -> str:
        e = self.entry
        return f"not_figures.{self.index}: {e.phrase!r} (source {e.source}, line {e.line}): {self.problem}"


@dataclass(frozen=True)
class Account:
    """Every number-bearing phrase of the sources and how it is accounted for."""

    sources: tuple[str, ...]  # ids of the sources that were scanned
    numbers: tuple[Accounted, ...]
    stale: tuple[StaleEntry, ...] = ()
    source_problems: tuple[str, ...] = ()
    _by_line: dict = field(default_factory=dict, repr=False, compare=False)
    asked: tuple[str, ...] = ()  # ids of the sources asked for (scanned or not); () = `sources`

    @property
    def named(self) -> tuple[str, ...]:
        """The sources the account is about: those asked for, else those scanned."""
        return self.asked or self.sources

    @property
    def counts(self) -> dict[Status, int]:
        """Number of phrases per status (every status present, 0 if none)."""
        found = Counter(n.status for n in self.numbers)
        return {status: found.get(status, 0) for status in Status}

    @property
    def uncovered(self) -> list[Accounted]:
        """The phrases nothing accounts for."""
        return [n for n in self.numbers if n.status is Status.uncovered]

    @property
    def ok(self) -> bool:
        """Nothing uncovered, no stale entry, every source file readable and as recorded."""
        return not self.uncovered and not self.stale and not self.source_problems

    def on_line(self, source: str, line: int) -> list[Accounted]:
        """The phrases of one line of a source, in reading order (for the annotated text)."""
        if not self._by_line:
            for number in self.numbers:
                key = (number.phrase.source, number.phrase.line)
                self._by_line.setdefault(key, []).append(number)
        return list(self._by_line.get((source, line), ()))

    def as_json(self) -> dict:
        """The JSON output of `python -m haixi coverage --format json`: the whole account,
        then `by_source`, each source's counts and stale entries."""
        return {
            "sources": list(self.sources),
            "numbers": [n.as_dict() for n in self.numbers],
            "counts": {status.value: n for status, n in self.counts.items()},
            "uncovered": self.counts[Status.uncovered],
            "stale": [str(s) for s in self.stale],
            "source_problems": list(self.source_problems),
            "by_source": [
                {
                    "source": ident,
                    "counts": {status.value: n for status, n in part.counts.items()},
                    "uncovered": part.counts[Status.uncovered],
                    "stale": [str(s) for s in part.stale],
                }
                for ident in self.named
                for part in (of_source(self, ident),)
            ],
        }


def of_source(acc: Account, source: str) -> Account:
    """The part of an account about one source: its phrases and its stale entries."""
    return Account(
        tuple(s for s in acc.sources if s == source),
        tuple(n for n in acc.numbers if n.phrase.source == source),
        tuple(s for s in acc.stale if s.entry.source == source),
        asked=(source,),
    )


@dataclass(frozen=True)
class _Figure:
    record: str
    start: int  # of the quote occurrence, in the text
    end: int
    stated: tuple[tuple[int, int], ...]  # spans of `stated` inside the occurrence
    value: float
    unit: Unit


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at >= 0 and needle:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _figures(base: FactBase, source: str, text: str) -> list[_Figure]:
    """Every place a record's quote with a figure occurs in a source text."""
    figures = []
    for record, _path, quantity, quote in all_quantities(base):
        if quote.source != source:
            continue
        for start in _occurrences(text, quote.quote):
            end = start + len(quote.quote)
            stated = tuple(
                (start + k, start + k + len(quantity.stated))
                for k in _occurrences(quote.quote, quantity.stated)
            )
            figures.append(_Figure(record, start, end, stated, quantity.value, quantity.unit))
    return figures


def _matches(figure: _Figure, start: int, end: int, phrase: Phrase) -> bool:
    if not (figure.start <= start and end <= figure.end):
        return False
    for a, b in figure.stated:
        if (a <= start and end <= b) or (start <= a and b <= end):
            return True
    if phrase.value is None or figure.unit not in phrase.units:
        return False
    return abs(phrase.value - figure.value) <= 1e-9 * max(1.0, abs(figure.value))


def account_texts(base: FactBase, texts: dict[str, str],
                  source_problems: tuple[str, ...] = ()) -> Account:
    """The account of the given source texts (source id -> text) against the fact base."""
    entries: dict[tuple[str, int, str], NotFigure] = {}
    stale: list[StaleEntry] = []
    known = {s.id for s in base.sources}
    for index, entry in enumerate(base.not_figures):
        key = (entry.source, entry.line, entry.phrase)
        if entry.source not in known:
            stale.append(StaleEntry(index, entry, f"unknown source {entry.source!r}"))
        elif key in entries:
            stale.append(StaleEntry(index, entry, "repeats an earlier entry"))
        else:
            entries[key] = entry
    numbers: list[Accounted] = []
    scanned: list[str] = []
    seen: dict[tuple[str, int, str], list[Status]] = {}
    for source in base.sources:
        text = texts.get(source.id)
        if text is None:
            continue
        scanned.append(source.id)
        figures = _figures(base, source.id, text)
        starts, at = [], 0
        for line in text.split("\n"):
            starts.append(at)
            at += len(line) + 1
        for phrase in scan(text, source.id):
            offset = starts[phrase.line - 1]
            start, end = offset + phrase.start, offset + phrase.end
            records = tuple(dict.fromkeys(
                f.record for f in figures if _matches(f, start, end, phrase)
            ))
            key = (source.id, phrase.line, phrase.text)
            entry = entries.get(key)
            if records:
                numbers.append(Accounted(phrase, Status.record, records))
            elif entry is not None:
                numbers.append(Accounted(phrase, Status.not_a_figure, reason=entry.reason))
            else:
                numbers.append(Accounted(phrase, Status.uncovered))
            seen.setdefault(key, []).append(numbers[-1].status)
    for index, entry in enumerate(base.not_figures):
        key = (entry.source, entry.line, entry.phrase)
        if entries.get(key) is not entry or entry.source not in scanned:
            continue  # already stale, or its source could not be read (a source problem)
        statuses = seen.get(key)
        if not statuses:
            stale.append(StaleEntry(index, entry, f"no such number-bearing phrase on line {entry.line}"))
        elif Status.not_a_figure not in statuses:
            stale.append(StaleEntry(index, entry, "every occurrence on that line is a record's figure"))
    stale.sort(key=lambda s: s.index)
    return Account(tuple(scanned), tuple(numbers), tuple(stale), tuple(source_problems))


def account(
    base: FactBase, folder: str | Path, lang: str = "en", source: str | None = None
) -> Account:
    """Read the sources from `folder` and account for every number in them, or in `source`'s
    alone (its phrases, its problems, the stale entries naming it; KeyError if unknown).

    Files that are missing, unreadable, not UTF-8 or have another checksum are listed in
    `source_problems` (in `lang`); a file with another checksum is still scanned.
    """
    texts, problems = read_sources(base, Path(folder))
    if source is None:
        asked = tuple(s.id for s in base.sources)
        return replace(account_texts(base, texts, tuple(p.message(lang) for p in problems)),
                       asked=asked)
    base.source(source)  # KeyError for an unknown id
    texts = {ident: text for ident, text in texts.items() if ident == source}
    mine = tuple(p.message(lang) for p in problems if p.source == source)
    whole = account_texts(base, texts, mine)
    return replace(whole, stale=tuple(s for s in whole.stale if s.entry.source == source),
                   asked=(source,))


# --------------------------------------------------------------------------- renderings


def summary(acc: Account, lang: str) -> str:
    """The account in one line: N numbers in the sources: N from records, N not figures, N uncovered."""
    counts = acc.counts
    return nt(
        "coverage.summary", "coverage.summary.plural", len(acc.numbers), lang,
        total=format_value(len(acc.numbers), Unit.count, lang),
        records=format_value(counts[Status.record], Unit.count, lang),
        not_figures=format_value(counts[Status.not_a_figure], Unit.count, lang),
        uncovered=format_value(counts[Status.uncovered], Unit.count, lang),
    )


def summaries(acc: Account, lang: str) -> list[str]:
    """The account's summary, one line per source, each naming it ("<id>: N numbers ..."), and
    with several sources a last line for them all, naming every one."""
    lines = [f"{ident}: {summary(of_source(acc, ident), lang)}" for ident in acc.named]
    if len(acc.named) > 1:
        lines.append(f"{', '.join(acc.named)}: {summary(acc, lang)}")
    return lines


def status_label(status: Status, lang: str) -> str:
    """The status in the reader's language."""
    return t(STATUS_KEYS[status], lang)


def _what(number: Accounted, lang: str) -> str:
    if number.status is Status.record:
        return ", ".join(number.records)
    if number.status is Status.not_a_figure:
        return pick(number.reason, lang)
    return ""


def _problems(acc: Account) -> list[str]:
    return [*acc.source_problems, *(f"stale entry: {s}" for s in acc.stale)]


def render_text(acc: Account, lang: str = "en") -> str:
    """Plain text: the summary per source, the problems, then one line per phrase (uncovered
    first)."""
    lines = summaries(acc, lang)
    lines += [f"ERROR {problem}" for problem in _problems(acc)]
    ordered = sorted(acc.numbers, key=lambda n: n.status is not Status.uncovered)
    for n in ordered:
        p = n.phrase
        lines.append(f"{p.source}:{p.line}:{p.start + 1}  {p.text}  {n.status.value}"
                     + (f"  {_what(n, lang)}" if _what(n, lang) else ""))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(acc: Account, lang: str = "en") -> str:
    """Markdown: the summary per source, the problems as a list, and a table of every phrase."""
    out = [*(f"**{_cell(line)}**  " for line in summaries(acc, lang)), ""]
    if _problems(acc):
        out += [f"- {_cell(problem)}" for problem in _problems(acc)] + [""]
    out += ["| source | line | phrase | status | records or reason |", "|---|---|---|---|---|"]
    for n in acc.numbers:
        p = n.phrase
        out.append(f"| {p.source} | {p.line} | {_cell(p.text)} | {n.status.value} | "
                   f"{_cell(_what(n, lang))} |")
    return "\n".join(out) + "\n"


def render_json(acc: Account) -> str:
    """JSON, as `Account.as_json`."""
    return json.dumps(acc.as_json(), ensure_ascii=False, indent=2) + "\n"
