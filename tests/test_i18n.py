"""The UI catalogues: in step with the code (Babel's extraction), complete, plurals, languages."""

from __future__ import annotations

import functools
import re
import tokenize

import pytest
from babel.messages.catalog import Catalog, TranslationError
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import write_po

from haixi import i18n
from haixi.i18n import (
    CJK,
    COLUMN_HEADERS,
    DEFAULT_LANG,
    FALLBACK_LANG,
    LANGS,
    VOCABULARIES,
    CatalogueError,
    catalogue_path,
    check_lang,
    enum_key,
    enum_label,
    load_languages,
    nt,
    pick,
    placeholders,
    read_catalogue,
    resolve_lang,
    t,
)
from haixi.paths import REPO_ROOT
from haixi.schema import Bilingual, Stage, Unit

# The language every other is checked against: its placeholders are the ones the code fills.
REFERENCE = "en"
# A language code no catalogue will ever have (ISO 639 leaves "xx" unassigned).
UNKNOWN = "xx"


# --------------------------------------------------------------------------- Babel's view


@functools.cache
def extracted() -> Catalog:
    """Every message the code and the templates use, as `pybabel extract -F babel.cfg` finds
    them (the same mapping, keywords and extractors), as a catalogue."""
    with (REPO_ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    template = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(REPO_ROOT), method_map, options_map
    ):
        template.add(message, None, [(filename, lineno)], context=context)
    return template


@functools.cache
def catalogue(lang: str) -> Catalog:
    return read_catalogue(catalogue_path(lang), lang)


def _id(message) -> str:
    """A message's id; a plural message's singular id."""
    return message.id if isinstance(message.id, str) else message.id[0]


def _where(message) -> str:
    return ", ".join(f"{f}:{n}" for f, n in message.locations) or "?"


def sync_problems(template: Catalog, catalog: Catalog) -> list[str]:
    """How a language's catalogue and the messages the code uses disagree."""
    found = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id)
        if entry is None:
            found.append(f"{_id(message)!r} is used ({_where(message)}) but not in the catalogue")
        elif entry.pluralizable != message.pluralizable or (
            message.pluralizable and entry.id != message.id
        ):
            found.append(
                f"{_id(message)!r}: the code uses {message.id!r}, the catalogue has {entry.id!r}"
            )
    for entry in catalog:
        if entry.id and template.get(entry.id) is None:
            found.append(f"{_id(entry)!r} is in the catalogue but no code uses it")
    return found


