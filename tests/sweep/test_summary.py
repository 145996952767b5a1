"""The summary: statistics per value of each factor, the best trial, markdown, plots."""

import json
from pathlib import Path

import pytest

from memctrl.sweep.plots import write_plots
from memctrl.sweep.summary import markdown, summarize, write_summary

SWEEP = {"episodes": 300, "eval_every": 50, "eval_episodes": 100, "checkpoint_every": 10,
         "cpus_per_trial": 1.0, "fixed": {"env": "CartPole-v1"},
         "grid": {"seed": [0, 1, 2], "neuron.d2d_mu_cv": [0.0, 0.3]}}


def _record(name, seed, spread, solved_at=None, final=100.0, energy=1.0, error=None,
            threshold=475.0):
    factors = {"seed": seed, "neuron.d2d_mu_cv": spread}
    if error is not None:
        return {"name": name, "factors": factors, "status": "failed", "error": error,
                "metrics": None}
    return {"name": name, "factors": factors, "status": "finished", "error": None,
            "metrics": {"solved": solved_at is not None, "solved_at_episode": solved_at,
                        "reward_threshold": threshold, "final_eval_mean_return": final, "energy_j": energy, "wall_s": 1.0,
                        "total_steps": 10, "train_mean_return_last_100": final}}


RECORDS = [
    _record("trial-000", 0, 0.0, solved_at=100, final=480.0, energy=2.0),
    _record("trial-001", 0, 0.3, solved_at=None, final=200.0, energy=4.0),
    _record("trial-002", 1, 0.0, solved_at=150, final=490.0, energy=2.0),
    _record("trial-003", 1, 0.3, error="ValueError: bad"),
    _record("trial-004", 2, 0.0, solved_at=300, final=476.0, energy=3.0),
    _record("trial-005", 2, 0.3, solved_at=250, final=500.0, energy=5.0),
]


def test_success_rate_and_episodes_to_solve_per_value_over_finished_trials():
    summary = summarize(SWEEP, RECORDS)
    no_spread, spread = summary["factors"]["neuron.d2d_mu_cv"]
    assert no_spread["value"] == 0.0 and no_spread["success_rate"] == 1.0
    assert no_spread["episodes_to_solve_median"] == 150.0
    assert no_spread["episodes_to_solve_quartiles"] == [125.0, 225.0]
    assert no_spread["energy_j_mean"] == pytest.approx(7 / 3)
    assert (spread["runs"], spread["finished"], spread["failed"]) == (3, 2, 1)
    assert spread["success_rate"] == 0.5
    assert spread["final_return_mean"] == 350.0
    overall = summary["overall"]
    assert (overall["runs"], overall["failed"], overall["success_rate"]) == (6, 1, 0.8)


def test_the_best_trial_solves_soonest():
    assert summarize(SWEEP, RECORDS)["best"]["name"] == "trial-000"
    unsolved = [_record("trial-000", 0, 0.0, final=20.0), _record("trial-001", 0, 0.3,
                                                                  final=30.0)]
    assert summarize(SWEEP, unsolved)["best"]["name"] == "trial-001"   # then the higher return
    assert summarize(SWEEP, [_record("trial-000", 0, 0.0, error="E: x")])["best"] is None


def test_summary_files_name_the_best_configuration_the_failures_and_the_plots(tmp_path):
    summary = summarize(SWEEP, RECORDS)
    plots = write_plots(tmp_path, summary)
    write_summary(tmp_path, summary, plots)
    assert plots == {"seed": "sweep_seed.png",
                     "neuron.d2d_mu_cv": "sweep_neuron_d2d_mu_cv.png"}
    for name in plots.values():
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
    text = (tmp_path / "summary.md").read_text()
    assert "## Against `neuron.d2d_mu_cv`" in text
    assert "| 0.3 | 3 | 1 | 50% | 250 [250–250] | 350 ± 150 | 4.5 ± 0.5 |" in text
    assert "`trial-000`: `seed` = 0, `neuron.d2d_mu_cv` = 0.0" in text
    assert "- `trial-003` (seed=1, neuron.d2d_mu_cv=0.3): ValueError: bad" in text
    data = json.loads((tmp_path / "summary.json").read_text())
    assert data["best"]["name"] == "trial-000" and data["plots"] == plots


def test_without_a_threshold_success_is_not_judged_and_reads_n_a(tmp_path):
    # memctrl's own environments register no reward threshold, and no success_return is set
    records = [_record("trial-000", 0, 0.0, threshold=None, final=300.0),
               _record("trial-001", 0, 0.3, threshold=None, final=200.0),
               _record("trial-002", 1, 0.0, error="ValueError: bad")]
    summary = summarize(SWEEP, records)
    assert summary["overall"]["success_rate"] is None and summary["overall"]["no_threshold"]
    plots = write_plots(tmp_path, summary)
    write_summary(tmp_path, summary, plots)
    text = (tmp_path / "summary.md").read_text()
    assert "| all | 3 | 1 | n/a (no threshold) |" in text
    assert "| 0.0 | 2 | 1 | n/a (no threshold) |" in text
    # a value with no finished trial has nothing to judge either way
    assert summarize(SWEEP, records[2:])["overall"]["no_threshold"] is False


def test_a_success_return_is_named_in_the_summary():
    summary = summarize({**SWEEP, "success_return": 400.0}, RECORDS)
    assert "reaches a mean return of 400 (`success_return`)" in markdown(summary, {})


def test_a_plot_that_fails_while_saving_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    summary = summarize(SWEEP, RECORDS)
    write_plots(tmp_path, summary)
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}

    def crash(self, target, **options):
        half = b"\x89PNG half"           # a crash half-way through the file
        if hasattr(target, "write"):
            target.write(half)
        else:
            Path(target).write_bytes(half)
        raise RuntimeError("disk full")

    monkeypatch.setattr(Figure, "savefig", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        write_plots(tmp_path, summary)
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


def test_returns_of_different_tasks_are_not_averaged_together():
    sweep = dict(SWEEP, fixed={}, grid={"env": ["CartPole-v1", "Pendulum-v1"]})
    records = [dict(_record("trial-000", 0, 0.0, final=500.0), factors={"env": "CartPole-v1"}),
               dict(_record("trial-001", 0, 0.0, final=-150.0), factors={"env": "Pendulum-v1"})]
    summary = summarize(sweep, records)
    assert summary["overall"]["final_return_mean"] is None
    assert [row["final_return_mean"] for row in summary["factors"]["env"]] == [500.0, -150.0]
    assert "averaged within a task only" in markdown(summary, {})
