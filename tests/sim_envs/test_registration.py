"""Every registered id: the gymnasium API, seeding, episode ends, bad actions and rendering."""

import subprocess
import sys
import warnings
from pathlib import Path

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import sim_envs
from tests.sim_envs.helpers import random_actions, rollout, zeros_like_action

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {"memctrl/TremorSuppression-v0": 3000, "memctrl/TremorSuppression-v1": 3000,
            "memctrl/TremorSuppression-v2": 3000, "memctrl/TremorSuppression-v3": 3000,
            "memctrl/LineFollower-v0": 1000}


def test_importing_sim_envs_registers_every_id_with_a_time_limit():
    assert set(sim_envs.ENV_IDS) == set(EXPECTED)
    for env_id, steps in EXPECTED.items():
        assert gymnasium.spec(env_id).max_episode_steps == steps


def test_sim_envs_stands_alone_without_memctrl():
    code = ("import sys, sim_envs, sim_envs.tremor, sim_envs.tremor_v1, sim_envs.line_follower, "
            "sim_envs.wrappers, sim_envs.baselines; "
            "leaked = [m for m in sys.modules if m == 'memctrl' or m.startswith('memctrl.')]; "
            "assert not leaked, leaked")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


@pytest.mark.parametrize("env_id", EXPECTED)
def test_passes_the_gymnasium_env_checker_without_warnings(env_id):
    env = gymnasium.make(env_id)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env.unwrapped)
    env.close()


@pytest.mark.parametrize("env_id", EXPECTED)
def test_observations_stay_in_the_space_under_random_actions(env_id):
    env = gymnasium.make(env_id)
    record = rollout(env, random_actions(env, 3), seed=3, steps=300)
    for observation in record["observations"]:
        assert observation.dtype == np.float32
        assert observation in env.observation_space
    assert all(isinstance(reward, float) and np.isfinite(reward) for reward in record["rewards"])


@pytest.mark.parametrize("env_id", EXPECTED)
def test_same_seed_same_trajectory_and_other_seed_other_start(env_id):
    def run(seed):
        env = gymnasium.make(env_id)
        return rollout(env, random_actions(env, 11), seed=seed, steps=200)

    first, again, other = run(5), run(5), run(6)
    np.testing.assert_array_equal(np.stack(first["observations"]), np.stack(again["observations"]))
    assert first["rewards"] == again["rewards"]
    assert first["infos"] == again["infos"]
    assert not np.array_equal(first["observations"][0], other["observations"][0])
    assert first["infos"][0] != other["infos"][0]


@pytest.mark.parametrize("env_id", EXPECTED)
def test_truncates_exactly_at_max_episode_steps(env_id):
    env = gymnasium.make(env_id)
    record = rollout(env, zeros_like_action(env), seed=0)
    assert len(record["rewards"]) == EXPECTED[env_id]
    assert record["truncated"] and not record["terminated"]


@pytest.mark.parametrize("env_id", EXPECTED)
@pytest.mark.parametrize("bad_action, message", [
    ("nan", "finite"), ("inf", "finite"), ("wrong shape", "shape"), ("text", "numeric")])
def test_malformed_actions_raise_a_value_error_naming_the_problem(env_id, bad_action, message):
    env = gymnasium.make(env_id).unwrapped
    env.reset(seed=0)
    shape = env.action_space.shape
    action = {"nan": np.full(shape, np.nan), "inf": np.full(shape, np.inf),
              "wrong shape": np.zeros(shape[0] + 1), "text": "left"}[bad_action]
    with pytest.raises(ValueError, match=message):
        env.step(action)


@pytest.mark.parametrize("env_id", EXPECTED)
def test_actions_beyond_the_bounds_saturate(env_id):
    def first_step(action):
        env = gymnasium.make(env_id).unwrapped
        env.reset(seed=2)
        return env.step(action)

    saturated = first_step(np.full(2 if "Line" in env_id else 1, 5.0))
    at_limit = first_step(np.ones(2 if "Line" in env_id else 1))
    np.testing.assert_array_equal(saturated[0], at_limit[0])
    assert saturated[4] == at_limit[4]


@pytest.mark.parametrize("env_id", EXPECTED)
def test_rgb_array_render_draws_the_state(env_id):
    env = gymnasium.make(env_id, render_mode="rgb_array")
    env.reset(seed=1)
    before = env.render()
    assert before.ndim == 3 and before.shape[2] == 3 and before.dtype == np.uint8
    for _ in range(200):
        env.step(np.ones(env.action_space.shape, dtype=np.float32))
    assert not np.array_equal(before, env.render())
    assert gymnasium.make(env_id).unwrapped.render() is None
