"""Test-wide configuration.

Under CI (``CI`` set), property tests run derandomized: the same examples every run, so a red CI
always means a change broke something, never that this run drew an unlucky example. Locally they
explore new examples each run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
if os.environ.get("CI"):
    settings.load_profile("ci")
