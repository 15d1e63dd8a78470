"""Pydantic models of the fact base: strict, documented, cross-checked."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# The earliest year a reading may describe (the People's Republic, before the prefecture was
# founded in 1954); the latest is the year after meta.released (a cross-check, so the committed
# JSON Schema does not change with the calendar).
FIRST_PERIOD = 1949

Slug = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, min_length=2, max_length=64),
    Field(
        description="A stable identifier: lower-case ASCII words joined by hyphens.",
        examples=["per-capita-gdp"],
    ),
]
Text = Annotated[
    str,
    StringConstraints(min_length=1, max_length=2000),
]


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, strings are stripped."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        frozen=True,
        use_enum_values=False,
    )


# --------------------------------------------------------------------------- vocabularies


class Qualifier(StrEnum):
    """How the text states a figure."""

    exact = "exact"
    at_least = "at_least"
    more_than = "more_than"
    nearly = "nearly"
    approximate = "approximate"


class Unit(StrEnum):
    """Base units of values; money in yuan, capacity per year in tonnes or MW."""

    yuan = "yuan"
    percent = "percent"
    persons = "persons"
    count = "count"
    rank = "rank"
    t_per_year = "t_per_year"
    mw = "MW"
    mw_per_year = "MW_per_year"


class Topic(StrEnum):
    """Which part of the dashboard a record belongs to."""

    economy = "economy"
    fiscal = "fiscal"
    industry = "industry"
    business_environment = "business_environment"
    chains = "chains"
    energy = "energy"
    employment = "employment"
    income = "income"
    insurance = "insurance"
    rural_revitalisation = "rural_revitalisation"
    education = "education"
    health = "health"
    social_security = "social_security"
    culture = "culture"
    strategy = "strategy"


class Stage(StrEnum):
    """Where a project stands, as the text reports it."""

    negotiating = "negotiating"
    started = "started"
    under_construction = "under_construction"
    trial_production = "trial_production"
    filed_and_approved = "filed_and_approved"
    grid_connected = "grid_connected"
    built = "built"


class Basis(StrEnum):
    """Whether something is said by the source or is the curator's reading."""

    stated = "stated"
    curator = "curator"


class ProgrammeKind(StrEnum):
    """What kind of named programme, mechanism or measure a record is."""

    mechanism = "mechanism"
    programme = "programme"
    campaign = "campaign"
    pilot = "pilot"
    strategy = "strategy"
    measure = "measure"
    brand = "brand"


class ErratumKind(StrEnum):
    """What is wrong with, or unclear in, a passage of the source text."""

    cut_passage = "cut_passage"
    displaced_passage = "displaced_passage"
    split_word = "split_word"
    typo = "typo"
    count_mismatch = "count_mismatch"
    ambiguity = "ambiguity"


class SourceKind(StrEnum):
    """What kind of document a source is."""

    newspaper_feature = "newspaper_feature"
    government_work_report = "government_work_report"
    statistical_communique = "statistical_communique"
    press_release = "press_release"
    policy_document = "policy_document"


class Area(StrEnum):
    """The livelihood areas of the new year's priorities."""

    employment = "employment"
    health = "health"
    social_security = "social_security"
    culture = "culture"


# --------------------------------------------------------------------------- building blocks


class Bilingual(Strict):
    """A label in Chinese, as the source says it, and in English, translated by the curator."""

    zh: Text = Field(description="Chinese, in the source's own words.", examples=["人均GDP"])
    en: Text = Field(
        description="English: the curator's translation, not the source's.",
        examples=["Per-capita GDP"],
    )


class Quote(Strict):
    """A verbatim clause of a source that backs a record."""

    source: Slug = Field(
        description="Id of the source in `sources`.", examples=["qaidam-new-era-2022"]
    )
    quote: Text = Field(
        description="One clause copied character for character from the source text.",
        examples=["人均GDP达到17万元"],
    )


def _check_value(value: float, unit: Unit) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    if value < 0 and unit is not Unit.percent:
        raise ValueError(f"must not be negative for unit {unit.value}")
    if unit is Unit.percent and not -100 <= value <= 1000:
        raise ValueError("a percent must lie between -100 and 1000")
    if unit in (Unit.count, Unit.rank, Unit.persons) and value != int(value):
        raise ValueError(f"must be a whole number for unit {unit.value}")
    if unit is Unit.rank and value < 1:
        raise ValueError("a rank starts at 1")
    if abs(value) > 1e15:
        raise ValueError("is implausibly large (over 10^15)")
    return value + 0.0  # drops the sign of a negative zero, which would show as "-0"


