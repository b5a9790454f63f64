"""How the benchmark measures: wall time and peak memory of a command in its own process.

Every measure that needs a peak RSS runs as a child process, waited for with
``os.wait4``: the kernel then reports that child's own high-water mark (the largest
of it and the descendants it waited for), so one measure's memory never leaks into
the next one's figure, as it would with ``getrusage(RUSAGE_CHILDREN)`` (a maximum
over every child the benchmark ever had). A long-running process (``serve``) is
read instead from ``/proc/<pid>/status`` (``VmHWM``), for it and its children.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence


class BenchError(RuntimeError):
    """A measured command failed or never got where it should: the message says which and why."""


@dataclass
class Run:
    """One finished command: what it cost and what it said."""

    seconds: float
    rss_mb: float  # peak resident set size of the process (and the children it waited for)
    returncode: int
    stdout: str
    stderr: str


def run(cmd: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        timeout: float = 900.0, check: bool = True) -> Run:
    """Run ``cmd`` to the end; its wall time and peak RSS.

    Output goes to temporary files, not pipes, so a chatty command cannot block on a
    full pipe while we wait. On timeout the whole process group is killed.
    """
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True)
        killed: list[bool] = []
        timer = threading.Timer(timeout, lambda: killed.append(True) or _kill_group(proc.pid))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
        out.seek(0)
        err.seek(0)
        result = Run(seconds, usage.ru_maxrss / 1024, proc.returncode,
                     out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))
    if killed:
        raise BenchError(f"`{' '.join(cmd[:4])} …` did not finish within {timeout:g} s")
    if check and result.returncode != 0:
        raise BenchError(f"`{' '.join(map(str, cmd))}` failed with status {result.returncode}:\n"
                         f"{_tail(result.stderr or result.stdout)}")
    return result


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def best(times: int, measure: Callable[[], Run]) -> Run:
    """The fastest of ``times`` runs (the least disturbed by the rest of the machine); its memory is the largest seen."""
    runs = [measure() for _ in range(max(1, times))]
    fastest = min(runs, key=lambda r: r.seconds)
    fastest.rss_mb = max(r.rss_mb for r in runs)
    return fastest


def tree_peak_rss_mb(pid: int) -> float:
    """The largest ``VmHWM`` of a live process and its descendants, in MB (0 when gone)."""
    peak = 0.0
    for p in _descendants(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return peak


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*") if Path(f"/proc/{p}/task").is_dir() else []:
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                pass
    return found


def wait_until(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.02) -> float:
    """Poll ``condition`` until true; the seconds it took. :class:`BenchError` after ``timeout``."""
    t0 = time.perf_counter()
    while True:
        if condition():
            return time.perf_counter() - t0
        if time.perf_counter() - t0 > timeout:
            raise BenchError(f"{what}: not seen within {timeout:g} s")
        time.sleep(interval)
