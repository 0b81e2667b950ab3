"""Publication dates: every form Chinese news and government pages print, normalized to Beijing time.

Output is ISO 8601: ``2020-11-24T10:59:00+08:00`` when the page gives a time (seconds always present),
``2016-09-27`` when it gives only a day. Times with an explicit offset (``Z`` in JSON-LD, ``+00:00`` in
``article:published_time``) are converted to +08:00; times without one are Beijing time already.
All patterns run on whitespace-collapsed text and have no nested quantifiers, so they stay linear.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from govnews.extract.text import simplified_chars

BEIJING = timezone(timedelta(hours=8))
MIN_YEAR, MAX_YEAR = 1980, 2100

_FULLWIDTH = str.maketrans("０１２３４５６７８９：－／．　", "0123456789:-/. ")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DIGIT = "[〇○零Ｏ一二三四五六七八九]"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"
_CN_DATE = re.compile(f"({_CN_DIGIT}{{4}})年({_CN_SMALL})月({_CN_SMALL})[日号]")

DATE_PATTERN = (
    r"(?<!\d)(?P<y>(?:19|20)\d{2}) ?[-/.年] ?(?P<m>\d{1,2}) ?[-/.月] ?(?P<d>\d{1,2})(?!\d) ?[日号]?"
    r"(?:[ T]?(?P<ap>上午|下午|中午|晚上|傍晚|凌晨|早上|早晨|夜间|夜里)? ?"
    r"(?P<H>\d{1,2}) ?[:时] ?(?P<M>\d{1,2})(?!\d)(?: ?[:分] ?(?P<S>\d{1,2})(?!\d))?"
    r"(?:\.\d{1,9})?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_DATE = re.compile(DATE_PATTERN)
# Forum and blog post headers say 发表于 (Discuz ``发表于 2025-12-8 10:28:58``), 发布于, 发帖时间.
_LABELLED = re.compile(
    r"(?:发布时间|发布日期|发表时间|发表日期|发文日期|成文日期|发帖时间|日期|时间|发表于|发布于)\s*[:：]?\s*$"
)
# ``7/5/2005 9:23:57 PM``: month first, as US-built CMSs print it; only with AM/PM, which day-first
# (European) pages never use, so ``06/02/2022`` is left alone.
_US_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2}) +(\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm])\b")
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_]?(\d{2})[-/_]?(\d{2})(?!\d)")
_WS = re.compile(r"\s+")


def _cn_number(s: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十七 -> 27 (month and day range only)."""
    if "十" not in s:
        return _CN_DIGITS.get(s, 0)
    tens, _, ones = s.partition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def _cn_date_to_digits(m: re.Match[str]) -> str:
    year = "".join(str(_CN_DIGITS[c]) for c in m.group(1))
    return f"{year}年{_cn_number(m.group(2))}月{_cn_number(m.group(3))}日"


def normalize_digits(text: str) -> str:
    """Full-width digits and punctuation to ASCII, Chinese-numeral dates to digits, whitespace collapsed."""
    text = text.translate(_FULLWIDTH)
    if "年" in text:
        text = _CN_DATE.sub(_cn_date_to_digits, text)
    text = _WS.sub(" ", text)
    if "M" in text or "m" in text:
        text = _US_DATE.sub(_us_date_to_iso, text)
    return text


def _us_date_to_iso(m: re.Match[str]) -> str:
    hour = int(m.group(4)) % 12 + (12 if m.group(7).lower() == "pm" else 0)
    return f"{m.group(3)}-{m.group(1)}-{m.group(2)} {hour}:{m.group(5)}:{m.group(6) or '00'}"


