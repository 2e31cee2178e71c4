"""The timing loop of ``bench.py`` and ``quay_worker.py`` (which runs in Quay's interpreter and
imports nothing of this package): both sides of a comparison are timed the same way."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

__all__ = ["median_us"]


def median_us(call: Callable[[], Any], budget: float) -> float:
    """Median of repeated timings, each over enough calls to take about 20 ms."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            call()
        if time.perf_counter() - start > 0.02 or number >= 1 << 20:
            break
        number *= 4
    samples: list[float] = []
    deadline = time.perf_counter() + budget
    while len(samples) < 5 or (time.perf_counter() < deadline and len(samples) < 50):
        start = time.perf_counter()
        for _ in range(number):
            call()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples) * 1e6
