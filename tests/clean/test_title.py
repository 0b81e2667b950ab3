from __future__ import annotations

import pytest

from govnews.clean.title import strip_repost_label


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
