"""Sweeps on a local Ray instance: trials, a failed trial, the summary, and resume."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import ray
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from memctrl.cli import main
from memctrl.controller import ENERGY_COUNTERS, SpikingController
from memctrl.run_dir import hold_run_lock
from memctrl.sweep import parse_sweep_config
from memctrl.sweep.cluster import check_local_cpus, local_cpus, warn_unless_a_node_fits
from memctrl.sweep.run import _check_out
from memctrl.sweep.trial import METRICS, run_trial, trial_space

SMALL = {"episodes": 3, "eval_every": 3, "eval_episodes": 2, "checkpoint_every": 3,
         # any CartPole episode returns more: every finished trial solves at its evaluation
         "success_return": 1.0,
         "fixed": {"env": "CartPole-v1", "controller.actor_population": 4,
                   "controller.coding": "fields", "controller.fields_per_dim": 4},
         "grid": {"seed": [0, 1], "neuron.d2d_mu_cv": [0.0, 0.2]}}


def test_a_small_sweep_trains_every_trial_reports_the_failed_ones_and_summarizes(
        tmp_path, capsys):
    config = tmp_path / "sweep.yaml"
    config.write_text(yaml.safe_dump(SMALL, sort_keys=False))
    out = tmp_path / "out"
    # A trial that fails as it runs (here: its directory cannot be made, a file is in
    # the way) is reported, and the others go on. The sweep file here resumes into OUT.
    (out / "trials").mkdir(parents=True)
    (out / "trials" / "trial-001").write_text("in the way")
    (out / "sweep.json").write_text(json.dumps(parse_sweep_config(SMALL).as_dict()))
    code = main(["sweep", "--config", str(config), "--out", str(out), "--json"])
    captured = capsys.readouterr()
    assert code == 1      # every trial reported, and the status says some failed
    assert not ray.is_initialized()
    result = json.loads(captured.out)
    assert (result["trials"], result["finished"], result["failed"]) == (4, 3, 1)
    assert list(result["failures"]) == ["trial-001"]
    assert result["failures"]["trial-001"].startswith("FileExistsError: ")
    assert result["success_rate"] == 1.0
    assert "4/4 done (1 failed)" in captured.err.splitlines()[-1]

    summary = json.loads((out / "summary.json").read_text())
    by_name = {record["name"]: record for record in summary["trials"]}
    for name in ("trial-000", "trial-002", "trial-003"):
        directory = out / "trials" / name
        state = json.loads((directory / "state.json").read_text())
        assert state["episodes_done"] == 3
        assert (directory / "metrics.csv").read_text().count("\n") == 4   # header + 3 episodes
        counters = json.loads((directory / "run.json").read_text())["counters"]
        energy = sum(counters[key] for key in ENERGY_COUNTERS)
        assert by_name[name]["metrics"]["energy_j"] > 0
        assert abs(by_name[name]["metrics"]["energy_j"] - energy) < 1e-9 * energy
        controller = SpikingController.load(directory / "controller.npz")
        spread = by_name[name]["factors"]["neuron.d2d_mu_cv"]
        assert controller.config.neuron_overrides == {"d2d_mu_cv": spread}
        assert controller.config.actor_population == 4
        metrics = by_name[name]["metrics"]
        assert (metrics["reward_threshold"], metrics["solved_at_episode"]) == (1.0, 3)
        # the trial keeps what it reported, for `memctrl report --frontier`
        assert json.loads((directory / "result.json").read_text()) == metrics
        assert json.loads((directory / "trial.json").read_text())["factors"]["seed"] == (
            0 if name == "trial-000" else 1)
    assert by_name["trial-001"]["status"] == "failed"
    rows = summary["factors"]["neuron.d2d_mu_cv"]
    assert [(row["value"], row["finished"], row["failed"], row["success_rate"])
            for row in rows] == [(0.0, 2, 0, 1.0), (0.2, 1, 1, 1.0)]
    assert summary["best"]["name"] != "trial-001"
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


def test_a_sweep_stopped_before_ray_recorded_a_trial_starts_again(tmp_path, capsys):
    """Ctrl-C just after Ray wrote its tuner.pkl and before its first experiment state:
    nothing to restore, and the same command must not be stuck on it for good."""
    sweep = dict(SMALL, grid={"seed": [0]})
    config = tmp_path / "sweep.yaml"
    config.write_text(yaml.safe_dump(sweep, sort_keys=False))
    out = tmp_path / "out"
    (out / "ray").mkdir(parents=True)
    (out / "sweep.json").write_text(json.dumps(parse_sweep_config(sweep).as_dict()))
    (out / "ray" / "tuner.pkl").write_bytes(b"\x80\x05 cut short")
    assert main(["sweep", "--config", str(config), "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert [record["status"] for record in summary["trials"]] == ["finished"]


def test_a_trial_that_had_finished_reports_its_result_again_without_training(
        tmp_path, monkeypatch):
    # the sweep was interrupted after the trial wrote result.json, before Ray Tune knew
    from ray import tune
    reported = []
    monkeypatch.setattr(tune, "report", reported.append)
    sweep = parse_sweep_config(SMALL)
    trial = sweep.trials()[0]
    directory = tmp_path / trial.name
    directory.mkdir()
    result = {name: 1 for name in METRICS}
    (directory / "result.json").write_text(json.dumps(result))
    run_trial({"trial": trial_space(trial, directory, sweep.train_options)})
    assert reported == [result]
    assert [path.name for path in directory.iterdir()] == ["result.json"]   # nothing trained


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


def _refused(tmp_path, capsys, sweep: dict, out: Path, *args: str) -> str:
    """``memctrl sweep`` of ``sweep`` into ``out``: its one-line error, checked refused
    before Ray started."""
    config = tmp_path / "sweep.yaml"
    config.write_text(yaml.safe_dump(sweep))
    code = main(["sweep", "--config", str(config), "--out", str(out), *args])
    err = capsys.readouterr().err
    assert code == 2 and not ray.is_initialized()
    assert err.startswith("memctrl sweep: ") and err.count("\n") == 1, err
    return err


def test_an_environment_whose_observations_the_controller_refuses_is_refused_up_front(
        tmp_path, capsys):
    sweep = {**SMALL, "fixed": {}, "grid": {"seed": [0, 1], "env": ["CartPole-v1",
                                                                     "CarRacing-v3"]}}
    err = _refused(tmp_path, capsys, sweep, tmp_path / "out")
    assert "grid.env: 'CarRacing-v3': the observation space must be a 1-D Box" in err
    assert not (tmp_path / "out").exists()


def test_more_cpus_per_trial_than_the_local_ray_has_is_refused_saying_how_many(
        tmp_path, capsys):
    cpus = len(os.sched_getaffinity(0))
    err = _refused(tmp_path, capsys, {**SMALL, "cpus_per_trial": cpus + 0.5}, tmp_path / "out")
    assert f"cpus_per_trial: {cpus + 0.5:g} is more than the {cpus} CPU(s)" in err
    assert not (tmp_path / "out").exists()


@settings(max_examples=30, deadline=None)
@given(cpus=st.floats(0.01, 4 * len(os.sched_getaffinity(0))))
def test_a_trial_fits_the_local_ray_exactly_when_it_wants_at_most_its_cpus(cpus):
    if cpus <= local_cpus():
        check_local_cpus(cpus)
    else:
        with pytest.raises(ValueError, match=f"at most {local_cpus()}"):
            check_local_cpus(cpus)


def test_a_cluster_without_a_node_large_enough_for_a_trial_is_reported(monkeypatch, caplog):
    nodes = [{"Alive": True, "Resources": {"CPU": 8.0}},
             {"Alive": False, "Resources": {"CPU": 64.0}},    # a dead node runs nothing
             {"Alive": True, "Resources": {"GPU": 1.0}}]
    monkeypatch.setattr(ray, "nodes", lambda: nodes)
    warn_unless_a_node_fits(8)
    assert caplog.records == []
    warn_unless_a_node_fits(16)
    assert [record.getMessage() for record in caplog.records] == [
        "cpus_per_trial: 16 is more than any node of the cluster has (at most 8 CPUs); the "
        "trials wait until a node that large joins"]


def test_an_out_that_is_a_file_or_below_one_is_refused(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("mine")
    for out in (afile, afile / "sweep"):
        err = _refused(tmp_path, capsys, SMALL, out)
        assert f"--out {out}: {afile} is not a directory" in err
    assert afile.read_text() == "mine"


@pytest.mark.parametrize("contents", [
    {"notes.txt": "mine"},
    {".hidden": ""},
    # a copy of a `memctrl train` run directory
    {"state.json": "{}", "run.json": "{}", "metrics.csv": "episode\n"}])
def test_an_out_directory_of_other_files_is_refused_and_left_alone(tmp_path, capsys,
                                                                   contents):
    out = tmp_path / "out"
    out.mkdir()
    for name, text in contents.items():
        (out / name).write_text(text)
    err = _refused(tmp_path, capsys, SMALL, out)
    assert f"--out {out} holds files but no sweep.json" in err
    assert sorted(path.name for path in out.iterdir()) == sorted(contents)


def test_an_out_directory_may_be_new_empty_or_this_sweeps_own(tmp_path):
    sweep = parse_sweep_config(SMALL)
    _check_out(tmp_path / "new" / "out", sweep)
    _check_out(tmp_path, sweep)                      # empty
    (tmp_path / ".memctrl.lock").touch()
    _check_out(tmp_path, sweep)                      # a lock left by one stopped before its claim
    (tmp_path / "trials").mkdir()
    (tmp_path / "sweep.json").write_text(json.dumps(sweep.as_dict()))
    _check_out(tmp_path, sweep)                      # an interrupted sweep: it resumes


def test_a_sweep_into_an_out_another_sweep_is_writing_is_refused(tmp_path, capsys):
    config = tmp_path / "sweep.yaml"
    config.write_text(yaml.safe_dump(SMALL, sort_keys=False))
    out = tmp_path / "out"
    with hold_run_lock(out):                         # as a sweep running in another process
        assert main(["sweep", "--config", str(config), "--out", str(out)]) == 2
    assert f"{out} is being written by another memctrl process" in capsys.readouterr().err
    assert [path.name for path in out.iterdir()] == [".memctrl.lock"]


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
