"""Test-wide configuration.

Under CI (``CI`` set), property tests run derandomized: the same examples every run, so a red CI
always means a change broke something, never that this run drew an unlucky example. Locally they
explore new examples each run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# datasets / huggingface_hub must never look for anything online: every test reads local files only.
for _name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"):
    os.environ.setdefault(_name, "1")

settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two real crawls of different sites: the bundled sample site over file:// (no registry region)
    and the klx registry site from its offline mirror (region, gov_meta). Each output has its crawl
    summary beside it."""
    from tests.support import REPO, run_crawl, serve_directory

    outputs = []
    sample = tmp_path_factory.mktemp("run-sample")
    assert run_crawl("sample", sample).returncode == 0
    outputs.append(sample / "out.jsonl")
    klx = tmp_path_factory.mktemp("run-klx")
    with serve_directory(REPO / "tests" / "fixtures" / "sites") as base:
        assert run_crawl("klx", klx, settings={"GOVNEWS_MIRROR": f"{base}/"}).returncode == 0
    outputs.append(klx / "out.jsonl")
    return outputs


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real redis-server for the whole session (tests.redisserver); tests keep to their own key prefix.
    Skips where none is installed, but fails under CI / GOVNEWS_REQUIRE_REDIS: CI must run these tests."""
    from tests.redisserver import missing_reason, redis_required, redis_server

    reason = missing_reason()
    if reason:
        if redis_required():
            pytest.fail(f"Redis tests must run here (CI or GOVNEWS_REQUIRE_REDIS is set): {reason}")
        pytest.skip(reason)
    with redis_server() as url:
        yield url
