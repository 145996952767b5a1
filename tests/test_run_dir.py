"""The run directory shared by training, the ROS node and sweeps."""

from __future__ import annotations

import csv

import pytest

from memctrl import SpikingController
from memctrl.network.reference import COUNTER_NAMES
from memctrl.run_dir import EpisodeMetrics, MetricsFiles, check_spaces, make_env


def _metrics(episode: int, episode_return: float) -> EpisodeMetrics:
    counters = dict.fromkeys(COUNTER_NAMES, 1.0)
    return EpisodeMetrics(episode, episode_return, 4, 1e-6, counters, 0.1)


def test_metrics_rows_are_appended_to_both_files_and_a_torn_row_is_skipped(tmp_path):
    files = MetricsFiles(tmp_path / "run")
    files.write(_metrics(0, 3.0))
    files.write(_metrics(1, 5.0))
    with open(tmp_path / "run" / "metrics.jsonl", "a", encoding="utf-8") as file:
        file.write('{"episode": 2, "return"')                # a crash mid-row
    assert [(row["episode"], row["return"]) for row in files.rows()] == [(0, 3.0), (1, 5.0)]
    with open(tmp_path / "run" / "metrics.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [(row["episode"], row["spikes_per_step"]) for row in rows] == [("0", "0.25"),
                                                                         ("1", "0.25")]
    assert MetricsFiles(tmp_path / "none").rows() == []


def test_an_unknown_id_and_a_checkpoint_of_other_spaces_are_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="unknown or unavailable environment id 'NoSuch-v0'"):
        make_env("NoSuch-v0")
    other = make_env("Pendulum-v1")
    pendulum = SpikingController(other.observation_space, other.action_space, seed=0)
    env = make_env("CartPole-v1")
    with pytest.raises(ValueError, match=r"ckpt\.npz: trained for .* but CartPole-v1 has"):
        check_spaces(pendulum, env, tmp_path / "ckpt.npz")
