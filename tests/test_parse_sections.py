"""Section trees come from the numbering, not from the Markdown heading depth."""

from rag.parse.issue import parse_issue
from rag.provisions import numbering


def paths(article):
    return [" > ".join(p) for p, _ in article.root.walk() if p]


def test_regulation_chapters_and_clauses(issue):
    yunnan = paths(issue.articles[6])
    assert "第三章 公共数据收集和归集 > 第二十二条" in yunnan
    assert "第八章 附则 > 第四十九条" in yunnan
    assert sum(p.count(" > 第") for p in yunnan) == 49  # every clause, none lost
    # （一）… items inside a clause are not sections of their own
    assert not any("（一）" in p or "(一)" in p for p in yunnan)


def test_heading_depth_is_ignored(issue):
    plan = paths(issue.articles[0])
    # （四） is H4 and （七） is H3 in the source: both are children of 三、
    assert "三、重点行动 > （四）数据要素×智能制造" in plan
    assert "三、重点行动 > （七）数据要素×交通运输" in plan
    # 二、 is H2 but 一、 is H3: siblings all the same
    assert "二、总体要求 > （三）总体目标" in plan


def test_inline_numbered_items_and_bold_provisions(issue):
    henan = paths(issue.articles[4])
    assert "二、主要任务 > （一）实施数字化转型引领行动 > 1.加快企业数字化赋能" in henan
    assert "四、组织实施 > （四）严格督导考核" in henan  # bold inline, under an H4 heading
    anhui = paths(issue.articles[5])
    assert "二、主要任务 > (二) 系统优化算力基础设施布局 > 3. 高标准打造智能计算中心" in anhui  # half-width, H2


def test_unnumbered_headings_hold_numbered_children(issue):
    report = paths(issue.articles[8])
    assert "报告主要内容 > 1. 人工智能产业知识产权环境" in report
    assert "报告主要内容 > 2.人工智能领域全球知识产权治理相关实践" in report


def test_numbering_styles():
    assert numbering("第二十二条 自然人") == ("clause", "第二十二条")
    assert numbering("（十七）优化") == ("paren_cn", "（十七）")
    assert numbering("(二) 系统") == ("paren_cn", "(二)")
    assert numbering("3.培育") == ("arabic", "3.")
    assert numbering("1.57亿户") is None
    assert numbering("2023年") is None


SYNTHETIC = """# 测试简报

2024年1月5日 第1期 总第9期

## 本期要目

### 地方新政

01 某省数据条例

### 编者按

这是编者按。

# 某省数据条例

#### 第一章 总则

第一条 为了规范数据处理活动，制定本条例。

## 第二条 本条例适用于本省。

### 第二章 数据共享

**第三条**数据以共享为原则。

（一）无条件共享；

（二）有条件共享。

（来源：某省人民政府）

# 与本刊无关的推广页

推广文字。
"""


def test_synthetic_bulletin_with_lying_headings():
    issue = parse_issue(SYNTHETIC, "x.md")
    assert [a.title for a in issue.articles] == ["某省数据条例"]
    a = issue.articles[0]
    assert a.source == "某省人民政府"
    assert "".join(b.text for b in a.editor_note) == "这是编者按。"
    assert paths(a) == [
        "第一章 总则",
        "第一章 总则 > 第一条",
        "第一章 总则 > 第二条",
        "第二章 数据共享",
        "第二章 数据共享 > 第三条",
    ]
    third = a.root.children[1].children[0]
    assert [b.text for b in third.blocks] == ["第三条数据以共享为原则。", "（一）无条件共享；", "（二）有条件共享。"]


def test_a_contents_entry_without_its_article_does_not_hide_the_rest():
    text = SYNTHETIC.replace("01 某省数据条例", "01 缺失的文章\n\n02 某省数据条例")
    issue = parse_issue(text, "x.md")
    assert [a.title for a in issue.articles] == ["某省数据条例"]
    assert issue.articles[0].page == 2
