"""memctrl/LineFollower-v0: drive kinematics, line sensors, reward, episode end, solvability."""

import gymnasium
import numpy as np
import pytest

import sim_envs  # noqa: F401  (registers the ids)
from sim_envs.baselines import LineCentroidController
from sim_envs.line_follower import LineFollowerEnv
from tests.sim_envs.helpers import random_actions, rollout


def constant(*command):
    return lambda observation: np.array(command, dtype=np.float32)


def test_wheels_reach_the_command_through_a_first_order_lag():
    env = LineFollowerEnv()
    record = rollout(env, constant(1.0, 1.0), seed=0, steps=5)  # 0.1 s = one time constant
    info = record["infos"][-1]
    assert info["left_wheel_speed_m_s"] == pytest.approx(0.3 * (1.0 - np.exp(-1.0)))
    assert info["right_wheel_speed_m_s"] == info["left_wheel_speed_m_s"]


def test_opposite_wheels_turn_on_the_spot_counter_clockwise_at_the_kinematic_rate():
    env = LineFollowerEnv()
    record = rollout(env, constant(-1.0, 1.0), seed=0, steps=60)
    before, after = record["infos"][-2], record["infos"][-1]
    turned = (after["heading_rad"] - before["heading_rad"] + np.pi) % (2 * np.pi) - np.pi
    turn_rate = turned / 0.02
    assert turn_rate == pytest.approx(2 * 0.3 / 0.085, rel=1e-3)
    start = record["infos"][0]
    assert np.hypot(after["x_m"] - start["x_m"], after["y_m"] - start["y_m"]) < 1e-9


def test_the_middle_sensors_see_the_line_at_the_start_and_the_outer_ones_the_floor():
    env = LineFollowerEnv()
    starts = np.stack([env.reset(seed=seed)[0] for seed in range(30)])
    assert np.median(starts[:, 2]) > 0.8
    assert np.median(starts[:, [0, 4]]) < 0.2
    assert np.all(starts[:, 5:] == np.clip(starts[:, 5:], -0.1, 0.1))  # wheels at rest


def test_the_reward_is_progress_minus_offset_and_effort_and_standing_still_earns_nothing():
    env = LineFollowerEnv()
    record = rollout(env, LineCentroidController(), seed=4, steps=300)
    infos = record["infos"]
    progress = np.diff([info["progress_m"] for info in infos])
    offset = np.array([min(info["distance_to_line_m"], 0.1) / 0.1 for info in infos[1:]])
    effort = np.array([np.mean(np.clip(action, -1, 1) ** 2) for action in record["actions"]])
    expected = progress / (0.3 * 0.02) - offset**2 - 0.05 * effort
    np.testing.assert_allclose(record["rewards"], expected, rtol=0, atol=1e-9)
    assert np.mean(record["rewards"][50:]) > 0.6  # about the 0.7 forward command once moving

    still = rollout(env, constant(0.0, 0.0), seed=4, steps=100)
    assert all(-0.05 < reward <= 0.0 for reward in still["rewards"])


def test_driving_straight_on_loses_the_line_and_is_penalised():
    env = gymnasium.make("memctrl/LineFollower-v0")
    record = rollout(env, constant(1.0, 1.0), seed=1)
    assert record["terminated"] and len(record["rewards"]) < 300
    assert record["infos"][-1]["distance_to_line_m"] > 0.1
    assert record["rewards"][-1] < -9.0


def test_the_centroid_controller_laps_the_track_and_beats_random_driving_by_far():
    env = gymnasium.make("memctrl/LineFollower-v0")
    for seed in range(3):
        controlled = rollout(env, LineCentroidController(), seed=seed)
        assert controlled["truncated"] and not controlled["terminated"]
        final = controlled["infos"][-1]
        assert final["progress_m"] > final["track_length_m"]  # more than one lap in 20 s
        scripted_return = sum(controlled["rewards"])
        random_return = sum(rollout(env, random_actions(env, seed), seed=seed)["rewards"])
        assert scripted_return > 500.0
        assert random_return < 50.0


def test_reset_takes_no_options():
    with pytest.raises(ValueError, match="no reset options"):
        LineFollowerEnv().reset(seed=0, options={"track": 1})
