"""The article-level cleaner: every text step over every field it concerns, with provenance.

``clean_article`` is the one entry point the pipeline calls. Each step that changes a field appends a
:class:`~govnews.items.CleaningRecord`, so an exported line says exactly what was done to it. The
steps interact (a credit line removed at the end can leave two identical copies of a body behind),
so the sequence is repeated until a pass changes nothing: that makes ``clean_article`` idempotent,
which re-crawls and re-cleaning of stored items rely on.

Most of a repeated pass would only confirm that nothing changes. A step is a function of the fields it
reads, so one that found nothing to do on values that are still there has nothing to do now: :class:`_Seen`
remembers, per step and field, what each step last left behind and whether it changed anything, and the
passes after the first run a step only where another step has since changed its input. A step that changed
its input is run again to confirm, unless it is idempotent by construction (it repeats its own work until a
round finds nothing: :data:`SETTLED_BY_CONSTRUCTION`). The result is the same as running every step every
pass, which ``tests/clean/test_article.py`` checks.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable

from govnews.clean.base import StepResult, TextStep
from govnews.clean.credits import MAX_HEAD_SCAN, extract_credits, head_span, split_caption
from govnews.clean.dedup import remove_duplicated_body, remove_repeated_paragraphs, remove_repeated_title
from govnews.clean.garble import repair_gbk_garble
from govnews.clean.markup import strip_literal_tags
from govnews.clean.pinyin import strip_pinyin_glosses, strip_ruby_text
from govnews.clean.placeholders import remove_copy_jammer, remove_image_placeholders, remove_watermarks
from govnews.clean.script import detect_script, to_simplified
from govnews.clean.spam import remove_spam_keywords
from govnews.clean.title import strip_repost_label, strip_title_promotion
from govnews.clean.whitespace import normalize_whitespace
from govnews.clean.widgets import remove_widget_text
from govnews.extract.byline import dateline_outlet
from govnews.extract.text import simplified_chars
from govnews.items import Article, CleaningRecord

# Passes are repeated until one changes nothing; in practice the second pass is that one.
MAX_PASSES = 4

SINGLE_FIELDS = ("title", "text", "source", "editor")
DATELINE_SCAN = 40  # characters at the head of a paragraph where a dateline (新京报讯) names the outlet
DATELINE_LINES = 3  # the first paragraphs (short headline and chrome lines aside) that may open with a dateline
LIST_FIELDS = ("authors", "captions", "photo_credits")
SCRIPT_FIELDS = ("title", "text", "captions", "image_captions", "authors", "editor", "source", "photo_credits",
                 "site_name")


# Steps that are idempotent by construction: whitespace is folded into one canonical form, and the two
# repeat removers loop until a round of their own finds nothing; so on its own output such a step does nothing.
SETTLED_BY_CONSTRUCTION = frozenset({"normalize_whitespace", "remove_duplicated_body", "remove_repeated_paragraphs"})


class _Seen:
    """What each step left behind when it last ran, and whether it changed anything then."""

    def __init__(self) -> None:
        self._left: dict[tuple[str, str], tuple[object, bool]] = {}

    def settled(self, key: tuple[str, str], value: object) -> bool:
        """True when running step ``key`` on ``value`` is known to change nothing: it last ran and left
        ``value`` having found nothing to do, or having done its work if it is settled by construction."""
        last = self._left.get(key)
        return last is not None and last[0] == value and (not last[1] or key[0] in SETTLED_BY_CONSTRUCTION)

    def mark(self, key: tuple[str, str], value: object, changed: bool) -> None:
        self._left[key] = (value, changed)


def _field_value(article: Article, field: str) -> object:
    """What a step reads of ``field``: a copy for lists (they are replaced, but copy to be safe), else the value."""
    if field == "image_captions":
        return tuple(image.caption for image in article.images)
    value = getattr(article, field)
    return tuple(value) if isinstance(value, list) else value


def _record(article: Article, step: str, field: str, results: list[StepResult]) -> None:
    counts: dict[str, int] = {}
    samples: list[str] = []
    for result in results:
        for kind, n in result.counts.items():
            counts[kind] = counts.get(kind, 0) + n
        samples.extend(result.samples)
    article.cleaning.append(CleaningRecord(step=step, field=field, count=max(sum(counts.values()), 1),
                                           details=counts, samples=samples[:3]))


def _apply_to_image_captions(article: Article, step: TextStep, name: str) -> bool:
    """Image captions are cleaned like ``captions``, each in place (an image keeps its caption slot)."""
    before = [image.caption for image in article.images]
    results = [step(caption) if caption else None for caption in before]
    after = [(r.text or None) if r else caption for r, caption in zip(results, before, strict=True)]
    if after == before:
        return False
    for image, caption in zip(article.images, after, strict=True):
        image.caption = caption
    _record(article, name or step.__name__, "images", [r for r in results if r and r.counts])
    return True


def apply_step(article: Article, step: TextStep, fields: tuple[str, ...], name: str = "",
               seen: _Seen | None = None) -> bool:
    """Run ``step`` over ``fields`` of ``article`` in place, recording each field it changed.

    ``image_captions`` names the captions inside ``images``. With ``seen``, a field on which the step is
    known to have nothing to do is skipped (see :class:`_Seen`).
    """
    changed = False
    for field in fields:
        key = (name or step.__name__, field)
        if seen is not None and seen.settled(key, _field_value(article, field)):
            continue
        field_changed = _apply_to_field(article, step, field, name)
        if seen is not None:
            seen.mark(key, _field_value(article, field), field_changed)
        changed |= field_changed
    return changed


def _apply_to_field(article: Article, step: TextStep, field: str, name: str) -> bool:
    if field == "image_captions":
        return _apply_to_image_captions(article, step, name)
    value = getattr(article, field)
    if isinstance(value, list):
        results = [step(item) for item in value]
        new_value: list[str] | str | None = _kept([r.text for r in results], repeats=field == "captions")
    elif value:
        results = [step(value)]
        new_value = results[0].text or (None if field in ("source", "editor") else "")
    else:
        return False
    if new_value == value:
        return False
    setattr(article, field, new_value)
    _record(article, name or step.__name__, field, [r for r in results if r.counts])
    return True


def _unit(article: Article, seen: _Seen | None, name: str, fields: tuple[str, ...], run: Callable[[], bool]) -> bool:
    """Run a step that reads several fields together (``run``), unless they are all as it left them."""
    if seen is None:
        return run()
    key = (name, "+".join(fields))
    if seen.settled(key, tuple(_field_value(article, f) for f in fields)):
        return False
    changed = run()
    seen.mark(key, tuple(_field_value(article, f) for f in fields), changed)
    return changed


def _kept(values: list[str], repeats: bool) -> list[str]:
    """Non-empty values in order; repeats too when ``repeats`` (captions are one per picture: a gallery of
    two photos captioned alike has two captions)."""
    return [v for v in values if v] if repeats else _dedup_kept(values)


def _dedup_kept(values: list[str]) -> list[str]:
    """Non-empty values, first occurrence kept, order kept."""
    seen: set[str] = set()
    out = []
    for value in values:
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return out


def _convert_script(article: Article) -> bool:
    """Record a Traditional original and convert every text field to Simplified.

    The article's script is decided once, on title and body together, and imposed on every field:
    a title like 省政府批覆 holds no character that is Traditional-only.
    """
    if detect_script(f"{article.title}\n{article.text}") != "zh-Hant":
        return _convert_traditional_title(article)
    article.script_original = "zh-Hant"

    def to_simplified_traditional(text: str) -> StepResult:
        return to_simplified(text, "zh-Hant")

    return apply_step(article, to_simplified_traditional, SCRIPT_FIELDS, name="to_simplified")


def _convert_traditional_title(article: Article) -> bool:
    """A mirror's Traditional headline over a Simplified body (or the reverse template) is converted alone."""
    title = article.title
    if not title or simplified_chars(title) == title or detect_script(title) != "zh-Hant":
        return False  # (the translate pre-check keeps this free for the Simplified headlines of most pages)

    def title_to_simplified(text: str) -> StepResult:
        return to_simplified(text, "zh-Hant")

    return apply_step(article, title_to_simplified, ("title",), name="to_simplified")


