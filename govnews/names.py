"""Is this string a person's name? The check every name passes before it goes into ``authors``, ``editor``
or ``photo_credits``.

Bylines sit next to prose, and the words after 记者 are as often a verb (记者了解到, 记者表示), a phrase
(的接触中, 会上表示), a note (整合, 网络整理) or a number from a template as a name. A wrong name is worse
than none, so a Chinese name must pass every test:

* 2–3 Han characters opening with a surname (single surnames of the common-surname ranking), or 3–4
  opening with a compound surname of the 百家姓 (欧阳, 司马), or a transliterated minority name joined
  by a middle dot (阿依古丽·买买提);
* not a word of jieba's dictionary (了解, 周到, 方便, 王国) unless jieba tags that word a person's name
  (``nr``): a general dictionary of 349,000 words says what is a word far better than any hand list;
* no function character (的, 了, 在, 是, …) and no byline suffix (报道, 整合, 摄).

Romanised names (``Wang Wei``: capitalised words) are accepted only where a label says the field holds a name
(``作者：``); lower-case logins (lxxwzx, user01) and account placeholders (admin, 小编, 佚名) never. Where a
credit label vouches for a name (after 记者/编辑/通讯员, in a bracketed byline), every surname of the 百家姓
counts and only common words are refused (``credit=True``); elsewhere the ranking's surnames and the whole
dictionary test apply. Organisations are not persons: ``looks_like_outlet``
recognises them for the fields that allow them (``source``, picture providers).
"""

from __future__ import annotations

import re
from functools import cache

from govnews.lexicon import WordSet, jieba_dictionary


def simplified_chars(text: str) -> str:
    """Traditional characters mapped one-to-one to Simplified (imported late: extraction imports this module)."""
    from govnews.extract.text import simplified_chars as convert

    return convert(text)

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# The commonest single surnames (the national ranking's top ~350, with the simplified variants 肖 付 闫).
SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜"
    "倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼闻厉伊仝郜阚权强帅屠豆朴盖练廉禹"
    "井祖漆巴丰支卿狄晋云容敬扈晁芮阙浦戈伏鹿薄邸雍辜羊乌裘亓邰赫杭宿鲜逯隆茹诸战慕亢嵇湛宾戎勾茅呼尉冶斯檀昝智幸奉衡尧洛"
    "揭桓银植"
)
# The 百家姓 (Hundred Family Surnames, Northern Song; public domain) with its later continuation (续), as
# recited: its single and compound surnames, spelled in Simplified script (鬱 is 郁; 萧/肖, 阎/闫 both occur),
# checked against copies kept in public repositories. Real surnames the ranking above leaves out (弓 and 阴 are
# common in Lüliang and Linfen, 洪 and 相 elsewhere) are names in a clear credit context (``is_person_name``).
BAIJIAXING = (
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"
    "鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄"
    "和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭"
    "梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚"
    "程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫"
    "宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴郁胥能苍双"
    "闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容"
    "向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空"
    "曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公"
    "晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴佘佴墨哈谯笪年爱阳佟言福"
)
_BAIJIAXING_COMPOUND = (
    "万俟司马上官欧阳夏侯诸葛闻人东方赫连皇甫尉迟公羊澹台公冶宗政濮阳淳于单于太叔申屠公孙仲孙轩辕令狐"
    "钟离宇文长孙慕容鲜于闾丘司徒司空亓官司寇仉督子车颛孙端木巫马公西漆雕乐正壤驷公良拓跋夹谷宰父谷梁"
    "段干百里东郭南门呼延归海羊舌微生梁丘左丘东门西门商牟伯赏南宫第五"
)
_COMPOUND = ("欧阳司马上官诸葛东方皇甫尉迟公孙慕容长孙宇文司徒令狐夏侯轩辕端木独孤南宫西门呼延申屠澹台公冶太史万俟闻人"
             "赫连第五钟离宗政濮阳淳于单于百里东郭左丘拓跋")
COMPOUND_SURNAMES = frozenset(_COMPOUND[i:i + 2] for i in range(0, len(_COMPOUND), 2))
# Every surname: the ranking's, the 百家姓's and its compounds (used where a credit label vouches for a name).
ALL_SINGLE_SURNAMES = SINGLE_SURNAMES | frozenset(BAIJIAXING)
ALL_COMPOUND_SURNAMES = COMPOUND_SURNAMES | frozenset(
    _BAIJIAXING_COMPOUND[i:i + 2] for i in range(0, len(_BAIJIAXING_COMPOUND), 2))
# In a credit context a name may be a dictionary word (洪瑜, 相国, 金山) unless it is a word this common (高兴,
# 安全, 王国): those are phrases far more often than names.
MIN_COMMON_WORD_FREQUENCY = 1000
# Characters that make a phrase of a string: particles, prepositions, copulas, and words that end
# bylines (报道, 整合, 摄) or stand for an office rather than a person.
_FUNCTION_CHARS = frozenset("的了着过是在和与及或从向对把被将为于以说到们这那其之也都就还又再很等"
                            "讯摄供稿报道整合编译综合")
# Placeholders templates print where a name would be.
PLACEHOLDERS = frozenset((
    "admin", "administrator", "root", "webmaster", "editor", "guest", "user", "anonymous", "unknown", "管理员",
    "超级管理员", "小编", "佚名", "未知", "匿名", "网络", "网友", "本站", "原创", "转载", "系统", "编辑部", "本网",
    "综合", "互联网", "用户上传", "网友上传", "网友投稿", "会员上传"))
