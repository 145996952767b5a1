"""``memctrl demo``: two node processes over DDS, a bounded run, the report, nothing left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

MEMCTRL = str(Path(sys.executable).parent / "memctrl")


def _processes_with(marker: str) -> list[int]:
    """PIDs whose environment carries ``marker`` (the demo's children inherit it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _demo(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, str]:
    marker = f"MEMCTRL_TEST_MARKER={uuid.uuid4()}"
    name, value = marker.split("=")
    env = dict(os.environ, **{name: value})
    process = subprocess.Popen([MEMCTRL, "demo", "--out", str(tmp_path / "demo"), "--json",
                                *args], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    return process, marker


def _wait_for_episodes(run_dir: Path, count: int, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    metrics = run_dir / "metrics.jsonl"
    while not (metrics.exists() and len(metrics.read_text().splitlines()) >= count):
        assert time.monotonic() < deadline, f"no {count} episodes within {timeout_s} s"
        time.sleep(0.2)


def test_the_demo_learns_over_dds_and_ends_with_the_power_report(tmp_path):
    process, marker = _demo(tmp_path, "--episodes", "8")
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    result = json.loads(stdout)
    assert result["episodes"] == 8 and not result["interrupted"]
    assert result["messages_received"] == result["commands_sent"] == result["total_steps"] > 0
    assert result["mean_return_last_20"] > 0
    report = Path(result["report_dir"])
    assert (report / "report.md").exists() and (report / "report.json").exists()
    assert json.loads((report / "report.json").read_text())["episodes"]["count"] == 8
    assert "episode    8/8" in stderr                      # progress was shown
    assert _processes_with(marker) == []


def test_an_interrupted_demo_stops_its_nodes_and_still_reports(tmp_path):
    process, marker = _demo(tmp_path, "--episodes", "100000")
    _wait_for_episodes(tmp_path / "demo", 3)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    result = json.loads(stdout)
    assert result["interrupted"] and result["episodes"] >= 3
    assert (Path(result["report_dir"]) / "report.md").exists()
    assert _processes_with(marker) == []


def test_a_killed_demo_leaves_no_node_behind(tmp_path):
    process, marker = _demo(tmp_path, "--episodes", "100000")
    _wait_for_episodes(tmp_path / "demo", 1)
    assert len(_processes_with(marker)) == 3            # the demo and its two nodes
    process.kill()
    process.communicate(timeout=30)
    deadline = time.monotonic() + 15
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_with(marker) == []


def test_the_demo_refuses_a_directory_that_holds_a_run(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "controller.npz").write_bytes(b"earlier run")
    process, _ = _demo(tmp_path)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 2 and "already holds a controller" in stderr
    assert (tmp_path / "demo" / "controller.npz").read_bytes() == b"earlier run"
