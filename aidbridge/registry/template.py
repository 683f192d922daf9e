"""The household import template: one row per member; the household's columns repeat on each
of its members' rows. Headers may be English or Chinese. Pure data, no Django.

Responsible helpers are not in it: each is a dated term of its own (several over the years,
sometimes two at once) with a phone that exports must mask, which one row per member cannot
carry cleanly; they are assigned on the household's page or through the API."""

# (key, English header, Chinese header, what goes in it)
COLUMNS = [
    ("household_number", "household_number", "户编号", "unique number of the household file"),
    ("village_code", "village_code", "村代码", "12-digit code of the village"),
    ("address", "address", "住址", "optional"),
    (
        "main_cause",
        "main_cause",
        "主要致贫原因",
        "illness, disability, schooling, disaster, land, water, skills, labour, funds, "
        "transport, motivation, other",
    ),
    ("secondary_causes", "secondary_causes", "其他致贫原因", "the same words, separated by ';'"),
    ("status", "status", "户状态", "not_poor, marginal, poor, lifted, monitored, risk_eliminated"),
    ("identified_year", "identified_year", "识别年度", "e.g. 2014; optional"),
    ("income_year", "income_year", "收入年度", "year of the income figure"),
    ("per_capita_income", "per_capita_income", "人均纯收入", "whole yuan per person per year"),
    ("name", "name", "姓名", "member's name"),
    ("resident_id", "resident_id", "身份证号", "18 characters; the last may be X"),
    (
        "relation",
        "relation",
        "与户主关系",
        "head, spouse, child, child_in_law, grandchild, parent, grandparent, sibling, other",
    ),
    ("labour", "labour", "劳动能力", "normal, weak, lost, none"),
    ("health", "health", "健康状况", "healthy, chronic, serious, disabled"),
    ("disability_grade", "disability_grade", "残疾等级", "1 to 4, or empty"),
    (
        "schooling",
        "schooling",
        "文化程度",
        "preschool, illiterate, primary, junior, senior, vocational, college",
    ),
    ("medical_insurance", "medical_insurance", "参加医保", "yes or no (是/否)"),
]
HOUSEHOLD_KEYS = [c[0] for c in COLUMNS[:9]]
MEMBER_KEYS = [c[0] for c in COLUMNS[9:]]
HEADER_TO_KEY = {h: key for key, en, zh, _doc in COLUMNS for h in (en, zh)}
ENGLISH_HEADER = [c[1] for c in COLUMNS]
CHINESE_HEADER = [c[2] for c in COLUMNS]
