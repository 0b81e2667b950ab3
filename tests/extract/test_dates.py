"""parse_date and the date finders: every form in sites.md, Beijing time, impossible dates rejected."""

from __future__ import annotations

import re

import pytest

from govnews.extract.dates import (
    date_from_url,
    find_date,
    find_labelled_date,
    iter_dates,
    normalize_digits,
    parse_date,
    prefer_precise,
)

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?\+08:00)?$")


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2020-11-24 10:59:00", "2020-11-24T10:59:00+08:00"),
        ("2023-07-07 08:34", "2023-07-07T08:34:00+08:00"),
        ("2016年09月27日 07:02", "2016-09-27T07:02:00+08:00"),
        ("2016年9月27日", "2016-09-27"),
        ("2016/09/27", "2016-09-27"),
        ("2016.09.27", "2016-09-27"),
        ("２０２３年７月７日", "2023-07-07"),
        ("２０２３－０７－０７　０８：３４", "2023-07-07T08:34:00+08:00"),
        ("二〇二三年七月七日", "2023-07-07"),
        ("二〇一九年十二月二十五日", "2019-12-25"),
        ("2019年09月07日13:43", "2019-09-07T13:43:00+08:00"),
        ("2019-09-07T05:43:00Z", "2019-09-07T13:43:00+08:00"),
        ("2019-09-07T05:43:00.000Z", "2019-09-07T13:43:00+08:00"),
        ("2019-09-07T13:43:45+08:00", "2019-09-07T13:43:45+08:00"),
        ("2019-09-06T22:00:00-05:00", "2019-09-07T11:00:00+08:00"),
        ("2019-09-07T20:00:00+0000", "2019-09-08T04:00:00+08:00"),
        ("发布时间：2020-11-24 10:59:00 来源：山西日报", "2020-11-24T10:59:00+08:00"),
        ("2007-08-20-23:59:59", "2007-08-20"),
    ],
)
def test_parse_date_forms(raw: str, iso: str) -> None:
    assert parse_date(raw) == iso
    assert ISO.match(iso)


@pytest.mark.parametrize(
    "raw", ["", None, "2019-02-30", "2019-13-01", "1850-01-01", "没有日期", "12:30", "2019年", "20190230"]
)
def test_impossible_or_missing_dates_are_none(raw: str | None) -> None:
    assert parse_date(raw) is None


def test_impossible_time_keeps_the_day() -> None:
    assert parse_date("2019-09-07 25:61") == "2019-09-07"


def test_labelled_date_beats_an_earlier_unlabelled_one() -> None:
    line = "2019-01-01 专题 | 发布时间：2020-11-24 10:59"
    assert find_labelled_date(line) == "2020-11-24T10:59:00+08:00"
    assert find_date(line) == "2020-11-24T10:59:00+08:00"
    assert find_date("更新于 2020-11-24") == "2020-11-24"
    assert find_labelled_date("更新于 2020-11-24") is None


@pytest.mark.parametrize(
    ("url", "iso"),
    [
        ("http://klx.sxxz.gov.cn/klxzw/zwyw/202308/t20230807_123.html", "2023-08-07"),
        ("http://x.cn/2023-08/07/content_1.htm", "2023-08-07"),
        ("http://x.cn/news/20230807/1.html", "2023-08-07"),
        ("http://x.cn/zwyw/202308/index.html", None),
        ("http://x.cn/contents/12/345678.html", None),
        ("http://x.cn/a/t20230230_1.html", None),
    ],
)
def test_date_from_url(url: str, iso: str | None) -> None:
    assert date_from_url(url) == iso


def test_prefer_precise_upgrades_a_bare_day_only_from_the_same_day() -> None:
    assert prefer_precise(None, "2019-09-07", "2019-09-07T13:43:00+08:00") == "2019-09-07T13:43:00+08:00"
    assert prefer_precise("2019-09-07", "2019-09-08T13:43:00+08:00") == "2019-09-07"
    assert prefer_precise("2019-09-07T01:00:00+08:00", "2019-09-07T13:43:00+08:00") == "2019-09-07T01:00:00+08:00"
    assert prefer_precise(None, None) is None


def test_normalize_digits_leaves_other_text_alone() -> None:
    assert normalize_digits("会议　于２０２３年召开") == "会议 于2023年召开"
    assert normalize_digits("一二三四五") == "一二三四五"


def test_long_adversarial_input_is_handled() -> None:
    text = "2019-" * 50_000 + "9" * 100_000 + " " * 100_000 + "年" * 100_000
    assert list(iter_dates(text)) == []
    assert parse_date("（" * 10_000 + "2020-01-02" + "）" * 10_000) == "2020-01-02"


@pytest.mark.parametrize(("text", "iso"), [
    ("2023年7月7日 下午3:05", "2023-07-07T15:05:00+08:00"),
    ("2023-07-07 上午10:05", "2023-07-07T10:05:00+08:00"),
    ("2023年7月7日 晚上8:30", "2023-07-07T20:30:00+08:00"),
    ("2023年7月7日 下午15:05", "2023-07-07T15:05:00+08:00"),
    ("2023年7月7日 中午12:30", "2023-07-07T12:30:00+08:00"),
])
def test_twelve_hour_clock_with_period_of_day(text: str, iso: str) -> None:
    assert parse_date(text) == iso


def test_traditional_date_labels() -> None:
    assert find_labelled_date("瀏覽 2023-01-01 發佈時間：2024年3月5日 下午3:05") == "2024-03-05T15:05:00+08:00"
    assert find_labelled_date("發布日期：2024-03-05") == "2024-03-05"
    assert find_labelled_date("會議 2024年3月5日 召開") is None
