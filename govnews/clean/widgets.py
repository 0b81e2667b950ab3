"""Page furniture that reached the body text: comment boxes, share bars, print buttons, footers.

Extraction removes most widgets as DOM nodes, but mirrors and blog themes flatten them into text, so
they arrive as whole lines (or bracketed controls glued to a line). Every rule here matches a *whole
line* of widget wording or an unmistakable bracketed control, never a word inside a sentence, so a
body sentence that merely mentions 评论 or 点击量 stays. Two block rules remove more than one line:
everything after a comment-section heading (comments are always last), and a related-posts heading
with the list of headlines that follows it to the end of the text.

Counts are by kind: ``comments``, ``related``, ``share``, ``prevnext``, ``controls`` (font size, print,
close, QR prompt, accessibility toggle, breadcrumbs, "back to home"), ``counters``, ``footer``
(copyright, ICP, site map, blog post footers), ``script`` (leaked widget JavaScript).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from govnews.clean.base import StepResult, samples_of

# Lines longer than this are body paragraphs, whatever words they contain.
MAX_WIDGET_LINE = 300
# A comment heading only cuts the tail when this much body (Han characters) stands before it.
MIN_BODY_HAN_BEFORE_COMMENTS = 20

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"[。！？；!?]")
_CLAUSE_MARK = re.compile(r"[。！？；，,]")
_SPACES = re.compile(r" {2,}")
_INLINE_MARKS = ("字体", "字号", "【", "[", "扫一扫", "无障碍", ".share")

# --- inline: bracketed controls and leaked share script, removed wherever they sit in a line ---
_INLINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("controls", re.compile(
        r"[【\[]? {0,3}(?:字体|字号) {0,3}[：:] {0,3}[【\[]? {0,3}"
        r"[【\[]?大[】\]]? {0,3}[【\[]?中[】\]]? {0,3}[【\[]?小[】\]]? {0,3}[】\]]? {0,3}[】\]]?")),
    ("controls", re.compile(
        r"[【\[] {0,3}(?:打印本页|打印此页|打印文章|打印|关闭窗口|关闭本页|关闭|TOP|Top|top|返回顶部|"
        r"我要纠错|纠错|收藏本页|加入收藏|收藏|保存本页|复制链接|放大|缩小|默认) {0,3}[】\]]")),
    ("controls", re.compile(r"扫一扫在手机(?:上)?打开(?:当前|本|此)页(?:面)?|是否打开信息无障碍浏览")),
    ("script", re.compile(
        r"\$\( {0,3}['\"][^'\"\n]{0,80}['\"] {0,3}\) {0,3}\. {0,3}share {0,3}\( {0,3}\{[^{}\n]{0,300}\}"
        r" {0,3}\) {0,3};?")),
)

# --- whole lines (stripped, at most MAX_WIDGET_LINE characters) ---
_COMMENT_HEADING = re.compile(
    r"(?:评论列表|发表评论|网友评论|全部评论|最新评论|热门评论|精彩评论|用户评论|文章评论|评论区|我要评论|"
    r"参与评论|已有\s*\d+\s*条评论)\s*[：:]?|"
    r"◎?欢迎参与讨论.{0,40}|(?:暂无|还没有|目前还没有|目前没有)(?:任何)?评论.{0,20}")
_COMMENT_LINE = re.compile(
    r"评论\s*[(（]\s*\d+\s*[)）]|\d+\s*条评论|网友评论仅供.{0,60}|文明上网.{0,30}评论.{0,10}|"
    r"正文已结束.{0,30}评论.{0,10}|"
    r"(?:昵称|邮箱|电子邮箱|网址|验证码|提交|提交评论|发表|取消回复|评论内容|匿名评论)\s*"
    r"(?:[(（]\s*(?:必填|选填|可选)\s*[)）]|\*|[：:])?")
_GREETING_START = re.compile(r"(?:hi|hello|你好|您好|欢迎您?|上午好|下午好|晚上好|早上好)", re.IGNORECASE)
_GREETING_WORD = re.compile(r"游客|登录|注册|光临|本站|退出|访问|博客|来到")
_RELATED_HEADING = re.compile(
    r"(?:相关推荐|相关阅读|延伸阅读|相关稿件|相关链接|相关新闻|相关文章|相关报道|推荐阅读|猜你喜欢|热门推荐|"
    r"热点推荐|热门文章|热门阅读|更多阅读|往期回顾|往期推荐|[您你]可能感兴趣的文章)(?:换一换)?\s*"
    r"(?:[：:>》].{0,80})?")
_RELATED_LINE = re.compile(r"相关热词搜索\s*[：:].{0,80}")
_SHARE_LINE = re.compile(
    r"(?:分享到|分享至|分享给|一键分享|分享本文|分享)\s*[：:]?.{0,40}|"
    r"(?:微信)?扫一扫(?:分享|关注).{0,20}|扫描二维码分享.{0,10}|用微信扫描二维码.{0,20}")
_PREVNEXT_LINE = re.compile(r"(?:上一篇|下一篇|上一条|下一条|上篇|下篇|前一篇|后一篇)\s*(?:[：:].*)?")
_CONTROLS_LINE = re.compile(
    r"(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|现在位置|所在位置)\s*[：:].*|"
    r"首页\s*(?:>|&gt;|》|›|»).*|返回.{0,8}首页|返回列表|返回顶部|打印本页|关闭窗口")
_COUNTER = re.compile(
    r"(?:浏览次数|阅读次数|点击次数|点击数|点击量|浏览量|阅读量|阅读数|访问量|访问次数|浏览|阅读|点击|人气)"
    r"\s*(?:[：:]\s*(?:\d[\d,]*\s*次?)?(?=\s|$|[|｜])|[(（]\s*\d+\s*[)）])")
_FOOTER_STRONG = re.compile(
    r"ICP备|ICP证|公网安备|网站标识码|网站识别码|政府网站标识|[Cc]opyright|COPYRIGHT|©")
_FOOTER_WEAK = re.compile(
    r"版权所有|网站地图|技术支持\s*[：:]|主办单位\s*[：:]|承办单位\s*[：:]|运行维护单位")
_FOOTER_START = re.compile(r"(?:版权声明|免责声明)\s*[：:]|(?:主办|承办|协办)\s*[：:]")
_BLOG_LABEL = re.compile(r"\s*(?:作者|分类|浏览|评论|标签|发布于|发布时间|时间|日期|阅读|点击)\s*[:：]")
_SCRIPT_LINE = re.compile(r"\.share\s*\(|bdShare|_bd_share|_hmt\.push|gtag\(|document\.write\(|jiathis")


def _is_blog_footer(line: str) -> bool:
    """``作者:… | 分类:… | 浏览:… | 评论:…``: at least two labelled segments split by bars."""
    parts = re.split(r"[|｜]", line)
    return len(parts) >= 2 and sum(1 for p in parts if _BLOG_LABEL.match(p)) >= 2


def _is_footer(line: str) -> bool:
    if _FOOTER_STRONG.search(line) or _FOOTER_START.match(line) or _is_blog_footer(line):
        return True
    return bool(_FOOTER_WEAK.search(line)) and len(line) <= 80 and not _CLAUSE_MARK.search(line)


def _is_greeting(line: str) -> bool:
    return len(line) <= 40 and bool(_GREETING_START.match(line)) and bool(_GREETING_WORD.search(line))


def _no_sentence(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """A whole-line rule that never fires on a line carrying sentence punctuation."""
    return lambda line: bool(pattern.fullmatch(line)) and not _SENTENCE_END.search(line)


_LINE_RULES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("comments", lambda line: bool(_COMMENT_HEADING.fullmatch(line) or _COMMENT_LINE.fullmatch(line))
     or _is_greeting(line)),
    ("related", lambda line: bool(_RELATED_HEADING.fullmatch(line) or _RELATED_LINE.fullmatch(line))),
    ("share", _no_sentence(_SHARE_LINE)),
    ("prevnext", lambda line: bool(_PREVNEXT_LINE.fullmatch(line))),
    ("controls", lambda line: bool(_CONTROLS_LINE.fullmatch(line))),
    ("footer", _is_footer),
    ("counters", lambda line: bool(_COUNTER.search(line)) and not _SENTENCE_END.search(line)),
    ("script", lambda line: bool(_SCRIPT_LINE.search(line))),
)


def classify_widget_line(line: str) -> str | None:
    """The widget kind of one stripped line, or None for body text."""
    if not line or len(line) > MAX_WIDGET_LINE:
        return None
    for kind, rule in _LINE_RULES:
        if rule(line):
            return kind
    return None


def _strip_inline(line: str, counts: dict[str, int], removed: list[str]) -> str:
    """Remove bracketed controls and share script glued to a line; tidy the spaces they leave."""
    for kind, pattern in _INLINE_RULES:
        pieces = pattern.findall(line)
        if pieces:
            counts[kind] = counts.get(kind, 0) + len(pieces)
            removed.extend(pieces)
            line = _SPACES.sub(" ", pattern.sub(" ", line)).strip()
    return line


def _strip_inline_all(lines: list[str], counts: dict[str, int], removed: list[str]) -> set[int]:
    """Strip inline controls from every line in place; the indexes of lines that held nothing else."""
    emptied: set[int] = set()
    for i, line in enumerate(lines):
        if any(mark in line for mark in _INLINE_MARKS):
            before = sum(counts.values())
            stripped = _strip_inline(line, counts, removed)
            if sum(counts.values()) > before:
                lines[i] = stripped
                if not stripped:
                    emptied.add(i)
    return emptied


def _han_count(line: str, enough: int) -> int:
    """Han characters in a line, counting no further than needed to reach ``enough``."""
    found = 0
    for _ in _HAN.finditer(line):
        found += 1
        if found >= enough:
            break
    return found


def _comment_cut(lines: list[str], kinds: list[str | None]) -> int | None:
    """Index of the comment-section heading that ends the body, if any."""
    han_before = 0
    for i, line in enumerate(lines):
        if han_before >= MIN_BODY_HAN_BEFORE_COMMENTS and _COMMENT_HEADING.fullmatch(line):
            return i
        if kinds[i] is None:
            han_before += _han_count(line, MIN_BODY_HAN_BEFORE_COMMENTS)
    return None


def _is_list_item(line: str, kind: str | None) -> bool:
    """A headline in a related-posts list: short, not a sentence."""
    return kind is not None or (len(line) <= 80 and "。" not in line)


def _related_cut(lines: list[str], kinds: list[str | None]) -> int | None:
    """Index of a related-posts heading followed only by list items up to the end of the text."""
    start = len(lines)
    while start > 0 and _is_list_item(lines[start - 1], kinds[start - 1]):
        start -= 1
    for i in range(max(start - 1, 0), len(lines)):
        if len(lines[i]) <= MAX_WIDGET_LINE and _RELATED_HEADING.fullmatch(lines[i]):
            return i
    return None


def _block_kinds(lines: list[str]) -> list[str | None]:
    """Each line's widget kind, with comment sections and trailing related lists marked as blocks."""
    stripped = [line.strip() for line in lines]
    kinds = [classify_widget_line(line) for line in stripped]
    for block_kind, cut in (("comments", _comment_cut(stripped, kinds)),
                            ("related", _related_cut(stripped, kinds))):
        if cut is not None:
            for i in range(cut, len(lines)):
                kinds[i] = kinds[i] or block_kind
    return kinds


def remove_widget_text(text: str) -> StepResult:
    """Drop widget lines and inline controls; cut comment sections and trailing related-post lists."""
    if not text:
        return StepResult(text)
    counts: dict[str, int] = {}
    removed: list[str] = []
    lines = text.split("\n")
    emptied = _strip_inline_all(lines, counts, removed)
    kept: list[str] = []
    for i, (line, kind) in enumerate(zip(lines, _block_kinds(lines), strict=True)):
        if kind is None:
            if i not in emptied:
                kept.append(line)
            continue
        counts[kind] = counts.get(kind, 0) + 1
        removed.append(line.strip())
    if not counts:
        return StepResult(text)
    return StepResult("\n".join(kept), counts, samples_of(removed))