# ``本站原创``, ``转载文章``, ``网络整理``, ``互联网转载稿件``: who-published-it placeholders, with or without a noun.
_PLACEHOLDER_SHAPE = re.compile(
    r"(?:本站|本网|网络|互联网|网上)?(?:原创|转载|整理|综合|收集|摘编)?(?:文章|稿件|内容|作品|资料)?|本站|本网|网络|互联网")
_DOTTED = re.compile(f"[{_HAN}]{{1,8}}(?:[·•・][{_HAN}]{{1,10}}){{1,2}}")
# A romanised name: capitalised words (``Wang Wei``, ``Bill Quinton``, ``O'Neil``); a lower-case login (lxxwzx,
# ance, user01) or an id with digits is a CMS account, never an author.
_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:(?: |\. ?|-|')[A-Z][a-z]*){0,3}\.?")
# An outlet or office: the suffixes newspapers, broadcasters, sites and government bodies carry.
_OUTLET = re.compile(
    f"[{_HAN}A-Za-z0-9·\\-]{{1,20}}(?:社|报|报社|网|台|刊|新闻|日报|晚报|周刊|杂志|频道|在线|客户端|发布|中心|办公室|"
    f"政府|政务|融媒|委员会|委|局|厅|办|院|部|处|所|站|公司|集团|协会|学会|研究会|之家|资讯|财经|科技|时报|观察|头条|号)"
)


@cache
def _jieba_words() -> WordSet:
    """Words of jieba's dictionary that open with a surname and are not tagged as person names.

    Only these can be mistaken for a name; reading them costs well under a second, once, on first use, and
    keeping them 0.2 MB (``lexicon.WordSet``).
    """
    return WordSet(
        word for word, _, pos in jieba_dictionary()
        if 2 <= len(word) <= 4 and (word[0] in SINGLE_SURNAMES or word[:2] in COMPOUND_SURNAMES)
        and not pos.startswith("nr"))


@cache
def _common_words() -> WordSet:
    """jieba's common words (at least ``MIN_COMMON_WORD_FREQUENCY``) that open with any surname, not person names."""
    return WordSet(
        word for word, freq, pos in jieba_dictionary()
        if 2 <= len(word) <= 4 and freq >= MIN_COMMON_WORD_FREQUENCY and not pos.startswith("nr")
        and (word[0] in ALL_SINGLE_SURNAMES or word[:2] in ALL_COMPOUND_SURNAMES))


@cache
def _place_words() -> WordSet:
    """jieba's words that may name the place in front of a newspaper's name (太原日报社, 吕梁日报社): any word of two
    characters (jieba tags 吕梁 and 阳泉 as names, 长治 as a noun), and the three-character ones it tags as places."""
    return WordSet(word for word, _, pos in jieba_dictionary()
                   if len(word) == 2 or (len(word) == 3 and pos == "ns"))


def place_before(text: str, end: int) -> int | None:
    """Where the place name that ends at ``end`` of ``text`` starts (three characters preferred), or None."""
    for size in (3, 2):
        start = end - size
        if start >= 0 and re.fullmatch(f"[{_HAN}]+", text[start:end]) and text[start:end] in _place_words():
            return start
    return None


def _has_surname(name: str, credit: bool = False) -> bool:
    singles, compounds = (ALL_SINGLE_SURNAMES, ALL_COMPOUND_SURNAMES) if credit else (SINGLE_SURNAMES,
                                                                                       COMPOUND_SURNAMES)
    return name[0] in singles or (len(name) >= 3 and name[:2] in compounds)


def is_person_name(value: str, latin_ok: bool = False, labelled: bool = False, credit: bool = False) -> bool:
    """A person's name: see the module docstring.

    ``labelled``: a label with its colon says a name follows (``作者：李在山``), so a given name may hold a
    character that is otherwise a function word; ``latin_ok``: such a label may also name a romanised name
    (``Wang Wei``); ``credit``: the name stands where only names stand (after 记者/编辑/通讯员, in a bracketed
    byline), which weighs more than the dictionary: any surname of the 百家姓 counts, and a dictionary word is
    a name unless it is a common word (洪瑜 and 相国 are names there; 高兴 is not).
    """
    name = simplified_chars(value.strip())
    if not name or name.lower() in PLACEHOLDERS:
        return False
    if _DOTTED.fullmatch(name):
        parts = re.split("[·•・]", name)
        return not any(map(looks_like_outlet, parts))  # transliterations use any character (都, 尔)
    if re.fullmatch(f"[{_HAN}]{{2,4}}", name):
        if not _has_surname(name, credit) or (not labelled and any(c in _FUNCTION_CHARS for c in name[1:])):
            return False
        if name[-1] in "讯摄报":
            return False
        if len(name) == 4 and name[:2] not in (ALL_COMPOUND_SURNAMES if credit else COMPOUND_SURNAMES):
            return False  # four characters with a one-character surname are a phrase far more often than a name
        if credit:
            return name not in _common_words()
        return name not in _jieba_words()
    return bool(latin_ok and _LATIN_NAME.fullmatch(name))


def looks_like_outlet(value: str) -> bool:
    """An outlet or office name (新华社, 证券时报网, 县融媒体中心): allowed in ``source``, never in ``authors``."""
    name = simplified_chars(value.strip())
    return bool(_OUTLET.fullmatch(name)) and name.lower() not in PLACEHOLDERS


def is_placeholder(value: str) -> bool:
    """``本站原创``, ``网络``, ``佚名``: what a template prints when it has no real value."""
    name = simplified_chars(value.strip()).lower()
    return name in PLACEHOLDERS or bool(_PLACEHOLDER_SHAPE.fullmatch(name))
