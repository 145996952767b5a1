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

import pytest

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


def _node_process(marker: str, executable: str) -> int:
    (pid,) = [pid for pid in _processes_with(marker)
              if executable.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()]
    return pid


def _stall(pid: int, seconds: float) -> None:
    os.kill(pid, signal.SIGSTOP)
    time.sleep(seconds)
    os.kill(pid, signal.SIGCONT)


def _episodes(run_dir: Path) -> list[tuple[float, int]]:
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    return [(row["return"], row["length"]) for row in rows]


def test_the_demo_is_a_function_of_its_seed_even_when_its_nodes_stall(tmp_path):
    """Lock-step: the same seed gives the same episodes, step for step, although in the
    second run the controller stalls twice past the sim's command timeout (the sim sends
    its observation again) and then the sim stalls past the controller's watchdog
    timeout; the summary counts what the stalls did."""
    episodes = "30"   # the sim's stall comes at episode 6: many episodes are left to run
    calm, _ = _demo(tmp_path / "calm", "--episodes", episodes)
    stdout, stderr = calm.communicate(timeout=600)
    assert calm.returncode == 0, stderr

    stalled, marker = _demo(tmp_path / "stalled", "--episodes", episodes)
    for episode in (2, 4):                                 # > 2 periods of the 1 s timeout
        _wait_for_episodes(tmp_path / "stalled" / "demo", episode)
        _stall(_node_process(marker, "memctrl_node"), 2.3)
    _wait_for_episodes(tmp_path / "stalled" / "demo", 6)
    _stall(_node_process(marker, "memctrl_sim"), 0.8)     # > the 0.5 s watchdog
    stalled_stdout, stderr = stalled.communicate(timeout=600)
    assert stalled.returncode == 0, stderr

    assert _episodes(tmp_path / "stalled" / "demo") == _episodes(tmp_path / "calm" / "demo")
    assert len(_episodes(tmp_path / "calm" / "demo")) == int(episodes)
    result = json.loads(stalled_stdout)
    assert result["total_steps"] == json.loads(stdout)["total_steps"]
    events = result["timing_events"]
    assert events["memctrl_sim.observations_sent_again"] >= 1
    assert events["memctrl_node.observations_late"] >= 1
    assert events["memctrl_node.watchdog_trips"] == 0


def test_the_demo_learns_over_dds_and_ends_with_the_power_report(tmp_path):
    process, marker = _demo(tmp_path, "--episodes", "8")
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    result = json.loads(stdout)
    assert result["episodes"] == 8 and not result["interrupted"] and not result["time_limited"]
    assert result["commands_sent"] == result["total_steps"] > 0
    # every observation was answered, or was one the lock-step node did not tick on (sent
    # again, or ahead of its reward: a loaded machine makes some)
    assert result["messages_received"] == (
        result["commands_sent"] + result["timing_events"]["memctrl_node.observations_before_reward"])
    assert result["mean_return_last_20"] > 0
    assert result["reward_threshold"] == 475.0 and result["solved_at_episode"] is None
    report = Path(result["report_dir"])
    assert (report / "report.md").exists() and (report / "report.json").exists()
    assert json.loads((report / "report.json").read_text())["episodes"]["count"] == 8
    assert "episode    8/8" in stderr                      # progress was shown
    assert _processes_with(marker) == []


def test_an_interrupted_demo_stops_its_nodes_and_still_reports(tmp_path):
    process, marker = _demo(tmp_path, "--episodes", "100000")
    _wait_for_episodes(tmp_path / "demo", 3)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    result = json.loads(stdout)
    assert result["interrupted"] and result["episodes"] >= 3
    assert (Path(result["report_dir"]) / "report.md").exists()
    assert _processes_with(marker) == []


def test_a_demo_stopped_by_its_time_limit_says_so(tmp_path):
    process, marker = _demo(tmp_path, "--episodes", "100000", "--time-limit", "15")
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    result = json.loads(stdout)
    assert result["time_limited"] and not result["interrupted"]
    assert 0 < result["episodes"] < 100000
    assert _processes_with(marker) == []


