"""UI strings from the gettext catalogues in locale/ (read with Babel), and language resolution."""

# Every UI string lives in locale/<lang>/LC_MESSAGES/messages.po, one catalogue per language;
# `make messages` extracts the messages from the code and the templates (babel.cfg) and merges
# them into every catalogue; tests/test_i18n.py checks the catalogues with Babel's own tools.
#
# Message ids are symbolic ("app.title"), not English sentences: the call sites stay stable
# when a wording changes (several people edit the pages at once), Chinese and English are both
# translations of the id, neither the other's source, and an id names where a string is used.
# English is the reference a new language is translated from (docs/curating.md).
#
# The catalogues are read from the .po files at import, with Babel's own parser, and turned
# into one dict per language: nothing is compiled, so what is committed is what runs, on
# Streamlit Community Cloud too (it builds nothing), and no .mo file can lag behind its .po.
# Reading both catalogues costs about 20-25 ms once per process (docs/curating.md, "UI strings
# and languages"); t() is then a dict look-up.

from __future__ import annotations

import gettext
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from haixi.schema import (
    Area,
    Basis,
    Bilingual,
    ErratumKind,
    ProgrammeKind,
    Qualifier,
    SourceKind,
    Stage,
    Topic,
    Unit,
)

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"

# The language of a reader whose browser asks for none, and of one whose browser asks for a
# language without a catalogue (most readers who do not read Chinese read English).
DEFAULT_LANG = "zh"
FALLBACK_LANG = "en"

# Longest ?lang= value considered at all (a BCP 47 tag such as "zh-Hans-CN" is far shorter).
MAX_LANG_PARAM = 35

# Characters that must not appear in English strings: CJK ideographs, CJK punctuation,
# full-width forms.
CJK = re.compile("[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")

# A catalogue folder's name: an ISO 639 language code, lower case.
_LANG_CODE = re.compile(r"^[a-z]{2,3}$")


def N_(msgid: str) -> str:
    """Marks an id for extraction (pybabel) where the look-up itself cannot be seen: returns it."""
    return msgid


# Every vocabulary member's label, by vocabulary and member name (the vocabularies are StrEnums,
# so members of two of them can be equal: the class is part of the key).
VOCABULARIES: dict[type[Enum], dict[str, str]] = {
    Unit: {
        "yuan": N_("unit.yuan"),
        "percent": N_("unit.percent"),
        "persons": N_("unit.persons"),
        "count": N_("unit.count"),
        "rank": N_("unit.rank"),
        "t_per_year": N_("unit.t_per_year"),
        "mw": N_("unit.mw"),
        "mw_per_year": N_("unit.mw_per_year"),
    },
    Qualifier: {
        "exact": N_("qualifier.exact"),
        "at_least": N_("qualifier.at_least"),
        "more_than": N_("qualifier.more_than"),
        "nearly": N_("qualifier.nearly"),
        "approximate": N_("qualifier.approximate"),
    },
    Stage: {
        "negotiating": N_("stage.negotiating"),
        "started": N_("stage.started"),
        "under_construction": N_("stage.under_construction"),
        "trial_production": N_("stage.trial_production"),
        "filed_and_approved": N_("stage.filed_and_approved"),
        "grid_connected": N_("stage.grid_connected"),
        "built": N_("stage.built"),
    },
    Topic: {
        "economy": N_("topic.economy"),
        "fiscal": N_("topic.fiscal"),
        "industry": N_("topic.industry"),
        "business_environment": N_("topic.business_environment"),
        "chains": N_("topic.chains"),
        "energy": N_("topic.energy"),
        "employment": N_("topic.employment"),
        "income": N_("topic.income"),
        "insurance": N_("topic.insurance"),
        "rural_revitalisation": N_("topic.rural_revitalisation"),
        "education": N_("topic.education"),
        "health": N_("topic.health"),
        "social_security": N_("topic.social_security"),
        "culture": N_("topic.culture"),
        "strategy": N_("topic.strategy"),
    },
    Basis: {
        "stated": N_("basis.stated"),
        "curator": N_("basis.curator"),
    },
    ProgrammeKind: {
        "mechanism": N_("programme_kind.mechanism"),
        "programme": N_("programme_kind.programme"),
        "campaign": N_("programme_kind.campaign"),
        "pilot": N_("programme_kind.pilot"),
        "strategy": N_("programme_kind.strategy"),
        "measure": N_("programme_kind.measure"),
        "brand": N_("programme_kind.brand"),
    },
    ErratumKind: {
        "cut_passage": N_("erratum_kind.cut_passage"),
        "displaced_passage": N_("erratum_kind.displaced_passage"),
        "split_word": N_("erratum_kind.split_word"),
        "typo": N_("erratum_kind.typo"),
        "count_mismatch": N_("erratum_kind.count_mismatch"),
        "ambiguity": N_("erratum_kind.ambiguity"),
    },
    Area: {
        "employment": N_("area.employment"),
        "health": N_("area.health"),
        "social_security": N_("area.social_security"),
        "culture": N_("area.culture"),
    },
    SourceKind: {
        "newspaper_feature": N_("source_kind.newspaper_feature"),
        "government_work_report": N_("source_kind.government_work_report"),
        "statistical_communique": N_("source_kind.statistical_communique"),
        "press_release": N_("source_kind.press_release"),
        "policy_document": N_("source_kind.policy_document"),
    },
}