class Quantity(Strict):
    """A figure: value in base units, its unit, and the words the text uses."""

    value: float = Field(
        strict=True,
        description="The figure in base units (yuan, persons, tonnes per year, MW, percent).",
        examples=[170000],
        allow_inf_nan=False,
    )
    unit: Unit = Field(description="Unit of `value`.", examples=["yuan"])
    stated: Text = Field(
        description="The figure exactly as the text writes it; it must appear in the quote.",
        examples=["17万元"],
    )
    qualifier: Qualifier = Field(
        default=Qualifier.exact,
        description=(
            "exact; at_least for thresholds reached (首次突破, 迈上…台阶); more_than for a figure "
            "strictly above (超过, 逾); nearly for a figure just below (近, 将近, 接近); "
            "approximate for a size class or round figure (…级, 约)."
        ),
        examples=["at_least"],
    )
    qualifier_phrase: Bilingual | None = Field(
        default=None,
        description="The words the text qualifies the figure with, when it does.",
        examples=[{"zh": "首次突破", "en": "exceeded for the first time"}],
    )

    @model_validator(mode="after")
    def _value_fits_unit(self) -> Quantity:
        _check_value(self.value, self.unit)
        return self


# --------------------------------------------------------------------------- sections


class Meta(Strict):
    """What this fact base is, which version it is and who curated it."""

    title: Bilingual = Field(
        description="Title of the fact base.",
        examples=[{"zh": "海西州2022年经济事实库", "en": "Haixi Prefecture 2022 fact base"}],
    )
    version: str = Field(
        pattern=r"^\d+\.\d+\.\d+$",
        description="Semantic version of the fact base; bumped on every release.",
        examples=["1.0.0"],
    )
    released: dt.date = Field(description="Release date of this version.", examples=["2026-11-28"])
    region: Bilingual = Field(
        description="The place the facts describe.",
        examples=[{"zh": "海西蒙古族藏族自治州", "en": "Haixi Mongol and Tibetan AP"}],
    )
    curator: Text = Field(
        description="Who curated this version.", examples=["Haixi dashboard team"]
    )
    license: Text = Field(description="Licence of the curated data.", examples=["CC-BY-4.0"])
    translation_note: Bilingual = Field(
        description="States that translations and classifications are the curator's.",
        examples=[{"zh": "英文为整理者所译", "en": "English is the curator's translation"}],
    )


class Source(Strict):
    """A document facts are drawn from, kept byte for byte in the sources folder."""

    id: Slug
    file: str = Field(
        pattern=r"^[A-Za-z0-9._-]+$",
        description="File name inside the sources folder.",
        examples=["qaidam-new-era-2022.txt"],
    )
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the file as received.",
        examples=["f4e3861eef784a8fea67ada24b84a98f0dd6aacbd98b3f08fbba11520b452e87"],
    )
    title: Bilingual = Field(
        description="Title of the document.",
        examples=[{"zh": "柴达木盆地在新时代焕发新气象", "en": "The Qaidam Basin in a new era"}],
    )
    publisher: Bilingual = Field(
        description="Who provided or published the text.",
        examples=[{"zh": "海西州委宣传部", "en": "Publicity Department"}],
    )
    kind: SourceKind = Field(description="What kind of document it is.", examples=["newspaper_feature"])
    covers: int = Field(
        strict=True, ge=1900, le=2100, description="Year the document reports on.", examples=[2022]
    )
    note: Bilingual | None = Field(
        default=None,
        description="What a reader should know about the text's condition.",
        examples=[{"zh": "页面抓取文本", "en": "A scrape of a printed page"}],
    )
    url: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s]+$",
        max_length=2000,
        description="Where the document was published online, when known; never guessed.",
        examples=["https://example.org/haixi-communique-2022.html"],
    )
    date_published: dt.date | None = Field(
        default=None,
        description="Date the document was published, when the document or its page says so.",
        examples=["2023-03-31"],
    )
    date_accessed: dt.date | None = Field(
        default=None,
        description="Date the curator retrieved the document, when recorded.",
        examples=["2026-11-20"],
    )
    citation: Text | None = Field(
        default=None,
        description="How to cite the document, as a reader should copy it.",
        examples=["《柴达木盆地在新时代焕发新气象》, text provided by 海西州委宣传部."],
    )
    license: Text | None = Field(
        default=None,
        description="Terms the document is published under, when known.",
        examples=["CC-BY-4.0"],
    )


