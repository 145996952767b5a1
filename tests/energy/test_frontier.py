"""The design frontier of a sweep: every design priced, its answers taken from its own table."""

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memctrl.cli import main
from memctrl.energy import energy_breakdown, hardware_for_run, profile, workload_from_record
from memctrl.energy.baselines import MCU
from memctrl.run_record import read_run_record
from memctrl.sweep.frontier import build_frontier
from memctrl.sweep.frontier_report import design_label, write_frontier

PRESETS = ("measured", "projected-3nm")


@pytest.fixture
def runs(make_run):
    """Run records of two neuron presets and two sizes (priced differently)."""
    return {(preset, neurons): make_run(preset, ticks=40, n_neurons=neurons)
            for preset in PRESETS for neurons in (2, 6)}


def make_sweep(root, runs, trials, threshold=100.0):
    """A sweep directory: ``trials`` is a list of (preset, neurons, seed, solved, final return)."""
    (root / "trials").mkdir(parents=True)
    (root / "sweep.json").write_text(json.dumps({"episodes": 3}))
    for index, (preset, neurons, seed, solved, final) in enumerate(trials):
        directory = root / "trials" / f"trial-{index:03d}"
        directory.mkdir()
        shutil.copy(runs[(preset, neurons)] / "run.json", directory / "run.json")
        settings_ = {"env": "CartPole-v1", "controller.neuron_preset": preset,
                     "controller.actor_population": neurons, "seed": seed}
        (directory / "trial.json").write_text(json.dumps({"settings": settings_}))
        (directory / "result.json").write_text(json.dumps(
            {"solved_at_episode": 3 if solved else None, "reward_threshold": threshold,
             "final_eval_mean_return": final}))
    return root


TRIALS = [("measured", 2, 0, True, 500.0), ("measured", 2, 1, True, 480.0),
          ("measured", 6, 0, True, 500.0), ("measured", 6, 1, False, 200.0),
          ("projected-3nm", 2, 0, True, 490.0), ("projected-3nm", 2, 1, True, 470.0),
          ("projected-3nm", 6, 0, False, 100.0), ("projected-3nm", 6, 1, False, 90.0)]


def test_every_design_is_priced_on_both_read_modes_from_its_runs(tmp_path, runs):
    frontier = build_frontier(make_sweep(tmp_path / "sweep", runs, TRIALS))
    task = frontier["tasks"]["CartPole-v1"]
    assert (task["designs"], len(task["rows"])) == (4, 8)
    assert {row["synaptic_reads"] for row in task["rows"]} == {"continuous", "pulsed"}
    rate = task["control_rate_hz"]
    budget = profile("coin-cell")
    for row in task["rows"]:
        run = runs[(row["neuron_preset"], row["design"]["controller.actor_population"])]
        workload = workload_from_record(read_run_record(run), run).at_control_rate(rate)
        hardware = hardware_for_run(row["neuron_preset"], row["hardware"])
        # both seeds share one record here, so the design's mean is that record's
        assert row["energy_per_step_j"] == pytest.approx(
            energy_breakdown(workload, hardware).total_j / workload.ticks)
        assert row["mcu_energy_per_step_j"] == pytest.approx(MCU.price(workload) / workload.ticks)
        assert frontier["mcu_basis"] == MCU.basis       # what the demo checks it against
        assert row["within_budget"] == (row["mean_power_w"] <= budget.budget_w)
    by_design = {(row["neuron_preset"], row["design"]["controller.actor_population"]): row
                 for row in task["rows"]}
    assert by_design[("measured", 2)]["learns"] and not by_design[("measured", 6)]["learns"]
    assert by_design[("measured", 6)]["solved_seeds"] == 1
    assert by_design[("measured", 2)]["final_return_mean"] == 490.0


