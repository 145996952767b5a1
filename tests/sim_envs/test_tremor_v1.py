"""memctrl/TremorSuppression-v1: the worn orthosis, the tremor waveform, device-paper metrics."""

import gymnasium
import numpy as np
import pytest

import sim_envs  # noqa: F401  (registers the ids)
from sim_envs.baselines import TremorDampingController
from sim_envs.orthosis import OrthosisParameters
from sim_envs.tremor import ImuParameters, episode_tremor_reduction
from sim_envs.tremor_metrics import power_reduction
from sim_envs.tremor_patients import EpisodeParameters
from sim_envs.tremor_v1 import TremorSuppressionV1Env
from tests.sim_envs.helpers import rollout, zeros_like_action

STEADY = EpisodeParameters(frequency_drift=0.0, amplitude_modulation=0.0,
                           harmonic_ratio_ranges=((0.0, 0.0), (0.0, 0.0)))
STILL = {"voluntary_amplitude_rad": 0.0, "continuous_tremor": True}
QUIET = {"voluntary_amplitude_rad": 0.0, "tremor_amplitude_rad": 0.0}


def series(record, key):
    return np.array([info[key] for info in record["infos"][1:]])


def passive_angle_amplitude(env, options, steps=3000, last=1000):
    record = rollout(env, zeros_like_action(env), seed=0, steps=steps, options=options)
    angle = series(record, "hand_angle_rad")[-last:]
    return 0.5 * (angle.max() - angle.min())


@pytest.mark.parametrize("frequency_hz", [4.0, 6.0, 10.0])
def test_the_passive_wrist_trembles_with_the_drawn_amplitude(frequency_hz):
    env = TremorSuppressionV1Env(episode=STEADY)
    amplitude = passive_angle_amplitude(env, {**STILL, "tremor_frequency_hz": frequency_hz,
                                              "tremor_amplitude_rad": 0.05})
    # The drive friction, left out of the linear response the torque is set from, takes a little.
    assert 0.85 * 0.05 < amplitude < 1.02 * 0.05


def test_harmonics_appear_in_the_hand_motion_at_their_drawn_share():
    ratio = 0.2
    env = TremorSuppressionV1Env(episode=STEADY._replace(
        harmonic_ratio_ranges=((ratio, ratio), (0.0, 0.0))))
    record = rollout(env, zeros_like_action(env), seed=1, options={
        **STILL, "tremor_frequency_hz": 5.0, "tremor_amplitude_rad": 0.05})
    angle = series(record, "hand_angle_rad")[1000:]  # two whole seconds: 10 cycles
    spectrum = np.abs(np.fft.rfft(angle - angle.mean()))
    frequencies = np.fft.rfftfreq(angle.size, env.dt_s)
    at = {f: spectrum[np.argmin(np.abs(frequencies - f))] for f in (5.0, 10.0, 15.0)}
    assert at[10.0] / at[5.0] == pytest.approx(ratio, rel=0.15)
    assert at[15.0] / at[5.0] < 0.02


def test_tremor_pauses_when_a_burst_ends():
    env = TremorSuppressionV1Env()
    for seed in range(50):
        record = rollout(env, zeros_like_action(env), seed=seed,
                         options={"disorder": "parkinsonian", "voluntary_amplitude_rad": 0.0})
        if record["infos"][0]["tremor_pauses"] > 0:
            break
    torque = np.abs(series(record, "tremor_torque_n_m"))
    window = 200  # 0.2 s
    envelope = np.array([torque[i:i + window].max() for i in range(0, torque.size - window, 50)])
    assert envelope.min() < 0.1 * envelope.max()   # a pause: the tremor torque fades away
    continuous = rollout(env, zeros_like_action(env), seed=seed, options={
        "disorder": "parkinsonian", "voluntary_amplitude_rad": 0.0, "continuous_tremor": True})
    torque = np.abs(series(continuous, "tremor_torque_n_m"))
    envelope = np.array([torque[i:i + window].max() for i in range(0, torque.size - window, 50)])
    assert envelope.min() > 0.3 * envelope.max()


def test_zero_action_changes_nothing_against_the_passive_orthosis():
    env = gymnasium.make("memctrl/TremorSuppression-v1")
    record = rollout(env, zeros_like_action(env), seed=3)
    np.testing.assert_array_equal(series(record, "hand_velocity_rad_s"),
                                  series(record, "passive_hand_velocity_rad_s"))
    metrics = record["infos"][-1]["episode_metrics"]
    assert metrics["tremor_power_reduction"] == 0.0 and metrics["rms_reduction"] == 0.0
    assert (metrics["voluntary_tracking_error_rad"]
            == metrics["passive_voluntary_tracking_error_rad"])


