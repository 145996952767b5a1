"""``memctrl launch``: a launch file's nodes started as processes, stopped by Ctrl-C; a node
that cannot start fails the launch."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from .conftest import LAUNCH_DIR
from .test_demo import MEMCTRL, _processes_with, _wait_for_episodes


def test_memctrl_launch_runs_the_sim_launch_file_until_interrupted(tmp_path):
    run_dir = tmp_path / "run"
    variable = {"MEMCTRL_LAUNCH_TEST": tmp_path.name}
    marker = f"MEMCTRL_LAUNCH_TEST={tmp_path.name}"
    # output to files, not pipes: reading a pipe would also wait for any process that
    # inherited it; the marker finds every process of this launch if one hangs
    with open(tmp_path / "out.txt", "w") as out, open(tmp_path / "err.txt", "w") as err:
        process = subprocess.Popen([MEMCTRL, "launch", str(LAUNCH_DIR / "sim.launch.xml"),
                                    f"run_dir:={run_dir}", "max_episodes:=2"],
                                   stdout=out, stderr=err,
                                   env={**os.environ, **variable})
        _wait_for_episodes(run_dir, 2)
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            left = {pid: Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                    for pid in _processes_with(marker)}
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"memctrl launch still running 60 s after SIGINT: {left}")
    stdout, stderr = (tmp_path / "out.txt").read_text(), (tmp_path / "err.txt").read_text()
    assert process.returncode == 0, stderr
    assert "memctrl_sim: exit status 0" in stdout and "memctrl_node: exit status 0" in stdout
    assert (run_dir / "controller.npz").exists()


def test_memctrl_launch_refuses_an_unknown_argument(tmp_path):
    result = subprocess.run([MEMCTRL, "launch", str(LAUNCH_DIR / "sim.launch.xml"),
                             "environment:=CartPole-v1"], capture_output=True, text=True)
    assert result.returncode == 2 and "no launch argument named environment" in result.stderr


def test_memctrl_launch_fails_naming_a_node_that_cannot_start_on_its_defaults():
    result = subprocess.run([MEMCTRL, "launch", str(LAUNCH_DIR / "memctrl.launch.xml")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "memctrl_node exited with status 2 on its own" in result.stderr
    reasons = [line for line in result.stderr.splitlines() if "missing parameters" in line]
    assert len(reasons) == 1 and "observation_low and observation_high" in reasons[0]


def test_memctrl_launch_fails_on_a_bad_parameter_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("memctrl_node:\n  ros__parameters:\n    control_rate_hz: -1.0\n")
    result = subprocess.run([MEMCTRL, "launch", str(LAUNCH_DIR / "sim.launch.xml"),
                             f"params_file:={bad}", f"run_dir:={tmp_path / 'run'}"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "memctrl_node exited with status 2 on its own" in result.stderr
    assert str(bad) in result.stderr and "control_rate_hz" in result.stderr
