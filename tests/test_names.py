"""Name validation: what may go into authors, editor and photo_credits."""

from __future__ import annotations

import pytest

from govnews.names import is_person_name, is_placeholder, looks_like_outlet


@pytest.mark.parametrize("name", ["陆一夫", "张楠", "石佳", "唐霁", "魏星", "陈智", "张巨峰", "王国庆", "高峰",
                                  "欧阳晓峰", "阿依古丽·买买提", "熊曉輝", "贾天勇", "王某"])
def test_real_names_pass(name: str) -> None:
    assert is_person_name(name)


@pytest.mark.parametrize("word", ["了解", "表示", "的接触中", "获悉", "整合", "网络整理", "会上表示", "了解到",
                                  "104363", "介绍", "周到", "方便", "江门警方", "admin", "小编", "佚名",
                                  "新京报讯", "澎湃新闻·澎湃号·政务", "张三说", ""])
def test_words_numbers_and_placeholders_fail(word: str) -> None:
    assert not is_person_name(word)


def test_labelled_names_may_hold_function_characters_and_romanised_names() -> None:
    assert not is_person_name("李在山") and is_person_name("李在山", labelled=True)
    assert not is_person_name("Wang Wei") and is_person_name("Wang Wei", latin_ok=True)
    assert is_person_name("Bill Quinton", latin_ok=True) and is_person_name("Smith", latin_ok=True)
    assert not is_person_name("104363", latin_ok=True)


@pytest.mark.parametrize("login", ["lxxwzx", "ance", "user01", "sxxz", "xzrmzf", "kingname", "HN666", "wang_wei"])
def test_cms_logins_are_no_names(login: str) -> None:
    """TRS and blog templates print the posting account after 作者: (review 1, 2a): a lower-case login or an id."""
    assert not is_person_name(login, latin_ok=True, labelled=True)


@pytest.mark.parametrize("name", ["阴豪", "弓芳芳", "弓佩玉", "洪瑜", "相国", "金山", "申勇", "欧阳晓峰", "上官婉儿"])
def test_real_surnames_and_word_like_names_pass_in_a_credit_context(name: str) -> None:
    """弓 and 阴 are common surnames in Lüliang and Linfen, 洪 everywhere: the 百家姓 lists them; 洪瑜 and 相国
    are names after 记者/编辑 though the second is also a word."""
    assert is_person_name(name, credit=True)


@pytest.mark.parametrize("word", ["高兴", "安全", "成功", "王国", "方向", "马上", "了解", "表示", "于是", "记者站"])
def test_common_words_fail_even_in_a_credit_context(word: str) -> None:
    assert not is_person_name(word, credit=True)


def test_outside_a_credit_context_the_strict_test_holds() -> None:
    assert not is_person_name("阴豪") and not is_person_name("相国") and not is_person_name("弓芳芳")


def test_baijiaxing_holds_the_surnames_it_should() -> None:
    from govnews.names import ALL_COMPOUND_SURNAMES, ALL_SINGLE_SURNAMES, SINGLE_SURNAMES

    assert {"弓", "阴", "洪", "相", "郗", "谯"} <= ALL_SINGLE_SURNAMES and SINGLE_SURNAMES <= ALL_SINGLE_SURNAMES
    assert {"万俟", "第五", "拓跋", "欧阳", "商牟"} <= ALL_COMPOUND_SURNAMES


def test_outlets_and_placeholders() -> None:
    assert all(map(looks_like_outlet, ["新华社", "证券时报网", "中国网", "县融媒体中心", "中国广州发布"]))
    assert not looks_like_outlet("张三") and not looks_like_outlet("网络")
    assert all(map(is_placeholder, ["本站原创", "网络", "佚名", "本站", "转载"]))
    # ``来源：转载文章`` (a portal's template for every repost) names nobody; the outlet under the body does.
    assert all(map(is_placeholder, ["转载文章", "网络整理", "本站原创稿件", "互联网转载"]))
    assert not is_placeholder("新华社") and not is_placeholder("新闻晨报") and not is_placeholder("综合报道")


def test_compact_word_sets_answer_like_sets():
    from govnews.lexicon import PairSet, WordSet, jieba_dictionary
    from govnews.names import COMPOUND_SURNAMES, SINGLE_SURNAMES, _jieba_words

    words = {w for w, _, pos in jieba_dictionary()
             if 2 <= len(w) <= 4 and (w[0] in SINGLE_SURNAMES or w[:2] in COMPOUND_SURNAMES)
             and not pos.startswith("nr")}
    compact = _jieba_words()
    assert len(compact) == len(words) and all(w in compact for w in words)
    probes = ["王国", "王", "王国家", "张三", "欧阳", "李", "", "王\n", "高度", "高\n度"]
    assert [p in compact for p in probes] == [p in words for p in probes]
    small = WordSet(["王国", "王国强", "张"])
    assert "王国" in small and "王国强" in small and "王" not in small and "张" in small and "国强" not in small
    pairs = PairSet(["的了", "的吗", "是的", "x", "abc"])
    assert len(pairs) == 3 and "的吗" in pairs and "吗的" not in pairs and "x" not in pairs and "abc" not in pairs
