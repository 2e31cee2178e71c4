"""Shared fixtures: the backend switch, the ../shared vectors, hypothesis profiles."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import hypothesis
import pytest

from docker_schema1 import _backend

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DOCKER_SCHEMA1_SHARED", ROOT.parent / "shared"))
BACKENDS = ["rust", "pure"]

hypothesis.settings.register_profile("fast", max_examples=60, deadline=None)
hypothesis.settings.register_profile(
    "ci", max_examples=400, deadline=None, suppress_health_check=list(hypothesis.HealthCheck)
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the test when ../shared is absent (a user's clone).

    CI always has ../shared: there a missing file is an error, not a skip.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            raise FileNotFoundError(f"{path} is missing, and CI must have ../shared")
        pytest.skip(f"{path} not present (../shared is only beside the project's own checkout)")
    return path


def shared_files(*parts: str, pattern: str = "*.json") -> list[Path]:
    """Files under ../shared for parametrize; empty when ../shared is absent."""
    folder = SHARED.joinpath(*parts)
    return sorted(folder.rglob(pattern)) if folder.is_dir() else []


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test once per backend, with that backend current."""
    with _backend.using_backend(request.param):
        yield request.param
