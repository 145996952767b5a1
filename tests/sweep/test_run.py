"""Sweeps on a local Ray instance: trials, a failed trial, the summary, and resume."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import ray
import yaml

from memctrl.cli import main
from memctrl.controller import ENERGY_COUNTERS, SpikingController

SMALL = {"episodes": 3, "eval_every": 3, "eval_episodes": 2, "checkpoint_every": 3,
         # any CartPole episode returns more: every finished trial solves at its evaluation
         "success_return": 1.0,
         "fixed": {"controller.actor_population": 4,
                   "controller.coding": "fields", "controller.fields_per_dim": 4,
                   "neuron.d2d_mu_cv": 0.2},
         # CarRacing-v3 is registered (the sweep file passes), but its camera images
         # are refused by the controller when the trial makes the env
         "grid": {"seed": [0, 1], "env": ["CartPole-v1", "CarRacing-v3"]}}


def test_a_small_sweep_trains_every_trial_reports_the_failed_ones_and_summarizes(
        tmp_path, capsys):
    config = tmp_path / "sweep.yaml"
    config.write_text(yaml.safe_dump(SMALL, sort_keys=False))
    out = tmp_path / "out"
    code = main(["sweep", "--config", str(config), "--out", str(out), "--json"])
    captured = capsys.readouterr()
    assert code == 0
    assert not ray.is_initialized()
    result = json.loads(captured.out)
    assert (result["trials"], result["finished"], result["failed"]) == (4, 2, 2)
    assert result["failures"] == {
        name: "ValueError: the observation space must be a 1-D Box or Discrete, got "
              "Box(0, 255, (96, 96, 3), uint8)"
        for name in ("trial-001", "trial-003")}
    assert result["success_rate"] == 1.0
    assert "4/4 done (2 failed)" in captured.err.splitlines()[-1]

    summary = json.loads((out / "summary.json").read_text())
    by_name = {record["name"]: record for record in summary["trials"]}
    for name in ("trial-000", "trial-002"):
        directory = out / "trials" / name
        state = json.loads((directory / "state.json").read_text())
        assert state["episodes_done"] == 3
        assert (directory / "metrics.csv").read_text().count("\n") == 4   # header + 3 episodes
        counters = json.loads((directory / "run.json").read_text())["counters"]
        energy = sum(counters[key] for key in ENERGY_COUNTERS)
        assert by_name[name]["metrics"]["energy_j"] > 0
        assert abs(by_name[name]["metrics"]["energy_j"] - energy) < 1e-9 * energy
        controller = SpikingController.load(directory / "controller.npz")
        assert controller.config.neuron_overrides == {"d2d_mu_cv": 0.2}
        assert controller.config.actor_population == 4
        metrics = by_name[name]["metrics"]
        assert (metrics["reward_threshold"], metrics["solved_at_episode"]) == (1.0, 3)
        # the trial keeps what it reported, for `memctrl report --frontier`
        assert json.loads((directory / "result.json").read_text()) == metrics
        assert json.loads((directory / "trial.json").read_text())["factors"]["seed"] == (
            0 if name == "trial-000" else 1)
    assert by_name["trial-001"]["status"] == "failed"
    rows = summary["factors"]["env"]
    assert [(row["value"], row["finished"], row["failed"], row["success_rate"])
            for row in rows] == [("CartPole-v1", 2, 0, 1.0), ("CarRacing-v3", 0, 2, None)]
    assert summary["best"]["name"] in ("trial-000", "trial-002")
    text = (out / "summary.md").read_text()
    assert "## Against `seed`" in text and "## Failed trials" in text
    for name in result["files"]:
        assert (out / name).stat().st_size > 0


def test_an_interrupted_sweep_resumes_without_redoing_finished_trials(tmp_path, capsys):
    sweep = {"episodes": 40, "eval_every": 40, "eval_episodes": 1, "checkpoint_every": 10,
             "cpus_per_trial": len(os.sched_getaffinity(0)),   # one trial at a time
             "fixed": {"env": "CartPole-v1", "controller.coding": "fields",
                       "controller.fields_per_dim": 4},
             "grid": {"controller.actor_population": [4, 2048, 8]}}   # trial-001 is slow
    config = tmp_path / "sweep.yaml"
    config.write_text(yaml.safe_dump(sweep, sort_keys=False))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "memctrl.cli", "sweep", "--config", str(config),
               "--out", str(out)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               text=True)
    lines = []
    for line in process.stderr:
        lines.append(line)
        if "trial-001 started" in line:
            process.send_signal(signal.SIGINT)
            break
    _, rest = process.communicate(timeout=120)
    assert process.returncode == 130, "".join(lines) + rest
    assert "run the same command again to resume" in rest
    assert not (out / "summary.json").exists()
    first = out / "trials" / "trial-000" / "state.json"
    finished_state = first.read_bytes()
    finished_at = first.stat().st_mtime_ns

    code = main(["sweep", "--config", str(config), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0
    assert "trial-000 started" not in err and "trial-001 started" in err
    assert (first.read_bytes(), first.stat().st_mtime_ns) == (finished_state, finished_at)
    summary = json.loads((out / "summary.json").read_text())
    assert [record["status"] for record in summary["trials"]] == ["finished"] * 3


def test_a_different_sweep_into_the_same_directory_is_refused(tmp_path, capsys):
    config = tmp_path / "sweep.yaml"
    config.write_text(yaml.safe_dump(SMALL, sort_keys=False))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "sweep.json").write_text(json.dumps({"episodes": 99}))
    code = main(["sweep", "--config", str(config), "--out", str(tmp_path / "out")])
    assert code == 2
    assert "holds a sweep of another configuration" in capsys.readouterr().err


def test_a_sweep_with_a_wrong_value_is_refused_before_ray_starts(tmp_path, capsys):
    config = tmp_path / "sweep.yaml"
    config.write_text(yaml.safe_dump({**SMALL, "grid": {"controller.lambda_actor": [0.05, 1.5]},
                                      "fixed": {"env": "CartPole-v1"}}))
    code = main(["sweep", "--config", str(config), "--out", str(tmp_path / "out")])
    assert code == 2
    assert ("grid.controller.lambda_actor: 1.5 refused by the controller (lambda_actor must "
            "lie in (0, 1), got 1.5)") in capsys.readouterr().err
    assert not ray.is_initialized() and not (tmp_path / "out").exists()


def test_the_benchmark_refuses_an_existing_out_directory(tmp_path):
    benchmark = Path(__file__).resolve().parents[2] / "benchmarks" / "sweep_cartpole.py"
    run = subprocess.run([sys.executable, str(benchmark), "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert f"--out {tmp_path} exists; give a new directory" in run.stderr


def test_importing_memctrl_and_its_sweep_package_does_not_import_ray():
    code = ("import sys, memctrl, memctrl.cli, memctrl.sweep; "
            "sys.exit('ray' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
