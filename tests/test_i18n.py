"""The UI string catalogue: complete in both languages, enum labels, language resolution."""

from __future__ import annotations

import re

import pytest

from haixi import i18n
from haixi.i18n import (
    CATALOGUE,
    CJK,
    DEFAULT_LANG,
    ENUM_PREFIXES,
    LANGS,
    check_lang,
    enum_key,
    enum_label,
    missing_keys,
    pick,
    problems,
    resolve_lang,
    t,
)
from haixi.schema import Bilingual, Stage, Unit


def _code() -> str:
    from haixi.paths import REPO_ROOT

    files = [*REPO_ROOT.glob("haixi/*.py"), *REPO_ROOT.glob("pages/*.py"), REPO_ROOT / "dashboard.py",
             *REPO_ROOT.glob("haixi/templates/**/*.j2")]
    return "".join(p.read_text(encoding="utf-8") for p in files if p.name != "i18n.py")


# Every key the code asks for by name: t("x.y", ...), self.t("x.y"), and "col.x" headers.
USED_KEYS = sorted(
    set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", _code()))
    | set(re.findall(r"""["'](col\.[a-z_]+)["']""", _code()))
)


def test_catalogue_is_complete_and_consistent():
    assert missing_keys() == []
    assert problems() == []


def test_languages():
    assert LANGS == ("zh", "en")
    assert DEFAULT_LANG == "zh"


UNKNOWN_LANG = r"unknown language 'fr'; use one of zh, en"


def test_check_lang_is_the_one_language_check():
    for lang in LANGS:
        assert check_lang(lang) == lang
    for bad in ("fr", "ZH", "", "zh-CN"):
        with pytest.raises(ValueError, match=f"unknown language {bad!r}; use one of zh, en"):
            check_lang(bad)


def test_every_module_that_takes_a_language_uses_check_lang():
    from haixi.diff import diff
    from haixi.formatting import format_value
    from haixi.loader import load
    from haixi.paths import REPO_ROOT
    from haixi.report import build_report

    base = load(REPO_ROOT / "tests" / "fixtures" / "minimal.yaml")
    calls = [
        lambda: format_value(1, Unit.yuan, "fr"),
        lambda: build_report(base, "fr"),
        lambda: diff(base, base).to_text("fr"),
        lambda: t("app.title", "fr"),
        lambda: pick(Bilingual(zh="甲", en="A"), "fr"),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=UNKNOWN_LANG):
            call()


def test_the_scan_finds_the_keys_in_use():
    assert {"app.title", "cite.button", "col.fact_id", "sources.report"} <= set(USED_KEYS)


@pytest.mark.parametrize("key", USED_KEYS)
def test_every_key_the_code_uses_exists(key):
    assert key in CATALOGUE, f"{key} is used in the code but missing from the catalogue"
    for lang in LANGS:
        assert CATALOGUE[key][lang].strip()


def test_no_cjk_in_english():
    for key, entry in CATALOGUE.items():
        assert not CJK.search(entry["en"]), key


def test_page_titles():
    assert t("app.title", "zh") == "海西州2022年经济社会发展仪表板"
    assert t("app.title", "en") == "Haixi Prefecture 2022 dashboard"
    zh = [
        t(f"page.{p}", "zh") for p in "overview economy chains projects livelihood sources".split()
    ]
    assert zh == ["概览", "经济与财政", "产业链", "新能源与项目", "民生", "来源与方法"]


def test_every_enum_member_has_a_distinct_label():
    for enum, prefix in ENUM_PREFIXES.items():
        for lang in LANGS:
            labels = [enum_label(member, lang) for member in enum]
            assert all(labels), enum
            assert len(set(labels)) == len(labels), (enum, lang, labels)
        for member in enum:
            assert enum_key(member) == f"{prefix}.{member.name}"
    assert enum_label(Stage.started, "zh") == "开工"
    assert enum_label(Unit.mw, "en") == "megawatts (MW)"


def test_t_formats_and_reports_clearly():
    assert t("notice.bad_param", "en", name="stage") == "Unknown value for stage; showing all."
    assert "stage" in t("notice.bad_param", "zh", name="stage")
    with pytest.raises(KeyError, match="no.such.key"):
        t("no.such.key", "en")
    with pytest.raises(KeyError, match="name"):
        t("notice.bad_param", "en")
    with pytest.raises(ValueError, match="language"):
        t("app.title", "fr")


