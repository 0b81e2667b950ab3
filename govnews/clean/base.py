"""The contract every cleaning step follows.

A step is a small, named, idempotent function ``str -> StepResult``: the cleaned text, how many
things it changed (by kind), and a few examples of what it removed, so the article's ``cleaning``
record can say exactly what was done. Steps never raise on odd input; they return it unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

MAX_SAMPLES = 3


@dataclass(frozen=True)
class StepResult:
    """What one cleaning step did to one string.

    ``counts`` maps a kind of change (``"glosses"``, ``"ruby"``, ...) to how often it happened;
    ``samples`` holds up to ``MAX_SAMPLES`` short excerpts of removed or rewritten text;
    ``extracted`` carries values a step moved out of the text into fields
    (``{"authors": [...], "editor": [...], "captions": [...], "photo_credits": [...]}``);
    ``origins`` says where each of them came from: (field, values, the line they were read from).
    """

    text: str
    counts: dict[str, int] = field(default_factory=dict)
    samples: tuple[str, ...] = ()
    extracted: dict[str, list[str]] = field(default_factory=dict)
    origins: tuple[tuple[str, tuple[str, ...], str], ...] = ()

    @property
    def changed(self) -> int:
        return sum(self.counts.values())


TextStep = Callable[[str], StepResult]


def unchanged(text: str) -> StepResult:
    return StepResult(text)


def samples_of(items: list[str]) -> tuple[str, ...]:
    """Keep a few short examples: enough to audit a step, small enough for every JSONL line."""
    return tuple(s[:40] for s in items[:MAX_SAMPLES])
