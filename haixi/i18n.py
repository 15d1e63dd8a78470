"""The one catalogue of UI strings in Chinese and English, with language resolution."""

from __future__ import annotations

import re
import string
from enum import Enum

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

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

# Longest ?lang= value considered at all (a BCP 47 tag such as "zh-Hans-CN" is far shorter).
MAX_LANG_PARAM = 35

# Characters that must not appear in English strings: CJK ideographs, CJK punctuation,
# full-width forms.
CJK = re.compile("[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")

_LANG_TAG = re.compile(r"^(zh|en)(?:[-_][a-z0-9]{1,8})*$")

# Vocabularies whose every member needs a label, and the catalogue prefix of their keys.
ENUM_PREFIXES: dict[type[Enum], str] = {
    Unit: "unit",
    Qualifier: "qualifier",
    Stage: "stage",
    Topic: "topic",
    Basis: "basis",
    ProgrammeKind: "programme_kind",
    ErratumKind: "erratum_kind",
    Area: "area",
    SourceKind: "source_kind",
}

# --------------------------------------------------------------------------- the catalogue
# To add a string: add one line `"section.name": _("中文", "English"),` in its section.
# Placeholders like {name} must be the same in both languages (see problems()).


def _(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


CATALOGUE: dict[str, dict[str, str]] = {
    # ---- app and pages
    "app.title": _("海西州2022年经济社会发展仪表板", "Haixi Prefecture 2022 dashboard"),
    "app.subtitle": _(
        "海西蒙古族藏族自治州2022年经济社会发展成果,每个数字均附原文出处",
        "Haixi Prefecture's 2022 results, every figure with its source quote",
    ),
    "page.overview": _("概览", "Overview"),
    "page.economy": _("经济与财政", "Economy and finance"),
    "page.chains": _("产业链", "Industry chains"),
    "page.projects": _("新能源与项目", "New energy and projects"),
    "page.livelihood": _("民生", "Livelihood"),
    "page.sources": _("来源与方法", "Sources and method"),
    "page.text": _("原文标注", "The source, annotated"),
    "page.overview.intro": _(
        "2022年主要成果一览,数字均摘自原文。",
        "The main 2022 results at a glance, every figure taken from the source.",
    ),
    "page.economy.intro": _(
        "人均GDP、地方财政收入与规上工业总产值。",
        "Per-capita GDP, local budget revenue and industrial output.",
    ),
    "page.chains.intro": _(
        "“链长制”覆盖的重点产业链,以及原文对每条链的报道。",
        "The industry chains of the chain-leader system and what the text reports on each.",
    ),
    "page.projects.intro": _(
        "原文点名的项目、产能、阶段与国家级基地。",
        "The projects the text names, their capacities and stages, and the national bases.",
    ),
    "page.livelihood.intro": _(
        "乡村振兴、就业、收入与医保,以及新一年的任务。",
        "Rural revitalisation, jobs, incomes and health insurance, and the new year's tasks.",
    ),
    "page.sources.intro": _(
        "原文、整理方法、勘误与数据下载。",
        "The source text, how the facts were curated, the errata and the data downloads.",
    ),
    "page.text.intro": _(
        "原文全文,逐段标注:哪些语句是事实库记录的出处,哪里有勘误。",
        "The whole source text, paragraph by paragraph: which clauses back which records, and "
        "where the errata apply.",
    ),
    # ---- the annotated source
    "text.intro": _(
        "原文按收到时的样子逐段显示,附行号;标出的语句是事实库记录的逐字出处。",
        "The text as received, paragraph by paragraph with its line numbers; the marked clauses "
        "are the verbatim quotes of the fact base's records. The text itself stays Chinese.",
    ),
    "text.legend": _("图例", "Legend"),
    "text.legend_quote": _(
        "加底色的语句:某条记录的逐字出处;链接打开该记录。",
        "Highlighted: the verbatim quote of a record; the link opens the record.",
    ),
    "text.legend_erratum": _(
        "勘误:原文此处有错漏、错位或歧义,说明其应在何处。",
        "Erratum: a slip, a cut or displaced passage, or an ambiguity of the text at this line, "
        "and where it belongs.",
    ),
    "text.legend_uncovered": _(
        "红色:没有任何记录或说明的数字(应当没有)。",
        "Red: a number that no record covers and no curator's note explains (there should be none).",
    ),
    "text.counts": _(
        "{paragraphs}段,其中{marked}段有记录摘自其中。",
        "{paragraphs} paragraphs, {marked} of them with records drawn from them.",
    ),
    "text.line": _("第{line}行", "Line {line}"),
    "text.records": _("摘自本段的记录:", "Records drawn from this paragraph:"),
    "text.erratum": _("勘误", "Erratum"),
    "text.asked": _("所查段落", "The passage you asked for"),
    "text.no_line": _("原文没有第{line}行的段落。", "The source has no paragraph at line {line}."),
    "text.in_context": _("在原文中查看", "Read it in the source"),
    "text.problem": _("原文文件有问题:", "There is a problem with the source file:"),
    # ---- navigation and controls
    "nav.back_to_top": _("回到顶部", "Back to top"),
    # ---- provenance
    "prov.note": _("说明", "Note"),
    "prov.stated_as": _("原文写法", "As stated"),
    # ---- qualifiers and badges
    # ---- data and downloads
    "data.version": _("事实库版本", "Fact base version"),
    "data.released": _("发布日期", "Released"),
    "data.license": _("许可", "Licence"),
    "data.curator": _("整理者", "Curator"),
    # ---- table column headers
    "col.id": _("编号", "ID"),
    "col.fact_id": _("事实编号", "Fact ID"),
    "col.label": _("指标", "Indicator"),
    "col.value": _("数值", "Value"),
    "col.value_raw": _("数值(基本单位)", "Value (base units)"),
    "col.unit": _("单位", "Unit"),
    "col.stated": _("原文写法", "As stated"),
    "col.qualifier": _("限定", "Qualifier"),
    "col.period": _("年份", "Period"),
    "col.topic": _("主题", "Topic"),
    "col.chain": _("产业链", "Chain"),
    "col.position": _("原文顺序", "Order in text"),
    "col.project": _("项目", "Project"),
    "col.projects": _("项目数", "Projects"),
    "col.project_names": _("项目", "Projects"),
    "col.facts": _("数据数", "Figures"),
    "col.highlights": _("要点数", "Highlights"),
    "col.company": _("企业", "Company"),
    "col.product": _("产品", "Product"),
    "col.capacity": _("产能", "Capacity"),
    "col.stage": _("阶段", "Stage"),
    "col.stage_as_stated": _("原文所述阶段", "Stage as stated"),
    "col.programme": _("政策措施", "Programme"),
    "col.year": _("年份", "Year"),
    "col.kind": _("类型", "Kind"),
    "col.line": _("行号", "Line"),
    "col.description": _("说明", "Description"),
    "col.source": _("来源", "Source"),
    "col.quote": _("原文", "Quote"),
    "col.chain_basis": _("归类依据", "Chain basis"),
    "col.count": _("数量", "Count"),
    "col.outputs": _("产品与产能", "Outputs"),
    # ---- notices
    "notice.bad_lang": _(
        "网址中的语言参数无法识别,已按浏览器语言显示。",
        "The language in the address was not understood; showing the browser's language.",
    ),
    "notice.repeated_lang": _(
        "网址中给出了多个语言参数,已按浏览器语言显示。",
        "The address gives more than one language; showing the browser's language.",
    ),
    "notice.bad_param": _(
        "参数“{name}”的值无法识别,已显示全部。",
        "Unknown value for {name}; showing all.",
    ),
    "notice.bad_tab": _(
        "参数“{name}”未指向本页的任何部分,已打开第一个部分。",
        "{name} names no section of this page; showing the first.",
    ),
    "notice.repeated_param": _(
        "参数“{name}”出现了多次,已显示全部。",
        "{name} is given more than once; showing all.",
    ),
    "notice.chart_data_missing": _(
        "事实库中缺少本图所需的记录,图表未能绘制。",
        "The fact base lacks records this chart needs, so it is not drawn.",
    ),
    # ---- errors and stale data
    "error.load_title": _("事实库无法加载", "The fact base could not be loaded"),
    # ---- overview
    "overview.headlines": _("主要成果", "Headline results"),
    "overview.milestones": _("年度成果", "Results of the year"),
    "overview.counts": _(
        "{facts}个数据、{projects}个项目、{chains}条产业链",
        "{facts} figures, {projects} projects, {chains} chains",
    ),
    # ---- chains and projects
    "projects.bases": _("国家级基地与示范区", "National bases and demonstration zones"),
    "projects.capacity": _("产能", "Capacity"),
    # ---- livelihood
    "livelihood.rural": _("乡村振兴", "Rural revitalisation"),
    "livelihood.employment": _("就业", "Employment"),
    "livelihood.income": _("收入", "Income"),
    "livelihood.insurance": _("医疗保险", "Medical insurance"),
    "livelihood.priorities": _("新一年的任务", "Tasks for the new year"),
    # ---- sources and method
    "sources.method": _("整理方法", "Method"),
    "sources.errata": _("勘误({n}条)", "Errata ({n})"),
    # ---- charts
    "chart.annual_target_line": _("年度任务 = 100%", "annual target = 100%"),
    "chart.registered_population_line": _("户籍人口 = 100%", "registered population = 100%"),
    "chart.share_of_target": _("完成年度任务(%)", "Share of the annual target (%)"),
    "chart.growth": _("增长(%)", "Growth (%)"),
    "chart.share_of_population": _("占户籍人口(%)", "Share of the registered population (%)"),
    "chart.number_of_projects": _("项目数", "Number of projects"),
    "chart.number_of_records": _("记录数", "Number of records"),
    "chart.number_of_errata": _("勘误数", "Number of errata"),
    "chart.series": _("类别", "Series"),
    "chart.nothing_reported": _("原文未报道", "nothing reported"),
    "chart.root": _("全部产业链", "All chains"),
    "chart.unclassified": _("未归类", "Not classified"),
    "chart.none_in_unit": _(
        "原文没有以“{unit}”为单位的产能。",
        "The text reports no capacity in {unit}.",
    ),
    "chart.employment.title_all_beaten": _(
        "两项就业指标均超额完成年度任务:{values}",
        "Both employment targets were beaten: {values}",
    ),
    "chart.employment.title_all_met": _(
        "就业指标均完成年度任务:{values}",
        "Every employment target was met: {values}",
    ),
    "chart.employment.title_some_missed": _(
        "{total}项就业指标中有{missed}项未完成年度任务:{values}",
        "{missed} of {total} employment targets were missed: {values}",
    ),
    "chart.employment.note": _(
        "完成率 = 实际完成 ÷ 年度任务;虚线为100%。",
        "Share = result ÷ annual target; the dashed line is 100%.",
    ),
    "chart.income.title_rural_faster": _(
        "农村居民收入增长({rural})快于城镇居民({urban})",
        "Rural incomes grew faster than urban ones: {rural} against {urban}",
    ),
    "chart.income.title_urban_faster": _(
        "城镇居民收入增长({urban})快于农村居民({rural})",
        "Urban incomes grew faster than rural ones: {urban} against {rural}",
    ),
    "chart.income.title_equal": _(
        "城镇和农村居民收入增长相同:{urban}",
        "Urban and rural incomes grew alike: {urban}",
    ),
    "chart.income.note": _(
        "人均可支配收入比上年增长,原文未给出收入水平。",
        "Growth of per-capita disposable income over the previous year; the text gives no levels.",
    ),
    "chart.employment.urban_jobs": _("城镇新增就业", "New urban jobs"),
    "chart.employment.rural_transfer": _("农牧区劳动力转移就业", "Rural labour moved into work"),
    "chart.insurance.enrolled": _("基本医疗保险参保人数", "Enrolled in basic medical insurance"),
    "chart.urban": _("城镇", "Urban"),
    "chart.rural": _("农村", "Rural"),
    "chart.insurance.title_over": _(
        "医保参保人数相当于户籍人口的{share},超过100%",
        "Medical insurance enrolment equals {share} of the registered population, above 100%",
    ),
    "chart.insurance.title_under": _(
        "医保参保人数相当于户籍人口的{share}",
        "Medical insurance enrolment equals {share} of the registered population",
    ),
    "chart.insurance.note": _(
        "比例超过100%的原因原文未解释(参保人可能包括非户籍人口)。",
        "The text does not explain a share above 100% (enrolment may include people not on the register).",
    ),
    "chart.chains.title_some": _(
        "所列{total}条产业链中,仅{with_projects}条有项目报道",
        "Only {with_projects} of the {total} listed chains have projects reported",
    ),
    "chart.chains.title_all": _(
        "所列{total}条产业链均有项目报道",
        "All {total} listed chains have projects reported",
    ),
    "chart.chains.note": _(
        "按原文列出顺序排列;{silent}条链原文没有任何报道。",
        "In the order the text lists them; for {silent} chains the text reports nothing.",
    ),
    "chart.chains.note_mismatch": _(
        "原文称共{stated}条产业链,但列出{listed}个名称。",
        "The text says there are {stated} chains but lists {listed} names.",
    ),
    "chart.hierarchy.title": _(
        "{total}个已报道项目中有{count}个属于“{top}”",
        "{top} accounts for {count} of the {total} reported projects",
    ),
    "chart.hierarchy.title_empty": _("原文未报道任何项目", "The text reports no projects"),
    "chart.hierarchy.note": _(
        "只显示有项目的产业链;项目归入哪条链为整理者归类。",
        "Only chains with projects are shown; which chain a project belongs to is the curator's classification.",
    ),
    "chart.capacity.title": _(
        "报道产能最大的产品:{product},合计{total}",
        "Largest reported capacity: {product}, {total} in all",
    ),
    "chart.capacity.note": _(
        "只比较单位为“{unit}”的产能,按产品合计;≈ 和斜线表示约数;颜色表示项目阶段。",
        "Only capacities in {unit}, summed per product; ≈ and hatching mark approximate figures; colour shows the stage.",
    ),
    "chart.stage.title": _(
        "{total}个项目中{count}个处于“{stage}”阶段,为最多",
        'Most projects are at the "{stage}" stage: {count} of {total}',
    ),
    "chart.stage.title_empty": _("原文未报道任何项目", "The text reports no projects"),
    "chart.stage.note": _(
        "阶段为整理者根据原文用语归类;没有项目的阶段显示为0。",
        "Stages are the curator's reading of the text's words; stages without projects show 0.",
    ),
    "chart.errata.title": _(
        "{total}条勘误中最多的是“{kind}”:{count}条",
        'The most common kind of erratum is "{kind}": {count} of {total}',
    ),
    "chart.errata.title_empty": _("没有勘误", "No errata"),
    "chart.errata.note": _(
        "原文为印刷版面的抓取文本;没有勘误的类型显示为0。",
        "The source is a scrape of a printed page; kinds without errata show 0.",
    ),
    # ---- chart summaries: each chart's text alternative, one sentence with its figures
    "chart.summary.sentence": _("{what}:{items}。", "{what}: {items}."),
    "chart.summary.item": _("{name}{value}", "{name} {value}"),
    "chart.summary.employment": _("完成年度目标的比例", "Share of the annual target reached"),
    "chart.summary.income": _("人均可支配收入增长", "Growth of per-capita disposable income"),
    "chart.summary.insurance": _(
        "基本医疗保险参保人数相当于户籍人口的{share}。",
        "Enrolment in basic medical insurance equals {share} of the registered population.",
    ),
    "chart.summary.chains": _(
        "各产业链的关联项目、数据和亮点", "Linked projects, figures and highlights per chain"
    ),
    "chart.summary.chain_counts": _(
        "(项目{projects}个、数据{facts}项、亮点{highlights}条)",
        "(projects {projects}, figures {facts}, highlights {highlights})",
    ),
    "chart.summary.chains_silent": _(
        "其余{silent}条产业链原文未报道", "the other {silent} chains report nothing"
    ),
    "chart.summary.hierarchy": _("{total}个项目按产业链分", "{total} projects by chain"),
    "chart.summary.capacity": _("各产品合计产能({unit})", "Capacity per product in {unit}, summed"),
    "chart.summary.stage": _("{total}个项目按阶段分", "{total} projects by stage"),
    "chart.summary.errata": _("{total}条勘误按类型分", "{total} errata by kind"),
    "chart.summary.n_projects": _("{n}个", "{n}"),
    "chart.summary.n_errata": _("{n}条", "{n}"),
    # ---- hover texts (placeholders are filled by plotly, so they are %{...} not {...})
    "hover.value": _("数值", "Value"),
    "hover.stated": _("原文写法", "As stated"),
    "hover.projects": _("项目", "Projects"),
    "hover.facts": _("数据", "Figures"),
    "hover.highlights": _("要点", "Highlights"),
    "hover.lines": _("行号", "Lines"),
    # ---- strings the pages and haixi/app.py call (keys as they use them)
    "sidebar.language": _("语言", "Language"),
    "sidebar.version": _(
        "事实库版本 {version}({released}发布)",
        "Fact base version {version}, released {released}",
    ),
    "sidebar.source_note": _(
        "所有数字均摘自原文并附逐字引文;英文为整理者所译。",
        "Every figure is taken from the source with a verbatim quote; English is the curator's translation.",
    ),
    "warn.stale_title": _(
        "事实文件有错误,显示的是上一个有效版本",
        "The fact file has errors; showing the last valid version",
    ),
    "warn.stale": _(
        "修改后的事实文件未通过校验,仪表板仍显示上一个有效版本。问题如下:",
        "The changed fact file does not validate, so the dashboard still shows the last valid version. The problems:",
    ),
    "error.load_help": _(
        "请修正下列问题后刷新页面。",
        "Fix the problems below, then reload the page.",
    ),
    "error.unexpected": _(
        "本页出错,请刷新重试;错误已记录。",
        "Something went wrong on this page. Reload to try again; the error has been logged.",
    ),
    "notice.unknown_params": _(
        "网址中无法识别的参数已忽略:{names}",
        "Unknown parameters in the address were ignored: {names}",
    ),
    "notice.unknown_fact": _(
        "未找到链接中的记录,可能已更名或删除。",
        "The linked record was not found; it may have been renamed or removed.",
    ),
    "filter.all": _("全部", "All"),
    "filter.title": _("筛选", "Filters"),
    "cite.button": _("出处", "Source"),
    "cite.quote_label": _("原文引文", "Verbatim quote from the source"),
    "cite.where": _("《{title}》,{publisher}", "{title}, {publisher}"),
    "cite.line": _("第{line}行", "line {line}"),
    "cite.original_note": _(
        "引文为原文中文;标签与说明为整理者所译。",
        "The quote is the source's Chinese; labels and notes are the curator's translation.",
    ),
    "cite.permalink": _("固定链接", "Permalink"),
    "label.period": _("{year}年", "{year}"),
    "label.no_year": _("未注明年份", "No year given"),
    "label.original": _("原文:", "Original:"),
    "label.document_title": _("《{title}》", "“{title}”"),
    "chart.data": _("图表数据", "Data behind this chart"),
    "download.csv": _("下载CSV", "Download CSV"),
    "overview.intro": _(
        "{region}2022年经济社会发展成果,数据摘自《{source}》。",
        "The 2022 results of {region}, as reported in “{source}”.",
    ),
    "overview.sections": _("各页内容", "In this dashboard"),
    "overview.hl_figure": _("{label}:{value}", "{label}: {value}"),
    "overview.hl_chains": _(
        "原文称产业链为{stated}条,却列出{listed}个产业名称;其中{with_projects}条有项目报道。",
        "The text speaks of {stated} chains but lists {listed} industry names; "
        "{with_projects} have projects reported.",
    ),
    "overview.hl_projects": _(
        "原文点名{projects}个项目;{record}。",
        "The text names {projects} projects; {record}.",
    ),
    "overview.hl_text": _(
        "原文全文逐段标注,{quotes}处引文可回到原句。",
        "The whole source, annotated: each of its {quotes} quotes in its sentence.",
    ),
    "overview.hl_sources": _(
        "{facts}个数据均附原文引文;原文勘误{errata}条。",
        "{facts} figures, each with a verbatim quote; {errata} errata of the source text.",
    ),
    "economy.figures": _("主要数据", "Key figures"),
    "economy.milestones": _("年度成果", "Results of the year"),
    "economy.documents": _("政策文件", "Policy documents"),
    "economy.business_environment": _("营商环境", "Business environment"),
    "economy.business_environment_help": _(
        "原文提到的营商环境机制、活动与措施,按类型分组。",
        "The mechanisms, campaigns and measures for the business environment the text mentions, by kind.",
    ),
    "economy.strategies": _("发展战略", "Strategies"),
    "chains.listed_names": _("原文列出的产业名称", "Industry names listed in the text"),
    "chains.programmes": _("招商与创新政策", "Investment and innovation programmes"),
    "chains.programme_projects": _("关联项目:{n}个", "Linked projects: {n}"),
    "chains.reported": _("原文对各产业链的报道", "What the text reports on each chain"),
    "chains.each": _("逐链查看", "Chain by chain"),
    "chains.classification_note": _(
        "项目归入哪条产业链多为整理者归类;原文点名的链会注明。",
        "Which chain a project belongs to is mostly the curator's classification; chains the text names are marked.",
    ),
    "chains.counts": _("{projects}个项目、{facts}个数据", "{projects} projects, {facts} figures"),
    "chains.nothing_reported": _(
        "原文未报道该链的项目、数据或要点。",
        "The text reports no project, figure or highlight for this chain.",
    ),
    "projects.table": _("项目(显示{shown}/{total}个)", "Projects ({shown} of {total} shown)"),
    "projects.table_help": _(
        "每行一个项目的一种产品;阶段与产业链归类为整理者所作。政策措施、年份与原文见 CSV 下载和下方“各项目的原文出处”。",
        "One row per product of a project; the stage and the chain classification are the "
        "curator's. The programme, the year and the quote are in the CSV and in the list of "
        "where the text names each project, below.",
    ),
    "projects.sources": _("各项目的原文出处", "Where the text names each project"),
    "projects.capacity_other_units": _(
        "以兆瓦或兆瓦/年计的产能单位不同,不与吨/年比较,见项目表。",
        "Capacities in MW or MW per year are in other units and are not compared with tonnes; see the project table.",
    ),
    "projects.record": _("纪录与首创", "Records and firsts"),
    "livelihood.education_health": _("教育与卫生", "Education and health"),
    "livelihood.priorities_help": _(
        "原文为“新的一年”提出的任务,按领域分组;原文未写明年份,按上下文理解为2023年。",
        'The text\'s tasks for "the new year", by area; it does not name the year, read from the context as 2023.',
    ),
    "sources.sources": _("原文", "Sources"),
    "sources.version": _(
        "事实库版本:{version},发布于{released}。",
        "Fact base version {version}, released {released}.",
    ),
    "sources.how_to_cite": _("引用方式", "How to cite"),
    "sources.citation": _(
        "{title},版本{version}({released})。数据来源:《{source}》。",
        "{title}, version {version} ({released}). Source: {source}.",
    ),
    "sources.method_text": _(
        "每个数字均从原文摘录,并附逐字引文;数值换算为基本单位(元、人、吨/年、兆瓦),"
        "原文写法另行保存。“至少”表示原文给出的是门槛(如“首次突破”),“约”表示规模等级(如“……级”)。",
        "Every figure is copied from the source with a verbatim quote; values are converted to base "
        "units (yuan, people, tonnes per year, MW) and the text's own wording is kept. "
        '"At least" marks a threshold the text states (such as "passed ... for the first time"); '
        '"about" marks a size class (such as "...-class").',
    ),
    "sources.all_records": _("全部记录及其引文", "Every record with its quote"),
    "sources.search": _("搜索记录", "Search the records"),
    "sources.showing": _("显示{shown}/{total}条", "Showing {shown} of {total}"),
    "sources.downloads": _("下载数据", "Downloads"),
    "sources.datapackage": _("数据包(ZIP)", "Data package (ZIP)"),
    "sources.report": _("离线报告(HTML)", "Offline report (HTML)"),
    "sources.downloads_help": _(
        "离线报告为单个HTML文件,含全部页面、图表与引文,无需联网即可打开并打印为PDF;"
        "CSV为数据表;JSON与YAML为完整事实库;数据包为Frictionless格式,含全部表格及其说明。"
        "每个文件均注明事实库版本。",
        "The offline report is one HTML file with every page, chart and quote; it opens without "
        "a network connection and prints to PDF. CSV: the figures table; JSON and YAML: the "
        "whole fact base; the data package: every table with its Frictionless description. "
        "Every file carries the fact base version.",
    ),
    "qualifier_help.exact": _("原文给出的确切数字。", "The exact figure the text gives."),
    "qualifier_help.at_least": _(
        "原文只说超过某个门槛(如“首次突破百亿元”),实际数额未给出。",
        'The text only says a threshold was passed (such as "over CNY 10 billion for the first time"); '
        "the exact amount is not given.",
    ),
    "qualifier_help.approximate": _(
        "原文给出的是规模等级或约数(如“百万千瓦级”)。",
        'The text gives a size class or a round figure (such as "million-kilowatt class").',
    ),
    "col.section": _("类别", "Section"),
    "section.facts": _("数据", "Figures"),
    "section.chains": _("产业链", "Chains"),
    "section.projects": _("项目", "Projects"),
    "section.bases": _("基地", "Bases"),
    "section.documents": _("政策文件", "Documents"),
    "section.programmes": _("政策措施", "Programmes"),
    "section.milestones": _("成果", "Milestones"),
    "section.priorities": _("任务", "Tasks"),
    "section.errata": _("勘误", "Errata"),
    "section.sources": _("来源", "Sources"),
    # ---- one record of a section, in words ("changed fact x"; haixi/diff.py)
    "section_one.facts": _("事实", "fact"),
    "section_one.projects": _("项目", "project"),
    "section_one.chains": _("产业链", "chain"),
    "section_one.bases": _("基地", "base"),
    "section_one.documents": _("文件", "document"),
    "section_one.programmes": _("机制举措", "programme"),
    "section_one.milestones": _("成果", "milestone"),
    "section_one.priorities": _("重点任务", "priority"),
    "section_one.errata": _("勘误", "erratum"),
    "section_one.sources": _("来源", "source"),
    "section_one.meta": _("元数据", "meta"),
    # ---- the differences between two fact files (haixi/diff.py, python -m haixi diff)
    "diff.added": _("新增", "added"),
    "diff.removed": _("删除", "removed"),
    "diff.changed": _("修改", "changed"),
    "diff.none": _("无差异", "no differences"),
    "diff.version": _("版本", "version"),
    "diff.released": _("发布日期", "released"),
    "diff.quote": _("引文", "quote"),
    "diff.stated": _("原文", "stated"),
    "diff.nothing": _("无", "none"),
    "diff.yes": _("是", "yes"),
    "diff.no": _("否", "no"),
    # ---- the self-contained HTML report (haixi/report.py)
    "report.kind": _("单文件离线报告", "Self-contained offline report"),
    "report.snapshot": _(
        "本报告是仪表板在事实库版本{version}({released}发布)下的快照:"
        "一个文件,无需联网即可打开。事实如有更正,会出现在更高的版本中,引用时请注明版本。",
        "This report is a snapshot of the dashboard for fact base version {version}, released "
        "{released}: one file that opens without a network connection. Corrections appear in "
        "later versions, so cite the version you saw.",
    ),
    "report.contents": _("目录", "Contents"),
    "report.cite_record": _(
        "引用单个数字时,请同时注明记录编号,例如:{example}",
        "To cite one figure, add its record ID, for example: {example}",
    ),
    "report.quote": _("原文", "Original Chinese"),
    "report.publisher": _("提供方", "Publisher"),
    "report.interactive": _(
        "图表可交互:将鼠标移到图上可查看数值与原文写法。",
        "The charts are interactive: point at them to see values and the text's wording.",
    ),
    "report.print_hint": _(
        "打印或另存为PDF时,每个部分从新的一页开始。",
        "Printed or saved as PDF, each section starts on a new page.",
    ),
    "report.footer": _(
        "{title},版本{version},发布于{released}。许可:{license}。整理者:{curator}。",
        "{title}, version {version}, released {released}. Licence: {license}. "
        "Curated by {curator}.",
    ),
    "report.generated": _(
        "本文件由“python -m haixi report”生成,"
        "内容只取决于事实库版本和语言,不含生成时间。",
        "Made with “python -m haixi report”. Its content depends only on the fact base "
        "version and the language; it carries no time of making.",
    ),
    # ---- vocabularies (enum labels)
    "unit.yuan": _("元", "yuan (CNY)"),
    "unit.percent": _("百分比", "percent"),
    "unit.persons": _("人", "people"),
    "unit.count": _("个数", "count"),
    "unit.rank": _("位次", "rank"),
    "unit.t_per_year": _("吨/年", "tonnes per year"),
    "unit.mw": _("兆瓦", "megawatts (MW)"),
    "unit.mw_per_year": _("兆瓦/年", "megawatts per year"),
    "qualifier.exact": _("确数", "exact"),
    "qualifier.at_least": _("至少", "at least"),
    "qualifier.approximate": _("约数", "approximate"),
    "stage.negotiating": _("实质性洽谈", "In negotiation"),
    "stage.filed_and_approved": _("已备案立项", "Filed and approved"),
    "stage.started": _("开工", "Started"),
    "stage.under_construction": _("在建", "Under construction"),
    "stage.trial_production": _("试产", "Trial production"),
    "stage.grid_connected": _("并网发电", "Grid-connected"),
    "stage.built": _("已建成", "Built"),
    "topic.economy": _("经济", "Economy"),
    "topic.fiscal": _("财政", "Public finance"),
    "topic.industry": _("工业", "Industry"),
    "topic.business_environment": _("营商环境", "Business environment"),
    "topic.chains": _("产业链", "Industry chains"),
    "topic.energy": _("能源", "Energy"),
    "topic.employment": _("就业", "Employment"),
    "topic.income": _("收入", "Income"),
    "topic.insurance": _("医疗保险", "Medical insurance"),
    "topic.rural_revitalisation": _("乡村振兴", "Rural revitalisation"),
    "topic.education": _("教育", "Education"),
    "topic.health": _("卫生健康", "Health"),
    "topic.social_security": _("社会保障", "Social security"),
    "topic.culture": _("文化体育", "Culture and sport"),
    "topic.strategy": _("发展战略", "Strategy"),
    "basis.stated": _("原文所述", "Stated in the text"),
    "basis.curator": _("整理者判断", "Curator's reading"),
    "programme_kind.mechanism": _("机制", "Mechanism"),
    "programme_kind.programme": _("专项工作", "Programme"),
    "programme_kind.campaign": _("活动", "Campaign"),
    "programme_kind.pilot": _("试点", "Pilot"),
    "programme_kind.strategy": _("战略", "Strategy"),
    "programme_kind.measure": _("措施", "Measure"),
    "programme_kind.brand": _("品牌", "Brand"),
    "erratum_kind.cut_passage": _("段落截断", "Cut passage"),
    "erratum_kind.displaced_passage": _("段落错位", "Displaced passage"),
    "erratum_kind.split_word": _("词语被拆开", "Split word"),
    "erratum_kind.typo": _("笔误", "Typo"),
    "erratum_kind.count_mismatch": _("数目不符", "Count mismatch"),
    "erratum_kind.ambiguity": _("含义不明", "Ambiguity"),
    "source_kind.newspaper_feature": _("报刊专题报道", "Newspaper feature"),
    "source_kind.government_work_report": _("政府工作报告", "Government work report"),
    "source_kind.statistical_communique": _("统计公报", "Statistical communiqué"),
    "source_kind.press_release": _("新闻发布稿", "Press release"),
    "source_kind.policy_document": _("政策文件", "Policy document"),
    "area.employment": _("就业", "Employment"),
    "area.health": _("医疗卫生", "Health"),
    "area.social_security": _("社会保障", "Social security"),
    "area.culture": _("文化体育", "Culture and sport"),
    # ---- source files and the account of every number (haixi/provenance.py, haixi/coverage.py)
    "source_problem.missing": _(
        "来源{source}:找不到文件{path}", "source {source}: the file {path} is missing"
    ),
    "source_problem.unreadable": _(
        "来源{source}:无法读取{path}:{detail}", "source {source}: cannot read {path}: {detail}"
    ),
    "source_problem.not_utf8": _(
        "来源{source}:{path}不是UTF-8编码({detail})",
        "source {source}: {path} is not UTF-8 ({detail})",
    ),
    "source_problem.checksum": _(
        "来源{source}:{path}的SHA-256为{detail},与事实库记录的{expected}不符",
        "source {source}: {path} has sha256 {detail}, but the fact base records {expected}",
    ),
    "coverage.summary": _(
        "原文中共有{total}个数字:{records}个来自记录,{not_figures}个不是数据,{uncovered}个未覆盖",
        "{total} numbers in the sources: {records} from records, {not_figures} not figures, "
        "{uncovered} uncovered",
    ),
    "coverage.list": _("原文中的每个数字及其归属", "Every number in the source and what accounts for it"),
    "coverage.title": _("数字核对", "Every number accounted for"),
    "col.number": _("原文数字", "Number in the text"),
    "col.status": _("归属", "Accounted for as"),
    "col.records": _("记录", "Records"),
    "col.reason": _("整理者说明", "Curator's reason"),
    "coverage.status.record": _("来自记录", "From a record"),
    "coverage.status.not_a_figure": _("不是数据", "Not a figure"),
    "coverage.status.uncovered": _("未覆盖", "Uncovered"),
}


# --------------------------------------------------------------------------- look-ups


def check_lang(lang: str) -> str:
    """`lang` if it is one of LANGS; ValueError naming the languages allowed otherwise."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def t(key: str, lang: str, **fmt: object) -> str:
    """The string `key` in `lang`, with {placeholders} filled from `fmt`."""
    check_lang(lang)
    try:
        entry = CATALOGUE[key]
    except KeyError:
        raise KeyError(
            f"no UI string {key!r} in haixi/i18n.py CATALOGUE; add it in both languages"
        ) from None
    text = entry[lang]
    if not fmt and "{" not in text:
        return text
    try:
        return text.format(**fmt)
    except KeyError as exc:
        raise KeyError(f"UI string {key!r} needs the value {exc.args[0]!r}") from None


def pick(bilingual: Bilingual | dict | None, lang: str) -> str:
    """The `lang` side of a Bilingual (or {"zh":…, "en":…} dict); "" for None."""
    check_lang(lang)
    if bilingual is None:
        return ""
    if isinstance(bilingual, dict):
        return bilingual.get(lang) or ""
    return getattr(bilingual, lang)


def enum_key(member: Enum) -> str:
    """The catalogue key of a vocabulary member, e.g. Stage.started → "stage.started"."""
    prefix = ENUM_PREFIXES.get(type(member))
    if prefix is None:
        raise KeyError(f"{type(member).__name__} is not a vocabulary with labels")
    return f"{prefix}.{member.name}"


def enum_label(member: Enum, lang: str) -> str:
    """The translated label of a vocabulary member (Unit, Stage, Topic, ...)."""
    return t(enum_key(member), lang)


def resolve_lang(
    query_value: str | list | tuple | None, browser_locale: str | None
) -> tuple[str, str | None]:
    """(language, notice key or None) from ?lang= and the browser's locale.

    A valid ?lang= wins ("zh", "EN", "zh-CN", "en_US", "zh-TW": case-insensitive, region
    and script subtags allowed). A value that is empty, unknown, too long or given more
    than once is ignored with a notice key; the browser's locale then decides: "zh…" →
    zh, any other locale → en, no locale → DEFAULT_LANG. The raw value is never returned.
    """
    notice = None
    if isinstance(query_value, (list, tuple)):
        if len(query_value) > 1:
            return _browser_lang(browser_locale), "notice.repeated_lang"
        query_value = query_value[0] if query_value else None
    if query_value is not None:
        lang = _lang_of(query_value)
        if lang is not None:
            return lang, None
        notice = "notice.bad_lang"
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
    return "zh" if first.startswith("zh") else "en"


# --------------------------------------------------------------------------- self-check


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def missing_keys() -> list[str]:
    """Keys lacking a non-empty string in some language, plus enum labels not in the catalogue."""
    missing = [
        key
        for key, entry in CATALOGUE.items()
        if set(entry) != set(LANGS) or any(not (entry.get(lang) or "").strip() for lang in LANGS)
    ]
    for enum in ENUM_PREFIXES:
        for member in enum:
            key = enum_key(member)
            if key not in CATALOGUE:
                missing.append(key)
    return missing


def problems() -> list[str]:
    """Everything wrong with the catalogue; [] when it is complete and consistent."""
    found = [f"{key}: missing or empty in a language" for key in missing_keys()]
    for key, entry in CATALOGUE.items():
        en = entry.get("en") or ""
        zh = entry.get("zh") or ""
        if CJK.search(en):
            found.append(f"{key}: the English string contains CJK characters: {en!r}")
        try:
            if _fields(en) != _fields(zh):
                found.append(
                    f"{key}: placeholders differ: zh {sorted(_fields(zh))}, en {sorted(_fields(en))}"
                )
        except ValueError as exc:
            found.append(f"{key}: bad placeholder syntax ({exc})")
    return found