def test_pick():
    label = Bilingual(zh="人均GDP", en="Per-capita GDP")
    assert pick(label, "zh") == "人均GDP"
    assert pick(label, "en") == "Per-capita GDP"
    assert pick(None, "en") == ""
    assert pick({"zh": "甲", "en": "A"}, "en") == "A"


def test_enum_key_rejects_other_enums():
    import enum

    class Other(enum.Enum):
        a = "a"

    with pytest.raises(KeyError):
        enum_key(Other.a)


def test_self_check_catches_defects(monkeypatch):
    broken = dict(CATALOGUE)
    broken["test.cjk"] = {"zh": "中文", "en": "English with 中文"}
    broken["test.empty"] = {"zh": "中文", "en": " "}
    broken["test.one_language"] = {"zh": "中文"}
    broken["test.placeholders"] = {"zh": "{a}", "en": "{b}"}
    del broken["stage.built"]
    monkeypatch.setattr(i18n, "CATALOGUE", broken)
    found = "\n".join(problems())
    for key in ("test.cjk", "test.empty", "test.one_language", "test.placeholders", "stage.built"):
        assert key in found
    assert set(missing_keys()) == {"test.empty", "test.one_language", "stage.built"}


@pytest.mark.parametrize(
    ("query", "browser", "expected"),
    [
        ("zh", None, ("zh", None)),
        ("en", None, ("en", None)),
        ("en", "zh-CN", ("en", None)),
        ("zh", "en-US", ("zh", None)),
        ("EN", None, ("en", None)),
        (" Zh ", "en", ("zh", None)),
        ("zh-CN", "en", ("zh", None)),
        ("zh_CN", "en", ("zh", None)),
        ("en-US", "zh", ("en", None)),
        ("zh-Hans-CN", None, ("zh", None)),
        ("zh-TW", "en", ("zh", None)),
        (["en"], None, ("en", None)),
        ([], "en-GB", ("en", None)),
        (None, None, (DEFAULT_LANG, None)),
        (None, "zh-CN", ("zh", None)),
        (None, "zh-TW", ("zh", None)),
        (None, "en-US", ("en", None)),
        (None, "fr-FR", ("en", None)),
        (None, "en-US,en;q=0.9", ("en", None)),
        (None, "zh-CN,zh;q=0.9,en;q=0.8", ("zh", None)),
        (None, "", (DEFAULT_LANG, None)),
        ("fr", "en-US", ("en", "notice.bad_lang")),
        ("fr", "zh-CN", ("zh", "notice.bad_lang")),
        ("fr", None, (DEFAULT_LANG, "notice.bad_lang")),
        ("", "en", ("en", "notice.bad_lang")),
        ("english", "zh", ("zh", "notice.bad_lang")),
        ("zhx", "en", ("en", "notice.bad_lang")),
        ("<script>alert(1)</script>", "en", ("en", "notice.bad_lang")),
        ("zh-" + "a" * 100, "en", ("en", "notice.bad_lang")),
        ("en" * 40, "zh", ("zh", "notice.bad_lang")),
        (["zh", "en"], "en", ("en", "notice.repeated_lang")),
        (["en", "en"], "zh", ("zh", "notice.repeated_lang")),
        ([123], "en", ("en", "notice.bad_lang")),
    ],
)
def test_resolve_lang(query, browser, expected):
    assert resolve_lang(query, browser) == expected


def test_resolve_lang_never_echoes_the_raw_value():
    lang, notice = resolve_lang("<b>evil</b>", None)
    assert lang in LANGS
    for language in LANGS:
        assert "evil" not in t(notice, language)


def test_module_has_no_streamlit():
    assert "streamlit" not in open(i18n.__file__, encoding="utf-8").read()


# Keys built at run time from a prefix and a name: t(f"page.{name}"), "section." + section, ...
DYNAMIC_PREFIXES = ("page.", "qualifier_help.", "section.", "section_one.")


def test_every_catalogue_key_is_used():
    from haixi.paths import REPO_ROOT

    code = _code()
    own = (REPO_ROOT / "haixi" / "i18n.py").read_text(encoding="utf-8")
    prefixes = DYNAMIC_PREFIXES + tuple(f"{p}." for p in ENUM_PREFIXES.values())
    unused = [
        key
        for key in CATALOGUE
        if not key.startswith(prefixes)
        and f'"{key}"' not in code
        and f"'{key}'" not in code
        and own.count(f'"{key}"') < 2
    ]
    assert not unused, f"catalogue keys no code uses (delete them or use them): {unused}"
