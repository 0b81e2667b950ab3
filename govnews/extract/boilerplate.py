"""DOM-level boilerplate removal: navigation, breadcrumbs, share bars, comments, related lists, footers.

Three kinds of evidence, each conservative about prose:
- structure: ``<nav>``, ``<footer>``, ``<aside>``, and elements whose class/id names a page furniture
  role (``breadcrumb``, ``share``, ``comment``, ...);
- wording: a *short* element whose whole text is a control or notice (``【打印本页】``, ``分享到：``,
  ``当前位置：``, ``上一篇：``): a body paragraph that merely mentions 分享 or 评论 is long and stays;
- links: blocks that are mostly link text (related lists, prev/next, tag clouds).
Elements holding the chosen body (``protected``) are never removed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from lxml import etree

from govnews.extract.dom import drop
from govnews.extract.measure import Stat, measure
from govnews.extract.text import collapse, tag_of, words

FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "header", "menu"})
FURNITURE_TOKENS = words(
    """nav navbar navigation menu submenu topnav subnav breadcrumb breadcrumbs crumb crumbs bread position
    location dqwz weizhi share sharebar sharebox bdshare bdsharebuttonbox social comment comments cmt
    commentlist reply footer foot copyright pagination pager prevnext prev next qrcode ewm erweima print
    toolbar tools sidebar side aside recommend recommendation related relate xgxw xgwz hotnews rank ranking
    ad ads advert advertisement guanggao login signin"""
)
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# A control or notice when it is (nearly) all of a short element's text.
BOILERPLATE_PHRASES = re.compile(
    r"字体[:：]?\s*[【\[（(]?\s*大\s*中\s*小|字号[:：]?\s*[【\[（(]?\s*大\s*中\s*小|打印本页|打印此页|关闭窗口|"
    r"^\s*[【\[]?\s*(?:打印|关闭|收藏|纠错|我要纠错|返回顶部|TOP|顶部)\s*[】\]]?\s*$|"
    r"^\s*分享到|分享至[:：]|^\s*(?:微信)?(?:扫一扫|扫描二维码|扫码)|二维码\s*$|^\s*[【\[]?\s*我要纠错|"
    r"浏览次数[:：]|阅读次数[:：]|访问量[:：]|^\s*点击[:：]|^\s*当前位置|^\s*您的位置|^\s*现在位置|^\s*所在位置|"
    r"^\s*上一篇|^\s*下一篇|^\s*上一条|^\s*下一条|^\s*相关(?:稿件|链接|新闻|阅读|文章|推荐|报道)|"
    r"【\s*TOP\s*】|返回顶部|信息无障碍|网站地图|版权所有|版权声明|ICP备|ICP证|公网安备|网站标识码|政府网站标识|"
    r"^\s*(?:网友评论|发表评论|评论列表|我要评论|查看评论|登录评论)|暂无评论|快抢沙发|欢迎参与讨论|"
    r"举报电话|违法和不良信息|不良信息举报|责任编辑[:：]|^\s*责编[:：]",
    re.IGNORECASE,
)
# 主办/承办/技术支持 lines are footers only beside other footer words: event notices in bodies use them too.
FOOTER_PAIR = re.compile(
    r"(?:主办|承办|技术支持|运行维护)(?:单位)?[:：].{0,60}?(?:版权|ICP|地址|电话|邮编|承办|技术支持|维护)"
)
MAX_LINK_LIST_PROSE = 150  # characters outside links: more than this is an article with many links
_NOTICES = "免责声明|版权声明|特别声明|郑重声明"
LEADING_NOTICE = re.compile(rf"^\s*(?:[【\[]\s*(?:{_NOTICES})\s*[】\]]|(?:{_NOTICES}|声明)\s*[:：])")
LONG_NOTICE = 400
SHORT_ELEMENT = 80  # characters: longer elements are prose, whatever words they contain
_LINK_LIST_TAGS = frozenset({"ul", "ol", "dl", "div", "table", "section", "p", "td", "span"})
_LINK_BLOCK_TAGS = frozenset({"ul", "ol", "dl", "div", "table", "section", "td", "li"})  # not inline, not <p>


def class_tokens(el: etree._Element) -> set[str]:
    raw = f"{el.get('class', '')} {el.get('id', '')}"
    return {t for t in _TOKEN_SPLIT.split(_CAMEL.sub("-", raw).lower()) if t}


def is_furniture(el: etree._Element) -> bool:
    """Page furniture by tag or by the role its class/id names."""
    return tag_of(el) in FURNITURE_TAGS or bool(class_tokens(el) & FURNITURE_TOKENS)


def is_boilerplate_text(text: str) -> bool:
    """True for a short text that is a control or notice (not for prose that mentions one)."""
    text = collapse(text)
    if 0 < len(text) <= LONG_NOTICE and LEADING_NOTICE.search(text):
        return True
    if not 0 < len(text) <= SHORT_ELEMENT:
        return False
    return bool(BOILERPLATE_PHRASES.search(text) or FOOTER_PAIR.search(text))


def _looks_like_prose(st: Stat) -> bool:
    """Long, sentence-rich, few links: keep it even when its class name says otherwise."""
    return st.chars - st.links > 600 and st.punct >= 15 and st.link_density < 0.2


def _is_link_list(el: etree._Element, st: Stat) -> bool:
    """Mostly links and no prose: related lists, prev/next, tag clouds, channel menus."""
    if tag_of(el) not in _LINK_LIST_TAGS or st.chars == 0:
        return False
    n_links = st.anchors
    if n_links >= 3:
        return st.link_density > 0.6 and st.chars - st.links < MAX_LINK_LIST_PROSE
    return n_links >= 1 and st.link_density > 0.9 and st.chars < 40 and tag_of(el) in _LINK_BLOCK_TAGS


def _ancestors_of(protected: Iterable[etree._Element]) -> set[etree._Element]:
    keep: set[etree._Element] = set()
    for el in protected:
        keep.add(el)
        keep.update(el.iterancestors())
    return keep


def remove_boilerplate(
    root: etree._Element,
    counts: Counter[str],
    protected: Iterable[etree._Element] = (),
    link_lists: bool = True,
) -> None:
    """Remove furniture, control texts and link lists under ``root``; count them in ``counts``."""
    keep = _ancestors_of(protected)
    stats = measure(root)
    doomed: list[etree._Element] = []
    walker = etree.iterwalk(root, events=("start",))
    for _, el in walker:
        if el is root or el in keep or not isinstance(el.tag, str):
            continue
        st = stats.get(el, Stat())
        reason = _removal_reason(el, st, link_lists)
        if reason:
            doomed.append(el)
            counts[reason] += 1
            walker.skip_subtree()
    for el in doomed:
        drop(el)


def _removal_reason(el: etree._Element, st: Stat, link_lists: bool) -> str | None:
    if is_furniture(el) and not _looks_like_prose(st):
        return "boilerplate_nodes"
    if st.chars <= LONG_NOTICE and is_boilerplate_text(el.text_content()):
        return "boilerplate_nodes"
    if link_lists and _is_link_list(el, st):
        return "link_lists"
    return None
