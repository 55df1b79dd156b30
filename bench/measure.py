"""Run one command in a subprocess and measure its wall time and peak memory.

Peak RSS is taken two ways and the larger is kept:

- `os.wait4` on the child returns its rusage, whose `ru_maxrss` on Linux is the largest
  RSS reached by the child or by any descendant it waited for. Because it is the rusage
  of this one child (not `RUSAGE_CHILDREN` of the benchmark process, which is a running
  maximum over every child so far), it is a per-stage figure and misses no short peak.
- a thread polls the RSS of the child and all its live descendants, summed, every
  `poll_seconds`: this catches processes running at the same time (whose sum can exceed
  the largest single one), at the cost of missing peaks shorter than the poll interval.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil  # type: ignore[import-untyped]


@dataclass(frozen=True)
class Measurement:
    """What one command cost."""

    command: list[str]
    started_at: float  # Unix time at which the command was started
    seconds: float
    peak_rss_bytes: int
    maxrss_bytes: int  # from wait4: the largest single process
    polled_tree_rss_bytes: int  # from polling: the largest sum over the process tree
    # User + system CPU of the child and the descendants it waited for (wait4): less
    # sensitive than wall time to other work on a busy machine.
    cpu_seconds: float
    returncode: int
    log_path: str


class CommandFailed(RuntimeError):
    """A measured command exited non-zero."""

    def __init__(self, measurement: Measurement) -> None:
        tail = _tail(Path(measurement.log_path), 40)
        super().__init__(
            f"command failed with exit code {measurement.returncode}: "
            f"{' '.join(measurement.command)}\n(log: {measurement.log_path})\n{tail}"
        )
        self.measurement = measurement


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def run_measured(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    log_path: Path,
    poll_seconds: float = 0.05,
    check: bool = True,
) -> Measurement:
    """Run `command`, its output appended to `log_path`, and measure it."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    peak_polled = 0
    done = threading.Event()

    with log_path.open("ab") as log:
        log.write(f"$ {' '.join(command)}\n".encode())
        log.flush()
        started_at = time.time()
        started = time.perf_counter()
        child = subprocess.Popen(
            list(command),
            env=dict(env) if env is not None else None,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

        def poll() -> None:
            nonlocal peak_polled
            try:
                process = psutil.Process(child.pid)
            except psutil.Error:
                return
            while not done.is_set():
                peak_polled = max(peak_polled, _tree_rss(process))
                done.wait(poll_seconds)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        # wait4 rather than Popen.wait: it also returns the child's own rusage.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        poller.join()
        child.returncode = os.waitstatus_to_exitcode(status)

    maxrss = int(usage.ru_maxrss) * 1024  # Linux reports kilobytes
    measurement = Measurement(
        command=list(command),
        started_at=started_at,
        seconds=seconds,
        peak_rss_bytes=max(maxrss, peak_polled),
        maxrss_bytes=maxrss,
        polled_tree_rss_bytes=peak_polled,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        returncode=child.returncode,
        log_path=str(log_path),
    )
    if check and measurement.returncode != 0:
        raise CommandFailed(measurement)
    return measurement