def test_a_steady_push_holds_the_hand_off_to_its_side_by_the_offset_reported():
    env = gymnasium.make("memctrl/TremorSuppression-v1")

    def metrics(command):
        record = rollout(env, lambda _: np.array([command], dtype=np.float32), seed=6)
        assert record["truncated"]
        return record["infos"][-1]["episode_metrics"]

    pulled, rest, pushed = (metrics(command) for command in (-0.1, 0.0, 0.1))
    assert (pulled["tracking_offset_rad"] + 0.02 < rest["tracking_offset_rad"]
            < pushed["tracking_offset_rad"] - 0.02)   # 0.05 N m against the wrist's stiffness
    for held in (pulled, pushed):
        assert held["voluntary_tracking_error_rad"] >= abs(held["tracking_offset_rad"])
        assert (held["voluntary_tracking_error_rad"]
                > held["passive_voluntary_tracking_error_rad"])


def test_at_rest_without_tremor_or_movement_the_reward_is_one():
    env = TremorSuppressionV1Env()
    record = rollout(env, zeros_like_action(env), seed=4, steps=500, options=QUIET)
    assert record["rewards"] == pytest.approx([1.0] * 500, abs=1e-15)
    assert np.all(np.abs(series(record, "involuntary_velocity_rad_s")) < 1e-9)


def test_a_steady_offset_from_the_intended_angle_costs_reward_in_v2_only():
    """v1's reward sees no steady push (no involuntary velocity); v2's tracking term does."""
    command = 0.5
    for env_id, tracked in (("memctrl/TremorSuppression-v1", False),
                            ("memctrl/TremorSuppression-v2", True)):
        env = TremorSuppressionV1Env(**gymnasium.spec(env_id).kwargs)
        record = rollout(env, lambda observation: np.array([command], np.float32), seed=4,
                         steps=1000, options=QUIET)
        info = record["infos"][-1]
        offset = info["hand_angle_rad"] - info["intended_angle_rad"]
        assert abs(offset) > 0.05 and abs(info["involuntary_velocity_rad_s"]) < 1e-3  # settled
        effort_only = 1.0 - env.effort_weight * command**2
        tracking = (offset / 0.2) ** 2 if tracked else 0.0
        assert record["rewards"][-1] == pytest.approx(effort_only - tracking, abs=1e-5)


def test_v2s_tremor_band_channel_passes_the_tremor_and_drops_the_bias_and_slow_motion():
    env = TremorSuppressionV1Env(episode=STEADY, **gymnasium.spec(
        "memctrl/TremorSuppression-v2").kwargs)
    assert env.observation_space.shape == (4,)
    # a patient whose gyro bias stands well above the noise: the channel has none of it
    for seed in range(20):
        record = rollout(env, zeros_like_action(env), seed=seed, steps=2000, options=QUIET)
        gyro, band = np.array(record["observations"])[:, [0, 3]].T
        if abs(gyro.mean()) > 0.01:
            break
    else:
        pytest.fail("no patient with a gyro bias above 0.01 rad/s in 20 seeds")
    assert band[0] == 0.0 and abs(band[500:].mean()) < 0.02 * abs(gyro.mean())
    # tremor at the 6 Hz corner: the first-order high-pass passes 1/sqrt(2) of it
    record = rollout(env, zeros_like_action(env), seed=1, options={
        **STILL, "tremor_frequency_hz": 6.0, "tremor_amplitude_rad": 0.05})
    gyro, band = np.array(record["observations"])[1000:, [0, 3]].T
    assert np.std(band) / np.std(gyro) == pytest.approx(2**-0.5, rel=0.05)
    assert band[0] != 0.0 and np.array(record["observations"])[0, 3] == 0.0  # reset clears it
    # slow voluntary motion: |H(0.5 Hz)| = 0.08, plus the hand's 2.5 Hz response (measured 0.13)
    record = rollout(env, zeros_like_action(env), seed=0, options={
        "voluntary_amplitude_rad": 0.3, "voluntary_frequency_hz": 0.5,
        "tremor_amplitude_rad": 0.0})
    gyro, band = np.array(record["observations"])[:, [0, 3]].T
    assert np.std(band) < 0.15 * np.std(gyro)


