"""Place names: the provinces these bulletins are organised by, and the cities they name most."""

from __future__ import annotations

import re
import unicodedata

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
CITIES = (
    "石家庄 太原 呼和浩特 沈阳 大连 长春 哈尔滨 南京 苏州 无锡 杭州 宁波 合肥 芜湖 福州 厦门 南昌 济南 青岛 "
    "郑州 武汉 长沙 广州 深圳 南宁 海口 成都 贵阳 昆明 拉萨 西安 兰州 西宁 银川 乌鲁木齐 雄安"
).split()
_SUFFIX = re.compile(r"(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$")


def places_in(text: str) -> list[str]:
    """Provinces and cities named in ``text``, in the order of the gazetteer."""
    return [p for p in (*PROVINCES, *CITIES) if p in text]


def provinces_named(text: str) -> list[str]:
    """Provinces a question names, in Chinese or (whole words) in English."""
    q = unicodedata.normalize("NFKC", text).lower()
    return [zh for zh, en in PROVINCES.items() if zh in q or re.search(rf"\b{en}\b", q)]


def bare(place: str) -> str:
    """贵州省 -> 贵州, 深圳市 -> 深圳: the form titles and sources are matched on."""
    return _SUFFIX.sub("", place.strip()) or place.strip()
