"""Per-episode counters of a training run: per-episode or running totals, and bad lines."""

import json

import pytest

from memctrl.energy.episodes import read_episodes
from memctrl.network.reference import COUNTER_NAMES

from .test_components import workload


def write_lines(directory, rows):
    (directory / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))


def counters(scale):
    return {name: scale * (index + 1) * 80.0 for index, name in enumerate(COUNTER_NAMES)}


def test_no_metrics_file_means_no_episodes(tmp_path):
    assert read_episodes(tmp_path, workload()) is None


def test_per_episode_counters_and_ticks_from_membrane_updates(tmp_path):
    write_lines(tmp_path, [{"episode": 0, "energy_j": 1e-9, **counters(1)},
                           {"episode": 1, "energy_j": 2e-9, "counters": counters(2)}])
    episodes, reading = read_episodes(tmp_path, workload())
    assert reading == "per-episode counters"
    # membrane_updates is the 2nd counter: 160 and 320; 8 neurons x 10 substeps per tick
    assert [e.workload.ticks for e in episodes] == [2, 4]
    assert episodes[1].workload.duration_s == pytest.approx(4 / 1000)
    assert episodes[1].recorded_energy_j == 2e-9


def test_running_totals_that_end_at_the_run_totals_are_differenced(tmp_path):
    run = workload().replace(counters=counters(3))
    write_lines(tmp_path, [{"episode": 0, "energy_j": 0.0, **counters(1)},
                           {"episode": 1, "energy_j": 0.0, **counters(3)}])
    episodes, reading = read_episodes(tmp_path, run)
    assert reading.startswith("running totals")
    assert episodes[1].workload.counters["spikes"] == pytest.approx(2 * 80.0)


@pytest.mark.parametrize("line, message", [
    ("[1, 2]", "line 1: expected a JSON object"),
    ('{"energy_j": 1.0}', "line 1: 'episode' must be an integer"),
    ('{"episode": 0, "energy_j": -1}', "line 1: 'energy_j' must be a finite number"),
    ('{"episode": 0, "energy_j": 1, "spikes": 2}', "line 1: 'membrane_updates' must be"),
])
def test_bad_lines_name_the_file_line_and_field(tmp_path, line, message):
    (tmp_path / "metrics.jsonl").write_text(line + "\n")
    with pytest.raises(ValueError, match=f"metrics.jsonl: {message}"):
        read_episodes(tmp_path, workload())


def test_rows_holding_more_steps_than_the_run_record_are_kept_and_the_excess_said(tmp_path):
    """A run stopped after it wrote an episode's row and before it checkpointed: its run
    record covers fewer steps than the rows, and the report must say so."""
    write_lines(tmp_path, [{"episode": 0, "energy_j": 0.0, **counters(1)},
                           {"episode": 1, "energy_j": 0.0, **counters(2)},
                           {"episode": 2, "energy_j": 0.0, **counters(1)}])
    episodes, reading = read_episodes(tmp_path, workload().replace(ticks=6))
    assert [e.episode for e in episodes] == [0, 1, 2]
    assert reading == ("per-episode counters; the rows hold 8 steps, 2 more than the run "
                       "record's 6 (rows written after its last checkpoint, or before a "
                       "restart from an earlier one); the run's totals are the record's")
