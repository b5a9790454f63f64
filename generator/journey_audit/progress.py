"""Progress of long work (a build: audits validated, diagrams drawn, pages converted and written).

The layers that do the work report steps here (:func:`start`, :func:`advance`) without
knowing who is watching; the command line chooses the reporter for the length of a
command (:func:`reporting`): on a terminal, bars with counts and time left, redrawn in
place (`rich`); elsewhere (a CI log, a pipe) one summary line per finished task. Outside
a command nothing is reported.

Repeated warnings are grouped as well (:func:`grouped`): a portfolio with 300 warnings
of one rule shows the first few, then a count; ``--verbose`` lists them all.

>>> lines = grouped([("a.yaml:1:1: warning: x (r)", "warning", "r")] * 5, limit=2)
>>> lines[-1]
'… and 3 more warnings like these (r): 5 in all; --verbose lists them all'
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Iterable, Iterator, TextIO

# The tasks of a build, in the order they run, as the terminal names them.
TASKS = {
    "audits": "audits validated",
    "diagrams": "diagrams drawn",
    "converted": "pages converted",
    "pages": "pages written",
}
SHOWN_PER_RULE = 3  # warnings of one rule listed before the rest are counted


class Reporter:
    """Reports nothing (outside a command, and in tests); the base of the others."""

    verbose = False

    def start(self, task: str, total: int) -> None:
        """Task ``task`` (a key of :data:`TASKS`) has ``total`` steps; started again, it counts anew."""

    def advance(self, task: str, steps: int = 1) -> None:
        """``steps`` more steps of ``task`` are done."""

    def close(self) -> None:
        """The command is over: stop drawing."""


class Summary(Reporter):
    """One line per finished task, for logs: ``pages written: 812 in 14.2 s``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tasks: dict[str, list] = {}  # task → [done, total, started]

    def start(self, task: str, total: int) -> None:
        self.tasks[task] = [0, total, time.monotonic()]
        if total == 0:
            self._finish(task)

    def advance(self, task: str, steps: int = 1) -> None:
        state = self.tasks.get(task)
        if state is None or state[0] >= state[1]:
            return
        if state[0] == 0:  # timed from the first step: pages are written only once all are converted
            state[2] = time.monotonic()
        state[0] += steps
        if state[0] >= state[1]:
            self._finish(task)

    def _finish(self, task: str) -> None:
        done, _, started = self.tasks[task]
        if done:
            print(f"{TASKS.get(task, task)}: {done} in {time.monotonic() - started:.1f} s", file=self.stream)


class Bars(Reporter):
    """Bars on a terminal: one per task, with its count, elapsed time and time left."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        # soft_wrap: a long `path:line:col: …` line stays one line, as in a log
        self.console = Console(file=stream, stderr=stream is sys.stderr, soft_wrap=True)
        # Lines printed meanwhile (warnings, MkDocs' messages) go above the bars.
        self.progress = Progress(TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
                                 TaskProgressColumn(), TimeElapsedColumn(), TextColumn("·"), TimeRemainingColumn(),
                                 TextColumn("left"), console=self.console, redirect_stderr=True,
                                 redirect_stdout=True)
        self.ids: dict[str, int] = {}
        self.progress.start()

    def start(self, task: str, total: int) -> None:
        if task in self.ids:
            self.progress.reset(self.ids[task], total=total)
        else:
            self.ids[task] = self.progress.add_task(TASKS.get(task, task), total=total)

    def advance(self, task: str, steps: int = 1) -> None:
        if task in self.ids:
            self.progress.advance(self.ids[task], steps)

    def close(self) -> None:
        if self.progress.live.is_started:
            self.progress.stop()


_current: Reporter = Reporter()


def start(task: str, total: int) -> None:
    """Report that ``task`` begins with ``total`` steps (see :class:`Reporter`)."""
    _current.start(task, total)


def advance(task: str, steps: int = 1) -> None:
    """Report ``steps`` more steps of ``task`` done."""
    _current.advance(task, steps)


def finish() -> None:
    """The long work of the command is done (``serve``'s first build): stop reporting, for the rest of it."""
    global _current
    done, _current = _current, Reporter()
    _current.verbose = done.verbose
    done.close()


def verbose() -> bool:
    """Whether the command was asked to list every warning (``--verbose``)."""
    return _current.verbose


def for_stream(stream: TextIO, verbose: bool = False) -> Reporter:
    """Bars on a terminal, summary lines elsewhere (``CI`` set, ``TERM=dumb``, a pipe or a file)."""
    on_terminal = (hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("CI")
                   and os.environ.get("TERM") != "dumb")
    reporter = Bars(stream) if on_terminal else Summary(stream)
    reporter.verbose = verbose
    return reporter


@contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    """Send the progress reports of the block to ``reporter``, closed at the end."""
    global _current
    saved, _current = _current, reporter
    try:
        yield reporter
    finally:
        _current = saved
        reporter.close()  # again after finish(): closing twice does nothing


def grouped(problems: Iterable[tuple[str, str, str]], limit: int | None = SHOWN_PER_RULE) -> list[str]:
    """Lines to print for ``problems`` (``(line, level, rule)``, sorted): every error; of the
    warnings, the first ``limit`` of each rule, then one count line per rule (``limit`` None:
    all of them, as with ``--verbose``)."""
    lines: list[str] = []
    counts: dict[str, int] = {}
    for line, level, rule in problems:
        if level == "warning" and limit is not None:
            counts[rule] = counts.get(rule, 0) + 1
            if counts[rule] > limit:
                continue
        lines.append(line)
    for rule, n in counts.items():
        if n > limit:
            lines.append(f"… and {n - limit} more warnings like these ({rule}): {n} in all; --verbose lists them all")
    return lines