def _merge_credits(article: Article, result: StepResult) -> bool:
    """Fold what ``extract_credits`` moved out of the text into the credit fields."""
    found = result.extracted
    before = (list(article.authors), article.editor, list(article.photo_credits), list(article.captions),
              article.source)
    article.authors = _dedup_kept(article.authors + found.get("authors", []))
    if not article.editor and found.get("editor"):
        article.editor = "、".join(found["editor"])
    article.photo_credits = _dedup_kept(article.photo_credits + found.get("photo_credits", []))
    article.captions = _kept(article.captions + found.get("captions", []), repeats=True)
    if not article.source and found.get("source"):
        article.source = found["source"][0]
    return before != (article.authors, article.editor, article.photo_credits, article.captions, article.source)


def _source_from_dateline(article: Article) -> bool:
    """``新京报讯 …`` / ``新华社北京9月1日电``: with no source yet, the dateline's outlet is the source."""
    if article.source or not article.text:
        return False
    # the dateline may open the second or third paragraph, under a caption or a lead
    lines = article.text.split("\n", MAX_HEAD_SCAN)
    head = next((line for line in lines[:head_span(lines, DATELINE_LINES)]
                 if dateline_outlet(line[:DATELINE_SCAN])), None)
    if head is None:
        return False
    outlet = dateline_outlet(head[:DATELINE_SCAN])
    if not outlet:
        return False
    article.source = outlet
    article.cleaning.append(CleaningRecord(step="extract_credits", field="source", count=1,
                                           details={"dateline_source": 1},
                                           samples=[f"{outlet} ← {head[:DATELINE_SCAN]}"]))
    return True


def _take_credits(article: Article) -> bool:
    result = extract_credits(article.text)
    fields_changed = _merge_credits(article, result)
    captions_changed = _tidy_captions(article)
    if result.text == article.text and not fields_changed:
        return _source_from_dateline(article) or captions_changed
    article.text = result.text
    _record(article, "extract_credits", "text", [result])
    _record_origins(article, result)
    _source_from_dateline(article)
    return True