class Fact(Strict):
    """One figure of the source with its provenance."""

    id: Slug
    label: Bilingual = Field(
        description="What the figure measures.",
        examples=[{"zh": "人均GDP", "en": "Per-capita GDP"}],
    )
    quantity: Quantity = Field(description="The figure.")
    period: int = Field(
        strict=True,
        ge=FIRST_PERIOD,
        le=2100,
        description="Year the figure describes (from 1949 to the year after meta.released).",
        examples=[2022],
    )
    measure: Slug | None = Field(
        default=None,
        description=(
            "Id of the measure this fact is a reading of: the id of another fact that names no "
            "measure itself. Without it the fact is its own measure, named by its id."
        ),
        examples=["per-capita-gdp"],
    )
    preferred: bool = Field(
        strict=True,
        default=False,
        description=(
            "The curator prefers this reading of its measure and period over the computed "
            "choice; needs preferred_note."
        ),
        examples=[True],
    )
    preferred_note: Bilingual | None = Field(
        default=None,
        description="Why the curator prefers this reading; required with preferred, only with it.",
        examples=[{"zh": "统计公报为最终数", "en": "The communiqué gives the final figure"}],
    )
    topic: Topic = Field(description="Dashboard section.", examples=["economy"])
    chain: Slug | None = Field(
        default=None, description="Id of the industry chain it concerns, if any.", examples=[None]
    )
    headline: bool = Field(
        strict=True,
        default=False,
        description="Shown as a headline result on the overview.",
        examples=[True],
    )
    source: Quote = Field(description="Where the figure is stated.")
    note: Bilingual | None = Field(
        default=None,
        description="What is ambiguous about the figure.",
        examples=[{"zh": "原文未说明", "en": "The text does not say"}],
    )

    @property
    def measure_id(self) -> str:
        """The id of the measure this fact reads: `measure`, else its own id."""
        return self.measure or self.id


class Chain(Strict):
    """One of the industry chains the text lists for the chain-leader system."""

    id: Slug
    name: Bilingual = Field(
        description="Name of the chain.", examples=[{"zh": "盐湖化工", "en": "Salt-lake chemicals"}]
    )
    position: int = Field(
        strict=True,
        ge=1,
        le=50,
        description="Order in the text's list (1 = first named).",
        examples=[1],
    )
    highlights: list[Statement] = Field(
        default_factory=list,
        description="What the text reports about the chain besides its projects.",
        examples=[[]],
    )
    note: Bilingual | None = Field(
        default=None,
        description="Ambiguity about this name.",
        examples=[{"zh": "或与前项合为一链", "en": "May form one chain with the previous"}],
    )


class Statement(Strict):
    """A qualitative statement of the source, with its quote."""

    text: Bilingual = Field(
        description="The statement, in the curator's words.",
        examples=[{"zh": "镁合金新材料产业集聚区已然崛起", "en": "A magnesium-alloy cluster rose"}],
    )
    source: Quote


class Output(Strict):
    """One product of a project and, where the text gives it, its capacity."""

    product: Bilingual = Field(
        description="What the project makes or does.",
        examples=[{"zh": "高纯多晶硅", "en": "High-purity polysilicon"}],
    )
    capacity: Quantity | None = Field(
        default=None, description="Capacity, where the text states one.", examples=[None]
    )

    @field_validator("capacity")
    @classmethod
    def _capacity_unit(cls, capacity: Quantity | None) -> Quantity | None:
        if capacity is not None and capacity.unit not in (
            Unit.t_per_year,
            Unit.mw,
            Unit.mw_per_year,
        ):
            raise ValueError("a capacity is in t_per_year, MW or MW_per_year")
        return capacity


class Company(Strict):
    """A company as the text names it, with the curator's English name."""

    zh: Text = Field(description="The name as the text writes it.", examples=["南玻"])
    en: Text = Field(description="The curator's English name.", examples=["CSG Holding"])