def test_what_each_design_would_need_to_beat_the_mcu_is_its_runs_own(tmp_path, runs):
    """Each row's ``to_beat_mcu`` is the break-even of its run at the frontier's rate,
    priced here from the record; its label names exactly the figures that must change."""
    from memctrl.energy.break_even import break_even
    from memctrl.sweep.frontier_report import needs_label

    frontier = build_frontier(make_sweep(tmp_path / "sweep", runs, TRIALS))
    task = frontier["tasks"]["CartPole-v1"]
    for row in task["rows"]:
        run = runs[(row["neuron_preset"], row["design"]["controller.actor_population"])]
        workload = workload_from_record(read_run_record(run), run).at_control_rate(
            task["control_rate_hz"])
        hardware = hardware_for_run(row["neuron_preset"], row["hardware"])
        target = break_even(workload, hardware, MCU.price(workload) / workload.ticks)[
            "targets"][0]
        need = row["to_beat_mcu"]
        assert need["met"] == (row["energy_per_step_j"] <= row["mcu_energy_per_step_j"])
        assert need["reachable"] == (target["balanced_factors"] is not None)
        label = needs_label(need)
        if need["reachable"] and not need["met"]:
            for figure, factor in target["balanced_factors"].items():
                assert need["reduction_factors"][figure] == pytest.approx(1.0 / factor)
                word = {"device_speed": "faster", "programming": "writes",
                        "leakage": "leakage"}[figure]
                assert (word in label) == (factor < 1.0 - 1e-9), (label, figure)
    assert any(not row["to_beat_mcu"]["met"] for row in task["rows"])   # not vacuous


def test_the_answers_are_the_minima_of_the_frontiers_own_table(tmp_path, runs):
    frontier = build_frontier(make_sweep(tmp_path / "sweep", runs, TRIALS), "hearing-aid")
    task = frontier["tasks"]["CartPole-v1"]
    fitting = [row for row in task["rows"] if row["learns"] and row["within_budget"]]
    assert fitting
    assert task["cheapest_within_budget_that_learns"] == min(
        fitting, key=lambda row: row["energy_per_step_j"])
    assert len(task["cheapest_that_learns_per_hardware"]) == 4   # 2 devices x 2 read modes
    for name, row in task["cheapest_that_learns_per_hardware"].items():
        assert row == min((item for item in task["rows"]
                           if item["learns"] and item["hardware"] == name),
                          key=lambda item: item["energy_per_step_j"])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(PRESETS), st.sampled_from((2, 6)), st.booleans(),
                          st.floats(-1e3, 1e3, allow_nan=False)), min_size=1, max_size=8))
def test_the_pareto_front_holds_exactly_the_undominated_designs(tmp_path_factory, runs, drawn):
    trials = [(preset, neurons, seed, solved, final)
              for seed, (preset, neurons, solved, final) in enumerate(drawn)]
    frontier = build_frontier(make_sweep(tmp_path_factory.mktemp("sweep"), runs, trials))
    rows = frontier["tasks"]["CartPole-v1"]["rows"]

    def dominates(a, b):
        return (a["energy_per_step_j"] <= b["energy_per_step_j"]
                and a["final_return_mean"] >= b["final_return_mean"]
                and (a["energy_per_step_j"] < b["energy_per_step_j"]
                     or a["final_return_mean"] > b["final_return_mean"]))

    for row in rows:
        assert row["pareto"] == (not any(dominates(other, row) for other in rows))
    assert [row["energy_per_step_j"] for row in rows] == sorted(
        row["energy_per_step_j"] for row in rows)
    learning = [row for row in rows if row["learns"] and row["within_budget"]]
    cheapest = frontier["tasks"]["CartPole-v1"]["cheapest_within_budget_that_learns"]
    assert cheapest == (min(learning, key=lambda row: row["energy_per_step_j"])
                        if learning else None)


def test_an_unfinished_trial_is_counted_and_left_out(tmp_path, runs):
    root = make_sweep(tmp_path / "sweep", runs, TRIALS)
    (root / "trials" / "trial-007" / "result.json").unlink()
    frontier = build_frontier(root)
    assert (frontier["finished_trials"], frontier["unfinished_trials"]) == (7, 1)
    row = next(row for row in frontier["tasks"]["CartPole-v1"]["rows"]
               if row["design"]["controller.actor_population"] == 6
               and row["neuron_preset"] == "projected-3nm")
    assert row["trials"] == ["trial-006"]


