"""Meta lines: source, authors, editor; trailing labels never stick to values."""

from __future__ import annotations

from govnews.extract.byline import is_meta_line, merge_bylines, parse_byline


def test_source_stops_at_next_label() -> None:
    assert parse_byline("2020-11-24 10:59:00 来源:山西日报 浏览次数:").source == "山西日报"
    assert parse_byline("信息来源：忻州市政府办 点击：123").source == "忻州市政府办"
    assert parse_byline("文章来源：新华社 作者：张三").source == "新华社"
    assert parse_byline("发布机构：岢岚县人民政府").source == "岢岚县人民政府"


def test_authors_reporters_and_correspondents() -> None:
    assert parse_byline("记者 刘玺东 易赛楠 通讯员 王某").authors == ["刘玺东", "易赛楠", "王某"]
    assert parse_byline("新京报记者 裴剑飞 编辑：王五").authors == ["裴剑飞"]
    assert parse_byline("作者：张三 2019-01-01").authors == ["张三"]


def test_editor_forms() -> None:
    assert parse_byline("责任编辑：王五").editor == "王五"
    assert parse_byline("[责任编辑：刘斌]").editor == "刘斌"
    assert parse_byline("（编辑：李四）").editor == "李四"
    assert parse_byline("责编：赵六 校对：钱七").editor == "赵六"


def test_prose_is_not_a_meta_line() -> None:
    prose = "据了解，该项目资金来源：省级财政专项资金，" + "建设内容包括道路、桥梁、绿化等多个方面。" * 12
    assert parse_byline(prose).source is None
    assert parse_byline("他说，来源于群众的意见最宝贵。").source is None


def test_merge_keeps_first_and_dedups_authors() -> None:
    merged = merge_bylines(["来源：甲报 记者 张三", "来源：乙报 记者 张三 李四", "责任编辑：王五"])
    assert (merged.source, merged.authors, merged.editor) == ("甲报", ["张三", "李四"], "王五")


def test_is_meta_line() -> None:
    assert is_meta_line("[责任编辑：刘斌]") and is_meta_line("原标题：快讯！某事") and is_meta_line("来源：新华社")
    assert not is_meta_line("会议指出，要坚持人民至上。") and not is_meta_line("他说：来源要核实。")


def test_account_names_are_not_authors() -> None:
    assert parse_byline("作者:admin | 分类:资讯 | 浏览:128 | 评论:0").authors == []
    assert parse_byline("作者：佚名").authors == []
    assert parse_byline("作者：小编 张三").authors == ["张三"]


def test_blank_placeholders_are_no_value() -> None:
    assert parse_byline("责任编辑：无").editor is None
    assert parse_byline("来源：暂无 作者：张三").source is None
    assert parse_byline("来源：网络").source is None  # a placeholder is not a source
    assert parse_byline("来源：本站原创").source is None


def test_traditional_labels_are_read_and_values_keep_their_script() -> None:
    line = "時間：2024年05月06日 16:20　來源：忻州日報　作者：記者 張曉東　瀏覽次數："
    got = parse_byline(line)
    assert got.source == "忻州日報" and got.authors == ["張曉東"]
    assert parse_byline("來源：山西省人民政府辦公廳").source == "山西省人民政府辦公廳"
    assert parse_byline("信息來源：省政府辦公廳 點擊：12").source == "省政府辦公廳"
    assert parse_byline("文章來源：新華社 通訊員 劉麗 責任編輯：王芳").authors == ["劉麗"]
    assert parse_byline("責任編輯：王芳").editor == "王芳" and parse_byline("編輯：王芳").editor == "王芳"
    assert parse_byline("發佈日期：2024-01-02 閱讀：5").source is None


def test_traditional_meta_lines_and_prose_that_is_not_one() -> None:
    assert is_meta_line("（編輯：王芳）") and is_meta_line("責任編輯：於雪") and is_meta_line("來源：新華社")
    assert is_meta_line("發布時間：2024-03-05")
    assert not is_meta_line("會議指出，要持續鞏固拓展脫貧攻堅成果。")


def test_words_after_a_reporter_label_are_not_names() -> None:
    """Real lines from portals: prose after 记者 gives no author; numbers and notes neither."""
    for line in ("记者了解到，涉事项目的名称为长沙“龙湖水晶郦城”", "对此，龙湖方面相关负责人向记者表示，长沙市住建局",
                 "南都记者了解到，今年7月的一天", "作者：网络整理 阅读： 1644", "记者从县委宣传部获悉，全县",
                 "时间：2019-09-25 作者：网络整理", "作者：未知 责任编辑：棒棒不是糖"):
        assert parse_byline(line).authors == [], line


def test_a_name_followed_by_the_photo_mark_is_a_photographer() -> None:
    assert parse_byline("资料图：市民在寒冷天气中出行。中新社记者 贾天勇 摄").authors == []