def test_a_time_limit_too_short_for_one_episode_says_so_in_one_line(tmp_path):
    process, marker = _demo(tmp_path, "--time-limit", "0.01")
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 2
    assert "time limit of 0.01 s ran out before the first episode ended" in stderr
    assert _processes_with(marker) == []


def test_a_killed_demo_leaves_no_node_behind(tmp_path):
    process, marker = _demo(tmp_path, "--episodes", "100000")
    _wait_for_episodes(tmp_path / "demo", 1)
    assert len(_processes_with(marker)) == 3            # the demo and its two nodes
    process.kill()
    process.communicate(timeout=120)
    deadline = time.monotonic() + 15
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_with(marker) == []


@pytest.mark.parametrize("files", [
    {"controller.npz": b"earlier run"},
    {"run.json": b'{"source": "bench", "counters": {}}'},
    {"metrics.csv": b"episode,return\n", "metrics.jsonl": b'{"trial": 1}\n',
     "logs/memctrl_node.log": b"the user's log"},
])
def test_the_demo_refuses_a_directory_it_did_not_make_and_leaves_it(tmp_path, capsys, files):
    from memctrl.cli import main
    out = tmp_path / "demo"
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    assert main(["demo", "--out", str(out)]) == 2
    assert "is not an empty directory; choose a new --out" in capsys.readouterr().err
    assert {str(path.relative_to(out)): path.read_bytes() for path in out.rglob("*")
            if path.is_file()} == files


def test_the_demo_refuses_a_task_the_controller_cannot_take_before_any_node_starts(
        tmp_path, capsys):
    from memctrl.cli import main
    out = tmp_path / "demo"
    assert main(["demo", "--env", "CarRacing-v3", "--out", str(out)]) == 2
    assert ("--env CarRacing-v3: the observation space must be a 1-D Box or Discrete"
            in capsys.readouterr().err)
    assert not out.exists()


def test_solved_needs_a_full_window_of_episodes_at_the_threshold():
    from memctrl.ros.demo import SOLVED_WINDOW, solved_at

    assert solved_at([500.0] * (SOLVED_WINDOW - 1), 475.0) is None          # too few episodes
    assert solved_at([500.0] * SOLVED_WINDOW, 475.0) == SOLVED_WINDOW
    assert solved_at([500.0] * 300, None) is None                            # no threshold
    early = [10.0] * 50 + [500.0] * 200                  # window 51-150 is the first all at 500
    first = solved_at(early, 475.0)
    assert first is not None and first < 150
    window = early[first - SOLVED_WINDOW:first]
    assert sum(window) / SOLVED_WINDOW >= 475.0
    before = early[first - 1 - SOLVED_WINDOW:first - 1]
    assert sum(before) / SOLVED_WINDOW < 475.0                               # and the first one
    assert solved_at([475.0] * SOLVED_WINDOW, 475.0) == SOLVED_WINDOW        # the line counts


def test_the_demo_names_the_shipped_frontiers_cheapest_design_within_the_budget():
    from memctrl.controller import ControllerConfig
    from memctrl.energy.profiles import profile
    from memctrl.ros.demo import FRONTIER_FILE, shipped_frontier
    from memctrl.ros.launch_file import package_share
    from memctrl.sweep.frontier_report import design_label

    shipped = json.loads(package_share().joinpath(*FRONTIER_FILE).read_text())
    rows = shipped["tasks"]["CartPole-v1"]["rows"]
    for name in ("coin-cell", "implant", "smartwatch"):
        budget = profile(name)
        fitting = [row for row in rows if row["learns"] and row["mean_power_w"] <= budget.budget_w]
        answer = shipped_frontier("CartPole-v1", budget)
        if not fitting:
            assert answer["design"] is None and "within the budget" in answer["reason"]
            continue
        cheapest = min(fitting, key=lambda row: row["energy_per_step_j"])
        assert answer["design"] == design_label(cheapest)
        assert answer["energy_per_step_j"] == cheapest["energy_per_step_j"]
    answer = shipped_frontier("CartPole-v1", profile("coin-cell"), "measured")
    own = min((row for row in rows if row["learns"] and row["hardware"] == "measured"),
              key=lambda row: row["energy_per_step_j"])
    assert answer["on_hardware"]["design"] == design_label(own)
    # the library defaults' own design is on the frontier, on the 3 nm projection too,
    # with the seeds it learned on there
    defaults = ControllerConfig()
    projected = next(row for row in rows if row["hardware"] == "projected-3nm"
                     and row["design"]["controller.synapse_preset"] == defaults.synapse_preset
                     and row["design"]["controller.grid_tilings"] == defaults.grid_tilings
                     and row["design"]["controller.substeps"] == defaults.substeps)
    assert answer["projected"]["energy_per_step_j"] == projected["energy_per_step_j"]
    assert (answer["projected"]["solved_seeds"], answer["projected"]["seeds"]) == (
        projected["solved_seeds"], len(projected["seeds"]))
    # whether the shipped frontier priced the MCU as this version does, said either way
    from memctrl.energy.baselines import MCU
    assert (answer["mcu_basis"] is None) == (shipped.get("mcu_basis") == MCU.basis)


