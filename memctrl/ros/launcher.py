"""Start a launch file's nodes as processes, and stop every one of them.

Each node runs in its own process with the parent's environment. Stopping sends
SIGINT (a node then publishes its safe command and saves), waits, and kills
what is left. The children also get SIGTERM from the kernel if the launching
process dies without stopping them (Linux ``PR_SET_PDEATHSIG``), so an
interrupted launch leaves no process behind.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from memctrl.ros.launch_file import LaunchNode

STOP_TIMEOUT_S = 10.0
_PR_SET_PDEATHSIG = 1


# Looked up here, not in the child: between fork and exec only async-signal-safe work
# is allowed (the launching process may run DDS threads), so the child just calls it.
_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def keep_dds_on_this_machine() -> None:
    """Unless already set: DDS discovery on this machine only, in a domain of this
    process's own (so a demo or benchmark does not talk to a robot's graph)."""
    os.environ.setdefault("ROS_AUTOMATIC_DISCOVERY_RANGE", "LOCALHOST")
    os.environ.setdefault("ROS_DOMAIN_ID", str(1 + os.getpid() % 100))


def _die_with_parent() -> None:
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def run_until_exit(launch: "Launch", poll_s: float = 0.2) -> dict[str, int]:
    """Start ``launch`` and run it until one of its nodes exits or Ctrl-C; then stop them
    all. Returns the exit statuses; ValueError naming each node that exited non-zero
    (on its own, as a node that cannot start does, or when stopped)."""
    early: dict[str, int] = {}
    launch.start()
    try:
        while not early:
            time.sleep(poll_s)
            early = launch.exited()
    except KeyboardInterrupt:
        pass
    finally:
        statuses = launch.stop()
    failed = [f"{name} exited with status {status} "
              f"{'on its own' if name in early else 'when stopped'}"
              for name, status in statuses.items() if status != 0]
    if failed:
        raise ValueError("; ".join(failed))
    return statuses


class Launch:
    """The running processes of a list of launch nodes (a context manager).

    ``log_dir`` (optional) receives one ``NAME.log`` per node; without it the
    nodes write to this process's terminal.
    """

    def __init__(self, nodes: list[LaunchNode], log_dir: Path | None = None) -> None:
        self.nodes = nodes
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen] = {}
        self._logs: list[IO] = []

    def __enter__(self) -> "Launch":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        """Start every node; ValueError (and nothing left running) if one cannot start."""
        commands = [(node.label, node.command()) for node in self.nodes]
        try:
            for name, command in commands:
                output = None
                if self.log_dir is not None:
                    self.log_dir.mkdir(parents=True, exist_ok=True)
                    output = open(self.log_dir / f"{name}.log", "w", encoding="utf-8")
                    self._logs.append(output)
                self.processes[name] = subprocess.Popen(
                    command, stdout=output, stderr=subprocess.STDOUT if output else None,
                    preexec_fn=_die_with_parent)
        except BaseException:
            self.stop()
            raise

    def exited(self) -> dict[str, int]:
        """The nodes that have exited, with their status."""
        return {name: process.returncode for name, process in self.processes.items()
                if process.poll() is not None}

    def stop(self, timeout_s: float = STOP_TIMEOUT_S, wait=time.sleep) -> dict[str, int]:
        """SIGINT every node, wait up to ``timeout_s``, kill the rest; the exit statuses.

        ``wait(seconds)`` is called while waiting (a caller may spin a ROS node in it).
        """
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + timeout_s
        while any(p.poll() is None for p in self.processes.values()) \
                and time.monotonic() < deadline:
            wait(0.05)
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
            process.wait()
        for log in self._logs:
            log.close()
        self._logs = []
        return {name: process.returncode for name, process in self.processes.items()}
