"""SensorNoise: seeded, reproducible, leaves the environment's own randomness alone."""

import gymnasium
import numpy as np
import pytest

import sim_envs  # noqa: F401  (registers the ids)
from sim_envs.wrappers import SensorNoise
from tests.sim_envs.helpers import random_actions, rollout

LINE = "memctrl/LineFollower-v0"


def noisy_rollout(std, seed, steps=200):
    env = SensorNoise(gymnasium.make(LINE), std=std)
    return rollout(env, random_actions(env, 9), seed=seed, steps=steps), env


def test_same_seed_gives_the_same_noise_and_another_seed_other_noise():
    first, env = noisy_rollout(0.05, seed=3)
    again, _ = noisy_rollout(0.05, seed=3)
    other, _ = noisy_rollout(0.05, seed=4)
    np.testing.assert_array_equal(np.stack(first["observations"]), np.stack(again["observations"]))
    assert not np.array_equal(first["observations"][0], other["observations"][0])
    assert all(observation in env.observation_space for observation in first["observations"])


def test_the_wrapped_environment_runs_as_without_the_wrapper():
    plain_env = gymnasium.make(LINE)
    plain = rollout(plain_env, random_actions(plain_env, 9), seed=3, steps=200)
    silent, _ = noisy_rollout(0.0, seed=3)
    noisy, _ = noisy_rollout(0.2, seed=3)
    np.testing.assert_array_equal(np.stack(silent["observations"]), np.stack(plain["observations"]))
    assert noisy["rewards"] == plain["rewards"] and noisy["infos"] == plain["infos"]


def test_the_added_noise_has_the_configured_standard_deviation_per_component():
    std = np.array([0, 0, 0, 0, 0, 0.1, 0.02])
    plain_env = gymnasium.make(LINE)
    still = lambda observation: np.zeros(2, dtype=np.float32)  # noqa: E731  wheels far from limits
    plain = np.stack(rollout(plain_env, still, seed=5, steps=800)["observations"])
    wrapped_env = SensorNoise(gymnasium.make(LINE), std=std)
    noisy = np.stack(rollout(wrapped_env, still, seed=5, steps=800)["observations"])
    difference = noisy - plain
    assert np.all(difference[:, :5] == 0.0)
    np.testing.assert_allclose(np.std(difference[:, 5:], axis=0), std[5:], rtol=0.1)


def test_noisy_observations_are_clipped_into_the_space():
    record, env = noisy_rollout(5.0, seed=1, steps=50)
    stacked = np.stack(record["observations"])
    assert stacked.dtype == np.float32
    assert np.all(stacked >= env.observation_space.low)
    assert np.all(stacked <= env.observation_space.high)


@pytest.mark.parametrize("std, message",
                         [(-0.1, ">= 0"), (np.nan, ">= 0"), ([0.1, 0.2], "broadcast")])
def test_bad_noise_settings_raise(std, message):
    with pytest.raises(ValueError, match=message):
        SensorNoise(gymnasium.make(LINE), std=std)


def test_only_box_observations_are_accepted():
    with pytest.raises(ValueError, match="Box"):
        SensorNoise(gymnasium.make("FrozenLake-v1"), std=0.1)
