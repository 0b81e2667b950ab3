from __future__ import annotations

import pytest

from govnews.clean.title import strip_repost_label, strip_title_promotion


@pytest.mark.parametrize("title", ["【转载】县委召开常委会", "[原创] 县委召开常委会", "（转帖）县委召开常委会",
                                   "转载：县委召开常委会", "【转】县委召开常委会"])
def test_repost_labels_go(title: str) -> None:
    result = strip_repost_label(title)
    assert result.text == "县委召开常委会" and result.counts == {"repost_label": 1}
    assert strip_repost_label(result.text).counts == {}


@pytest.mark.parametrize("title", ["【资讯汇总】9月26日盘中重要资讯汇总", "【不忘初心 牢记使命】我院举办技能大赛",
                                   "转载量破万的政务短视频", "【转载】", "原创作品大赛开幕"])
def test_headlines_stay(title: str) -> None:
    assert strip_repost_label(title).text == title


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        ("全省230名记者探寻茶乡写乡村振兴故事:雷火电竞官方网站", "全省230名记者探寻茶乡写乡村振兴故事"),
        ("县委召开常委扩大会议研究部署当前工作_某某体育APP下载", "县委召开常委扩大会议研究部署当前工作"),
    ],
)
def test_a_sites_promotion_behind_the_headline_goes(title, headline):
    assert strip_title_promotion(title).text == headline


@pytest.mark.parametrize(
    "title",
    ["县政府官方网站改版上线", "关于开通县政府官网:公告", "官网:新版上线", "我县政务服务网网页版正式启用"],
)
def test_headlines_about_a_website_stay(title):
    assert strip_title_promotion(title).text == title