class Project(Strict):
    """A named project: who, what, how much, at what stage, in which chain and programme."""

    id: Slug
    name: Bilingual = Field(
        description="The project as the text names it.",
        examples=[{"zh": "南玻10万吨高纯多晶硅", "en": "CSG 100,000 t polysilicon"}],
    )
    company: Company | None = Field(default=None, description="The company behind it.")
    outputs: list[Output] = Field(min_length=1, description="Products and capacities.")
    stage: Stage = Field(description="Stage reached, normalised.", examples=["started"])
    stage_as_stated: Text = Field(
        description="The text's words for the stage.", examples=["落地开工"]
    )
    chain: Slug | None = Field(
        default=None, description="Id of the chain it belongs to.", examples=["clean-energy"]
    )
    chain_basis: Basis | None = Field(
        default=None,
        description="stated when the text names the chain; curator when classified by us.",
        examples=["curator"],
    )
    chain_as_stated: Text | None = Field(
        default=None,
        description="The chain as the text names it, when it does.",
        examples=["新能源装备产业链"],
    )
    programmes: list[Slug] = Field(
        default_factory=list,
        description="Ids of the programmes it is part of.",
        examples=[["chain-investment"]],
    )
    year: int | None = Field(
        strict=True,
        default=None,
        ge=1900,
        le=2100,
        description="Year of the stage, if stated.",
        examples=[2022],
    )
    source: Quote
    records: list[Statement] = Field(
        default_factory=list, description="Firsts and records the text claims for it."
    )
    note: Bilingual | None = Field(default=None, description="What is ambiguous.")

    @model_validator(mode="after")
    def _chain_basis(self) -> Project:
        if (self.chain is None) != (self.chain_basis is None):
            raise ValueError("chain and chain_basis go together")
        if self.chain_basis is Basis.stated and not self.chain_as_stated:
            raise ValueError("a stated chain needs chain_as_stated")
        return self


class Base(Strict):
    """A national base or demonstration zone and its status."""

    id: Slug
    name: Bilingual = Field(
        description="Name of the base.",
        examples=[{"zh": "国家级光热发电新能源示范基地", "en": "National CSP demonstration base"}],
    )
    status: Stage = Field(description="built or under_construction.", examples=["built"])
    status_as_stated: Text = Field(description="The text's words.", examples=["已建成"])
    source: Quote


class Document(Strict):
    """A named policy document."""

    id: Slug
    title: Bilingual = Field(
        description="Title as the text gives it.",
        examples=[{"zh": "关于打造一流营商环境的工作方案", "en": "Work plan on a first-class ..."}],
    )
    year: int | None = Field(
        strict=True,
        default=None,
        ge=1900,
        le=2100,
        description="Year it was issued.",
        examples=[2022],
    )
    year_basis: Basis | None = Field(
        default=None,
        description="stated, or curator when the year is read from the context.",
        examples=["stated"],
    )
    issuer: Bilingual = Field(
        description="Who issued it.", examples=[{"zh": "海西州", "en": "Haixi"}]
    )
    topic: Topic = Field(description="Dashboard section it belongs to.", examples=["chains"])
    position: int = Field(strict=True, ge=1, description="Order in the source text.", examples=[1])
    source: Quote

    @model_validator(mode="after")
    def _year_basis(self) -> Document:
        if (self.year is None) != (self.year_basis is None):
            raise ValueError("year and year_basis go together")
        return self


class Programme(Strict):
    """A named programme, mechanism, campaign, measure or strategy."""

    id: Slug
    name: Bilingual = Field(
        description="Name as the text gives it.", examples=[{"zh": "链长制", "en": "Chain leader"}]
    )
    kind: ProgrammeKind = Field(
        description="What kind of programme, mechanism or measure it is.", examples=["mechanism"]
    )
    topic: Topic = Field(description="Dashboard section it belongs to.", examples=["chains"])
    description: Bilingual = Field(
        description="What it is, in the curator's words.",
        examples=[{"zh": "州级领导分别领衔产业链", "en": "Leaders each head a chain"}],
    )
    source: Quote


class Milestone(Strict):
    """A qualitative result the text reports."""

    id: Slug
    text: Bilingual = Field(
        description="The milestone.",
        examples=[{"zh": "实现“开门红”", "en": "A strong start to the year"}],
    )
    period: int | None = Field(
        strict=True,
        default=None,
        ge=1900,
        le=2100,
        description="Year of the milestone, if the text gives one.",
        examples=[2022],
    )
    topic: Topic = Field(description="Dashboard section it belongs to.", examples=["energy"])
    source: Quote
    note: Bilingual | None = None