def _build(m: re.Match[str]) -> str | None:
    """Turn one regex match into the ISO string, or None for an impossible date."""
    try:
        day = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return None
    if m["H"] is None:
        return day.isoformat()
    try:
        moment = datetime(day.year, day.month, day.day, _hour_of_day(int(m["H"]), m["ap"]), int(m["M"]),
                          int(m["S"] or 0))
    except ValueError:
        return day.isoformat()
    tz = m["tz"]
    if tz:
        offset = UTC if tz == "Z" else _offset(tz)
        moment = moment.replace(tzinfo=offset).astimezone(BEIJING)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"


_AFTERNOON = frozenset({"下午", "晚上", "傍晚", "夜间", "夜里"})


def _hour_of_day(hour: int, period: str | None) -> int:
    """下午3:05 is 15:05; 中午1:10 is 13:10; a 24-hour clock (下午15:05) is left as it is."""
    if hour < 12 and (period in _AFTERNOON or (period == "中午" and hour < 11)):
        return hour + 12
    return hour


def _offset(tz: str) -> timezone:
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def iter_dates(text: str):
    """Every valid date in ``text``, in order, as (start offset in normalized text, iso string)."""
    norm = normalize_digits(text)
    for m in _DATE.finditer(norm):
        iso = _build(m)
        if iso:
            yield m.start(), iso, norm


def parse_date(s: str | None) -> str | None:
    """Normalize one date string (the first date it contains); None when it holds no valid date."""
    if not s:
        return None
    for _, iso, _ in iter_dates(s):
        return iso
    return None


def find_labelled_date(text: str) -> str | None:
    """The first date introduced by a label such as ``发布时间：`` or ``日期：``."""
    for start, iso, norm in iter_dates(text):
        if _LABELLED.search(simplified_chars(norm[max(0, start - 12):start])):  # 發佈時間： too
            return iso
    return None


def find_date(text: str) -> str | None:
    """A labelled date when the text has one, else the first date at all."""
    return find_labelled_date(text) or parse_date(text)


def date_from_url(url: str) -> str | None:
    """Last resort: ``t20230807_``, ``/2023-08/07/``, ``/20230807/`` in the URL path (day precision)."""
    for m in _URL_DATE.finditer(url):
        try:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        if MIN_YEAR <= day.year <= MAX_YEAR:
            return day.isoformat()
    return None


def prefer_precise_lazy(candidates) -> str | None:
    """``prefer_precise`` over candidates computed on demand: the ones after the first found are computed
    only when it lacks a time of day (a page-wide search for a labelled date is rarely needed)."""
    best = None
    for candidate in candidates:
        value = candidate()
        if not value:
            continue
        if best is None:
            best = value
            if len(best) != 10:
                return best
        elif value[:10] == best and len(value) > 10:
            return value
    return best


def prefer_precise(*candidates: str | None) -> str | None:
    """The first candidate, upgraded with a time of day from a later one that agrees on the day."""
    found = [c for c in candidates if c]
    if not found:
        return None
    best = found[0]
    if len(best) == 10:
        for other in found[1:]:
            if other[:10] == best and len(other) > 10:
                return other
    return best


_BADGE_DAY = re.compile(r"^\s*(\d{1,2})\s*[日号]?\s*$")
_BADGE_MONTH = re.compile(r"^\s*((?:19|20)\d{2})\s*[年/.-]\s*(\d{1,2})\s*月?\s*$")


def badge_date(first: str, second: str) -> str | None:
    """A calendar badge: the day in large print on one line, ``2024年02月`` on the next (either order)."""
    for day_line, month_line in ((first, second), (second, first)):
        day, month = _BADGE_DAY.match(day_line), _BADGE_MONTH.match(month_line)
        if day and month:
            return parse_date(f"{month.group(1)}年{month.group(2)}月{day.group(1)}日")
    return None


def first_date(lines: list[str]) -> str | None:
    """The first date the lines show, in order, calendar badges (a day over ``2024年02月``) included."""
    for i, line in enumerate(lines):
        found = parse_date(line) or (badge_date(line, lines[i + 1]) if i + 1 < len(lines) else None)
        if found:
            return found
    return None
