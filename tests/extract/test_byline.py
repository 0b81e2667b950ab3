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
    assert parse_byline("来源：网络").source == "网络"


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
