"""DOM-level boilerplate removal: navigation, breadcrumbs, share bars, comments, related lists, footers.

Three kinds of evidence, each conservative about prose:
- structure: ``<nav>``, ``<footer>``, ``<aside>``, and elements whose class/id names a page furniture
  role (``breadcrumb``, ``share``, ``comment``, ...);
- wording: a *short* element whose whole text has the shape of a control or notice (``【打印本页】``,
  ``分享到：``, ``当前位置：首页 >``, ``上一篇：``, ``晋ICP备05000001号``); a body line that merely mentions
  such words (``扫码即可办理社保业务。``, ``监督举报电话：0350-1234567``) stays, however short;
- links: blocks that are mostly link text (related lists, prev/next, tag clouds).
Elements holding the chosen body (``protected``) are never removed. Inside a known CMS body container
(``in_body``) the pass is conservative: link lists and site disclaimers go only at the head or tail of the
body, and attachment lists (after an ``附件：`` label, or links to .doc/.pdf/... files) always stay.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from lxml import etree

from govnews.extract.dom import drop
from govnews.extract.measure import Stat, discount, measure
from govnews.extract.text import collapse, element_text, simplified_chars, squash, tag_of, words

FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "header", "menu"})
FURNITURE_TOKENS = words(
    """nav navbar navigation menu submenu topnav subnav breadcrumb breadcrumbs crumb crumbs bread position
    location dqwz weizhi share sharebar sharebox bdshare bdsharebuttonbox social comment comments cmt
    commentlist reply footer foot copyright pagination pager prevnext prev next qrcode ewm erweima print
    toolbar tools sidebar side aside recommend recommendation related relate xgxw xgwz hotnews rank ranking
    ad ads advert advertisement guanggao login signin reward dashang zanshang donate terms agreement
    player xgplayer dplayer tcplayer aliplayer jwplayer vjs plyr"""
)
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Text-level evidence is about the *shape* of a whole line, never a phrase inside a sentence: a 公示 body
# line like ``监督举报电话：0350-1234567`` or ``扫码即可办理社保业务。`` mentions widget words and stays.
_CONTROL_LABELS = (
    "打印本页|打印此页|打印文章|打印|关闭窗口|关闭本页|关闭|加入收藏|收藏本页|收藏本文|收藏|我要纠错|纠错|"
    "返回顶部|返回页首|返回首页|返回列表|返回目录|返目录|顶部|TOP|分享|点击阅读原文|阅读原文|订阅|我要评论|发表评论|网站地图|联系我们|关于我们|"
    "设为首页|意见反馈|用户反馈|隐私政策|版权声明|免责声明|友情链接|无障碍|关怀版|长者模式|换一换"
)
_FOOTER_LINK_LABELS = (
    "联系我们|关于我们|网站地图|版权声明|隐私政策|免责声明|友情链接|意见反馈|用户反馈|设为首页|加入收藏|"
    "网站声明|使用帮助|返回顶部|信息无障碍|关怀版|广告服务|举报受理"
)
_SEP = r"[\s|｜/·•,，、]"
# Strong shapes: a line that has one of these shapes is page furniture even with sentence punctuation
# (``上一篇：为何能脱贫？``).
WIDGET_LINE = re.compile(
    # label-only line, breadcrumb, prev/next, share, QR, font size, accessibility, comment counters
    rf"^{_SEP}*(?:(?:[【\[(（]\s*(?:{_CONTROL_LABELS})\s*[】\])）]|{_CONTROL_LABELS}){_SEP}*)+[:：]?\s*$|"
    r"^(?:当前|您的|你的|现在|所在|您现在的|你现在的|您当前的|您所在的)位置\s*[:：]\s*"
    r"(?:$|首页|主页|网站首页|[^。！？]*[>»›→]|[^，。！？,]{1,30}$)|"
    r"^[【\[]?\s*[上下]一(?:篇|条|页)\s*[】\]]?\s*(?:[:：]|$)|"
    r"^(?:分享(?:到|至)|分享本文)\s*(?:[:：]|$)|"
    r"^(?:手机版?|微信|官方微信|微信公众号|公众号|移动端|本页|网站)?\s*二维码\s*[:：]?\s*$|"
    r"^[【\[]?\s*(?:字体|字号)\s*[:：]?\s*[【\[（(]?\s*大\s*中\s*小|"
    r"^(?:是否)?(?:打开|进入|开启|关闭|启用)?\s*(?:信息)?无障碍(?:浏览|阅读|模式|通道|版)?\s*$|"
    r"^(?:网友评论|发表评论|评论列表|我要评论|查看评论|登录评论)\s*(?:[:：(（\[]|\d|$)|"
    r"^评论\s*(?:[(（\[]\s*\d+\s*[)）\]]|\d+)?\s*$|"
    r"^\W{0,3}欢迎参与讨论[，,]\s*请在(?:这里|此)发表|"
    # pager of a one-page article, and content farms' signature lines (``本文地址：http://…``)
    r"^第\s*\d{1,3}\s*页\s*/\s*共\s*\d{1,3}\s*页|^本文(?:标题|地址|链接|网址)\s*[:：]|"
    # a comment form's list of allowed tags, printed as text
    r"^\W{0,3}(?:<[a-z]{1,10}\b[^<>]{0,40}>\s*){3,}|"
    # keyword and tag lines under an article (``关键词：春耕 农业``)
    r"^(?:[【\[]\s*(?:关键词|关键字|标签)\s*[】\]]|(?:关键词|关键字|标签|Tags?)\s*[:：])|"
    # a picture's stock notice (``图片来源于网络``, ``（图片来源：网络）``)
    r"^[(（\[【]?\s*(?:图片|配图|图)\s*(?:来源|来自|源自)\s*(?:于|[:：])?\s*(?:网络|互联网)\s*[)）\]】]?\s*$|"
    # a video player's controls and errors (``倍速``, ``高清``, ``错误代码：102630``)
    r"^(?:(?:倍速|[0-9.]{1,4}\s*[xX倍]|清晰度|超清|高清|标清|流畅|蓝光|1080[pP]|720[pP]|480[pP]|自动|全屏|退出全屏|"
    r"静音|重播|播放|暂停|画中画|弹幕)\s*)+$|^(?:错误代码|播放失败|视频加载失败|加载失败)\s*[:：]?\s*[\w.-]{0,12}\s*$",
    re.IGNORECASE,
)
# Footer and counter tokens: furniture only in a line without sentence punctuation.
FOOTER_TOKENS = re.compile(
    r"^(?:用?微信|手机)?(?:扫一扫|扫描二维码|扫码)\s*(?:[:：]|$|在手机|用手机|手机|打开|阅读|分享|转发|关注|"
    r"一键|下载|访问|浏览|查看|继续)|"
    r"^相关(?:稿件|链接|新闻|阅读|文章|推荐|报道)\s*(?:[:：]|$|\s|换一换)|"
    r"ICP[备证]\s*\d|公网安备\s*\d|(?:政府)?网站标识码\s*[:：]?\s*\d|\bcopyright\b|©|"
    r"版权所有\s*(?:[:：©(（]|copyright|$)|"
    r"[【\[]\s*(?:打印本页|打印此页|打印|关闭窗口|关闭|我要纠错|纠错|收藏|TOP|返回顶部)\s*[】\]]|"
    r"返回顶部\s*$|(?:浏览|阅读|点击)次数\s*[:：]|(?:浏览|阅读|点击|访问)(?:次数|量)\s*[:：]\s*\d*\s*次?\s*$|"
    r"^点击\s*[:：]\s*\d|"
    r"责任编辑\s*[:：]|^[(（\[]?\s*责编\s*[:：]|不良信息举报|暂无评论|快抢沙发|"
    r"(?:下载|打开|安装)[^，。]{0,12}(?:应用程序|APP|客户端)",
    re.IGNORECASE,
)
_FOOTER_LINK = re.compile(_FOOTER_LINK_LABELS)
SENTENCE_PUNCT = re.compile(r"[。！？]")
# 主办/承办 lines are footers only beside a site-registration word: event notices in bodies use them too.
FOOTER_PAIR = re.compile(r"(?:主办|承办)(?:单位)?[:：].{0,60}?(?:版权|ICP|网站标识码|公网安备|技术支持|运行维护)")
MAX_LINK_LIST_PROSE = 150  # characters outside links: more than this is an article with many links
_NOTICES = "免责声明|版权声明|特别声明|郑重声明"
LEADING_NOTICE = re.compile(rf"^\s*(?:[【\[]\s*(?:{_NOTICES})\s*[】\]]|(?:{_NOTICES}|声明)\s*[:：])")
# What makes a 声明 a site disclaimer rather than part of a 公告 (``声明：本公告…其他媒体转载无效``).
SITE_DISCLAIMER = re.compile(
    r"版权|著作权|转载(?:请|须|需|时|务必|应)|未经[^，。]{0,8}(?:授权|许可|同意)|不代表|观点|立场|仅供参考|"
    r"信息存储|侵权|联系删除|投资建议|风险自担|本网|本站|本平台"
)
LONG_NOTICE = 400
EDGE_CHARS = 100  # text before or after an element, at most, for it to sit at the head or tail of a body
ATTACHMENT_LABEL = re.compile(r"附\s*件\s*(?:\d{1,2}|下载|列表)?\s*[:：]?\s*$")
DOCUMENT_LINK = re.compile(r"\.(?:docx?|pdf|xlsx?|zip|rar|7z|wps|ofd|et|pptx?)(?:$|[?#&])", re.IGNORECASE)
MAX_SAMPLES, SAMPLE_CHARS = 3, 40
SHORT_ELEMENT = 80  # characters: longer elements are prose, whatever words they contain
_LINK_LIST_TAGS = frozenset({"ul", "ol", "dl", "div", "table", "section", "p", "td", "span"})
_LINK_BLOCK_TAGS = frozenset({"ul", "ol", "dl", "div", "table", "section", "td", "li"})  # not inline, not <p>


def class_tokens(el: etree._Element) -> set[str]:
    return set(_tokens(f"{el.get('class', '')} {el.get('id', '')}"))


def _tokens(raw: str) -> frozenset[str]:
    return frozenset(t for t in _TOKEN_SPLIT.split(_CAMEL.sub("-", raw).lower()) if t)


def is_furniture(el: etree._Element, names: dict[str, bool] | None = None) -> bool:
    """Page furniture by tag or by the role its class/id names. ``names`` remembers verdicts on class/id
    strings within one page, whose template repeats them."""
    if tag_of(el) in FURNITURE_TAGS:
        return True
    cls, ident = el.get("class"), el.get("id")
    if cls is None and ident is None:
        return False
    raw = f"{cls or ''} {ident or ''}"
    verdict = None if names is None else names.get(raw)
    if verdict is None:
        verdict = bool(_tokens(raw) & FURNITURE_TOKENS)
        if names is not None:
            names[raw] = verdict
    return verdict


def is_site_disclaimer(text: str) -> bool:
    """``免责声明：本文仅代表作者观点…``: a notice label opening a short text that speaks of the site or its
    copyright; a 声明 inside a 公告 (``声明：本公告在…同时发布``) is not one."""
    text = collapse(text)
    return 0 < len(text) <= LONG_NOTICE and bool(LEADING_NOTICE.search(text) and SITE_DISCLAIMER.search(text))


def is_boilerplate_text(text: str, notices: bool = True) -> bool:
    """True for a short text that IS a control, widget or footer line; prose that mentions one stays.

    Strong shapes (``上一篇：``, ``当前位置：首页 > ``, ``【打印本页】【关闭窗口】``) count at any punctuation;
    footer tokens (``ICP备05000001号``, ``责任编辑：``) only in a line with no sentence punctuation;
    site disclaimers at any length up to ``LONG_NOTICE`` unless ``notices`` is False.
    """
    if not notices and len(text) > SHORT_ELEMENT and len(squash(text)) > SHORT_ELEMENT:
        return False  # collapsing keeps at least the squashed characters: a long paragraph, no regex run
    text = collapse(text)
    if notices and is_site_disclaimer(text):
        return True
    if not 0 < len(text) <= SHORT_ELEMENT:
        return False
    text = simplified_chars(text)  # 瀏覽次數： and 責任編輯： are the same furniture
    if WIDGET_LINE.search(text):
        return True
    if SENTENCE_PUNCT.search(text):
        return False
    return bool(FOOTER_TOKENS.search(text) or FOOTER_PAIR.search(text) or len(_FOOTER_LINK.findall(text)) >= 2)


class Verdicts:
    """What one removal pass has already decided, by class/id string and by element text: an element and
    its only child often carry the same text, and a template repeats its names and its furniture. Kept for
    one pass only, so how fast a page goes never depends on the pages before it."""

    def __init__(self) -> None:
        self.names: dict[str, bool] = {}
        self.texts: dict[str, tuple[bool, bool]] = {}

    def of_text(self, text: str) -> tuple[bool, bool]:
        """(control or footer text, site disclaimer)."""
        verdict = self.texts.get(text)
        if verdict is None:
            verdict = self.texts[text] = (is_boilerplate_text(text, notices=False), is_site_disclaimer(text))
        return verdict


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
    in_body: bool = False,
    samples: list[str] | None = None,
    stats: dict[etree._Element, Stat] | None = None,
    verdicts: Verdicts | None = None,
) -> dict[etree._Element, Stat]:
    """Remove furniture, control texts and link lists under ``root``; count them in ``counts``.

    ``in_body``: ``root`` is a known CMS body container, so only its edges may hold link lists and
    disclaimers. ``samples`` receives up to ``MAX_SAMPLES`` excerpts of removed text, for provenance.
    ``stats``: ``measure`` of the current tree under ``root`` (or a bigger one), when the caller has it.
    ``verdicts``: share one between the passes over one page (a verdict depends on the text alone).
    Returns the stats of what is left, kept up to date as elements go (no second measuring pass).
    """
    keep = _ancestors_of(protected)
    stats = measure(root) if stats is None else stats
    root_st = stats.get(root, Stat())
    page_prose = root_st.chars - root_st.links
    edges = _EdgeCheck(root) if in_body else None
    verdicts = verdicts or Verdicts()
    doomed: list[etree._Element] = []
    walker = etree.iterwalk(root, events=("start",))
    for _, el in walker:
        if el is root or el in keep or not isinstance(el.tag, str):
            continue
        st = stats.get(el, Stat())
        reason = _removal_reason(el, st, link_lists, edges, page_prose, verdicts)
        if reason:
            doomed.append(el)
            counts[reason] += 1
            walker.skip_subtree()
    for el in doomed:
        if samples is not None:
            remember_sample(samples, " ".join(el.itertext()))  # list items stay apart
        discount(stats, el)
        drop(el)
    return stats


def remember_sample(samples: list[str], text: str) -> None:
    """Keep a short excerpt of removed text, up to ``MAX_SAMPLES`` distinct ones."""
    excerpt = collapse(text)[:SAMPLE_CHARS]
    if excerpt and len(samples) < MAX_SAMPLES and excerpt not in samples:
        samples.append(excerpt)


class _EdgeCheck:
    """Where each element's text starts and ends in its body: one linear walk."""

    def __init__(self, root: etree._Element) -> None:
        self.span: dict[etree._Element, tuple[int, int]] = {}
        pos = 0
        for event, el in etree.iterwalk(root, events=("start", "end")):
            if not isinstance(el.tag, str):
                continue
            if event == "start":
                self.span[el] = (pos, pos)
                pos += len(squash(el.text))
            else:
                self.span[el] = (self.span[el][0], pos)
                if el is not root:
                    pos += len(squash(el.tail))
        self.total = pos

    def at_edge(self, el: etree._Element) -> bool:
        start, end = self.span.get(el, (0, self.total))
        return start <= EDGE_CHARS or self.total - end <= EDGE_CHARS