class Priority(Strict):
    """A task the text sets for the new year."""

    id: Slug
    area: Area = Field(description="Livelihood area of the priority.", examples=["employment"])
    text: Bilingual = Field(
        description="The task.", examples=[{"zh": "着力落实就业优先", "en": "Put jobs first"}]
    )
    source: Quote


class Erratum(Strict):
    """A defect or ambiguity of a source text."""

    id: Slug
    kind: ErratumKind = Field(
        description="What is wrong with, or unclear in, the passage.", examples=["cut_passage"]
    )
    source: Quote = Field(description="The passage concerned, verbatim.")
    line: int = Field(
        strict=True, ge=1, description="Line of the source file it is on.", examples=[13]
    )
    description: Bilingual = Field(
        description="What is wrong or unclear, and how the curator read it.",
        examples=[{"zh": "段落中断", "en": "The paragraph is cut"}],
    )


class NotFigure(Strict):
    """A number-bearing phrase of a source that is no figure of the fact base, and why."""

    phrase: Text = Field(
        description="The phrase exactly as `python -m haixi coverage` finds it on the line.",
        examples=["2022年"],
    )
    source: Slug = Field(
        description="Id of the source in `sources`.", examples=["qaidam-new-era-2022"]
    )
    line: int = Field(
        strict=True,
        ge=1,
        description="Line of the source file the phrase is on; the entry covers it there only.",
        examples=[5],
    )
    reason: Bilingual = Field(
        description="The curator's reason it is not a figure.",
        examples=[{"zh": "报道所述年份", "en": "The year the report is about"}],
    )


class EmploymentChart(Strict):
    """The measures of the jobs chart: shares of the year's targets, against 100%."""

    urban_jobs: Slug = Field(
        description="Measure of new urban jobs as a percent of the year's target.",
        examples=["urban-new-jobs-target-completion"],
    )
    rural_transfer: Slug = Field(
        description="Measure of rural labour transferred as a percent of the year's target.",
        examples=["rural-labour-transfer-target-completion"],
    )


class IncomeChart(Strict):
    """The measures of the income chart: urban and rural growth side by side."""

    urban: Slug = Field(
        description="Measure of the growth of urban per-capita disposable income, in percent.",
        examples=["urban-disposable-income-growth"],
    )
    rural: Slug = Field(
        description="Measure of the growth of rural per-capita disposable income, in percent.",
        examples=["rural-disposable-income-growth"],
    )


class InsuranceChart(Strict):
    """The measure of the insurance chart: enrolment against the registered population."""

    enrolled: Slug = Field(
        description="Measure of enrolment as a percent of the registered population.",
        examples=["medical-insurance-coverage"],
    )


class ChartMeasures(Strict):
    """Which measures feed which chart, by the chart builder's name; a chart left out is not drawn."""

    employment_vs_target: EmploymentChart | None = Field(
        default=None, description="The livelihood page's jobs chart.", examples=[None]
    )
    income_growth: IncomeChart | None = Field(
        default=None, description="The livelihood page's income chart.", examples=[None]
    )
    insurance_coverage: InsuranceChart | None = Field(
        default=None, description="The livelihood page's insurance chart.", examples=[None]
    )


class Highlights(Strict):
    """The measure whose preferred reading is a page's highlight on the overview."""

    economy: Slug | None = Field(
        default=None,
        description="Measure shown as the economy page's highlight.",
        examples=["local-general-budget-revenue"],
    )
    livelihood: Slug | None = Field(
        default=None,
        description="Measure shown as the livelihood page's highlight.",
        examples=["urban-new-jobs-target-completion"],
    )


class Display(Strict):
    """Display choices as data: which measures the charts, highlights and chain count show."""

    charts: ChartMeasures = Field(
        default_factory=ChartMeasures, description="Measures of each chart.", examples=[{}]
    )
    highlights: Highlights = Field(
        default_factory=Highlights, description="Measures of the overview's highlights.",
        examples=[{}],
    )
    chain_count: Slug | None = Field(
        default=None,
        description=(
            "Measure of how many chains the text says there are; the chains page, its chart "
            "and the overview set it against the chains listed."
        ),
        examples=["chain-count-stated"],
    )