def translation_problems(catalog: Catalog) -> list[str]:
    """Fuzzy or untranslated entries, and what Babel's own checkers find (Catalog.check())."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if message.pluralizable else (message.string,)
        if message.fuzzy:
            found.append(f"{_id(message)!r} is fuzzy")
        if not all(form and form.strip() for form in forms):
            found.append(f"{_id(message)!r} is not translated")
    for message, errors in catalog.check():
        found.extend(f"{_id(message)!r}: {error}" for error in errors)
    return found


def placeholders_match(reference: Catalog):
    """A checker in the form of Babel's (babel.messages.checkers): every form of a message has
    the {placeholders} of the reference language's message. Babel's python_format checker
    compares a translation with its msgid, and ours are symbolic ids without placeholders."""

    def checker(catalog: Catalog | None, message) -> None:
        ref = reference.get(message.id)
        if ref is None or not message.string:
            return
        ref_forms = ref.string if ref.pluralizable else (ref.string,)
        forms = message.string if message.pluralizable else (message.string,)
        try:
            expected = placeholders(ref_forms[-1])
            for form in forms:
                if form and placeholders(form) != expected:
                    raise TranslationError(
                        f"placeholders {sorted(placeholders(form))} in {form!r}, "
                        f"{REFERENCE} has {sorted(expected)}"
                    )
        except ValueError as exc:
            raise TranslationError(f"bad placeholder syntax ({exc})") from None

    return checker


def placeholder_problems(catalog: Catalog, reference: Catalog) -> list[str]:
    check = placeholders_match(reference)
    found = []
    for message in catalog:
        if not message.id:
            continue
        try:
            check(catalog, message)
        except TranslationError as exc:
            found.append(f"{_id(message)!r}: {exc}")
    return found


# --------------------------------------------------------------------------- the catalogues


def test_the_extraction_sees_the_code_the_templates_and_the_markers():
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted() if m.id}
    # a t() call, a template's _(), an N_() marker in views.py, a plural nt(), a vocabulary
    assert {"app.title", "report.kind", "page.overview.intro", "count.projects",
            "stage.built", "col.fact_id"} <= ids
    plural = extracted().get("count.projects")
    assert plural.id == ("count.projects", "count.projects.plural")


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogue_holds_exactly_the_messages_the_code_uses(lang):
    problems = sync_problems(extracted(), catalogue(lang))
    assert not problems, (
        f"locale/{lang}/LC_MESSAGES/messages.po and the code disagree; run `make messages`, "
        "then translate the new entries:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_is_translated_and_passes_babels_checks(lang):
    problems = translation_problems(catalogue(lang))
    assert not problems, f"locale/{lang}/LC_MESSAGES/messages.po:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_match_the_reference_language(lang):
    problems = placeholder_problems(catalogue(lang), catalogue(REFERENCE))
    assert not problems, f"locale/{lang}/LC_MESSAGES/messages.po:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms_are_cldrs(lang):
    catalog = catalogue(lang)
    nplurals, expr = get_plural(lang)
    assert (catalog.num_plurals, catalog.plural_expr) == (nplurals, expr), (
        f"locale/{lang}/LC_MESSAGES/messages.po: its Plural-Forms header differs from the CLDR "
        f"rule for {lang} (nplurals={nplurals}; plural={expr})"
    )


def test_the_checks_catch_each_defect():
    template = Catalog(locale="en")
    template.add("a.used", locations=[("haixi/x.py", 1)])
    template.add(("a.count", "a.count.plural"), locations=[("haixi/x.py", 2)])
    template.add("a.new", locations=[("haixi/x.py", 3)])
    reference = Catalog(locale="en")
    reference.add("a.used", "{name} used")
    reference.add(("a.count", "a.count.plural"), ("{n} thing", "{n} things"))
    broken = Catalog(locale="en")
    broken.add("a.used", "{other} used")  # wrong placeholder
    broken.add("a.count", "{n} things")  # not a plural entry
    broken.add("a.gone", "no code uses it")
    broken.add("a.fuzzy", "", flags=["fuzzy"])
    broken.add(("a.short", "a.short.plural"), ("{n} form",))  # English needs two forms
    sync = "\n".join(sync_problems(template, broken))
    assert "'a.new' is used (haixi/x.py:3) but not in the catalogue" in sync
    assert "'a.gone' is in the catalogue but no code uses it" in sync
    assert "'a.count': the code uses ('a.count', 'a.count.plural')" in sync
    translation = "\n".join(translation_problems(broken))
    assert "'a.fuzzy' is fuzzy" in translation
    assert "'a.fuzzy' is not translated" in translation
    assert "'a.short'" in translation  # Babel's num_plurals checker
    assert placeholder_problems(broken, reference) == [
        "'a.used': placeholders ['other'] in '{other} used', en has ['name']"
    ]
    assert placeholder_problems(reference, reference) == []


def test_no_cjk_in_english():
    for message in catalogue("en"):
        forms = message.string if message.pluralizable else (message.string,)
        for form in forms:
            assert not CJK.search(form), message.id


def test_the_catalogues_read_at_start_are_the_files():
    for lang in LANGS:
        for message in catalogue(lang):
            if not message.id:
                continue
            # the first form is the one for 1 in every language of CLDR that has one
            text = message.string[0] if message.pluralizable else message.string
            if not text or message.fuzzy:
                continue  # not used (the English shows); the test above fails on it
            fmt = {name: "X" for name in placeholders(text)}
            if message.pluralizable:
                assert nt(*message.id, 1, lang, **fmt) == text.format(**fmt)
            else:
                assert t(message.id, lang, **fmt) == text.format(**fmt)


# --------------------------------------------------------------------------- the markers


def test_every_vocabulary_member_has_a_distinct_label():
    for enum, labels in VOCABULARIES.items():
        assert set(labels) == {m.name for m in enum}, enum
        for lang in LANGS:
            texts = [enum_label(member, lang) for member in enum]
            assert all(texts), enum
            assert len(set(texts)) == len(texts), (enum, lang, texts)
    assert enum_key(Stage.started) == "stage.started"
    assert enum_label(Stage.started, "zh") == "开工"
    assert enum_label(Unit.mw, "en") == "megawatts (MW)"


def test_every_schema_vocabulary_has_labels():
    from haixi.docs import enums

    assert set(VOCABULARIES) == set(enums())


def test_every_page_has_a_marked_title_and_intro():
    from haixi import views

    # A page's intro may be a plural message (the overview's counts its sources).
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted()}
    for name in views.PAGES:
        assert f"page.{name}" in ids and f"page.{name}.intro" in ids, name
    assert set(views.blocks._PAGE_TITLES) == set(views.PAGES)


def _code_strings() -> set[str]:
    """Every string literal of the package outside i18n.py (Python's tokenizer, not a regex)."""
    strings = set()
    for path in (REPO_ROOT / "haixi").rglob("*.py"):
        if path.name == "i18n.py":
            continue
        with path.open("rb") as f:
            for token in tokenize.tokenize(f.readline):
                if token.type == tokenize.STRING and token.string[:1] in "'\"":
                    strings.add(token.string[1:-1])
    return strings


def test_every_column_header_is_used():
    unused = set(COLUMN_HEADERS) - _code_strings()
    assert not unused, f"haixi/i18n.py COLUMN_HEADERS lists headers no code uses: {sorted(unused)}"


def test_enum_key_rejects_other_enums():
    import enum

    class Other(enum.Enum):
        a = "a"

    with pytest.raises(KeyError):
        enum_key(Other.a)


# --------------------------------------------------------------------------- look-ups


def test_languages_come_from_the_catalogues():
    folders = sorted(p.parent.parent.name for p in (REPO_ROOT / "locale").glob("*/LC_MESSAGES/messages.po"))
    assert LANGS[0] == DEFAULT_LANG == "zh"
    assert sorted(LANGS) == folders
    assert {"zh", "en"} <= set(LANGS)


UNKNOWN_LANG = f"unknown language '{UNKNOWN}'; use one of {', '.join(LANGS)}$"


def test_check_lang_is_the_one_language_check():
    for lang in LANGS:
        assert check_lang(lang) == lang
    for bad in (UNKNOWN, "ZH", "", "zh-CN"):
        message = f"unknown language {bad!r}; use one of {', '.join(LANGS)}$"
        with pytest.raises(ValueError, match=message):
            check_lang(bad)


def test_every_module_that_takes_a_language_uses_check_lang():
    from haixi.diff import diff
    from haixi.formatting import format_value
    from haixi.loader import load
    from haixi.report import build_report

    base = load(REPO_ROOT / "tests" / "fixtures" / "minimal.yaml")
    calls = [
        lambda: format_value(1, Unit.yuan, UNKNOWN),
        lambda: build_report(base, UNKNOWN),
        lambda: diff(base, base).to_text(UNKNOWN),
        lambda: t("app.title", UNKNOWN),
        lambda: nt("count.projects", "count.projects.plural", 1, UNKNOWN),
        lambda: pick(Bilingual(zh="甲", en="A"), UNKNOWN),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=UNKNOWN_LANG):
            call()


def test_page_titles():
    assert t("app.title", "zh", period="2022") == "海西州2022年经济社会发展仪表板"
    assert t("app.title", "en", period="2021-2022") == "Haixi Prefecture 2021-2022 dashboard"
    zh = [
        t(f"page.{p}", "zh") for p in "overview economy chains projects livelihood sources".split()
    ]
    assert zh == ["概览", "经济与财政", "产业链", "新能源与项目", "民生", "来源与方法"]


def test_t_formats_and_reports_clearly():
    assert t("notice.bad_param", "en", name="stage") == "Unknown value for stage; showing all."
    assert "stage" in t("notice.bad_param", "zh", name="stage")
    with pytest.raises(KeyError, match="no.such.key"):
        t("no.such.key", "en")
    with pytest.raises(KeyError, match="name"):
        t("notice.bad_param", "en")
    with pytest.raises(ValueError, match="language"):
        t("app.title", UNKNOWN)


@pytest.mark.parametrize(
    ("n", "en", "zh"),
    [(0, "0 projects", "0个项目"), (1, "1 project", "1个项目"), (2, "2 projects", "2个项目"),
     (21, "21 projects", "21个项目")],
)
def test_nt_follows_cldr_plural_rules(n, en, zh):
    assert nt("count.projects", "count.projects.plural", n, "en") == en
    assert nt("count.projects", "count.projects.plural", n, "zh") == zh


def test_nt_fills_placeholders_and_reports_clearly():
    text = nt("chart.summary.stage", "chart.summary.stage.plural", 1, "en", total="one")
    assert text == "one project by stage"
    with pytest.raises(KeyError, match="no plural UI string 'no.such'"):
        nt("no.such", "no.such.plural", 1, "en")
    with pytest.raises(KeyError, match="total"):
        nt("chart.summary.stage", "chart.summary.stage.plural", 2, "en")
    with pytest.raises(KeyError, match="'count.projects' is a plural message: look it up with nt"):
        t("count.projects", "en", n=2)


def test_pick():
    label = Bilingual(zh="人均GDP", en="Per-capita GDP")
    assert pick(label, "zh") == "人均GDP"
    assert pick(label, "en") == "Per-capita GDP"
    assert pick(None, "en") == ""
    assert pick({"zh": "甲", "en": "A"}, "en") == "A"


# --------------------------------------------------------------------------- a third language


def _write(path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog)


def _locale(tmp_path, extra: dict[str, Catalog]):
    for lang in LANGS:
        _write(catalogue_path(lang, tmp_path), catalogue(lang))
    for lang, catalog in extra.items():
        _write(catalogue_path(lang, tmp_path), catalog)
    return tmp_path


def test_a_third_language_needs_only_its_catalogue(tmp_path):
    polish = Catalog(locale="pl")
    polish.add(("count.projects", "count.projects.plural"), ("{n} projekt", "{n} projekty",
                                                             "{n} projektów"))
    polish.add("app.title", "Panel Haixi 2022")
    languages = load_languages(_locale(tmp_path, {"pl": polish}))
    assert tuple(languages) == (DEFAULT_LANG, *sorted({*LANGS, "pl"} - {DEFAULT_LANG}))
    pl = languages["pl"]
    forms = pl.plurals["count.projects"]
    assert [forms[pl.plural(n)] for n in (1, 3, 5, 22)] == [
        "{n} projekt", "{n} projekty", "{n} projektów", "{n} projekty"]
    assert pl.messages["app.title"] == "Panel Haixi 2022"


def test_untranslated_and_fuzzy_entries_are_not_used(tmp_path):
    english = read_catalogue(catalogue_path("en"), "en")
    english["app.title"].string = ""
    english["app.subtitle"].flags.add("fuzzy")
    languages = load_languages(_locale(tmp_path, {"en": english}))
    assert "app.title" not in languages["en"].messages
    assert "app.subtitle" not in languages["en"].messages
    assert "sidebar.language" in languages["en"].messages


def test_a_broken_catalogue_is_named_with_its_line(tmp_path):
    path = catalogue_path("zh", tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text('msgid "a"\nmsgstr "甲"\n\nnonsense\nmsgid "b"\nmsgstr "乙"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"messages\.po, line 4: .*keyword: 'nonsense'"):
        read_catalogue(path, "zh")


def test_a_missing_or_misnamed_catalogue_is_named(tmp_path):
    _write(catalogue_path("zh", tmp_path), catalogue("zh"))
    with pytest.raises(CatalogueError, match=r"en/LC_MESSAGES/messages\.po: the catalogue is missing"):
        load_languages(tmp_path)
    _write(catalogue_path("en", tmp_path), catalogue("en"))
    _write(catalogue_path("pt_BR", tmp_path), Catalog(locale="pt_BR"))
    with pytest.raises(CatalogueError, match="pt_BR: a catalogue folder is named"):
        load_languages(tmp_path)


def test_a_reader_of_an_uncatalogued_language_gets_the_fallback():
    assert FALLBACK_LANG == "en"
    assert resolve_lang(None, f"{UNKNOWN}-XX") == ("en", None)
    assert resolve_lang(None, "zh-Hant-TW") == ("zh", None)


# --------------------------------------------------------------------------- on screen


def test_english_counts_agree_with_their_number():
    """The chains page once said "New materials · 1 projects, 0 figures"."""
    from haixi import views
    from haixi.loader import load

    base = load(REPO_ROOT / "data" / "facts.yaml")
    page = views.page("chains", base, "en")
    titles = [b.title for s in page.sections for b in s.blocks if isinstance(b, views.Group)]
    one = [x for x in titles if re.search(r"\b1 project\b", x)]
    assert one, titles
    assert not [x for x in titles if re.search(r"\b1 (projects|figures)\b", x)], titles
    assert any(re.search(r"\b0 figures\b", x) for x in titles), titles


def test_docs_say_how_to_manage_the_strings():
    guide = (REPO_ROOT / "docs" / "curating.md").read_text(encoding="utf-8")
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nmessages:" in makefile
    for needle in ("make messages", "locale/<lang>/LC_MESSAGES/messages.po", "nt(", "N_(",
                   "babel.cfg", "pybabel init"):
        assert needle in guide, needle


# --------------------------------------------------------------------------- languages


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
        (None, f"{UNKNOWN}-XX", ("en", None)),
        (None, "en-US,en;q=0.9", ("en", None)),
        (None, "zh-CN,zh;q=0.9,en;q=0.8", ("zh", None)),
        (None, "", (DEFAULT_LANG, None)),
        (UNKNOWN, "en-US", ("en", "notice.bad_lang")),
        (UNKNOWN, "zh-CN", ("zh", "notice.bad_lang")),
        (UNKNOWN, None, (DEFAULT_LANG, "notice.bad_lang")),
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


def test_the_report_environment_uses_jinja2s_i18n_extension():
    from jinja2.ext import InternationalizationExtension

    from haixi.report import _environment

    assert any(isinstance(e, InternationalizationExtension)
               for e in _environment().extensions.values())