def is_attachment_list(el: etree._Element) -> bool:
    """Links to documents, or a list right after an ``附件：`` label: part of the article."""
    hrefs = [a.get("href") or "" for a in el.iter("a")]
    if hrefs and 2 * sum(bool(DOCUMENT_LINK.search(h)) for h in hrefs) >= len(hrefs):
        return True
    return bool(ATTACHMENT_LABEL.search(_text_before(el)) or collapse(element_text(el)).startswith("附件"))


def _text_before(el: etree._Element) -> str:
    """The text just before ``el``: its previous sibling's tail, else that sibling, else the parent's text."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is None:
        parent = el.getparent()
        return collapse(parent.text if parent is not None else "")[-20:]
    return collapse(prev.tail) or collapse(element_text(prev))[-20:]


MIN_WRAPPER_SHARE = 0.5  # of the page's text outside links: no nav bar or header holds that much
MIN_WRAPPER_PROSE = 100  # characters: a short story of 150 characters is still an article


def _holds_the_page(el: etree._Element, st: Stat, page_prose: int) -> bool:
    """A wrapper named for furniture (``blq-int-nav``, ``<body class="has-nav-bar">``, a breadcrumb ``<div>``
    left unclosed so the browser's repair puts the whole page inside it) that holds most of the page's text."""
    prose = st.chars - st.links
    return tag_of(el) in {"body", "html"} or (prose >= MIN_WRAPPER_PROSE and prose >= MIN_WRAPPER_SHARE * page_prose)


# The heading of a recommendation stream (``你可能還想看``, ``其他人也在看``, ``相关推荐``): the block it heads is
# a list of other stories, however much teaser text it carries.
RECOMMEND_HEADING = re.compile(
    r"^\W{0,2}(?:相关推荐|相关阅读|相关文章|相关新闻|推荐阅读|延伸阅读|精彩推荐|热门推荐|更多推荐|猜你喜欢|"
    r"你可能(?:还|還)?(?:想看|喜欢|喜歡|感兴趣)|其他人(?:也|还)在看|大家都在看|热门文章|热点推荐|为你推荐|為你推薦)\W{0,2}$"
)


def _is_recommendation_stream(el: etree._Element, st: Stat) -> bool:
    """A block opened by a recommendation heading and holding several links."""
    if st.anchors < 2 or tag_of(el) not in _LINK_BLOCK_TAGS or tag_of(el) in {"body", "html"}:
        return False
    first = next((t.strip() for t in el.itertext() if t.strip()), "")
    return len(first) <= 12 and bool(RECOMMEND_HEADING.match(simplified_chars(first)))


def _removal_reason(
    el: etree._Element,
    st: Stat,
    link_lists: bool,
    edges: _EdgeCheck | None = None,
    page_prose: int = 0,
    verdicts: Verdicts | None = None,
) -> str | None:
    verdicts = verdicts or Verdicts()
    if is_furniture(el, verdicts.names) and not _looks_like_prose(st) and not _holds_the_page(el, st, page_prose):
        return "boilerplate_nodes"
    if st.chars <= LONG_NOTICE:
        widget, disclaimer = verdicts.of_text(element_text(el))
        if widget:
            return "boilerplate_nodes"
        if disclaimer and (edges is None or edges.at_edge(el)):  # never mid-body
            return "boilerplate_nodes"
    at_edge = edges is None or edges.at_edge(el)
    if link_lists and at_edge and _is_link_list(el, st) and not is_attachment_list(el):
        return "link_lists"
    if at_edge and _is_recommendation_stream(el, st):
        return "link_lists"
    return None
