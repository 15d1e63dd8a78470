"""The account of every number: the scanner's rules, the matching rule, stale entries, bad input, CLI."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from haixi import coverage
from haixi.cli import main
from haixi.coverage import (
    ARABIC_UNITS,
    CHINESE_COUNTERS,
    CHINESE_NUMERALS,
    Kind,
    Status,
    account,
    account_texts,
    lines_of,
    scan,
)
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS, DEFAULT_SOURCES
from haixi.provenance import check
from haixi.schema import FactBase, NotFigure, all_quantities
from haixi.sources import source_problems
from tests.multi import MULTI, MULTI_SOURCES

SOURCE = "qaidam-new-era-2022"
TEXT = (DEFAULT_SOURCES / "qaidam-new-era-2022.txt").read_text(encoding="utf-8")
MINIMAL = Path(__file__).parent / "fixtures" / "minimal.yaml"


@pytest.fixture(scope="module")
def base() -> FactBase:
    return load(DEFAULT_FACTS)


@pytest.fixture(scope="module")
def real(base) -> coverage.Account:
    return account(base, DEFAULT_SOURCES)


def texts_of(text: str) -> list[str]:
    return [p.text for p in scan(text)]


# --------------------------------------------------------------------------- scanner: examples

POSITIVE = [
    ("人均GDP达到17万元", ["17万元"]),
    ("补助资金6.21亿元", ["6.21亿元"]),
    ("完成年度任务的101.3%、106.4%", ["101.3%", "106.4%"]),
    ("中车10GW风电光伏装备制造", ["10GW"]),
    ("聚之源二期4000吨六氟磷酸锂", ["二期", "4000吨"]),
    ("2022年,面对疫情", ["2022年"]),
    ("全州基本医疗保险参保41.3万人", ["41.3万人"]),
    ("金海锂电1000吨氯化锂和1万吨吨级碳酸锂", ["1000吨", "1万吨"]),
    ("装机1000万千瓦级", ["1000万千瓦级"]),
    ("由州级领导分别领衔“十二条”产业链", ["十二条"]),
    ("四大战略性新兴产业", ["四大"]),
    ("地方一般公共预算收入首次突破百亿元", ["百亿元"]),
    ("规上工业总产值历史性迈上千亿元台阶", ["千亿元"]),
    ("正在建设国家百万千瓦级光伏领跑者基地", ["百万千瓦级"]),
    ("全球第六座并网发电的塔式太阳能光热发电站", ["第六座"]),
    ("组织开展助企纾困稳就业保就业十项行动", ["十项"]),
    ("严格落实“2411”防返贫动态监测和帮扶机制", ["2411"]),
    ("制定“1+7”系列政策文件,明确“1+3+8”发展思路", ["1+7", "1+3+8"]),
    ("率先在“三区三州”实现全域整体脱贫", ["三区三州"]),
    ("在“一优两高”战略引领下", ["一优两高"]),
    ("做好“一老一小”工作", ["一老一小"]),
    ("党的二十大精神和省第十四次党代会部署", ["二十大", "第十四次"]),
    ("50兆瓦塔式光热发电站一期工程", ["50兆瓦", "一期"]),
    ("成为我国第一个获批上网电价的电站", ["第一个"]),
    ("过去十年", ["十年"]),
    ("三级医院对口帮扶二级医院", ["三级", "二级"]),
    ("全角数字１２３４５吨", ["１２３４５吨"]),
    ("实施项目196个,打造示范点17个", ["196个", "17个"]),
    ("年产三十万吨", ["三十万吨"]),
    ("建成5G基站", ["5"]),
]

NEGATIVE = [
    "一批集中开工项目", "一件件民生实事接连落地", "一项项民生新政", "一幅幅民生愿景",
    "一串串扎实脚印", "一组组暖心画面", "城乡一体化示范点", "统一", "唯一", "一大批新兴产业",
    "新一轮产业升级", "一系列政策措施", "新的一年", "焕发出万千气象", "千里戈壁", "一流营商环境",
    "大数据产业链实现零的突破", "全国首座并网发电", "“双过半”", "“专精特新”", "一路铿锵前行",
    "“互联网+医疗健康”", "人均GDP",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE, ids=[t for t, _ in POSITIVE])
def test_the_scanner_finds(text, expected):
    assert texts_of(text) == expected


@pytest.mark.parametrize("text", NEGATIVE)
def test_the_scanner_does_not_report_words_that_are_no_numbers(text):
    assert texts_of(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("17万元", 170000), ("6.21亿元", 621000000), ("101.3%", 101.3), ("10GW", 10000),
     ("50兆瓦", 50), ("1000万千瓦", 10000), ("41.3万人", 413000), ("4000吨", 4000),
     ("百亿元", 1e10), ("千亿元", 1e11), ("百万千瓦级", 1000), ("第六座", 6), ("十二条", 12),
     ("十项", 10), ("196个", 196), ("二十大", 20)],
)
def test_phrase_values_in_base_units(text, value):
    (phrase,) = scan(text)
    assert phrase.value == pytest.approx(value)


@pytest.mark.parametrize("text", ["2022年", "十年", "一期", "“2411”", "“1+7”", "三级"])
def test_years_phases_grades_and_names_have_no_value(text):
    (phrase,) = scan(text)
    assert phrase.value is None


def test_kinds_lines_and_offsets():
    phrases = scan("标题\n\n人均GDP达到17万元,“三区三州”\r\n第六座", "s")
    assert [(p.text, p.kind, p.line, p.start, p.end) for p in phrases] == [
        ("17万元", Kind.arabic, 3, 7, 11),
        ("三区三州", Kind.name, 3, 13, 17),
        ("第六座", Kind.chinese, 4, 0, 3),
    ]
    assert {p.source for p in phrases} == {"s"}


def test_every_phrase_of_the_real_source_is_where_it_says():
    lines = lines_of(TEXT)
    phrases = scan(TEXT, SOURCE)
    assert len(phrases) > 40
    for p in phrases:
        assert lines[p.line - 1][p.start:p.end] == p.text


def test_every_arabic_digit_of_the_real_source_is_in_a_phrase():
    lines = lines_of(TEXT)
    covered = {(p.line, i) for p in scan(TEXT) for i in range(p.start, p.end)}
    loose = [(n, i, line[i]) for n, line in enumerate(lines, 1)
             for i in range(len(line)) if line[i].isdigit() and (n, i) not in covered]
    assert loose == []


# --------------------------------------------------------------------------- scanner: properties

_UNIT_CHARS = set("".join(ARABIC_UNITS + CHINESE_COUNTERS))
# CJK characters of the real source that can neither start nor end a phrase.
FILLER_CHARS = sorted(
    {c for c in TEXT if "\u4e00" <= c <= "\u9fff"}
    - set(CHINESE_NUMERALS) - _UNIT_CHARS - set("第")
)
FILLER_WORDS = [w for w in NEGATIVE if not w.startswith("“")]
filler = st.text(alphabet=st.sampled_from(FILLER_CHARS), max_size=30)
UNITS = [u for u in ARABIC_UNITS if not u.isascii() or u in ("%", "GW", "MW")]


@settings(max_examples=200, deadline=None)
@given(
    before=st.lists(filler, max_size=4),
    left=filler,
    right=filler,
    after=st.lists(filler, max_size=4),
    integer=st.integers(min_value=0, max_value=10**7),
    decimals=st.one_of(st.just(""), st.from_regex(r"\.[0-9]{1,3}", fullmatch=True)),
    magnitude=st.sampled_from(["", "万", "亿"]),
    unit=st.sampled_from(UNITS),
)
def test_any_arabic_figure_in_filler_is_found_where_it_is(
    before, left, right, after, integer, decimals, magnitude, unit
):
    if unit[0] in "万亿":
        magnitude = ""
    figure = f"{integer}{decimals}{magnitude}{unit}"
    text = "\n".join([*before, left + figure + right, *after])
    (phrase,) = scan(text)
    assert (phrase.text, phrase.line, phrase.start, phrase.end) == (
        figure, len(before) + 1, len(left), len(left) + len(figure)
    )
    assert phrase.kind is Kind.arabic


def to_chinese(n: int) -> str:
    """A Chinese numeral for 1 <= n < 10^8, written the usual way (105 → 一百零五, 12 → 十二)."""
    digits = "零一二三四五六七八九"

    def below_10k(m: int) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = m // value % 10
            if d:
                out += ("零" if zero and out else "") + digits[d] + unit
                zero = False
            else:
                zero = True
        return out

    high, low = divmod(n, 10_000)
    text = (below_10k(high) + "万" if high else "") + (
        ("零" if high and low < 1000 and low else "") + below_10k(low)
    )
    return text[1:] if text.startswith("一十") else text


@settings(max_examples=200, deadline=None)
@given(
    left=filler, right=filler,
    n=st.integers(min_value=2, max_value=10**8 - 1),
    counter=st.sampled_from(["条", "项", "个", "座", "次", "家"]),
)
def test_any_chinese_numeral_with_a_counter_is_found_with_its_value(left, right, n, counter):
    figure = to_chinese(n) + counter
    (phrase,) = scan(left + figure + right)
    assert (phrase.text, phrase.start, phrase.value) == (figure, len(left), n)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(FILLER_WORDS), filler), max_size=8), filler)
def test_filler_words_are_never_reported(pieces, head):
    # Each word is followed by at least one filler character, so words do not run together.
    text = head + "".join(word + (rest or FILLER_CHARS[0]) for word, rest in pieces)
    assert scan(text) == []


# --------------------------------------------------------------------------- the matching rule


def _base_with(facts: list[dict], not_figures: list[dict] = ()) -> FactBase:
    """The minimal fact base with these facts (and no projects), not validated."""
    minimal = load(MINIMAL)
    template = minimal.facts[0]
    made = []
    for i, f in enumerate(facts):
        quantity = template.quantity.model_copy(
            update={"value": f["value"], "unit": f["unit"], "stated": f["stated"]})
        source = template.source.model_copy(update={"quote": f["quote"]})
        made.append(template.model_copy(
            update={"id": f"fact-{i}", "quantity": quantity, "source": source}))
    return minimal.model_copy(update={
        "facts": made, "projects": [],
        "not_figures": [NotFigure(source=SOURCE, **nf) for nf in not_figures],
    })


def _statuses(facts, text, not_figures=()):
    result = account_texts(_base_with(facts, not_figures), {SOURCE: text})
    return [(n.phrase.text, n.status.value, n.records) for n in result.numbers], result


def test_a_phrase_equal_to_the_stated_figure_in_the_quote_is_the_records():
    numbers, _ = _statuses([dict(value=170000, unit="yuan", stated="17万元",
                                 quote="人均GDP达到17万元")], "人均GDP达到17万元")
    assert numbers == [("17万元", "record", ("fact-0",))]


def test_a_phrase_inside_the_stated_figure_and_a_stated_figure_inside_the_phrase():
    numbers, _ = _statuses(
        [dict(value=10000, unit="t_per_year", stated="1万吨吨级", quote="1万吨吨级碳酸锂"),
         dict(value=10000, unit="MW", stated="1000万千瓦", quote="装机1000万千瓦级")],
        "1万吨吨级碳酸锂,装机1000万千瓦级")
    assert numbers == [("1万吨", "record", ("fact-0",)), ("1000万千瓦级", "record", ("fact-1",))]


def test_a_phrase_matches_by_value_in_the_records_unit():
    numbers, _ = _statuses([dict(value=10000, unit="MW", stated="10GW",
                                 quote="装机10GW(即1000万千瓦)")], "装机10GW(即1000万千瓦)")
    assert numbers == [("10GW", "record", ("fact-0",)), ("1000万千瓦", "record", ("fact-0",))]


def test_a_value_in_another_unit_does_not_match():
    numbers, _ = _statuses([dict(value=1000, unit="MW", stated="1000兆瓦",
                                 quote="1000吨和1000兆瓦")], "1000吨和1000兆瓦")
    assert numbers == [("1000吨", "uncovered", ()), ("1000兆瓦", "record", ("fact-0",))]


def test_two_figures_of_one_quote_each_match_their_own_record_by_place():
    quote = "分别完成年度任务的101.3%、106.4%"
    numbers, _ = _statuses(
        [dict(value=101.3, unit="percent", stated="101.3%", quote=quote),
         dict(value=106.4, unit="percent", stated="106.4%", quote=quote)], quote)
    assert numbers == [("101.3%", "record", ("fact-0",)), ("106.4%", "record", ("fact-1",))]


def test_the_same_figure_outside_the_quote_is_not_the_records():
    numbers, result = _statuses([dict(value=170000, unit="yuan", stated="17万元",
                                      quote="人均GDP达到17万元")], "人均GDP达到17万元。另有17万元。")
    assert numbers == [("17万元", "record", ("fact-0",)), ("17万元", "uncovered", ())]
    assert not result.ok


def test_a_not_figures_entry_covers_its_phrase_on_its_line_only():
    text = "2022年,开局\n2022年,收官"
    numbers, result = _statuses([], text, [dict(phrase="2022年", line=1,
                                                reason={"zh": "年份", "en": "A year"})])
    assert numbers == [("2022年", "not_a_figure", ()), ("2022年", "uncovered", ())]
    assert result.numbers[0].reason.en == "A year"
    assert result.counts == {Status.record: 0, Status.not_a_figure: 1, Status.uncovered: 1}


# --------------------------------------------------------------------------- the real fact base


def test_the_real_fact_base_accounts_for_every_number(real, base):
    assert real.source_problems == () and real.stale == ()
    assert real.counts[Status.uncovered] == 0, [str(n) for n in real.uncovered]
    assert real.ok
    assert sum(real.counts.values()) == len(real.numbers) == len(scan(TEXT))
    records = {n.records for n in real.numbers if n.status is Status.record}
    ids = {ident for ident, *_ in all_quantities(base)}
    assert set().union(*records) == ids, "every figure of the fact base covers a number"


def test_a_reason_of_every_not_figures_entry_is_shown(real, base):
    reasons = {n.reason for n in real.numbers if n.status is Status.not_a_figure}
    assert reasons == {e.reason for e in base.not_figures}


def test_on_line_gives_the_phrases_of_one_line_in_order(real):
    line = real.on_line(SOURCE, 39)
    assert [n.phrase.text for n in line][:4] == ["2411", "2022年", "6.21亿元", "196个"]
    assert all(n.phrase.line == 39 for n in line)
    assert real.on_line(SOURCE, 1) == [] and real.on_line("nowhere", 39) == []


def test_summary_line_in_both_languages(real):
    counts = real.counts
    assert coverage.summary(real, "en") == (
        f"{len(real.numbers)} numbers in the sources: {counts[Status.record]} from records, "
        f"{counts[Status.not_a_figure]} not figures, 0 uncovered")
    assert coverage.summary(real, "zh").startswith(f"原文中共有{len(real.numbers)}个数字")
    assert coverage.status_label(Status.uncovered, "zh") == "未覆盖"


def _figures() -> list[tuple[str, str, str]]:
    """(record id, path, stated) of every figure: each fact, each project output's capacity."""
    return [(ident, path, q.stated) for ident, path, q, _ in all_quantities(load(DEFAULT_FACTS))]