# Table column headers. Their ids are the keys of the rows that views.py and charts.py build
# (a header is looked up only when the table is made), where pybabel cannot see them: they are
# marked here, the one list of headers; tests/test_i18n.py checks that the code uses each one.
COLUMN_HEADERS = (
    N_("col.capacity"),
    N_("col.chain"),
    N_("col.chain_basis"),
    N_("col.company"),
    N_("col.count"),
    N_("col.description"),
    N_("col.fact_id"),
    N_("col.facts"),
    N_("col.highlights"),
    N_("col.id"),
    N_("col.kind"),
    N_("col.label"),
    N_("col.line"),
    N_("col.number"),
    N_("col.outputs"),
    N_("col.period"),
    N_("col.position"),
    N_("col.product"),
    N_("col.programme"),
    N_("col.project"),
    N_("col.project_names"),
    N_("col.projects"),
    N_("col.qualifier"),
    N_("col.quote"),
    N_("col.reason"),
    N_("col.records"),
    N_("col.section"),
    N_("col.source"),
    N_("col.stage"),
    N_("col.stage_as_stated"),
    N_("col.stated"),
    N_("col.status"),
    N_("col.topic"),
    N_("col.unit"),
    N_("col.value"),
    N_("col.value_raw"),
    N_("col.year"),
)


# --------------------------------------------------------------------------- the catalogues


class CatalogueError(Exception):
    """A catalogue in locale/ that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Language:
    """One language's catalogue as look-up tables."""

    messages: dict[str, str]
    plurals: dict[str, tuple[str, ...]]
    plural: Callable[[int], int]


