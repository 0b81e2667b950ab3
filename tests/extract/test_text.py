"""Block-aware text lines and whitespace rules."""

from __future__ import annotations

from govnews.extract.dom import parse
from govnews.extract.measure import measure
from govnews.extract.text import collapse, link_density, simplified_chars, squash, text_lines


def test_blocks_and_br_make_paragraphs() -> None:
    root = parse("<div>第一段<br>第二段<br><br><p>第三段</p>尾巴<div>第五段<span>接着</span></div></div>")
    assert text_lines(root) == ["第一段", "第二段", "第三段", "尾巴", "第五段接着"]


def test_whitespace_collapsed_inside_trimmed_at_ends() -> None:
    root = parse("<p>\u3000\u3000 今天\n\n  天气\u00a0\u00a0很好。&nbsp;\u3000</p><p> \u3000 </p>")
    assert text_lines(root) == ["今天 天气 很好。"]


def test_skip_set_drops_subtrees_but_keeps_tails() -> None:
    root = parse("<div><p>甲</p><figure><img><figcaption>图注</figcaption></figure>乙</div>")
    skip = set(root.xpath("//figure"))
    assert text_lines(root.xpath("//div")[0], skip) == ["甲", "乙"]


def test_collapse_and_squash() -> None:
    assert collapse(" a \u3000 b ") == "a b"
    # A zero-width character is no space: it would split a word; the cleaning deletes it and records that.
    assert collapse("\u200b安全\u200b生产\ufeff工作 ") == "安全\u200b生产\ufeff工作"
    assert squash(" a \n b\u3000c ") == "abc"
    assert collapse(None) == "" and squash(None) == ""


def test_link_density_and_measure_agree() -> None:
    root = parse("<div><p>正文，很长。<a href='#'>链接</a></p><a href='#'>更多链接文字</a></div>")
    div = root.xpath("//div")[0]
    st = measure(root)[div]
    assert st.chars == 14 and st.links == 8 and st.paragraphs == 1 and st.punct == 2
    assert abs(link_density(div) - 8 / 14) < 1e-9 and abs(st.link_density - 8 / 14) < 1e-9


def test_direct_text_counts_inline_not_block_children() -> None:
    root = parse("<div>直接<font>内联</font><br>再来<p>段落里的</p></div>")
    st = measure(root)[root.xpath("//div")[0]]
    assert st.direct_chars == len("直接内联再来") and st.chars == len("直接内联再来段落里的")


def test_huge_paragraph_is_one_line() -> None:
    text = "这是一句话，很长。" * 200_000
    assert text_lines(parse(f"<p>{text}</p>")) == [text]


def test_simplified_chars_maps_characters_one_for_one() -> None:
    line = "來源：山西省人民政府辦公廳　瀏覽次數："
    assert simplified_chars(line) == "来源：山西省人民政府办公厅　浏览次数："
    assert len(simplified_chars(line)) == len(line)
    assert simplified_chars("来源：新华社 2024") == "来源：新华社 2024"  # Simplified text and digits untouched


def test_a_data_tables_rows_are_one_line_each_cells_joined() -> None:
    root = parse("<div><table><tr><th>序号</th><th>姓名</th><th>等级</th></tr>"
                 "<tr><td>1</td><td>邓宗尧</td><td><p>特等奖</p></td></tr>"
                 "<tr><td>2</td><td></td><td>一等奖</td></tr></table>尾</div>")
    assert text_lines(root) == ["序号 | 姓名 | 等级", "1 | 邓宗尧 | 特等奖", "2 |  | 一等奖", "尾"]


def test_a_label_cell_runs_into_its_value() -> None:
    root = parse("<table><tr><td>来源：</td><td>县融媒体中心</td></tr><tr><td>发布日期：</td><td>2023-06-12</td></tr>"
                 "</table>")
    assert text_lines(root) == ["来源：县融媒体中心", "发布日期：2023-06-12"]


def test_layout_tables_are_not_rows() -> None:
    """A cell holding blocks or a long paragraph is a page's layout; a one-row table is a frame, not data."""
    long = "县委召开会议，研究部署当前工作。" * 15
    layout = parse(f"<table><tr><td><div>导航</div></td><td><p>{long}</p></td></tr>"
                   f"<tr><td>左</td><td>{long}</td></tr></table>")
    assert text_lines(layout) == ["导航", long, "左", long]
    one_row = parse("<table><tr><td>首页</td><td>新闻</td></tr></table>")
    assert text_lines(one_row) == ["首页", "新闻"]
    nested = parse("<table><tr><td>甲</td><td><table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr>"
                   "</table></td></tr><tr><td>乙</td><td>丙</td></tr></table>")
    assert text_lines(nested) == ["甲", "1 | 2", "3 | 4", "乙", "丙"]