def _without(path: str, ident: str, where: Path) -> Path:
    """A copy of data/facts.yaml without one figure's record (a fact, or an output's capacity)."""
    data = yaml.safe_load(DEFAULT_FACTS.read_text(encoding="utf-8"))
    if path == "quantity":
        data["facts"] = [f for f in data["facts"] if f["id"] != ident]
        # A display entry may not name a measure the file lacks: drop the ones naming it.
        display = data.get("display", {})
        for group in ("charts", "highlights"):
            entries = display.get(group, {})
            for name in [n for n, v in entries.items()
                         if v == ident or (isinstance(v, dict) and ident in v.values())]:
                del entries[name]
        if display.get("chain_count") == ident:
            del display["chain_count"]
    else:
        index = int(path.split(".")[1])
        project = next(p for p in data["projects"] if p["id"] == ident)
        del project["outputs"][index]["capacity"]
    out = where / "facts.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


@pytest.mark.parametrize(("ident", "path", "stated"), _figures(), ids=lambda v: v)
def test_removing_a_figures_record_leaves_its_number_uncovered(
    ident, path, stated, real, tmp_path, capsys
):
    covered = [n for n in real.numbers if ident in n.records
               and (n.phrase.text in stated or stated in n.phrase.text)]
    assert covered, f"{ident} ({path}, {stated}) covers no number of the source"
    facts = _without(path, ident, tmp_path)
    status = main(["coverage", str(facts), "--sources", str(DEFAULT_SOURCES)])
    err = capsys.readouterr().err
    after = {n.phrase: n for n in account(load(facts), DEFAULT_SOURCES).numbers}
    sole = [n for n in covered if n.records == (ident,)]
    assert status == (1 if sole else 0), err
    for number in sole:
        assert f"{number.phrase.text} ({SOURCE}, line {number.phrase.line})" in err
        assert after[number.phrase].status is Status.uncovered
    for number in covered:  # a figure that another record states too stays covered
        if number not in sole:
            assert after[number.phrase].status is Status.record
            assert ident not in after[number.phrase].records or path != "quantity"


