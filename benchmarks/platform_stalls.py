"""Platform stalls: intervals when a CPU of this machine ran none of our work.

cyclictest's idea (the rt-tests suite): one probe process per CPU, pinned to it
and at real-time priority (``SCHED_FIFO`` 90, where the system allows it), sleeps
1 ms at a time and records every wake-up more than ``STALL_MS`` past its deadline. At
that priority nothing of ours (the node, the robot, DDS's threads) can hold the probe
off its CPU, so a late wake-up is time the kernel or the host took: interrupts,
non-preemptible kernel work, or the hypervisor running another guest on our virtual
CPU (steal time, which ``/proc/stat`` counts in ``1 / SC_CLK_TCK`` s units). Without real-time priority (not root, no
``CAP_SYS_NICE``) the probe runs at normal priority and also sees our own
processes' load; the result says which.

``benchmarks/ros_latency.py`` runs the probes beside each measurement and counts
the late commands whose interval overlaps a stall.

    .venv/bin/python benchmarks/platform_stalls.py [--duration 10]

prints the stalls each CPU saw (the probe alone, as a check of an idle machine).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

PERIOD_S = 1e-3
"""The probe's sleep between deadlines."""

STALL_MS = 1.0
"""A wake-up later than this past its deadline is a stall (a 1 kHz tick missed)."""

PRIORITY = 90
"""The probe's SCHED_FIFO priority (cyclictest's customary 80-99)."""


@dataclass
class Stalls:
    """What the probes saw: per CPU the stalls as (start, end) in ``time.perf_counter``
    seconds (CLOCK_MONOTONIC: the same clock in every process), and the steal time."""

    intervals: dict[int, list[tuple[float, float]]]
    steal_s: dict[int, float]
    realtime: bool

    def overlapping(self, start: float, end: float) -> bool:
        """Whether any CPU stalled at some time within [start, end]."""
        return any(a <= end and b >= start
                   for spans in self.intervals.values() for a, b in spans)

    def summary(self) -> str:
        parts = []
        for cpu, spans in sorted(self.intervals.items()):
            longest = max((b - a for a, b in spans), default=0.0)
            parts.append(f"cpu{cpu}: {len(spans)} stalls, longest {1e3 * longest:.1f} ms, "
                         f"steal {self.steal_s[cpu]:.2f} s")
        priority = "SCHED_FIFO" if self.realtime else "normal priority (no SCHED_FIFO)"
        return f"platform stalls (> {STALL_MS:g} ms, probes at {priority}): " + "; ".join(parts)


def _steal_s() -> dict[int, float]:
    """Steal time per CPU so far, seconds (``/proc/stat``'s eighth column)."""
    ticks = os.sysconf("SC_CLK_TCK")
    steal = {}
    with open("/proc/stat") as stat:
        for line in stat:
            name, *fields = line.split()
            if name.startswith("cpu") and name != "cpu":
                steal[int(name[3:])] = int(fields[7]) / ticks
    return steal


def _probe(cpu: int, duration_s: float) -> dict:
    """Sleep to 1 ms deadlines on ``cpu`` for ``duration_s``; the late wake-ups."""
    os.sched_setaffinity(0, {cpu})
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(PRIORITY))
        realtime = True
    except PermissionError:
        realtime = False
    spans = []
    now = time.perf_counter()
    end = now + duration_s
    while now < end:
        deadline = now + PERIOD_S
        time.sleep(PERIOD_S)
        now = time.perf_counter()
        if now - deadline > STALL_MS * 1e-3:
            spans.append((deadline, now))
    return {"cpu": cpu, "spans": spans, "realtime": realtime}


class StallProbes:
    """Probes on every CPU this process may use, for ``duration_s`` from :meth:`start`."""

    def __init__(self, duration_s: float) -> None:
        self.duration_s = duration_s
        self._processes: list[subprocess.Popen] = []
        self._steal_before: dict[int, float] = {}

    def start(self) -> None:
        self._steal_before = _steal_s()
        for cpu in sorted(os.sched_getaffinity(0)):
            self._processes.append(subprocess.Popen(
                [sys.executable, __file__, "--probe-cpu", str(cpu),
                 "--duration", str(self.duration_s)], stdout=subprocess.PIPE, text=True))

    def result(self) -> Stalls:
        """Wait for the probes to finish and gather what they saw."""
        outputs = [json.loads(process.communicate()[0]) for process in self._processes]
        steal = _steal_s()
        return Stalls(intervals={o["cpu"]: [tuple(s) for s in o["spans"]] for o in outputs},
                      steal_s={o["cpu"]: steal[o["cpu"]] - self._steal_before[o["cpu"]]
                               for o in outputs},
                      realtime=all(o["realtime"] for o in outputs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds")
    parser.add_argument("--probe-cpu", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe_cpu is not None:
        print(json.dumps(_probe(args.probe_cpu, args.duration)))
        return 0
    probes = StallProbes(args.duration)
    probes.start()
    print(probes.result().summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
