"""The parser on the real bulletin: issue metadata, articles, notes, noise."""

from rag.text import compact

TITLES = [
    "“数据要素×”三年行动计划（2024—2026年）（征求意见稿）",
    "关于加快推进视听电子产业高质量发展的指导意见",
    "重庆市 AI 及服务机器人产业集群高质量发展行动计划（2023—2027 年）",
    "北京市关于推动科技企业孵化器创新发展的指导意见",
    "河南省加快数字化转型推动制造业高端化智能化绿色化发展行动计划（2023—2025年）",
    "安徽省数字基础设施建设发展三年行动方案（2023—2025年）",
    "云南省公共数据管理办法（试行）",
    "2023年1—11月份通信业经济运行情况",
    "人工智能知识产权法律问题研究报告（2023 年）",
]


def test_masthead(issue):
    assert issue.name == "大数据发展动态"
    assert (issue.date, issue.number, issue.total_number) == ("2023-12-22", "51", "162")
    assert issue.editors["主编"] == "贵阳智能大数据战略研究院"
    assert issue.editors["联合主编"] == "贵州省大数据发展促进会"
    assert "数字中国智库联盟" in issue.editors["学术支持"]
    assert issue.issue_id == "2023-51"


def test_table_of_contents(issue):
    assert [e["page"] for e in issue.toc] == [1, 10, 18, 25, 31, 41, 51, 62, 68]
    assert [e["column"] for e in issue.toc] == ["国策要论"] * 2 + ["地方新政"] * 5 + ["产业镜像", "前沿观察"]


def test_nine_articles_with_titles_columns_and_sources(issue):
    assert [a.title for a in issue.articles] == TITLES
    by_title = {a.title: a for a in issue.articles}
    assert by_title[TITLES[0]].source == "国家数据局"
    assert by_title[TITLES[6]].column == "地方新政"
    assert by_title[TITLES[6]].page == 51
    assert by_title[TITLES[7]].source == "工业和信息化部运行监测协调局"  # half-width brackets
    assert by_title[TITLES[8]].column == "前沿观察"


def test_editor_notes_belong_to_the_article_they_introduce(issue):
    notes = {a.title: "".join(b.text for b in a.editor_note) for a in issue.articles}
    assert "国家数据局发布《“数据要素×”三年行动计划" in notes[TITLES[0]]
    assert "联合印发《关于加快推进视听电子产业" in notes[TITLES[1]]
    assert "重庆市经济信息委发布" in notes[TITLES[2]]
    assert "云南省人民政府办公厅印发" in notes[TITLES[6]]
    assert notes[TITLES[7]] == "" and notes[TITLES[8]] == ""


def test_articles_end_at_their_source_line(issue, bulletin_text):
    for a in issue.articles:
        tail = bulletin_text[a.start : a.end]
        assert tail.startswith("#") is False  # the span starts at the title text itself
        assert "来源" in tail[-40:]


def test_trailer_is_not_an_article_and_noise_is_not_a_passage(issue, chunks):
    assert not any("促进会" in a.title or a.title[-3:] == "研究院" for a in issue.articles)
    body = "\n".join(c.text for c in chunks if c.kind != "issue_card")
    for noise in [
        "80 余部公开出版物",
        "会员单位 180 余家",
        "扫描二维码",
        "阅读全文",
        "图1 电信业务收入",
        "本信息产品为内部交流学习资料",
    ]:
        assert noise not in body, noise


def test_one_issue_card_with_masthead_and_contents(chunks):
    cards = [c for c in chunks if c.kind == "issue_card"]
    assert len(cards) == 1
    text = cards[0].text
    assert "2023年12月22日 第51期 总第162期" in text
    assert "51 云南省公共数据管理办法(试行)" in text
    assert "贵阳智能大数据战略研究院" in text
    assert "声明" not in text and "本信息产品" not in text
    assert text.count("2023年12月22日") == 1  # the inner cover repeats it


def test_no_other_masthead_or_contents_text_becomes_a_passage(chunks):
    others = "\n".join(c.text for c in chunks if c.kind != "issue_card")
    assert "总第162期" not in others
    assert "01 “数据要素×”" not in others
    assert "编辑地址" not in others


def test_page_break_split_sentence_is_repaired(chunks):
    hits = [c for c in chunks if "整合订单需求、物流" in c.text]
    assert len(hits) == 1
    assert "加快液冷、自然冷源" in "".join(c.text for c in chunks)
    # the repaired sentence still matches the source in two pieces
    assert compact("优化配置产业链资源") in compact(hits[0].text)


def test_sentence_ends_are_not_joined(issue):
    yunnan = issue.articles[6]
    clause = next(s for _, s in yunnan.root.walk() if s.title == "第二十二条")
    assert len(clause.blocks) == 3