class Examined(Strict):
    """A discrepancy between readings the curator has examined; readers still see it."""

    measure: Slug = Field(description="Id of the measure.", examples=["per-capita-gdp"])
    period: int = Field(
        strict=True, ge=FIRST_PERIOD, le=2100, description="Year of the readings.",
        examples=[2022],
    )
    note: Bilingual = Field(
        description="What the curator found.",
        examples=[{"zh": "两处口径不同", "en": "The two sources round differently"}],
    )


class FactBase(Strict):
    """The whole fact base."""

    schema_ref: str | None = Field(
        default=None,
        alias="$schema",
        description="Path to the JSON Schema, for editors.",
        examples=["./facts.schema.json"],
    )
    meta: Meta
    sources: list[Source] = Field(min_length=1)
    facts: list[Fact] = Field(min_length=1)
    chains: list[Chain] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    bases: list[Base] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    programmes: list[Programme] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    priorities: list[Priority] = Field(default_factory=list)
    errata: list[Erratum] = Field(default_factory=list)
    not_figures: list[NotFigure] = Field(
        default_factory=list,
        description="Number-bearing phrases of the sources that are no figures (see `coverage`).",
        examples=[[]],
    )
    display: Display = Field(
        default_factory=Display,
        description="Which measures the charts, highlights and chain count show.",
        examples=[{}],
    )
    examined: list[Examined] = Field(
        default_factory=list,
        description="Discrepancies between readings the curator has examined, with a note.",
        examples=[[]],
    )

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _cross_references(self) -> FactBase:
        problems = cross_reference_problems(self.model_dump())
        if problems:
            raise CrossReferenceError(problems)
        return self

    # ------------------------------------------------------------------ look-ups

    def by_id(self, ident: str):
        """The record with this id, in whichever section it is, or None."""
        for section in SECTIONS:
            for item in getattr(self, section):
                if item.id == ident:
                    return item
        return None

    def fact(self, ident: str) -> Fact:
        """The fact with this id; KeyError if there is none."""
        found = self.find_fact(ident)
        if found is None:
            raise KeyError(ident)
        return found

    def find_fact(self, ident: str) -> Fact | None:
        """The fact with this id, or None (a smaller fact base may lack it)."""
        return next((fact for fact in self.facts if fact.id == ident), None)

    def find_project(self, ident: str) -> Project | None:
        """The project with this id, or None."""
        return next((project for project in self.projects if project.id == ident), None)

    def projects_of(self, chain_id: str) -> list[Project]:
        """Projects linked to a chain."""
        return [p for p in self.projects if p.chain == chain_id]

    def facts_of(self, chain_id: str) -> list[Fact]:
        """Facts linked to a chain."""
        return [f for f in self.facts if f.chain == chain_id]

    def source(self, ident: str) -> Source:
        """The source with this id; KeyError if there is none."""
        for source in self.sources:
            if source.id == ident:
                return source
        raise KeyError(ident)


SECTIONS = (
    "sources",
    "facts",
    "chains",
    "projects",
    "bases",
    "documents",
    "programmes",
    "milestones",
    "priorities",
    "errata",
)
# The sections whose records cite the sources.
RECORD_SECTIONS = SECTIONS[1:]


# The field that names a record of each section: one rule for every place that shows a label.
LABEL_FIELDS = {
    "sources": "title",
    "facts": "label",
    "chains": "name",
    "projects": "name",
    "bases": "name",
    "documents": "title",
    "programmes": "name",
    "milestones": "text",
    "priorities": "text",
    "errata": "description",
}


def record_label(record: BaseModel) -> Bilingual | None:
    """The bilingual words that name a record (a fact's label, a project's name, ...)."""
    for name in dict.fromkeys(LABEL_FIELDS.values()):
        value = getattr(record, name, None)
        if isinstance(value, Bilingual):
            return value
    return None


def _records(data: Mapping, section: str) -> list[tuple[int, Mapping]]:
    items = data.get(section)
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, Mapping)]


def _raw_quotes(value, path: str):
    """Every (path, quote mapping) inside raw data: a mapping with `source` and `quote`."""
    if isinstance(value, Mapping):
        if "source" in value and "quote" in value:
            yield path, value
        for key, child in value.items():
            if isinstance(child, Mapping | list):
                yield from _raw_quotes(child, f"{path}.{key}")
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _raw_quotes(child, f"{path}.{i}")


