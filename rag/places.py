"""Place names: the provinces these bulletins are organised by, the cities that issue their own plans,
and the multi-province regions that plans and statistics name; with their English names, so an
English question finds the same places."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Province-level divisions; English names for English questions.
PROVINCES = {
    "北京": "beijing", "天津": "tianjin", "河北": "hebei", "山西": "shanxi", "内蒙古": "inner mongolia",
    "辽宁": "liaoning", "吉林": "jilin", "黑龙江": "heilongjiang", "上海": "shanghai", "江苏": "jiangsu",
    "浙江": "zhejiang", "安徽": "anhui", "福建": "fujian", "江西": "jiangxi", "山东": "shandong",
    "河南": "henan", "湖北": "hubei", "湖南": "hunan", "广东": "guangdong", "广西": "guangxi",
    "海南": "hainan", "重庆": "chongqing", "四川": "sichuan", "贵州": "guizhou", "云南": "yunnan",
    "西藏": "tibet", "陕西": "shaanxi", "甘肃": "gansu", "青海": "qinghai", "宁夏": "ningxia",
    "新疆": "xinjiang", "香港": "hong kong", "澳门": "macao", "台湾": "taiwan",
}  # fmt: skip
# Provincial capitals and the other cities that issue their own plans.
CITY_NAMES = {
    "石家庄": "shijiazhuang", "太原": "taiyuan", "呼和浩特": "hohhot", "沈阳": "shenyang", "大连": "dalian",
    "长春": "changchun", "哈尔滨": "harbin", "南京": "nanjing", "苏州": "suzhou", "无锡": "wuxi",
    "杭州": "hangzhou", "宁波": "ningbo", "合肥": "hefei", "芜湖": "wuhu", "福州": "fuzhou", "厦门": "xiamen",
    "南昌": "nanchang", "济南": "jinan", "青岛": "qingdao", "郑州": "zhengzhou", "武汉": "wuhan",
    "长沙": "changsha", "广州": "guangzhou", "深圳": "shenzhen", "南宁": "nanning", "海口": "haikou",
    "成都": "chengdu", "贵阳": "guiyang", "昆明": "kunming", "拉萨": "lhasa", "西安": "xi'an", "兰州": "lanzhou",
    "西宁": "xining", "银川": "yinchuan", "乌鲁木齐": "urumqi", "雄安": "xiong'an",
}  # fmt: skip
CITIES = tuple(CITY_NAMES)
# Regions of several provinces, as statistics and national plans name them (the bare form, as written).
REGION_NAMES = {
    "东部": ("eastern region", "east china", "eastern china"),
    "中部": ("central region", "central china"),
    "西部": ("western region", "west china", "western china"),
    "东北": ("northeast", "north-east", "northeastern", "north-eastern"),
    "京津冀": ("beijing-tianjin-hebei", "jing-jin-ji"),
    "长三角": ("yangtze river delta",),
    "粤港澳": ("greater bay area", "guangdong-hong kong-macao", "guangdong-hong kong-macau"),
    "珠三角": ("pearl river delta",),
    "成渝": ("chengdu-chongqing",),
    "川渝": ("sichuan-chongqing",),
}
REGIONS = tuple(REGION_NAMES)
# Countries and blocs that reports compare China with; a follow-up may switch to one (那欧盟呢？ And the EU?).
COUNTRY_NAMES = {
    "美国": ("united states", "the us", "usa", "america"), "欧盟": ("european union", "the eu", "eu"),
    "日本": ("japan",), "英国": ("united kingdom", "the uk", "britain"), "韩国": ("south korea", "korea"),
    "德国": ("germany",), "法国": ("france",), "新加坡": ("singapore",), "印度": ("india",), "俄罗斯": ("russia",),
    "加拿大": ("canada",), "澳大利亚": ("australia",),
}  # fmt: skip
COUNTRIES = tuple(COUNTRY_NAMES)
_SUFFIX = re.compile(r"(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区|地区)$")


# 东、中、西部和东北地区: a list that names 部 once for all its members.
_ELLIPSIS = re.compile(r"((?:[东南西北中]\s*、\s*)+[东南西北中])部")


def spelled_out(text: str) -> str:
    """``text`` with elliptical region lists written out (东、中、西部 -> 东部、中部、西部), for matching."""
    return _ELLIPSIS.sub(lambda m: "、".join(ch + "部" for ch in m.group(1) if ch not in "、 "), text)


def places_in(text: str) -> list[str]:
    """Provinces and cities named in ``text``, in the order of the gazetteer."""
    return [p for p in (*PROVINCES, *CITIES) if p in text]


@lru_cache(maxsize=1)
def english_places() -> dict[str, str]:
    """English name -> Chinese (bare) name of every province, city and region above."""
    out = {en: zh for zh, en in PROVINCES.items()}
    out |= {en: zh for zh, en in CITY_NAMES.items()}
    out |= {en: zh for zh, names in REGION_NAMES.items() for en in names}
    return out


def provinces_named(text: str) -> list[str]:
    """Provinces a question names, in Chinese or (whole words) in English."""
    q = unicodedata.normalize("NFKC", text).lower()
    return [zh for zh, en in PROVINCES.items() if zh in q or re.search(rf"\b{en}\b", q)]


def bare(place: str) -> str:
    """贵州省 -> 贵州, 深圳市 -> 深圳, 东部地区 -> 东部: the form titles and sources are matched on."""
    return _SUFFIX.sub("", place.strip()) or place.strip()
