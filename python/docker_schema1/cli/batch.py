"""Running a command over many inputs: on every core past a threshold, results in input order,
and a progress bar on a terminal when tqdm is installed."""

from __future__ import annotations

import concurrent.futures
import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, TypeVar

from .output import PROG, printable

__all__ = ["PARALLEL_THRESHOLD", "Progress", "run", "workers"]

#: Above this many files, ``verify`` and ``digest`` run on every core and, when standard error
#: is a terminal (and tqdm is installed), show a progress bar there.
PARALLEL_THRESHOLD = 200

S = TypeVar("S")
T = TypeVar("T")


class Progress:
    """A tqdm bar on standard error, or nothing at all."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar

    @classmethod
    def create(cls, total: int, wanted: bool) -> Progress:
        if not wanted or total <= PARALLEL_THRESHOLD or not isatty(sys.stderr):
            return cls(None)
        try:
            tqdm = importlib.import_module("tqdm")
        except ImportError:
            return cls(None)
        return cls(tqdm.tqdm(total=total, file=sys.stderr, unit="file", desc=PROG))

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def update(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def print(self, text: str, stream: IO[str]) -> None:
        """Print a line to ``stream`` without garbling the bar: when the line goes to the
        terminal (stderr, or stdout when it is one too), the bar is cleared and redrawn."""
        if self._bar is None or (stream is not sys.stderr and not isatty(stream)):
            print(printable(text), file=stream)
            return
        with self._bar.external_write_mode(file=stream):
            print(printable(text), file=stream)
            stream.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def workers(jobs: int | None, count: int) -> int:
    if jobs is not None:
        return jobs
    return (os.cpu_count() or 1) if count > PARALLEL_THRESHOLD else 1


def run(
    sources: Sequence[S], work: Callable[[S], T], worker_count: int, progress: Progress
) -> Iterator[T]:
    """``work`` over ``sources``, results in input order. With more than one worker, on a thread
    pool (the Rust core releases the GIL while it parses and verifies). ``work`` must not raise.
    """
    if worker_count <= 1 or len(sources) <= 1:
        for source in sources:
            result = work(source)
            progress.update()
            yield result
        return
    executor = concurrent.futures.ThreadPoolExecutor(worker_count)
    try:
        futures = [executor.submit(work, source) for source in sources]
        index = {future: i for i, future in enumerate(futures)}
        done: dict[int, T] = {}
        following = 0
        for future in concurrent.futures.as_completed(futures):
            done[index[future]] = future.result()
            progress.update()
            while following in done:
                yield done.pop(following)
                following += 1
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
