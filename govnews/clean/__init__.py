"""Text cleaning: one small idempotent step per module, and ``clean_article`` running them all.

Each step is ``str -> StepResult`` (see ``base.py``); ``article.clean_article`` applies them to an
``Article`` in a fixed order and records provenance; ``quality.drop_reason`` is the export gate.
"""

from __future__ import annotations

from govnews.clean.article import clean_article
from govnews.clean.base import StepResult
from govnews.clean.credits import extract_credits
from govnews.clean.dedup import remove_duplicated_body, remove_repeated_paragraphs, remove_repeated_title
from govnews.clean.garble import garbled_ratio, repair_gbk_garble
from govnews.clean.pinyin import strip_pinyin_glosses, strip_ruby_text
from govnews.clean.placeholders import remove_image_placeholders, remove_watermarks
from govnews.clean.quality import DROP_REASONS, drop_reason
from govnews.clean.script import detect_script, to_simplified
from govnews.clean.title import strip_repost_label
from govnews.clean.whitespace import normalize_whitespace
from govnews.clean.widgets import remove_widget_text

__all__ = [
    "DROP_REASONS",
    "StepResult",
    "clean_article",
    "detect_script",
    "drop_reason",
    "extract_credits",
    "garbled_ratio",
    "normalize_whitespace",
    "remove_duplicated_body",
    "remove_image_placeholders",
    "remove_repeated_paragraphs",
    "remove_repeated_title",
    "remove_watermarks",
    "remove_widget_text",
    "repair_gbk_garble",
    "strip_pinyin_glosses",
    "strip_repost_label",
    "strip_ruby_text",
    "to_simplified",
]