def test_reporter_label_and_byline_suffix() -> None:
    assert parse_byline("（记者陈智 整合）").authors == ["陈智"]
    assert parse_byline("采写：南都记者 余毅菁 向雪妮").authors == ["余毅菁", "向雪妮"]
    assert parse_byline("县融媒体中心记者:陈庆彬").authors == ["陈庆彬"]
    assert parse_byline("全媒体记者:王勃 陶然").authors == ["王勃", "陶然"]


def test_letter_spaced_labels_and_names() -> None:
    assert parse_byline("记 者 | 张子鹤 赵 鑫").authors == ["张子鹤", "赵鑫"]
    assert parse_byline("编 辑:苏 伟").editor == "苏伟"
    assert parse_byline("编辑 刘晓阳 校对 李铭").editor == "刘晓阳"
    assert parse_byline("编辑部的故事").editor is None


def test_labels_glued_to_dates_outlets_and_values() -> None:
    got = parse_byline("2019-09-26 12:11来源：证券时报网作者：李在山")
    assert (got.source, got.authors) == ("证券时报网", ["李在山"])
    got = parse_byline("发表于2014-08-24 21:30| 1164次阅读| 来源CSDN| 0 条评论| 作者魏星")
    assert (got.source, got.authors) == ("CSDN", ["魏星"])
    assert parse_byline("来源于：东区办事处").source == "东区办事处"
    assert parse_byline("2019-08-13 14:07来源：澎湃新闻·澎湃号·政务").source == "澎湃新闻·澎湃号·政务"


def test_outlet_printed_beside_the_date() -> None:
    from govnews.extract.byline import outlet_beside_date

    assert outlet_beside_date("2019-09-26 10:56:28 证券时报网") == "证券时报网"
    assert outlet_beside_date("中国网 2019-11-25 10:37:31") == "中国网"
    assert outlet_beside_date("2019-09-05 11:10 游民星空[整理] 1") == "游民星空"
    assert outlet_beside_date("原创 南方都市报 2019-09-09 16:01:46") == "南方都市报"
    assert outlet_beside_date("2019年09月11日01:53 新浪科技 我有话说(1307人参与) 收藏本文") == "新浪科技"
    # Left alone: a weekday, a person, two candidate tokens, a sentence.
    for line in ("2020-01-01 星期三", "2021-05-06 张三", "2019年09月11日 富达传媒 时政新闻 1665 0",
                 "2019年9月1日，县委召开会议。"):
        assert outlet_beside_date(line) is None, line


def test_date_line_outlet_is_never_a_control_a_date_label_or_the_site_address() -> None:
    """Real date lines (caixin, sina, blogs, forums) print controls, roles and addresses beside the date:
    none of them is who published the article; the outlet next to a site address still is."""
    from govnews.extract.byline import outlet_beside_date

    assert outlet_beside_date("http://www.sina.net 2005年03月21日 11:21 《理财周刊》") == "理财周刊"
    assert outlet_beside_date("http://house.sina.com.cn 2005年03月31日03:18 北京娱乐信报") == "北京娱乐信报"
    for line in ("2023年09月26日 17:22 试听", "2005-09-11 18:04:42 楼主", "海姑娘写于2005年3月16日",
                 "建立于:2004年10月6日", "最后更新: 2019-09-07 15:14:21", "AUTO.SOHU.COM 2005年05月13日14:15",
                 "2022年02月12日 查看旧版(2007年11月18号以前)", "桐川县开展防汛应急演练 2026-06-30"):
        assert outlet_beside_date(line) is None, line
    assert outlet_beside_date("2023-01-01 山西省忻州市人民政府办公室") == "山西省忻州市人民政府办公室"


def test_name_slash_outlet_bare_outlet_and_dateline_outlet() -> None:
    from govnews.extract.byline import bare_outlet, dateline_outlet, name_and_outlet

    assert name_and_outlet("石佳/中国青年报") == ("石佳", "中国青年报")
    assert name_and_outlet("图/文") is None
    assert bare_outlet(["首页 > 中南海", "新华社", "2020-01-03 18:13"]) == "新华社"
    assert bare_outlet(["新华社", "记者 张三"]) is None
    assert dateline_outlet("新京报讯（记者 陆一夫）11月25日，") == "新京报"
    assert dateline_outlet("长江网10月4日讯（记者陈智 整合） 国庆") == "长江网"
    assert dateline_outlet("新华社北京9月1日电 近日") == "新华社"
    assert dateline_outlet("本报讯 近日，") is None and dateline_outlet("据中新网9月9日报道，") is None
    # a repost's "according to" is no part of the name; 据悉 and 据了解 open no dateline
    assert dateline_outlet("据黔东南政府网消息 2月21日，省电视台") == "黔东南政府网"
    assert dateline_outlet("据悉，本报讯") is None and dateline_outlet("据了解，县政府") is None


def test_glosses_inside_a_byline_are_read_past() -> None:
    got = parse_byline("大众网记者 张海(zhāng)峰 通讯员 李(lǐ)明")
    assert got.authors == ["张海峰", "李明"]
