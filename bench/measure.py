"""How the benchmark measures: wall time and peak memory of a command in its own process.

Every measure that needs a peak RSS runs as a child process waited for with
``os.wait4``, which reports that child's own high-water mark, so one measure's memory
never leaks into the next one's (as it would with ``getrusage(RUSAGE_CHILDREN)``,
a maximum over every child the benchmark ever had).

One trap: Linux starts a new process's high-water mark at that of the process it
was forked from (``exec`` records the old memory's peak), so a command started
straight from the benchmark, which holds a whole generated site at times, would
inherit the benchmark's peak. Commands are therefore started by :data:`_WRAPPER`, a
small Python process that forks, execs the command, waits for it and reports its
time and peak RSS; a command's own figure always exceeds the wrapper's few MB.
A long-running process (``serve``) is read instead from ``/proc/<pid>/status``
(``VmHWM``, which starts afresh at ``exec``), for it and its children.
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


# Runs argv[2:], then writes {"seconds", "maxrss_kb", "status"} to the file argv[1]; exits as the command did.
_WRAPPER = """
import json, os, sys, time
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    json.dump({"seconds": time.perf_counter() - t0, "maxrss_kb": usage.ru_maxrss, "status": status}, f)
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def run(cmd: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        timeout: float = 900.0, check: bool = True) -> Run:
    """Run ``cmd`` to the end; its wall time and its own peak RSS (see the module's note).

    Output goes to temporary files, not pipes, so a chatty command cannot block on a
    full pipe while we wait. On timeout the whole process group is killed.
    """
    import json
    import sys
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryDirectory(prefix="ja-bench-run-") as tmp:
        report = Path(tmp) / "usage.json"
        os.sync()  # the last measure's site (hundreds of MB) is written back now, not during this one
        proc = subprocess.Popen([sys.executable, "-S", "-c", _WRAPPER, str(report), *map(str, cmd)], cwd=cwd,
                                env=env, stdout=out, stderr=err, start_new_session=True)
        killed: list[bool] = []
        timer = threading.Timer(timeout, lambda: killed.append(True) or _kill_group(proc.pid))
        timer.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
        if killed:
            raise BenchError(f"`{' '.join(map(str, cmd[:4]))} …` did not finish within {timeout:g} s")
        try:
            usage = json.loads(report.read_text())
        except (OSError, ValueError):
            raise BenchError(f"`{' '.join(map(str, cmd))}` could not be started:\n{_tail(stderr)}") from None
    result = Run(usage["seconds"], usage["maxrss_kb"] / 1024, os.waitstatus_to_exitcode(usage["status"]),
                 stdout, stderr)
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
    return fastest([measure() for _ in range(max(1, times))])


def fastest(runs):
    """The fastest of ``runs`` (anything with ``seconds`` and ``rss_mb``), with the largest memory seen."""
    best_run = min(runs, key=lambda r: r.seconds)
    best_run.rss_mb = max(r.rss_mb for r in runs)
    return best_run


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