def _record_origins(article: Article, result: StepResult) -> None:
    """One record per credit line: which field received which names, and the line they were read from."""
    for field, values, line in result.origins:
        article.cleaning.append(CleaningRecord(
            step="extract_credits", field=field, count=max(len(values), 1), details={"names": len(values)},
            samples=[f"{'、'.join(values)} ← {line}"]))


def _tidy_caption(caption: str, credits: list[str]) -> str | None:
    """A caption from the page (figcaption, caption paragraph) without ▲ marks or its ``X 摄`` credit."""
    parts = split_caption(caption) or {}
    credits.extend(parts.get("photo_credits", []))
    return (parts.get("captions") or [None])[0]


def _tidy_captions(article: Article) -> bool:
    """Captions found in the markup get the same treatment as caption lines taken from the text."""
    credits: list[str] = []
    captions = [c for c in (_tidy_caption(c, credits) for c in article.captions) if c]
    image_captions = [_tidy_caption(img.caption, credits) if img.caption else None for img in article.images]
    if captions == article.captions and image_captions == [img.caption for img in article.images]:
        return False
    changed = len(set(article.captions) - set(captions)) + sum(
        img.caption != new for img, new in zip(article.images, image_captions, strict=True))
    article.captions = captions
    for image, caption in zip(article.images, image_captions, strict=True):
        image.caption = caption
    credits = _dedup_kept(credits)
    article.photo_credits = _dedup_kept(article.photo_credits + credits)
    article.cleaning.append(CleaningRecord(step="extract_credits", field="captions", count=max(changed, 1),
                                           details={"captions": changed, "photo_credits": len(credits)},
                                           samples=credits[:3]))
    return True


def _dedup_text(article: Article, seen: _Seen | None = None) -> bool:
    title = article.title

    def remove_title(text: str) -> StepResult:
        return remove_repeated_title(text, title)

    changed = _unit(article, seen, "remove_repeated_title", ("title", "text"),
                    lambda: apply_step(article, remove_title, ("text",), name="remove_repeated_title"))
    changed |= apply_step(article, remove_duplicated_body, ("text",), seen=seen)
    return apply_step(article, remove_repeated_paragraphs, ("text",), seen=seen) or changed


# What the steps that read several fields together read (and may change).
SCRIPT_INPUTS = ("title", "text", "captions", "image_captions", "authors", "editor", "source", "photo_credits",
                 "site_name")
CREDIT_INPUTS = ("text", "authors", "editor", "photo_credits", "captions", "source", "image_captions")


def _one_pass(article: Article, seen: _Seen | None = None) -> bool:
    """Steps (a)–(h) once, in order; True when any of them changed the article.

    ``seen`` (kept across passes): skip each step whose inputs are as it left them.
    """
    changed = apply_step(article, repair_gbk_garble, ("title", "text"), seen=seen)
    changed |= apply_step(article, strip_literal_tags, ("title", "text", "captions", "image_captions"), seen=seen)
    changed |= apply_step(article, strip_ruby_text, ("title", "text", "captions", "image_captions"), seen=seen)
    changed |= apply_step(article, strip_pinyin_glosses, ("title", "text", "captions", "image_captions"), seen=seen)
    changed |= apply_step(article, normalize_whitespace, ("title", "text", "captions", "image_captions"), seen=seen)
    changed |= apply_step(article, remove_widget_text, ("text",), seen=seen)
    changed |= apply_step(article, remove_spam_keywords, ("text",), seen=seen)
    changed |= apply_step(article, remove_image_placeholders, ("text",), seen=seen)
    changed |= apply_step(article, remove_watermarks, ("text",), seen=seen)
    changed |= apply_step(article, remove_copy_jammer, ("text",), seen=seen)
    changed |= apply_step(article, strip_repost_label, ("title",), seen=seen)
    changed |= apply_step(article, strip_title_promotion, ("title",), seen=seen)
    changed |= _unit(article, seen, "to_simplified", SCRIPT_INPUTS, lambda: _convert_script(article))
    changed |= _dedup_text(article, seen)
    changed |= _unit(article, seen, "extract_credits", CREDIT_INPUTS, lambda: _take_credits(article))
    changed |= apply_step(article, normalize_whitespace, (*SINGLE_FIELDS, *LIST_FIELDS, "image_captions"), seen=seen)
    return changed


def clean_article(article: Article, skip_settled: bool = True) -> Article:
    """A cleaned copy of ``article``: Simplified, de-glossed, de-duplicated text, credits in fields.

    Records already in ``article.cleaning`` (from extraction) are kept; new ones are appended.
    ``skip_settled=False`` runs every step in every pass (the reference the skipping is tested against).
    """
    cleaned = copy.deepcopy(article)
    seen = _Seen() if skip_settled else None
    for _ in range(MAX_PASSES):
        if not _one_pass(cleaned, seen):
            break
    cleaned.lang = "zh-Hans"
    cleaned.content_hash = hashlib.sha256(cleaned.text.encode("utf-8")).hexdigest()
    return cleaned