def test_every_figure_but_the_shared_one_is_its_records_alone(real):
    shared = [(n.phrase.text, n.records) for n in real.numbers if len(n.records) > 1]
    assert shared == [("50兆瓦", ("csp-delingha-capacity", "supcon-delingha-csp"))]


def test_removing_both_records_of_a_shared_figure_leaves_it_uncovered(tmp_path, capsys):
    data = yaml.safe_load(DEFAULT_FACTS.read_text(encoding="utf-8"))
    data["facts"] = [f for f in data["facts"] if f["id"] != "csp-delingha-capacity"]
    plant = next(p for p in data["projects"] if p["id"] == "supcon-delingha-csp")
    del plant["outputs"][0]["capacity"]
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["coverage", str(facts), "--sources", str(DEFAULT_SOURCES)]) == 1
    assert f"50兆瓦 ({SOURCE}, line 35)" in capsys.readouterr().err


# --------------------------------------------------------------------------- stale entries


def _with_not_figures(tmp_path: Path, *entries: dict) -> Path:
    text = DEFAULT_FACTS.read_text(encoding="utf-8")
    for entry in entries:
        text += "  - " + json.dumps(entry, ensure_ascii=False) + "\n"
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


REASON = {"zh": "测试", "en": "A test"}


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"phrase": "2022年", "source": SOURCE, "line": 45}, "no such number-bearing phrase on line 45"),
        ({"phrase": "一批", "source": SOURCE, "line": 31}, "no such number-bearing phrase on line 31"),
        ({"phrase": "17万元", "source": SOURCE, "line": 5}, "every occurrence on that line is a record's figure"),
        ({"phrase": "2022年", "source": SOURCE, "line": 5}, "repeats an earlier entry"),
        ({"phrase": "2022年", "source": "elsewhere", "line": 5}, "unknown source 'elsewhere'"),
    ],
    ids=["wrong-line", "not-a-phrase", "already-a-record", "duplicate", "unknown-source"],
)
def test_a_stale_not_figures_entry_is_an_error(tmp_path, capsys, entry, problem):
    facts = _with_not_figures(tmp_path, {**entry, "reason": REASON})
    assert main(["coverage", str(facts)]) == 1
    err = capsys.readouterr().err
    assert "stale entry: not_figures." in err and problem in err and entry["phrase"] in err
    assert main(["validate", str(facts)]) == 1  # validate reports it too
    assert problem in capsys.readouterr().err


