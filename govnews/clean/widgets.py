"""Page furniture that reached the body text: comment boxes, share bars, print buttons, footers.

Extraction removes most widgets as DOM nodes, but mirrors and blog themes flatten them into text, so
they arrive as whole lines (or bracketed controls glued to a line). Every rule here matches a *whole
line* of widget wording or an unmistakable bracketed control, never a word inside a sentence, so a
body sentence that merely mentions 评论 or 点击量 stays. Lines that are widgets only by position (site
greetings such as ``欢迎您访问XX博客！``, footer labels such as ``主办单位：…``, which an event notice also
prints) go only at the head or tail, in a comment section, or in a trailing footer block that also holds
a copyright/ICP/site-code/site-map line, never between body paragraphs. Two block rules remove more than one line:
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
_SPACES = re.compile(r" {2,}")
_INLINE_MARKS = ("字体", "字号", "【", "[", "扫一扫", "无障碍", ".share", "更多", "语音阅读")  # 【 covers 【返回】
_INLINE_MARK = re.compile("|".join(map(re.escape, _INLINE_MARKS)))  # every inline rule needs one of them
# Words without which no line rule, edge rule or block heading below can match: each rule spells one of them
# out. A line holding none is body text after one C-speed scan, and a text holding none (nor an inline
# mark) is left as it is at once; ``tests/clean/test_widgets.py`` checks the shortcut against the full rules.
_RULE_WORDS = (
    "评论", "讨论", "昵称", "邮箱", "网址", "验证码", "提交", "发表", "取消回复",  # comments
    "相关", "延伸阅读", "推荐阅读", "猜你喜欢", "热门", "热点推荐", "更多阅读", "往期", "可能感兴趣",  # related
    "分享", "扫一扫", "二维码",  # share
    "上一篇", "下一篇", "上一条", "下一条", "上篇", "下篇", "前一篇", "后一篇",  # prev/next
    "位置", "首页", "返回", "打印本页", "关闭窗口", "看不清", "您已阅读",  # controls
    "ICP", "公网安备", "网站标识码", "网站识别码", "©", "版权所有", "声明", "|", "｜",  # footer
    "网站地图", "联系我们", "关于我们", "网站声明", "隐私声明", "隐私政策", "法律声明", "使用帮助", "网站纠错",
    "意见建议", "设为首页", "加入收藏", "网站导航", "帮助中心", "网站简介", "友情链接",
    "浏览", "阅读", "点击", "访问", "人气",  # counters
    "share", "Share", "_hmt", "gtag(", "document.write(", "jiathis",  # script
    "游客", "访客", "登录", "注册", "退出", "光临", "来到",  # greetings (with 访问)
    "主办", "承办", "协办", "技术支持", "技术支撑", "维护", "运维单位", "网站管理", "地址", "电话", "邮编", "邮政编码",
    "传真",  # footer labels
    "继续", "更多", "Embed", "很赞", "举报", "字号", "转发", "END", "APP", "今天是", "朗读", "字体", "放大", "缩小",
    "默认", "当前版", "总第", "注意", "未经",  # reading prompts, e-paper and template controls
    "索引号",  # a government information page's metadata table
    "留言", "加载中", "移动版", "手机版", "浏览器", "凡本", "转载", "许可证",  # blog, browser and reprint notices
    "热线", "Hash", "推荐", "无障碍",  # a hotline, a farm's page hash, 新闻推荐, an accessibility bar
)

# --- inline: bracketed controls and leaked share script, removed wherever they sit in a line ---
_INLINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("controls", re.compile(
        r"[【\[]? {0,3}(?:字体|字号) {0,3}[：:] {0,3}[【\[]? {0,3}"
        r"[【\[]?大[】\]]? {0,3}[【\[]?中[】\]]? {0,3}[【\[]?小[】\]]? {0,3}[】\]]? {0,3}[】\]]?")),
    ("controls", re.compile(
        r"[【\[] {0,3}(?:打印本页|打印此页|打印文章|打 ?印|关闭窗口|关闭本页|关 ?闭|TOP|Top|top|返回顶部|返回|"
        r"我要纠错|纠错|收藏本页|加入收藏|收藏|保存本页|复制链接|放大|缩小|默认) {0,3}[】\]]")),
    ("controls", re.compile(r"扫一扫在手机(?:上)?打开(?:当前|本|此)页(?:面)?|是否打开信息无障碍浏览")),
    # a pager printed as a bracketed control: 【 第1页 第2页 】
    ("controls", re.compile(r"【 {0,3}(?:第 {0,2}\d{1,3} {0,2}页 {0,3}){2,20}】")),
    # A font-size control without its sizes (``[字体: ] 打印``, ``【字体: 打印``)
    ("controls", re.compile(
        r"[【\[] {0,3}字体 {0,3}[：:] {0,3}"
        r"(?:[】\]] {0,3}(?:[【\[]? {0,3}打印 {0,3}[】\]]?)?|[【\[]? {0,3}打印 {0,3}[】\]]?)")),
    # An e-paper's read-aloud button in its info line: 语音阅读:语音阅读
    ("controls", re.compile(r"语音阅读 {0,3}[：:] {0,3}(?:语音阅读)?")),
    # A reprint ban glued to the text: 【未经授权,严禁转载!联系电话028-86968276】
    ("controls", re.compile(r"【 {0,3}未经(?:本网|本站|本报)?(?:授权|许可)[^【】\n]{0,40}?转载[^【】\n]{0,40}】")),
    # A content farm's promotion glued to a paragraph: 【更多公文素材,微信:dada wk01】
    ("controls", re.compile(
        r"[【\[] {0,3}更多[^【】\[\]\n]{0,20}(?:微信|公众号|QQ|qq)[号]? {0,3}[：:][^【】\[\]\n]{1,30}[】\]]")),
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
    r"正文已结束.{0,30}评论.{0,10}|(?:没有|暂无)留言\s*[：:]?|张贴留言|发表留言|"
    r"(?:昵称|邮箱|电子邮箱|网址|验证码|提交|提交评论|发表|取消回复|评论内容|匿名评论)\s*"
    r"(?:[(（]\s*(?:必填|选填|可选)\s*[)）]|\*|[：:])?")
_GREETING_START = re.compile(r"(?:hi|hello|你好|您好|欢迎您?|上午好|下午好|晚上好|早上好)", re.IGNORECASE)
_GREETING_SITE = re.compile(
    r"游客|访客|登录|注册|退出|(?:光临|访问|来到).{0,20}(?:博客|本站|本网|网站|空间|主页|小站|论坛|社区|平台|人民政府|政府)")
_RELATED_HEADING = re.compile(
    r"(?:相关推荐|相关阅读|延伸阅读|相关稿件|相关链接|相关新闻|相关文章|相关报道|推荐阅读|猜你喜欢|热门推荐|"
    r"热点推荐|热门文章|热门阅读|更多阅读|往期回顾|往期推荐|新闻推荐|[您你]可能感兴趣的文章)(?:换一换)?\s*"
    r"(?:[：:>》].{0,80})?")
_RELATED_LINE = re.compile(r"相关热词搜索\s*[：:].{0,80}")
# A share bar is its label and nothing but share targets: ``分享到：微信 微博 QQ空间``.
_SHARE_TARGET = (r"(?:微信好友|微信朋友圈|微信|朋友圈|新浪微博|腾讯微博|微博|QQ空间|QQ好友|QQ|豆瓣|人人网|开心网|"
                 r"百度贴吧|贴吧|钉钉|抖音|今日头条|头条|Facebook|Twitter|LinkedIn|更多|复制链接|\d+(?!\d)|[+＋])")
_SHARE_LINE = re.compile(
    r"(?:分享(?:到|至|给好友|给朋友|本文|文章|此文)?|一键分享)\s*[：:]?"
    f"(?:[\\s|｜、/,，]*{_SHARE_TARGET})*[\\s|｜、/,，]*|"
    r"(?:微信)?扫一扫(?:分享|关注).{0,20}|扫描二维码分享.{0,10}|用微信扫描二维码.{0,20}")
_PREVNEXT_LINE = re.compile(r"(?:上一篇|下一篇|上一条|下一条|上篇|下篇|前一篇|后一篇)\s*(?:[：:].*)?")
_CONTROLS_LINE = re.compile(
    r"(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|现在位置|所在位置)\s*[：:].*|"
    r"首页\s*(?:>|&gt;|》|›|»).*|返回.{0,8}首页|返回列表|返回顶部|打印本页|关闭窗口|"
    # a captcha prompt and a paywall notice (您已阅读4%(197字),剩余96%…订阅以继续…)
    r"请输入验证码|看不清[，,]?换一张|您已阅读\s*\d{1,3}%.{0,80}订阅.{0,40}|"
    # reading prompts and template controls a flattened page leaves (请继续往下阅读..., 识别二维码观看短视频,
    # 很赞哦! (), 定义你的浏览字号:, 打印本页 转发 收藏 关闭, 放大 缩小 默认, 语音阅读:, Embed below code to your site)
    r"请?继续(?:往下|向下)?阅读\s*[.。…]{0,6}|点击(?:查看)?更多.{0,24}|(?:识别|扫描|长按识别)(?:图中)?二维码.{0,12}|"
    r"很赞哦\s*[!！]?\s*(?:[(（]\s*\d*\s*[)）])?|所有评论仅代表网友.{0,30}|网上有害信息举报专区|"
    r"定义你的浏览字号\s*[:：]?|(?:打印本页|打印|转发|收藏|关闭)(?:\s+(?:打印本页|打印|转发|收藏|关闭)){2,}|"
    r"(?:放大|缩小|默认)(?:\s*(?:放大|缩小|默认)){1,2}|(?:上一篇|下一篇)\s+(?:上一篇|下一篇)|(?:字体|朗读)\s*[:：]|"
    r"(?:语音阅读\s*[:：]?\s*)+|Embed below code to your site|END|APP下载|今天是\s*[:：]?|"
    # an e-paper's page line: 当前版:04-05版, 七版:副刊·悦读总第1833期 >2016-09-27编印
    r"当前版\s*[:：].{0,24}|\S{1,4}[:：].{0,20}总第\s*\d+\s*期.{0,30}|"
    # an old-browser notice, a mobile-version prompt, a loading placeholder, an album link, a login bar
    r"请(?:更新|升级)[您你]的浏览器(?:版本)?[。.!！]?|[您你](?:使用|正在使用)的浏览器(?:版本)?(?:较旧|过旧|过低|太旧).{0,80}|"
    r"(?:进入|切换到?|访问)(?:手机|移动)版(?:\s*[,，]\s*[^,，。！？\s]{1,6}){0,3}|加载中[…,，.。\s]*(?:请稍候)?[.。…]*|点击进入(?:相册|专辑|相册专辑)[^。！？]{0,30}|"
    r"(?:登录|注册)\s*[/|｜]\s*(?:注册|登录)(?:\s+\S{1,8}){0,4}|"
    # a news hotline, and a page hash a farm prints (Hash:3ca89eab…)
    r"(?:新闻|报料|爆料)热线\s*[:：]\s*[\d\-\s]{7,24}|Hash\s*[:：]\s*[0-9a-fA-F]{32,64}|"
    # a government site's accessibility bar: 无障碍 长者助手 我的收藏 收藏
    r"无障碍(?:\s+(?:长者助手|长辈版|关怀版|老年模式|我的收藏|收藏|繁体|简体|English|登录|注册)){1,6}")
_COUNTER = re.compile(
    r"(?:浏览次数|阅读次数|点击次数|点击数|点击量|浏览量|阅读量|阅读数|访问量|访问次数|浏览|阅读|点击|人气)"
    r"\s*(?:[：:]\s*(?:\d[\d,]*\s*次?|[-—–]{1,2})?(?=\s|$|[|｜])|[(（]\s*\d+\s*[)）])|"
    # 被阅读0次, 668 次浏览
    r"被(?:阅读|浏览|查看)\s*\d[\d,]*\s*次|\d[\d,]*\s*次(?:浏览|阅读|点击)(?=\s|$|[|｜])")
# A counter's label alone on a line (its number is drawn by script): 浏览量, 总网页浏览量.
_BARE_COUNTER = re.compile(r"(?:总)?(?:网页)?(?:浏览量|阅读量|点击量|浏览次数|阅读次数|点击次数)")
# Footer marks with the values that make them footers: an ICP or police number, a site code, a copyright.
_FOOTER_MARK = re.compile(
    r"ICP[备证]?\s*[：:]?\s*\d[\d-]*|公网安备\s*\d|互联网新闻信息(?:服务)?许可证\s*[：:]?\s*\d{6,}|网站(?:标识码|识别码)\s*[：:]?\s*[0-9A-Za-z]{4}|"
    r"(?i:copyright)\s*(?:©|&copy;|[(（]c[)）]|\d{4})|©|版权所有(?=\s|[：:©(（]|$)")
_FOOTER_LEAD = re.compile(  # a line that opens with a footer mark or label is a footer whatever follows
    r"\s*(?:(?i:copyright)\s*(?:©|&copy;|[(（]c[)）]|\d{4})|©|版权所有\s*[：:©]|(?:版权声明|免责声明)\s*[：:]|"
    # a site's reprint notice: 声明:凡注明来源七一客户端…的作品,均系…原创出品,欢迎转载…
    r"(?:注意|提示|免责)\s*[：:]\s*本站.{0,200}(?:侵权|删除|版权).{0,120}$|"
    r"(?:特别)?声明\s*[：:](?=.{0,200}(?:欢迎转载|转载请|请注明(?:来源|出处)|未经(?:本站|本网)?(?:授权|许可)|"
    r"(?:并)?不(?:代表|意味着?)本(?:站|网)))"
    r".{0,300}$|"
    # a portal's copyright notice (凡本网注明“来源:X”的所有作品…), a reprint line with the page's address, an
    # account's reprint disclaimer (本公众号部分转载的文章…请联系我们删除)
    r"凡本(?:网|站)注明.{0,300}$|转载请注明\s*[：:]?\s*(?:来源|出处)?\s*[：:]?\s*https?://\S+\s*$|"
    r"本(?:公众号|站|网)(?:部分)?(?:转载|发布)的.{0,200}(?:侵权|删除|版权).{0,80}$)")
_FOOTER_LINKS = re.compile(
    r"(?:(?:网站地图|联系我们|关于我们|网站声明|隐私声明|隐私政策|免责声明|版权声明|法律声明|使用帮助|网站纠错|意见建议|"
    r"设为首页|加入收藏|网站导航|帮助中心|网站简介|友情链接)[\s|｜/·•:：]*){1,12}")
# Labels that are site footers only in a trailing footer block; an event notice prints them in its body.
_FOOTER_LABEL = re.compile(
    r"(?:主办单位|主办|承办单位|承办|协办单位|协办|技术支持|技术支撑|运行维护单位|运维单位|维护单位|网站维护|网站管理|"
    r"联系电话|联系地址|通讯地址|地址|电话|邮编|邮政编码|传真)\s*[：:]\s*(?=\S)")
_CLAUSE_MARKS = re.compile(r"[。！？；，]")
_BLOG_LABEL = re.compile(r"\s*(?:作者|分类|浏览|评论|标签|发布于|发布时间|时间|日期|阅读|点击)\s*[:：]")
# A metadata line naming a source or a person (``编辑: 杨玉娟 审核人:叶玲玲 阅读次数:2287``, ``来源:X | 作者:Y | 668
# 次浏览``) is no widget, whatever counters it carries: extract_credits reads it (and removes it) after this step.
_CREDIT_LABEL = re.compile(r"(?:来源|作者|记者|通讯员|责任编辑|编辑|责编|摄影|摄像)\s*[：:]\s*(?P<value>[^\s|｜:：]+)")
_LOGIN = re.compile(r"[a-z][a-z0-9_]{1,30}|[A-Za-z0-9_]*\d[A-Za-z0-9_]*")


def _names_someone(line: str) -> bool:
    """Does a credit label of the line hold a value that is no placeholder or login (``作者:admin`` names nobody)?"""
    from govnews.names import is_placeholder

    return any(not is_placeholder(m["value"]) and not _LOGIN.fullmatch(m["value"])
               for m in _CREDIT_LABEL.finditer(line))
_SCRIPT_LINE = re.compile(r"\.share\s*\(|bdShare|_bd_share|_hmt\.push|gtag\(|document\.write\(|jiathis")


def _is_blog_footer(line: str) -> bool:
    """``分类:… | 浏览:… | 评论:…``: at least two labelled segments split by bars (not a line naming a source or a
    person: that is the page's metadata line, for extract_credits)."""
    parts = re.split(r"[|｜]", line)
    return (len(parts) >= 2 and sum(1 for p in parts if _BLOG_LABEL.match(p)) >= 2
            and not _names_someone(line))


def _is_footer(line: str) -> bool:
    """A copyright, ICP or site-code line, a row of footer links, or a blog post footer."""
    if _FOOTER_LEAD.match(line) or _FOOTER_LINKS.fullmatch(line) or _is_blog_footer(line):
        return True
    return not _CLAUSE_MARKS.search(line) and bool(_FOOTER_MARK.search(line))


def _footer_label_count(line: str) -> int:
    """How many footer labels (``主办单位：…``) a line made of nothing else holds; 0 for any other line."""
    if len(line) > 160 or _CLAUSE_MARKS.search(line) or not _FOOTER_LABEL.match(line):
        return 0
    return len(_FOOTER_LABEL.findall(line))


def _is_greeting(line: str) -> bool:
    """``欢迎您访问XX博客！``, ``您好，游客！请登录``: a site greeting by shape (where it counts: see below)."""
    return (len(line) <= 40 and "。" not in line and bool(_GREETING_START.match(line))
            and bool(_GREETING_SITE.search(line)))


def _no_sentence(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """A whole-line rule that never fires on a line carrying sentence punctuation."""
    return lambda line: bool(pattern.fullmatch(line)) and not _SENTENCE_END.search(line)


_LINE_RULES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("comments", lambda line: bool(_COMMENT_HEADING.fullmatch(line) or _COMMENT_LINE.fullmatch(line))),
    ("related", lambda line: bool(_RELATED_HEADING.fullmatch(line) or _RELATED_LINE.fullmatch(line))),
    ("share", _no_sentence(_SHARE_LINE)),
    ("prevnext", lambda line: bool(_PREVNEXT_LINE.fullmatch(line))),
    ("controls", lambda line: bool(_CONTROLS_LINE.fullmatch(line))),
    ("footer", _is_footer),
    # A counter beside 来源/作者 is a metadata line: extract_credits reads its names before it goes.
    ("counters", lambda line: (bool(_COUNTER.search(line)) and not _SENTENCE_END.search(line)
                               and not _names_someone(line)) or bool(_BARE_COUNTER.fullmatch(line))),
    ("script", lambda line: bool(_SCRIPT_LINE.search(line))),
)


def _fixed_kind(line: str) -> str | None:
    """The kind of a line that is a widget wherever it stands."""
    if not line or len(line) > MAX_WIDGET_LINE:
        return None
    for kind, rule in _LINE_RULES:
        if rule(line):
            return kind
    return None


def _edge_kind(line: str) -> str | None:
    """The kind of a line that is a widget only at the edges: a greeting, or a footer label line."""
    if _is_greeting(line):
        return "comments"
    return "footer" if _footer_label_count(line) else None


def classify_widget_line(line: str) -> str | None:
    """The widget kind one stripped line has by its shape, or None for body text.

    Greetings and footer label lines (``主办单位：…``) get a kind here too, but ``remove_widget_text``
    only removes them at the edges of the text (see ``_mark_edges``).
    """
    return _fixed_kind(line) or (_edge_kind(line) if line and len(line) <= MAX_WIDGET_LINE else None)


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
        if _INLINE_MARK.search(line):
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


def _related_cut(lines: list[str], kinds: list[str | None], worded: list[bool]) -> int | None:
    """Index of a related-posts heading followed only by list items up to the end of the text."""
    start = len(lines)
    while start > 0 and _is_list_item(lines[start - 1], kinds[start - 1]):
        start -= 1
    for i in range(max(start - 1, 0), len(lines)):
        if worded[i] and len(lines[i]) <= MAX_WIDGET_LINE and _RELATED_HEADING.fullmatch(lines[i]):
            return i
    return None


def _tail_start(lines: list[str], kinds: list[str | None], edge: list[str | None]) -> int:
    """Where the trailing run of blank, widget and edge-widget lines begins."""
    start = len(lines)
    while start > 0 and (not lines[start - 1] or kinds[start - 1] or edge[start - 1]):
        start -= 1
    return start


def _mark_edges(lines: list[str], kinds: list[str | None], edge: list[str | None]) -> None:
    """Greetings count at the head and tail; footer labels only in a trailing footer block.

    A footer block is the trailing run of widget lines holding real footer evidence: a copyright,
    ICP or 公网安备 number, site code or site-map link row. Labels alone are not enough, since a notice
    ends with its own ``联系人：…`` / ``联系电话：…`` / ``地址：…`` lines. Between body paragraphs
    neither is touched.
    """
    for i, line in enumerate(lines):
        if line and not kinds[i] and edge[i] != "comments":
            break
        if edge[i] == "comments":
            kinds[i] = "comments"
    tail = range(_tail_start(lines, kinds, edge), len(lines))
    footer_block = any(kinds[i] == "footer" for i in tail)
    for i in tail:
        if edge[i] == "comments" or (edge[i] == "footer" and footer_block):
            kinds[i] = kinds[i] or edge[i]


def _rule_word_pattern() -> re.Pattern[str]:
    """The rule words as one prefix-factored alternation, and ``(?i:copyright)`` spelled out.

    Every alternative opens with a literal character, which lets the engine skip ahead at C speed to where
    one may start (a case-insensitive group would turn that off; İ and ı are what (?i) also lets match i).
    """
    from govnews.clean.script import _trie_pattern

    words = _trie_pattern(_RULE_WORDS)
    if not (words.startswith("(?:") and words.endswith(")")):
        raise ValueError(f"unexpected trie pattern {words[:20]!r}")
    copyright_tail = "[Oo][Pp][Yy][Rr][Iiİı][Gg][Hh][Tt]"
    return re.compile(f"(?:{words[3:-1]}|C{copyright_tail}|c{copyright_tail})")


_RULE_WORD = _rule_word_pattern()


# A government information page (政府信息公开) prints a metadata table above the document: 索引号, 发布机构, 文号,
# 成文日期, … flattened into label lines, value lines and bars. It opens with 索引号 in one of the first lines.
GOV_INFO_HEAD_LINES = 3
# Below the first lines, the table still opens the page when only this many short chrome lines (a site's column
# names, 政府信息公开 规章库) stand above it.
MAX_CHROME_ABOVE_INFO, MAX_CHROME_LINE = 4, 40


def _is_chrome(line: str) -> bool:
    """A short line without a sentence's end: a site's name, a column, a toolbar."""
    stripped = line.strip()
    return len(stripped) <= MAX_CHROME_LINE and not _SENTENCE_END.search(stripped)
_GOV_INFO_LABEL = re.compile(
    r"\s*(?:索引号|主题分类|体裁分类|组配分类|服务对象|信息分类|信息类别|发文机构|发布机构|所属机构|公开责任部门|责任部门|"
    r"公开目录|公开形式|公开方式|公开范围|公开时限|公开日期|文号|发文字号|成文日期|发文日期|发布日期|生成日期|印发日期|"
    r"有效性|时效性|政策解读|内容概述|关键词|主题词|名称)\s*[:：|｜]?")
MAX_GOV_INFO_VALUE = 40
# A document's own first lines (第一章 总则, 一、…, （一）…) are never a metadata value.
_DOCUMENT_PART = re.compile(
    r"第[一二三四五六七八九十百零〇\d]+[章节条部编]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]")


def _gov_info_block(lines: list[str]) -> range | None:
    """The lines of a government information page's metadata table at the head: from a line opening with 索引号
    through its label lines and their short values (a value line follows a label line), to the first line that
    is neither (the document's title or first paragraph)."""
    start = next((i for i, line in enumerate(lines[:GOV_INFO_HEAD_LINES + MAX_CHROME_ABOVE_INFO])
                  if line.strip().startswith("索引号")), None)
    if start is not None and start >= GOV_INFO_HEAD_LINES and not all(
            _is_chrome(line) for line in lines[:start]):
        return None
    if start is None:
        return None
    end, after_label = start, False
    while end < len(lines):
        line = lines[end].strip()
        if _GOV_INFO_LABEL.match(line) and not _SENTENCE_END.search(line) and len(line) <= MAX_WIDGET_LINE:
            after_label = not _has_value(line)
        elif not line.strip(" |｜") or (after_label and len(line) <= MAX_GOV_INFO_VALUE
                                        and not _SENTENCE_END.search(line) and not _DOCUMENT_PART.match(line)):
            after_label = False
        else:
            break
        end += 1
    return range(start, end)


def _has_value(line: str) -> bool:
    """Does a label line carry its value (``文号 | 汉政办发〔2021〕88号``), or wait for it on the next line?"""
    rest = _GOV_INFO_LABEL.sub("", line, count=1)
    return bool(rest.strip(" |｜:："))


def _block_kinds(lines: list[str], shortcut: bool = True) -> list[str | None]:
    """Each line's widget kind, with comment sections and trailing related lists marked as blocks.

    ``shortcut``: lines without a rule word are body text without trying the rules (False: try every rule
    on every line, which gives the same kinds, slower).
    """
    stripped = [line.strip() for line in lines]
    worded = [bool(line) and (not shortcut or _RULE_WORD.search(line) is not None) for line in stripped]
    kinds = [_fixed_kind(line) if word else None for line, word in zip(stripped, worded, strict=True)]
    edge = [None if kind or not word or len(line) > MAX_WIDGET_LINE else _edge_kind(line)
            for line, kind, word in zip(stripped, kinds, worded, strict=True)]
    headed = any(word and _COMMENT_HEADING.fullmatch(line) for line, word in zip(stripped, worded, strict=True))
    comment_cut = _comment_cut(stripped, kinds) if headed else None
    for block_kind, cut in (("comments", comment_cut),
                            ("related", _related_cut(stripped, kinds, worded))):
        if cut is not None:
            for i in range(cut, len(lines)):
                kinds[i] = kinds[i] or edge[i] or block_kind
    _mark_edges(stripped, kinds, edge)
    head = GOV_INFO_HEAD_LINES + MAX_CHROME_ABOVE_INFO
    if any(word and "索引号" in line for line, word in zip(stripped[:head], worded, strict=False)):
        for i in _gov_info_block(stripped) or ():
            kinds[i] = kinds[i] or "metadata"
    return kinds


def remove_widget_text(text: str, shortcut: bool = True) -> StepResult:
    """Drop widget lines and inline controls; cut comment sections and trailing related-post lists.

    ``shortcut=False`` tries every rule on every line (the reference the shortcut is tested against).
    """
    if not text or (shortcut and _RULE_WORD.search(text) is None and _INLINE_MARK.search(text) is None):
        return StepResult(text)
    counts: dict[str, int] = {}
    removed: list[str] = []
    lines = text.split("\n")
    emptied = _strip_inline_all(lines, counts, removed) if _INLINE_MARK.search(text) else set()
    kept: list[str] = []
    for i, (line, kind) in enumerate(zip(lines, _block_kinds(lines, shortcut), strict=True)):
        if kind is None:
            if i not in emptied:
                kept.append(line)
            continue
        counts[kind] = counts.get(kind, 0) + 1
        removed.append(line.strip())
    if not counts:
        return StepResult(text)
    return StepResult("\n".join(kept), counts, samples_of(removed))
