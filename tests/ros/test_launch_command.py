"""``memctrl launch``: a launch file's nodes started as processes, stopped by Ctrl-C."""

from __future__ import annotations

import signal
import subprocess

from .conftest import LAUNCH_DIR
from .test_demo import MEMCTRL, _wait_for_episodes


def test_memctrl_launch_runs_the_sim_launch_file_until_interrupted(tmp_path):
    run_dir = tmp_path / "run"
    process = subprocess.Popen([MEMCTRL, "launch", str(LAUNCH_DIR / "sim.launch.xml"),
                                f"run_dir:={run_dir}", "max_episodes:=2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_episodes(run_dir, 2)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "memctrl_sim: exit status 0" in stdout and "memctrl_node: exit status 0" in stdout
    assert (run_dir / "controller.npz").exists()


def test_memctrl_launch_refuses_an_unknown_argument(tmp_path):
    result = subprocess.run([MEMCTRL, "launch", str(LAUNCH_DIR / "sim.launch.xml"),
                             "environment:=CartPole-v1"], capture_output=True, text=True)
    assert result.returncode == 2 and "no launch argument named environment" in result.stderr