def test_the_real_not_figures_pass_validate(base):
    assert check(base, DEFAULT_SOURCES).ok


# --------------------------------------------------------------------------- bad source files


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of data/sources to break."""
    copy = tmp_path / "sources"
    shutil.copytree(DEFAULT_SOURCES, copy)
    return copy


def _break(folder: Path, how: str) -> None:
    path = folder / "qaidam-new-era-2022.txt"
    if how == "missing":
        path.unlink()
    elif how == "not-utf8":
        path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    else:
        path.write_bytes(path.read_bytes().replace("17万元".encode(), "18万元".encode()))


BAD = [("missing", "is missing", "找不到文件"), ("not-utf8", "is not UTF-8", "不是UTF-8编码"),
       ("checksum", "has sha256", "SHA-256为")]


@pytest.mark.parametrize(("how", "en", "zh"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_source_file_is_a_clear_error_naming_it(base, folder, capsys, how, en, zh):
    _break(folder, how)
    name = str(folder / "qaidam-new-era-2022.txt")
    for command in ("coverage", "validate"):
        assert main([command, str(DEFAULT_FACTS), "--sources", str(folder)]) == 1
        err = capsys.readouterr().err
        assert en in err and name in err and "Traceback" not in err, (command, err)
    problems = source_problems(base, folder)
    # Re-encoded text has another checksum too: both are said.
    assert len(problems) == (2 if how == "not-utf8" else 1), problems
    assert any(en in p and name in p and SOURCE in p for p in problems), problems
    assert any(zh in p and name in p for p in source_problems(base, folder, "zh"))
    assert account(base, folder).source_problems == tuple(problems)


def test_a_changed_source_is_still_scanned_and_its_changed_figure_uncovered(base, folder):
    _break(folder, "checksum")
    result = account(base, folder)
    assert not result.ok and result.sources == (SOURCE,)
    assert [n.phrase.text for n in result.uncovered] == ["18万元"]


def test_no_source_problems_for_the_shipped_sources(base):
    assert source_problems(base, DEFAULT_SOURCES) == []
    assert source_problems(base, DEFAULT_SOURCES, "zh") == []


# --------------------------------------------------------------------------- command line


def test_cli_text(capsys, real):
    assert main(["coverage"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == f"{SOURCE}: {coverage.summary(real, 'en')}" and err == ""
    assert f"{SOURCE}:5:97  17万元  record  per-capita-gdp" in out
    assert re.search(rf"{SOURCE}:39:\d+  2411  not_a_figure  Name of a mechanism", out)
    assert len(out.splitlines()) == 1 + len(real.numbers)


def test_cli_markdown_in_chinese(capsys, real):
    assert main(["coverage", "--format", "markdown", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"**{SOURCE}: {coverage.summary(real, 'zh')}**")
    assert f"| {SOURCE} | 5 | 17万元 | record | per-capita-gdp |" in out
    assert sum(line.startswith(f"| {SOURCE} |") for line in out.splitlines()) == len(real.numbers)


def test_cli_json(capsys, real):
    assert main(["coverage", str(DEFAULT_FACTS), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sources"] == [SOURCE] and data["uncovered"] == 0
    assert len(data["numbers"]) == len(real.numbers)
    first = data["numbers"][1]
    assert {k: first[k] for k in ("text", "source", "line", "status", "records", "reason")} == {
        "text": "17万元", "source": SOURCE, "line": 5, "status": "record",
        "records": ["per-capita-gdp"], "reason": None}
    reasons = [n["reason"] for n in data["numbers"] if n["status"] == "not_a_figure"]
    assert reasons and all(set(r) == {"zh", "en"} for r in reasons)


def test_cli_json_when_something_is_uncovered(tmp_path, capsys):
    facts = _without("quantity", "per-capita-gdp", tmp_path)
    assert main(["coverage", str(facts), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["uncovered"] == 1
    assert [n["text"] for n in data["numbers"] if n["status"] == "uncovered"] == ["17万元"]


@pytest.mark.parametrize("args", [["--format", "yaml"], ["--lang", "fr"], ["a.yaml", "b.yaml"]])
def test_cli_usage_errors(args, capsys):
    assert main(["coverage", *args]) == 2
    assert "usage" in capsys.readouterr().err


def test_cli_on_an_invalid_fact_file(tmp_path, capsys):
    facts = tmp_path / "facts.yaml"
    facts.write_text("meta: [", encoding="utf-8")
    assert main(["coverage", str(facts)]) == 1
    err = capsys.readouterr().err
    assert str(facts) in err and "Traceback" not in err


# --------------------------------------------------------------------------- per source


MULTI_IDS = ("haixi-news-2022", "haixi-communique-2022", "haixi-report-2021")
REPORT_2021 = "haixi-report-2021"


def _multi_with_years_explained(tmp_path: Path) -> Path:
    """The multi fixture with the 2021 report's two years explained in not_figures, and one
    stale entry naming the newspaper."""
    entries = "".join(
        f"  - {{phrase: 2021年, source: {REPORT_2021}, line: {line}, "
        "reason: {zh: 年份, en: A year}}\n"
        for line in (2, 3)
    ) + "  - {phrase: 1999年, source: haixi-news-2022, line: 3, reason: {zh: 无, en: None}}\n"
    text = MULTI.read_text(encoding="utf-8").replace("display:\n", "not_figures:\n" + entries
                                                     + "display:\n", 1)
    facts = tmp_path / "facts.yaml"
    facts.write_text(text, encoding="utf-8")
    return facts


def test_cli_summarises_each_source_of_the_fixture_on_its_own_line(capsys):
    assert main(["coverage", str(MULTI), "--sources", str(MULTI_SOURCES)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[:4] == [
        "haixi-news-2022: 3 numbers in the sources: 2 from records, 0 not figures, 1 uncovered",
        "haixi-communique-2022: 6 numbers in the sources: 2 from records, 0 not figures, "
        "4 uncovered",
        "haixi-report-2021: 3 numbers in the sources: 1 from records, 0 not figures, "
        "2 uncovered",
        f"{', '.join(MULTI_IDS)}: 12 numbers in the sources: 5 from records, 0 not figures, "
        "7 uncovered",
    ]
    assert len(lines) == 4 + 12
    assert all(line.startswith(MULTI_IDS) for line in lines)  # every line names its source
    assert "15.2万元 (haixi-communique-2022" not in err
    assert "2021年 (haixi-report-2021, line 3)" in err and "Traceback" not in err


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_cli_source_accounts_for_that_source_alone(capsys, lang):
    argv = ["coverage", str(MULTI), "--sources", str(MULTI_SOURCES), "--source", REPORT_2021]
    assert main([*argv, "--lang", lang]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    whole = account(load(MULTI), MULTI_SOURCES, lang, REPORT_2021)
    assert lines[0] == f"{REPORT_2021}: {coverage.summary(whole, lang)}"
    assert len(whole.numbers) == 3 and whole.sources == (REPORT_2021,)
    assert len(lines) == 1 + 3
    assert all(line.startswith(f"{REPORT_2021}:") for line in lines)
    assert f"{REPORT_2021}:3:16  15.2万元  record  per-capita-gdp-2021" in lines
    assert "haixi-news-2022" not in out + err and "haixi-communique-2022" not in out + err


def test_one_source_can_pass_while_another_fails(tmp_path, capsys):
    facts = _multi_with_years_explained(tmp_path)
    base = ["coverage", str(facts), "--sources", str(MULTI_SOURCES)]
    assert main([*base, "--source", REPORT_2021]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == (
        f"{REPORT_2021}: 3 numbers in the sources: 1 from records, 2 not figures, 0 uncovered"
    )
    assert err == ""
    assert main([*base, "--source", "haixi-news-2022"]) == 1  # its stale entry and a year
    out, err = capsys.readouterr()
    assert "stale entry: not_figures.2: '1999年' (source haixi-news-2022, line 3)" in err
    assert REPORT_2021 not in out + err
    assert main(base) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[2] == (
        f"{REPORT_2021}: 3 numbers in the sources: 1 from records, 2 not figures, 0 uncovered"
    )


def test_cli_json_and_markdown_per_source(tmp_path, capsys):
    facts = _multi_with_years_explained(tmp_path)
    assert main(["coverage", str(facts), "--sources", str(MULTI_SOURCES), "--format",
                 "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["sources"] == list(MULTI_IDS)
    assert [(s["source"], s["uncovered"], len(s["stale"])) for s in data["by_source"]] == [
        ("haixi-news-2022", 1, 1), ("haixi-communique-2022", 4, 0), (REPORT_2021, 0, 0)
    ]
    assert data["by_source"][2]["counts"] == {"record": 1, "not_a_figure": 2, "uncovered": 0}
    assert main(["coverage", str(facts), "--sources", str(MULTI_SOURCES), "--format", "json",
                 "--source", REPORT_2021]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sources"] == [REPORT_2021] and data["stale"] == []
    assert {n["source"] for n in data["numbers"]} == {REPORT_2021}
    assert main(["coverage", str(MULTI), "--sources", str(MULTI_SOURCES), "--format",
                 "markdown"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out[:4]] == [f"**{i}" for i in MULTI_IDS] + [
        "**haixi-news-2022, haixi-communique-2022, haixi-report-2021"
    ]


@pytest.mark.parametrize("ident", ["no-such-source", "qaidam-new-era-2022"])
def test_cli_unknown_source_is_a_usage_error(capsys, ident):
    assert main(["coverage", str(MULTI), "--sources", str(MULTI_SOURCES),
                 "--source", ident]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"unknown source {ident!r}" in err and str(MULTI) in err
    assert ", ".join(MULTI_IDS) in err and "Traceback" not in err
    with pytest.raises(KeyError):
        account(load(MULTI), MULTI_SOURCES, "en", ident)


def test_a_missing_source_file_is_named_for_that_source(tmp_path, capsys):
    folder = tmp_path / "sources"
    shutil.copytree(MULTI_SOURCES, folder)
    (folder / "haixi-report-2021.txt").unlink()
    assert main(["coverage", str(MULTI), "--sources", str(folder), "--source", REPORT_2021]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith(f"{REPORT_2021}: 0 numbers")
    assert all(REPORT_2021 in line for line in out.splitlines())
    assert main(["coverage", str(MULTI), "--sources", str(folder), "--source",
                 "haixi-news-2022"]) == 1  # its own uncovered year, not the missing file
    out, err = capsys.readouterr()
    assert REPORT_2021 not in out + err