def test_the_command_writes_the_frontier_files(tmp_path, runs, capsys):
    root = make_sweep(tmp_path / "sweep", runs, TRIALS)
    out = tmp_path / "out"
    assert main(["report", "--frontier", str(root), "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert sorted(path.name for path in out.iterdir()) == sorted(result["files"])
    written = json.loads((out / "frontier.json").read_text())
    assert written["tasks"]["CartPole-v1"]["rows"] == write_frontier(
        root, tmp_path / "again")["tasks"]["CartPole-v1"]["rows"]
    markdown = (out / "frontier.md").read_text()
    assert "cheapest design that learns within the coin-cell budget" in markdown
    assert markdown.count("\n| ") == 8 + 1   # a header and one line per row


def test_a_task_without_a_success_threshold_is_left_out_and_said_so(tmp_path, runs):
    """A sweep over two tasks, one with no threshold: the other's frontier stands."""
    root = make_sweep(tmp_path / "sweep", runs, TRIALS)
    for index in (6, 7):
        directory = root / "trials" / f"trial-{index:03d}"
        trial = json.loads((directory / "trial.json").read_text())
        trial["settings"]["env"] = "memctrl/LineFollower-v0"
        (directory / "trial.json").write_text(json.dumps(trial))
        result = json.loads((directory / "result.json").read_text())
        (directory / "result.json").write_text(json.dumps(dict(result, reward_threshold=None)))
    out = tmp_path / "out"
    frontier = write_frontier(root, out)
    assert list(frontier["tasks"]) == ["CartPole-v1"] and frontier["finished_trials"] == 6
    assert frontier["tasks_without_threshold"] == ["memctrl/LineFollower-v0"]
    assert ("the trials of memctrl/LineFollower-v0 left out: the task has no success "
            "threshold") in (out / "frontier.md").read_text()


@pytest.mark.parametrize("spoil, message", [
    (lambda root: (root / "trials" / "trial-002" / "result.json").write_text("{"),
     "trial-002/result.json: not readable JSON"),
    (lambda root: [path.write_text(json.dumps({"reward_threshold": None,
                                               "final_eval_mean_return": 1.0}))
                   for path in root.glob("trials/*/result.json")],
     "no task of the sweep has a success threshold; set `success_return`"),
    (lambda root: (root / "trials" / "trial-002" / "result.json").write_text(
        json.dumps({"reward_threshold": 1.0, "final_eval_mean_return": float("nan")})),
     "'final_eval_mean_return' must be a finite number"),
    (lambda root: (root / "trials" / "trial-002" / "run.json").write_text("[]"),
     "trial-002/run.json"),
    (lambda root: (root / "sweep.json").unlink(), "not a sweep directory"),
    (lambda root: _edit_trial(root, env=7), "trial-002/trial.json: no 'settings' with an env id"),
    (lambda root: _edit_trial(root, seed="0"),
     "trial-002/trial.json: 'settings.seed' must be an integer, got '0'"),
])
def test_a_bad_sweep_is_refused_in_one_line_and_nothing_is_written(tmp_path, runs, capsys,
                                                                  spoil, message):
    root = make_sweep(tmp_path / "sweep", runs, TRIALS)
    spoil(root)
    out = tmp_path / "out"
    assert main(["report", "--frontier", str(root), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert not out.exists()


def _edit_trial(root, **settings) -> None:
    path = root / "trials" / "trial-002" / "trial.json"
    trial = json.loads(path.read_text())
    trial["settings"].update(settings)
    path.write_text(json.dumps(trial))


def test_frontier_takes_no_run_or_hardware(tmp_path, runs, capsys):
    root = make_sweep(tmp_path / "sweep", runs, TRIALS)
    assert main(["report", "--frontier", str(root), "--out", str(tmp_path / "o"),
                 "--hardware", "measured"]) == 2
    assert "takes no --run or --hardware" in capsys.readouterr().err


def test_a_design_of_no_swept_setting_is_labelled_the_defaults():
    assert design_label({"design": {}, "synaptic_reads": "pulsed"}) == "the defaults; pulsed reads"
    assert design_label({"design": {"controller.grid_tilings": 8},
                         "synaptic_reads": "continuous"}) == "grid_tilings 8; continuous reads"