def test_v3_observes_v2s_tremor_band_tilt_and_previous_action_without_the_raw_gyro():
    def observations(env_id):
        env = gymnasium.make(env_id)
        return np.array(rollout(env, lambda o: np.array([np.sin(o[1])], np.float32), seed=9,
                                steps=400)["observations"])

    v2, v3 = observations("memctrl/TremorSuppression-v2"), observations(
        "memctrl/TremorSuppression-v3")
    assert v3.shape == (401, 3)
    np.testing.assert_array_equal(v3, v2[:, [3, 1, 2]])


def test_the_damping_baseline_reads_v3s_filtered_channel_as_v1s_filters_the_raw_gyro():
    def metrics(env_id):
        env = gymnasium.make(env_id)
        controller = TremorDampingController.for_env(env)
        return rollout(env, controller, seed=8)["infos"][-1]["episode_metrics"]

    v2, v3 = metrics("memctrl/TremorSuppression-v2"), metrics("memctrl/TremorSuppression-v3")
    assert v3["tremor_power_reduction"] > 0.5
    for key in ("tremor_power_reduction", "voluntary_tracking_error_rad"):
        assert v3[key] == pytest.approx(v2[key], rel=1e-5)  # float32 channel against float64
    assert TremorDampingController.for_env(gymnasium.make(
        "memctrl/TremorSuppression-v0")).gain_per_rad_s == TremorDampingController().gain_per_rad_s


def test_an_episode_without_tremor_or_movement_ends_with_undefined_ratios_not_an_error():
    env = gymnasium.make("memctrl/TremorSuppression-v1")
    record = rollout(env, zeros_like_action(env), seed=4, options=QUIET)
    metrics = record["infos"][-1]["episode_metrics"]
    assert record["truncated"]
    for key in ("tremor_power_reduction", "rms_reduction", "voluntary_power_change"):
        assert np.isnan(metrics[key]) or metrics[key] == 0.0   # controlled = passive
    assert metrics["voluntary_tracking_error_rad"] < 1e-9


def test_the_orthosis_mass_holds_back_fast_voluntary_motion():
    def passive_tracking_error(mass_kg):
        env = TremorSuppressionV1Env(orthosis=OrthosisParameters(
            hand_piece_mass_kg=mass_kg, reflected_motor_inertia_kg_m2=1e-6,
            coulomb_friction_n_m=1e-6, viscous_friction_n_m_s_per_rad=1e-6))
        record = rollout(env, zeros_like_action(env), seed=5, options={
            "tremor_amplitude_rad": 0.0, "voluntary_amplitude_rad": 0.3,
            "voluntary_frequency_hz": 1.5})
        return record["infos"][-1]["episode_metrics"]["passive_voluntary_tracking_error_rad"]

    light, typical, heavy = (passive_tracking_error(m) for m in (0.02, 0.2, 0.6))
    assert light < typical < heavy
    assert typical > 2.0 * light


def test_drive_friction_holds_a_command_below_the_coulomb_torque():
    def travel(coulomb_n_m):
        env = TremorSuppressionV1Env(orthosis=OrthosisParameters(coulomb_friction_n_m=coulomb_n_m))
        record = rollout(env, lambda observation: np.array([0.04]), seed=6, steps=300,
                         options=QUIET)  # 0.02 N m, below the default 0.03 N m friction
        angle = series(record, "hand_angle_rad")
        return abs(angle[-1] - record["infos"][0]["hand_angle_rad"])

    assert travel(0.03) < 0.3 * travel(1e-6)


def test_the_strap_separates_what_the_imu_feels_from_the_hand():
    def mismatch(stiffness):
        env = TremorSuppressionV1Env(
            episode=STEADY, orthosis=OrthosisParameters(strap_stiffness_n_m_per_rad=stiffness))
        record = rollout(env, TremorDampingController.for_v1(), seed=7, options={
            **STILL, "tremor_frequency_hz": 6.0, "tremor_amplitude_rad": 0.05})
        hand = series(record, "hand_velocity_rad_s")
        piece = series(record, "hand_piece_velocity_rad_s")
        return np.sqrt(np.mean((hand - piece) ** 2)) / np.sqrt(np.mean(hand**2))

    assert mismatch(5.0) > 3.0 * mismatch(200.0)


def test_episode_metrics_are_the_band_power_figures_of_the_episode():
    env = gymnasium.make("memctrl/TremorSuppression-v1")
    record = rollout(env, TremorDampingController.for_v1(), seed=8)
    metrics = record["infos"][-1]["episode_metrics"]
    assert "episode_metrics" not in record["infos"][-2]
    expected = power_reduction(series(record, "hand_velocity_rad_s"),
                               series(record, "passive_hand_velocity_rad_s"), 1e-3)
    assert metrics["tremor_power_reduction"] == pytest.approx(expected, rel=1e-12)
    assert metrics["rms_reduction"] == pytest.approx(
        episode_tremor_reduction(env, TremorDampingController.for_v1(), seed=8), rel=1e-12)


