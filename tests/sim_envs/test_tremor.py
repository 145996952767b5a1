"""memctrl/TremorSuppression-v0: wrist physics, sensors, reward, the tremor metric, solvability."""

import gymnasium
import numpy as np
import pytest

import sim_envs  # noqa: F401  (registers the ids)
from sim_envs.baselines import TremorDampingController
from sim_envs.tremor import (TremorParameters, TremorSuppressionEnv, WristParameters,
                             episode_tremor_reduction, tremor_reduction, tremor_rms)
from tests.sim_envs.helpers import rollout, zeros_like_action

STEADY_TREMOR = TremorParameters(frequency_drift=0.0, amplitude_modulation=0.0)
QUIET = {"tremor_velocity_amplitude_rad_s": 0.0, "voluntary_amplitude_rad": 0.0}


def involuntary(record, key="involuntary_velocity_rad_s"):
    return np.array([info[key] for info in record["infos"][1:]])


@pytest.mark.parametrize("frequency_hz", [4.0, 8.0, 12.0])
def test_uncontrolled_tremor_settles_at_the_requested_peak_velocity(frequency_hz):
    env = TremorSuppressionEnv(tremor=STEADY_TREMOR)
    record = rollout(env, zeros_like_action(env), seed=0, steps=2000, options={
        "tremor_frequency_hz": frequency_hz, "tremor_velocity_amplitude_rad_s": 1.0,
        "voluntary_amplitude_rad": 0.0})
    last_half_second = involuntary(record)[-500:]
    assert np.max(np.abs(last_half_second)) == pytest.approx(1.0, rel=0.03)


def test_at_rest_without_tremor_the_reward_is_one_and_the_imu_reads_the_pose():
    env = TremorSuppressionEnv()
    record = rollout(env, zeros_like_action(env), seed=4, steps=500, options=QUIET)
    assert record["rewards"] == [1.0] * 500
    assert np.all(involuntary(record) == 0.0)
    observations = np.stack(record["observations"])
    start_angle = record["infos"][0]["wrist_angle_rad"]
    assert start_angle != 0.0
    assert np.std(observations[:, 0]) == pytest.approx(0.005 * np.pi / 180 * np.sqrt(500), rel=0.15)
    assert abs(np.mean(observations[:, 0])) <= 2.0 * np.pi / 180 + 1e-3  # the bias bound
    assert np.mean(observations[:, 1]) == pytest.approx(start_angle, abs=2e-3)


def test_effort_and_the_motion_it_causes_cost_reward():
    env = TremorSuppressionEnv()
    record = rollout(env, lambda observation: np.array([0.5]), seed=4, steps=50, options=QUIET)
    rewards = np.array(record["rewards"])
    assert np.all(rewards < 1.0)
    assert rewards[0] == pytest.approx(1.0 - 0.05 * 0.25, abs=1e-3)  # motion barely begun
    assert rewards[-1] < rewards[0]  # the pushed wrist now moves against the intention
    assert record["infos"][-1]["actuator_torque_n_m"] == pytest.approx(0.25, rel=1e-3)  # lag over


def test_the_reward_is_one_minus_scaled_involuntary_velocity_squared_minus_effort():
    env = TremorSuppressionEnv()
    record = rollout(env, TremorDampingController(), seed=6, steps=400)
    actions = np.clip(np.concatenate(record["actions"]), -1.0, 1.0)
    expected = 1.0 - (involuntary(record) / 2.0) ** 2 - 0.05 * actions**2
    np.testing.assert_allclose(record["rewards"], expected, rtol=0, atol=1e-12)
    assert np.any(actions != 0.0) and min(record["rewards"]) < 0.99


def test_zero_action_leaves_the_tremor_metric_unchanged():
    env = gymnasium.make("memctrl/TremorSuppression-v0")
    record = rollout(env, zeros_like_action(env), seed=1)
    controlled = involuntary(record)
    uncontrolled = involuntary(record, "uncontrolled_involuntary_velocity_rad_s")
    np.testing.assert_array_equal(controlled, uncontrolled)
    assert tremor_rms(controlled) > 0.2
    assert tremor_reduction(controlled, uncontrolled) == 0.0


def test_a_hand_written_damping_controller_removes_most_of_the_tremor():
    env = gymnasium.make("memctrl/TremorSuppression-v0")
    reductions, returns, baseline_returns = [], [], []
    for seed in range(4):
        controller = TremorDampingController()
        record = rollout(env, controller, seed=seed)
        assert record["truncated"] and not record["terminated"]
        reductions.append(tremor_reduction(
            involuntary(record), involuntary(record, "uncontrolled_involuntary_velocity_rad_s")))
        returns.append(sum(record["rewards"]))
        baseline_returns.append(sum(rollout(env, zeros_like_action(env), seed=seed)["rewards"]))
    assert min(reductions) > 0.5
    assert np.mean(reductions) > 0.65
    assert all(controlled > uncontrolled for controlled, uncontrolled
               in zip(returns, baseline_returns))


def test_episode_tremor_reduction_measures_one_whole_episode():
    env = gymnasium.make("memctrl/TremorSuppression-v0")
    record = rollout(env, TremorDampingController(), seed=2)
    expected = tremor_reduction(involuntary(record),
                                involuntary(record, "uncontrolled_involuntary_velocity_rad_s"))
    assert episode_tremor_reduction(env, TremorDampingController(), seed=2) == expected > 0.5
    assert episode_tremor_reduction(env, zeros_like_action(env), seed=2) == 0.0


def test_pumping_the_resonance_drives_the_wrist_out_of_its_range_and_ends_the_episode():
    env = gymnasium.make("memctrl/TremorSuppression-v0")
    # Full torque in phase with the measured velocity: the most energy a controller can put in.
    record = rollout(env, lambda observation: np.sign(observation[:1]), seed=2,
                     options={"voluntary_amplitude_rad": 0.4})
    assert record["terminated"] and not record["truncated"]
    assert abs(record["infos"][-1]["wrist_angle_rad"]) > 1.2
    assert len(record["rewards"]) < 3000


def test_reset_options_are_validated():
    env = TremorSuppressionEnv()
    with pytest.raises(ValueError, match="unknown reset options"):
        env.reset(seed=0, options={"tremor_hz": 5.0})
    with pytest.raises(ValueError, match="tremor_velocity_amplitude_rad_s"):
        env.reset(seed=0, options={"tremor_velocity_amplitude_rad_s": -1.0})


def test_constructor_rejects_bad_settings():
    with pytest.raises(ValueError, match="dt_s"):
        TremorSuppressionEnv(dt_s=0.0)
    with pytest.raises(ValueError, match="render_mode"):
        TremorSuppressionEnv(render_mode="human")
    with pytest.raises(ValueError, match="frequency_range_hz"):
        TremorSuppressionEnv(tremor=TremorParameters(frequency_range_hz=(12.0, 4.0)))
    with pytest.raises(ValueError, match="amplitude_modulation"):
        TremorSuppressionEnv(tremor=TremorParameters(amplitude_modulation=1.2))
    with pytest.raises(ValueError, match="stiffness_n_m_per_rad"):
        TremorSuppressionEnv(wrist=WristParameters(stiffness_n_m_per_rad=float("inf")))


def test_tremor_reduction_arithmetic():
    assert tremor_rms([3.0, -4.0]) == pytest.approx(np.sqrt(12.5))
    assert tremor_reduction([0.3, -0.3], [1.0, -1.0]) == pytest.approx(0.7)
    with pytest.raises(ValueError, match="no tremor"):
        tremor_reduction([0.1], [0.0])