class CrossReferenceError(ValueError):
    """Duplicate ids or dangling references; `problems` holds the (path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


def cross_reference_problems(data: Mapping) -> list[tuple[str, str]]:
    """Duplicate ids and dangling references in fact-base data, as (path, message) pairs.

    The path is dotted ("facts.3.chain", "chains" for a rule over a whole section).

    Works on the parsed YAML as well as on a dumped model, so the loader can report these
    together with field errors (pydantic skips the model validator when a field fails).
    Records too malformed to read an id or a reference from are left to the field errors.
    """
    problems: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for section in SECTIONS:
        for index, item in _records(data, section):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                problems.append(
                    (f"{section}.{index}.id", f"duplicate id {ident!r} (already used in {seen[ident]})")
                )
            else:
                seen[ident] = f"{section}.{index}"

    def ids(section: str) -> set[str]:
        return {i.get("id") for _, i in _records(data, section) if isinstance(i.get("id"), str)}

    source_ids, chain_ids, programme_ids = ids("sources"), ids("chains"), ids("programmes")
    for section in RECORD_SECTIONS:
        for index, item in _records(data, section):
            for path, quote in _raw_quotes(item, f"{section}.{index}"):
                source = quote.get("source")
                if isinstance(source, str) and source not in source_ids:
                    problems.append((f"{path}.source", f"unknown source {source!r}"))
            chain = item.get("chain")
            if isinstance(chain, str) and chain not in chain_ids:
                problems.append((f"{section}.{index}.chain", f"unknown chain {chain!r}"))
    for index, project in _records(data, "projects"):
        programmes = project.get("programmes")
        for j, programme in enumerate(programmes if isinstance(programmes, list) else []):
            if isinstance(programme, str) and programme not in programme_ids:
                problems.append(
                    (f"projects.{index}.programmes.{j}", f"unknown programme {programme!r}")
                )
    positions = [
        c.get("position") for _, c in _records(data, "chains") if isinstance(c.get("position"), int)
    ]
    if len(set(positions)) != len(positions):
        problems.append(("chains", "two chains share a position"))
    problems += measure_problems(data)
    return problems


def _own_measures(data: Mapping) -> dict[str, int]:
    """Measure id -> index of the fact that names it: every fact without `measure` (or whose
    `measure` is its own id) is its own measure."""
    own: dict[str, int] = {}
    for index, fact in _records(data, "facts"):
        ident, measure = fact.get("id"), fact.get("measure")
        if isinstance(ident, str) and (measure is None or measure == ident):
            own.setdefault(ident, index)
    return own


def _strings(value, path: str):
    """Every (path, string) in raw data, depth first."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, child in value.items():
            yield from _strings(child, f"{path}.{key}")
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _strings(child, f"{path}.{i}")


