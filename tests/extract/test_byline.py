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
