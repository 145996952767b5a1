"""The run directory shared by training, the ROS node and sweeps."""

from __future__ import annotations

import csv

import gymnasium
import numpy as np
import pytest
from gymnasium import spaces

from memctrl import SpikingController
from memctrl.network.reference import COUNTER_NAMES
from memctrl.run_dir import (DEFAULT_MAX_EPISODE_STEPS, EpisodeMetrics, MetricsFiles,
                             check_spaces, flat_observations, make_env,
                             registered_threshold)


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


def test_a_row_written_after_a_torn_one_starts_its_own_line_in_both_files(tmp_path):
    files = MetricsFiles(tmp_path)
    files.write(_metrics(0, 3.0))
    for name, torn in (("metrics.jsonl", '{"episode": 1, "ret'), ("metrics.csv", "1,5.")):
        with open(tmp_path / name, "a", encoding="utf-8") as file:
            file.write(torn)                                   # a full disk mid-row
    files.write(_metrics(2, 7.0))
    assert [(row["episode"], row["return"]) for row in files.rows()] == [(0, 3.0), (2, 7.0)]
    with open(tmp_path / "metrics.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [row["episode"] for row in rows] == ["0", "1", "2"] and rows[2]["return"] == "7.0"


def test_a_run_resumed_from_an_older_version_keeps_its_csv_columns(tmp_path):
    files = MetricsFiles(tmp_path)
    files.write(_metrics(0, 3.0))
    csv_path = tmp_path / "metrics.csv"
    header, row = csv_path.read_text().splitlines()
    older = [name for name in header.split(",") if name != "weights_written"]
    csv_path.write_text(",".join(older) + "\n")            # a version without that counter
    files.write(_metrics(1, 5.0))
    with open(csv_path, encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == older and rows[0]["return"] == "5.0" and None not in rows[0]


def test_an_unknown_id_and_a_checkpoint_of_other_spaces_are_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="unknown or unavailable environment id 'NoSuch-v0'"):
        make_env("NoSuch-v0")
    other = make_env("Pendulum-v1")
    pendulum = SpikingController(other.observation_space, other.action_space, seed=0)
    env = make_env("CartPole-v1")
    with pytest.raises(ValueError, match=r"ckpt\.npz: trained for .* but CartPole-v1 has"):
        check_spaces(pendulum, env, tmp_path / "ckpt.npz")


def _steps_until_truncated(env: gymnasium.Env, action: int) -> int:
    env.reset(seed=0)
    for step in range(1, 100_000):
        _, _, terminated, truncated, _ = env.step(action)
        assert not terminated
        if truncated:
            return step
    raise AssertionError("the episode was never cut off")


def test_an_environment_without_a_step_limit_is_cut_off_and_a_registered_limit_is_kept():
    # CliffWalking-v1 registers no limit: walking into the top wall never ends an episode
    assert gymnasium.make("CliffWalking-v1").spec.max_episode_steps is None
    assert _steps_until_truncated(make_env("CliffWalking-v1"), 0) == DEFAULT_MAX_EPISODE_STEPS
    # MountainCar-v0 registers 200: pushing left never reaches the goal
    assert _steps_until_truncated(make_env("MountainCar-v0"), 0) == 200


class _SpaceEnv(gymnasium.Env):
    """An environment that only has spaces and observations from them."""

    def __init__(self, observation_space: spaces.Space) -> None:
        self.observation_space = observation_space
        self.action_space = spaces.Discrete(2)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        return self.observation_space.sample(), {}

    def step(self, action):
        return self.observation_space.sample(), 1.0, False, False, {}


@pytest.mark.parametrize("space, channels", [
    (spaces.Tuple((spaces.Discrete(32), spaces.Discrete(11), spaces.Discrete(2))), 45),
    (spaces.Dict({"goal": spaces.Box(-1.0, 1.0, (2,)), "grip": spaces.MultiBinary(3)}), 5),
    (spaces.MultiDiscrete([3, 4]), 7),
    (spaces.Box(-1.0, 1.0, (2, 3)), 6),
])
def test_structured_observations_are_flattened_for_the_controller(tmp_path, space, channels):
    env = flat_observations(_SpaceEnv(space))
    assert env.observation_space.shape == (channels,)
    controller = SpikingController(env.observation_space, env.action_space, seed=0)
    observation, _ = env.reset(seed=0)
    controller.reset()
    assert controller.act(observation) in env.action_space
    controller.learn(1.0)
    controller.save(tmp_path / "c.npz")
    check_spaces(SpikingController.load(tmp_path / "c.npz"), env, tmp_path / "c.npz")


@pytest.mark.parametrize("space, shown", [
    (spaces.Box(0, 255, (8, 8, 3), np.uint8), r"Box\(0, 255, \(8, 8, 3\)"),
    (spaces.Box(0, 255, (84, 84), np.uint8), r"Box\(0, 255, \(84, 84\)"),      # grayscale
    (spaces.Dict({"camera": spaces.Box(0, 255, (40, 40), np.uint8)}), r"Dict\('camera'"),
])
def test_image_observations_are_left_for_the_controller_to_refuse_by_name(space, shown):
    env = flat_observations(_SpaceEnv(space))
    with pytest.raises(ValueError, match=r"must be a 1-D Box or Discrete, got " + shown):
        SpikingController(env.observation_space, env.action_space)


@pytest.mark.parametrize("threshold, taken", [
    (float("nan"), None), (float("inf"), None), ("100", None), (True, None), (None, None),
    (195, 195.0), (np.float32(-4.5), -4.5)])
def test_a_registered_threshold_that_is_not_a_finite_number_is_no_threshold(threshold, taken):
    """A NaN threshold went into state.json and made a run evaluate and --resume refuse."""
    env_id = f"test/Threshold{abs(hash(repr(threshold)))}-v0"
    if env_id not in gymnasium.registry:
        gymnasium.register(env_id, entry_point="gymnasium.envs.classic_control:CartPoleEnv",
                           reward_threshold=threshold, max_episode_steps=10)
    assert registered_threshold(make_env(env_id)) == taken