def test_the_damping_baseline_removes_tremor_power_in_the_range_devices_report():
    env = gymnasium.make("memctrl/TremorSuppression-v1")
    reductions = []
    for seed in range(6):
        record = rollout(env, TremorDampingController.for_v1(), seed=seed)
        assert record["truncated"] and not record["terminated"]
        reductions.append(record["infos"][-1]["episode_metrics"]["tremor_power_reduction"])
    assert 0.3 < np.mean(reductions) < 0.98   # Fromme et al. 2019: 30-98 % across orthoses


def test_pumping_energy_in_ends_the_episode_at_the_joint_limit():
    env = gymnasium.make("memctrl/TremorSuppression-v1")
    record = rollout(env, lambda observation: np.sign(observation[:1]), seed=2,
                     options={"voluntary_amplitude_rad": 0.4})
    assert record["terminated"] and not record["truncated"]
    assert abs(record["infos"][-1]["hand_angle_rad"]) > 1.2
    assert "episode_metrics" in record["infos"][-1]


def test_reset_options_and_settings_are_validated():
    env = TremorSuppressionV1Env()
    with pytest.raises(ValueError, match="unknown reset options"):
        env.reset(seed=0, options={"tremor_hz": 5.0})
    with pytest.raises(ValueError, match="disorder"):
        env.reset(seed=0, options={"disorder": "dystonic"})
    with pytest.raises(ValueError, match="tremor_amplitude_rad"):
        env.reset(seed=0, options={"tremor_amplitude_rad": -0.1})
    with pytest.raises(ValueError, match="continuous_tremor"):
        env.reset(seed=0, options={"continuous_tremor": "yes"})
    with pytest.raises(ValueError, match="dt_s"):
        TremorSuppressionV1Env(dt_s=0.02)
    with pytest.raises(ValueError, match="strap_stiffness"):
        TremorSuppressionV1Env(orthosis=OrthosisParameters(strap_stiffness_n_m_per_rad=0.0))
    with pytest.raises(ValueError, match="episode_steps"):
        TremorSuppressionV1Env(episode_steps=1)
    with pytest.raises(ValueError, match="radius_m"):
        TremorSuppressionV1Env(imu=ImuParameters(radius_m=0.0))
    with pytest.raises(ValueError, match="velocity_scale_rad_s"):
        TremorSuppressionV1Env(velocity_scale_rad_s=0.0)
    for bad in (float("nan"), 0.0, -0.1):
        with pytest.raises(ValueError, match="tracking_scale_rad"):
            TremorSuppressionV1Env(tracking_scale_rad=bad)
    with pytest.raises(ValueError, match="tremor_band_channel"):
        TremorSuppressionV1Env(tremor_band_channel=1)
    with pytest.raises(ValueError, match="raw_gyro_channel"):
        TremorSuppressionV1Env(raw_gyro_channel=0)
    with pytest.raises(ValueError, match="no gyro reading"):
        TremorSuppressionV1Env(raw_gyro_channel=False)


@pytest.mark.parametrize("episode, named", [
    (EpisodeParameters(voluntary_amplitude_range_rad=(0.4, 0.1)), "voluntary_amplitude_range_rad"),
    (EpisodeParameters(harmonic_ratio_ranges=((0.0, 0.2), (0.1, float("nan")))),
     "harmonic_ratio_ranges"),
    (EpisodeParameters(start_angle_range_rad=-0.1), "start_angle_range_rad"),
    (EpisodeParameters(voluntary_frequency_range_hz=(0.0, 2.0)), "voluntary_frequency_range_hz"),
    (EpisodeParameters(amplitude_modulation=1.5), "amplitude_modulation"),
    (EpisodeParameters(frequency_drift=1.0), "frequency_drift"),
])
def test_an_episode_parameter_out_of_its_domain_is_named(episode, named):
    with pytest.raises(ValueError, match=named):
        TremorSuppressionV1Env(episode=episode)


def test_fixing_the_disorder_keeps_the_other_draws():
    env = TremorSuppressionV1Env()
    _, drawn = env.reset(seed=11)
    other = "parkinsonian" if drawn["disorder"] == "essential" else "essential"
    _, fixed = env.reset(seed=11, options={"disorder": other})
    assert fixed["disorder"] == other
    assert fixed["voluntary_frequency_hz"] == drawn["voluntary_frequency_hz"]
    assert fixed["tremor_frequency_hz"] != drawn["tremor_frequency_hz"]