def test_a_frontier_priced_on_another_mcu_basis_is_flagged(monkeypatch, tmp_path):
    from memctrl.energy.baselines import MCU
    from memctrl.energy.profiles import profile
    from memctrl.ros import demo
    from memctrl.ros.launch_file import package_share

    shipped = json.loads(package_share().joinpath(*demo.FRONTIER_FILE).read_text())
    for basis, flagged in ((MCU.basis, None), ("per bit flipped", "per bit flipped"),
                           ("delete", demo.OLDEST_MCU_BASIS)):
        if basis == "delete":
            shipped.pop("mcu_basis", None)
        else:
            shipped["mcu_basis"] = basis
        (tmp_path / "frontier.json").write_text(json.dumps(shipped))
        # an absolute path: joined onto the share directory, it stands for itself
        monkeypatch.setattr(demo, "FRONTIER_FILE", (str(tmp_path / "frontier.json"),))
        answer = demo.shipped_frontier("CartPole-v1", profile("coin-cell"))
        assert answer["design"] is not None and answer["mcu_basis"] == flagged


def test_a_task_the_shipped_frontier_lacks_leaves_the_demo_its_own_bill(monkeypatch):
    from memctrl.energy.profiles import profile
    from memctrl.ros import demo

    budget = profile("coin-cell")
    assert "holds no frontier of Acrobot-v1" in demo.shipped_frontier("Acrobot-v1", budget)["reason"]
    monkeypatch.setattr(demo, "FRONTIER_FILE", ("config", "no-such-frontier.json"))
    answer = demo.shipped_frontier("CartPole-v1", budget)
    assert answer["design"] is None and "not readable" in answer["reason"]


def test_the_summary_says_what_the_device_would_need_or_why_nothing_would(capsys):
    from memctrl.ros.demo import _print_break_even

    target = {"met": False, "balanced_figures": {"device_speed": 6.5e-6, "programming": 3.8e-11,
                                                 "leakage": 2.5e-8},
              "balanced_factors": {"device_speed": 0.013, "programming": 0.0715,
                                   "leakage": 1.0},
              "presets_with_figure": {"device_speed": ["projected-3nm"],
                                      "programming": ["taox-hfox"], "leakage": []},
              "balanced_unreachable_because": None}
    _print_break_even({"break_even": target, "fixed_energy_per_step_j": 2e-9})
    line = capsys.readouterr().out
    assert "6.5 µs (76.9x faster) [projected-3nm]" in line
    assert "38 pJ (14x less) per programming pulse (cell write and verify read) [taox-hfox]" \
        in line
    assert "25 nW (as in the run) leakage per neuron [none]" in line
    _print_break_even({"break_even": {**target, "balanced_figures": None,
                                      "balanced_factors": None,
                                      "balanced_unreachable_because": "the rest costs more"},
                       "fixed_energy_per_step_j": 2e-9})
    assert "the rest costs more (the rest: 2 nJ per step)" in capsys.readouterr().out
    _print_break_even({"break_even": {**target, "met": True}, "fixed_energy_per_step_j": 0.0})
    assert "already draws less than the MCU" in capsys.readouterr().out