def catalogue_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Where the catalogue of `lang` lives."""
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path, lang: str) -> Catalog:
    """The Babel Catalog of one .po file; CatalogueError naming the file and line if it is bad."""
    try:
        with path.open("rb") as f:
            return read_po(f, locale=lang, domain=DOMAIN, abort_invalid=True)
    except PoFileError as exc:  # its lineno counts from 0
        message = str(exc).removesuffix(f" on {exc.lineno}")
        raise CatalogueError(f"{path}, line {exc.lineno + 1}: {message}: {exc.line!r}") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CatalogueError(f"{path}: cannot read the catalogue ({exc})") from None


def _language(catalog: Catalog) -> Language:
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        # Fuzzy and untranslated entries are not used (as gettext does): the look-up falls
        # back to FALLBACK_LANG. tests/test_i18n.py lets none into a commit.
        if not message.id or message.fuzzy:
            continue
        if message.pluralizable:
            forms = tuple(message.string)
            if all(forms):
                plurals[message.id[0]] = forms
        elif message.string:
            messages[message.id] = message.string
    return Language(messages, plurals, gettext.c2py(catalog.plural_expr))


def load_languages(locale_dir: Path = LOCALE_DIR) -> dict[str, Language]:
    """Every catalogue under `locale_dir`, by language code: DEFAULT_LANG first, then A-Z."""
    found = sorted(p.name for p in locale_dir.iterdir() if catalogue_path(p.name, locale_dir).is_file())
    for code in found:
        if not _LANG_CODE.match(code):
            raise CatalogueError(
                f"{locale_dir / code}: a catalogue folder is named by a lower-case ISO 639 "
                "language code (zh, en, fr, ...)"
            )
    for code in (DEFAULT_LANG, FALLBACK_LANG):
        if code not in found:
            raise CatalogueError(f"{catalogue_path(code, locale_dir)}: the catalogue is missing")
    order = [DEFAULT_LANG, *(c for c in found if c != DEFAULT_LANG)]
    return {code: _language(read_catalogue(catalogue_path(code, locale_dir), code)) for code in order}


_LANGUAGES = load_languages()

# The languages the dashboard speaks: one per catalogue in locale/.
LANGS: tuple[str, ...] = tuple(_LANGUAGES)

_LANG_TAG = re.compile(rf"^({'|'.join(LANGS)})(?:[-_][a-z0-9]{{1,8}})*$")


# --------------------------------------------------------------------------- look-ups


def check_lang(lang: str) -> str:
    """`lang` if it is one of LANGS; ValueError naming the languages allowed otherwise."""
    if lang not in _LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def _fill(key: str, text: str, fmt: dict) -> str:
    if not fmt and "{" not in text:
        return text
    try:
        return text.format(**fmt)
    except KeyError as exc:
        raise KeyError(f"UI string {key!r} needs the value {exc.args[0]!r}") from None


def t(key: str, lang: str, **fmt: object) -> str:
    """The message `key` in `lang`, with {placeholders} filled from `fmt`."""
    try:
        text = _LANGUAGES[lang].messages[key]
    except KeyError:
        check_lang(lang)
        text = _LANGUAGES[FALLBACK_LANG].messages.get(key)
        if key in _LANGUAGES[FALLBACK_LANG].plurals:
            raise KeyError(f"UI string {key!r} is a plural message: look it up with nt()") from None
        if text is None:
            raise KeyError(
                f"no UI string {key!r} in locale/{lang}/LC_MESSAGES/{DOMAIN}.po; "
                "run `make messages` and translate it"
            ) from None
    return _fill(key, text, fmt)


def nt(singular: str, plural: str, n: int, lang: str, /, **fmt: object) -> str:
    """The form of the plural message `singular`/`plural` for the count `n` in `lang`
    (CLDR's rules: "1 project", "2 projects"; Chinese has one form), {n} and `fmt` filled in."""
    check_lang(lang)
    language = _LANGUAGES[lang]
    forms = language.plurals.get(singular)
    if forms is None:
        language = _LANGUAGES[FALLBACK_LANG]
        forms = language.plurals.get(singular)
        if forms is None:
            raise KeyError(
                f"no plural UI string {singular!r}/{plural!r} in locale/{lang}/LC_MESSAGES/"
                f"{DOMAIN}.po; run `make messages` and translate it"
            )
    text = forms[min(language.plural(n), len(forms) - 1)]
    return _fill(singular, text, {"n": n, **fmt})


def pick(bilingual: Bilingual | dict | None, lang: str) -> str:
    """The `lang` side of a Bilingual (or {"zh":…, "en":…} dict); "" for None."""
    check_lang(lang)
    if bilingual is None:
        return ""
    if isinstance(bilingual, dict):
        return bilingual.get(lang) or ""
    return getattr(bilingual, lang)


def enum_key(member: Enum) -> str:
    """The message id of a vocabulary member's label, e.g. Stage.started → "stage.started"."""
    labels = VOCABULARIES.get(type(member))
    if labels is None:
        raise KeyError(f"{type(member).__name__} is not a vocabulary with labels")
    return labels[member.name]


def enum_label(member: Enum, lang: str) -> str:
    """The translated label of a vocabulary member (Unit, Stage, Topic, ...)."""
    return t(enum_key(member), lang)


def placeholders(text: str) -> set[str]:
    """The names of a message's {placeholders}; ValueError if its braces are malformed."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def resolve_lang(
    query_value: str | list | tuple | None, browser_locale: str | None
) -> tuple[str, str | None]:
    """(language, notice key or None) from ?lang= and the browser's locale.

    A valid ?lang= wins ("zh", "EN", "zh-CN", "en_US", "zh-TW": case-insensitive, region
    and script subtags allowed). A value that is empty, unknown, too long or given more
    than once is ignored with a notice key; the browser's locale then decides: a language
    of LANGS → it ("zh-TW" → zh), any other → FALLBACK_LANG, none → DEFAULT_LANG. The raw
    value is never returned.
    """
    notice = None
    if isinstance(query_value, (list, tuple)):
        if len(query_value) > 1:
            return _browser_lang(browser_locale), N_("notice.repeated_lang")
        query_value = query_value[0] if query_value else None
    if query_value is not None:
        lang = _lang_of(query_value)
        if lang is not None:
            return lang, None
        notice = N_("notice.bad_lang")
    return _browser_lang(browser_locale), notice


def _lang_of(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    if not value or len(value) > MAX_LANG_PARAM:
        return None
    match = _LANG_TAG.match(value)
    return match.group(1) if match else None


def _browser_lang(locale: str | None) -> str:
    if not isinstance(locale, str) or not locale.strip():
        return DEFAULT_LANG
    # Accept an Accept-Language header too: "en-US,en;q=0.9" → "en-US".
    first = locale.split(",")[0].split(";")[0].strip().lower()
    if not first:
        return DEFAULT_LANG
    primary = re.split("[-_]", first)[0]
    return primary if primary in _LANGUAGES else FALLBACK_LANG