def measure_problems(data: Mapping) -> list[tuple[str, str]]:
    """The rules of measures and their readings, as (path, message) pairs on raw data.

    A `measure` names the id of a fact that names no measure itself (so a typo names nothing);
    readings of one measure share its unit and its topic; one source gives one reading per measure and
    period; at most one reading per measure and period is `preferred`; a period lies between
    FIRST_PERIOD and the year after meta.released; display and examined entries name measures.
    """
    problems: list[tuple[str, str]] = []
    # A fact whose id repeats an earlier one is reported as a duplicate id, and left out here.
    first_ids: set = set()
    facts = []
    for index, fact in _records(data, "facts"):
        ident = fact.get("id")
        if not isinstance(ident, str) or ident not in first_ids:
            facts.append((index, fact))
            first_ids.add(ident)
    own = _own_measures(data)
    fact_ids = {f.get("id") for _, f in facts}
    for index, fact in facts:
        if fact.get("preferred") is True and fact.get("preferred_note") is None:
            problems.append(
                (f"facts.{index}.preferred", "preferred: true needs a preferred_note saying why")
            )
        if fact.get("preferred") is not True and fact.get("preferred_note") is not None:
            problems.append(
                (
                    f"facts.{index}.preferred_note",
                    "a preferred_note is only for a reading marked preferred: true",
                )
            )
        measure = fact.get("measure")
        if isinstance(measure, str) and measure not in own:
            why = (
                "is itself a reading of another measure; name that measure"
                if measure in fact_ids
                else "is no fact's id"
            )
            problems.append(
                (
                    f"facts.{index}.measure",
                    f"unknown measure {measure!r}: it {why} (a measure is named by the id of "
                    "a fact without `measure`)",
                )
            )
    groups: dict[str, list[tuple[int, Mapping]]] = {}
    for index, fact in facts:
        measure = fact.get("measure")
        ident = measure if measure is not None else fact.get("id")
        if isinstance(ident, str) and ident in own:
            groups.setdefault(ident, []).append((index, fact))
    by_index = dict(facts)
    for measure, readings in groups.items():
        first = own[measure]
        unit = _unit(by_index[first])
        sources: dict[tuple, int] = {}
        preferred: dict[object, int] = {}
        for index, fact in readings:
            other = _unit(fact)
            if isinstance(unit, str) and isinstance(other, str) and other != unit:
                problems.append(
                    (
                        f"facts.{index}.quantity.unit",
                        f"reads measure {measure!r} in {other}, but the measure is in {unit} "
                        f"(facts.{first}); readings of one measure share a unit family",
                    )
                )
            topic, other_topic = by_index[first].get("topic"), fact.get("topic")
            if isinstance(topic, str) and isinstance(other_topic, str) and other_topic != topic:
                problems.append(
                    (
                        f"facts.{index}.topic",
                        f"reads measure {measure!r} under topic {other_topic}, but the measure "
                        f"is under {topic} (facts.{first}); a measure is one card on one page",
                    )
                )
            period = fact.get("period")
            quote = fact.get("source")
            source = quote.get("source") if isinstance(quote, Mapping) else None
            if isinstance(period, int) and isinstance(source, str):
                key = (period, source)
                if key in sources:
                    problems.append(
                        (
                            f"facts.{index}.source.source",
                            f"a second reading of measure {measure!r} for {period} from "
                            f"source {source!r} (the first is facts.{sources[key]}); one "
                            "source gives one reading of a measure per period",
                        )
                    )
                else:
                    sources[key] = index
            if fact.get("preferred") is True and isinstance(period, int):
                if period in preferred:
                    problems.append(
                        (
                            f"facts.{index}.preferred",
                            f"a second preferred reading of measure {measure!r} for {period} "
                            f"(the first is facts.{preferred[period]}); prefer one at most",
                        )
                    )
                else:
                    preferred[period] = index
    meta = data.get("meta")
    released = meta.get("released") if isinstance(meta, Mapping) else None
    if isinstance(released, dt.date):
        last = released.year + 1
        for index, fact in facts:
            period = fact.get("period")
            if isinstance(period, int) and not isinstance(period, bool) and period > last:
                problems.append(
                    (
                        f"facts.{index}.period",
                        f"period {period} is after {last}, the year after meta.released; "
                        f"a reading describes a year from {FIRST_PERIOD} to {last}",
                    )
                )
    for path, value in _strings(data.get("display"), "display"):
        if value not in own:
            problems.append((path, f"unknown measure {value!r}"))
    for index, entry in _records(data, "examined"):
        measure = entry.get("measure")
        if isinstance(measure, str) and measure not in own:
            problems.append((f"examined.{index}.measure", f"unknown measure {measure!r}"))
    return problems


def _unit(fact: Mapping):
    quantity = fact.get("quantity")
    return quantity.get("unit") if isinstance(quantity, Mapping) else None


def _quotes(item: BaseModel):
    """Every (path, Quote) inside a record."""
    for name in type(item).model_fields:
        value = getattr(item, name)
        if isinstance(value, Quote):
            yield name, value
        elif isinstance(value, list):
            for i, element in enumerate(value):
                if isinstance(element, BaseModel):
                    for path, quote in _quotes(element):
                        yield f"{name}.{i}.{path}", quote


def all_quotes(base: FactBase):
    """Every (record id, path, Quote) of the fact base, for provenance checks."""
    for section in RECORD_SECTIONS:
        for item in getattr(base, section):
            for path, quote in _quotes(item):
                yield item.id, path, quote


def all_quantities(base: FactBase):
    """Every (record id, path, Quantity, Quote) that states a figure."""
    for fact in base.facts:
        yield fact.id, "quantity", fact.quantity, fact.source
    for project in base.projects:
        for i, output in enumerate(project.outputs):
            if output.capacity is not None:
                yield project.id, f"outputs.{i}.capacity", output.capacity, project.source


Chain.model_rebuild()


def json_schema() -> dict:
    """The JSON Schema of the fact base, as committed in data/facts.schema.json."""
    schema = FactBase.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
