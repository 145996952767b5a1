"""Wrist tremor suppression with a worn orthosis, as device studies measure it:
``memctrl/TremorSuppression-v1``, ``-v2`` and ``-v3``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from gymnasium import Env, spaces
from numpy.typing import ArrayLike

from sim_envs._canvas import blank, draw_disc, draw_polyline
from sim_envs._checks import (as_box_action, require_modulation, require_positive,
                              require_range)
from sim_envs.highpass import FirstOrderHighPass
from sim_envs.orthosis import (OrthosisParameters, discrete_model, friction_torque,
                               hand_angle_per_tremor_torque)
from sim_envs.tremor import (ActuatorParameters, ImuParameters, WristParameters,
                             _wrist_transition, imu_observation, setup_wrist_env,
                             tremor_reduction)
from sim_envs.tremor_metrics import (power_reduction, tracking_offset_rad,
                                     voluntary_power_change, voluntary_tracking_error_rad)
from sim_envs.tremor_patients import DISORDERS, EpisodeParameters, draw_patient

BURST_RAMP_S = 0.1
"""Time constant with which a burst starts and fades (assumption)."""
TREMOR_BAND_CORNER_HZ = 6.0
"""Corner of the first-order high-pass of v2's and v3's tremor-band gyro channel and of the v1
damping baseline (:meth:`sim_envs.baselines.TremorDampingController.for_v1`, chosen from a grid
of 1.5-6 Hz corners on environment seeds 100-119)."""

# Reset options that fix one episode quantity, with the smallest value each accepts.
_NUMERIC_OPTIONS = {
    "tremor_frequency_hz": 0.5,
    "tremor_amplitude_rad": 0.0,
    "voluntary_amplitude_rad": -np.inf,
    "voluntary_frequency_hz": 0.01,
}
_OPTIONS = (*_NUMERIC_OPTIONS, "disorder", "continuous_tremor")


class TremorSuppressionV1Env(Env[np.ndarray, np.ndarray]):
    """
    ## Description

    A patient with essential tremor or Parkinsonian rest tremor wears an active wrist orthosis
    while moving the wrist in flexion-extension. Each episode is a new patient drawn from the
    published statistics of the two disorders (:mod:`sim_envs.tremor_patients`): essential
    tremor at 5.8 ± 1.3 Hz, slower in older patients; rest tremor at 4-6 Hz; amplitudes larger
    when the tremor is slower; 2nd and 3rd harmonics; bursts and pauses; voluntary movements at
    0.2-2 Hz. The orthosis (:mod:`sim_envs.orthosis`) has mass on the hand, a compliant strap
    and soft-tissue link between its hand piece and the hand, and a geared motor with Coulomb
    and viscous friction and a torque lag. Its IMU sits on the hand piece.

    Hand: ``I_h θ_h'' = -k (θ_h - θ_v(t)) - b θ_h' + τ_tremor(t) - τ_strap``; hand piece:
    ``I_o θ_o'' = τ_motor + τ_friction(θ_o') - b_o θ_o' + τ_strap``, with
    ``τ_strap = k_s (θ_h - θ_o) + b_s (θ_h' - θ_o')`` (angles in rad, extension positive,
    θ_v the voluntary equilibrium of the equilibrium-point model, as in v0).

    Beside the real wrist the environment steps the same patient with the orthosis worn but the
    motor off (the *passive* wrist, the "monitoring mode" device studies compare against) and
    the hand alone without tremor (the *intended* motion). Involuntary velocity is
    ``θ_h' - θ'_intended``.

    ## Action Space

    ``Box(-1, 1, (1,), float32)``: motor torque command as a fraction of its 0.5 N m limit.
    Values beyond ±1 saturate; NaN, infinities and other shapes raise ``ValueError``.

    ## Observation Space

    v1: ``Box((3,), float32)``, as v0 but read on the hand piece: gyro angular velocity (rad/s,
    MPU-6050 noise and a per-episode bias, ±8.73 rad/s full scale), accelerometer tilt
    ``atan2(a_x, a_y)`` (rad, ±π), previous action (±1). v2 (``tremor_band_channel=True``):
    ``Box((4,), float32)``, a fourth, the wearable's tremor-band gyro (rad/s, ±8.73): the gyro
    reading through a first-order high-pass at 6 Hz (``TREMOR_BAND_CORNER_HZ``, the damping
    baseline's own filter), 0 at reset. A controller that reads one observation at a time
    cannot form it (a filter needs the past). v3 (``raw_gyro_channel=False`` too):
    ``Box((3,), float32)``, v2's without the raw gyro: the tremor-band gyro in its place, the
    tilt and the previous action. The wearable's front end hands the controller the tremor band
    only, as the damping baseline's filter hands it to its own gain: a controller that reads the
    raw rate learns to resist the slow voluntary movement too, and the hand lags it
    (``benchmarks/notes/tremor_v1.md``, session 22).

    ## Rewards

    v1: ``r = 1 - (v_inv / 2 rad/s)^2 - 0.05 a^2`` per step, as v0. v2 adds ``-(e / 0.2 rad)^2``
    (``tracking_scale_rad=0.2``: an error of 0.2 rad costs the whole step's budget; assumption:
    half the largest voluntary movement), with ``e`` the hand angle less the intended one:
    v1's reward is blind to a steady offset (no involuntary velocity), so a controller could
    hold the hand off the intended angle at the cost of its effort term alone. ``e`` holds the
    tremor's own displacement too (a few hundredths of a rad), and where a controller hinders
    a large fast voluntary movement the term outweighs the tremor it removes: on 2 of 10 of
    seed 0's evaluation episodes the zero command scores above the damping baseline in v2.

    ## Metrics

    Each step's ``info`` has the involuntary velocities with control and with the passive
    orthosis (``involuntary_velocity_rad_s``, ``uncontrolled_involuntary_velocity_rad_s``, so
    :func:`sim_envs.tremor.episode_tremor_reduction` works as on v0), the hand and intended
    angles, the motor torque and its mechanical power. When the episode ends (termination or
    the 3000th step), ``info["episode_metrics"]`` holds ``tremor_power_reduction`` (hand
    velocity, tremor band, controlled against passive), ``voluntary_power_change``,
    ``voluntary_tracking_error_rad`` and ``passive_voluntary_tracking_error_rad`` (voluntary-band
    RMS of hand angle minus intended angle), ``tracking_offset_rad`` (the mean of that
    difference, signed: its steady part) and ``rms_reduction`` (v0's figure); see
    :mod:`sim_envs.tremor_metrics`. :meth:`episode_metrics` gives them at any time.

    ## Starting State

    A patient drawn as above (``info`` of ``reset`` names it: disorder, age, frequency,
    amplitude), the gyro bias, the start angle uniform in ±0.2 rad, everything at rest, the
    tremor on.

    ## Episode End

    1. Termination: the hand angle leaves the joint range ±1.2 rad.
    2. Truncation: 3000 steps (3 s at the default 1 kHz), by the environment and its registered
       ``TimeLimit``.

    ## Arguments

    ``gymnasium.make("memctrl/TremorSuppression-v1", render_mode="rgb_array", dt_s=1e-3)``
    (``-v2``: the same with ``tremor_band_channel=True, tracking_scale_rad=0.2``; ``-v3``: v2's
    with ``raw_gyro_channel=False``);
    ``wrist``, ``imu``, ``orthosis`` and ``episode`` parameter tuples, the reward's
    ``effort_weight``, ``velocity_scale_rad_s`` and ``tracking_scale_rad`` (None: no tracking
    term) may be replaced.
    ``reset(options=...)`` may fix ``disorder`` (``"essential"`` or ``"parkinsonian"``),
    ``tremor_frequency_hz``, ``tremor_amplitude_rad`` (0 disables the tremor),
    ``voluntary_amplitude_rad``, ``voluntary_frequency_hz`` and ``continuous_tremor`` (True: no
    pauses). A hand-written baseline is :meth:`sim_envs.baselines.TremorDampingController.for_v1`
    (on v3 with ``high_passed=True``: the same law on the channel the task has filtered
    already; :meth:`~sim_envs.baselines.TremorDampingController.for_env` picks it).

    ## Version History

    * v3 (2026-12-06, session 23): v2 without the raw gyro channel.
    * v2 (2026-12-05, session 10): v1 with the tremor-band gyro channel and the reward's
      tracking term.
    * v1: patient statistics per disorder, harmonics, bursts, voluntary motion to 2 Hz, orthosis
      mass, strap compliance and motor friction, IMU on the orthosis, band-power metrics.
    * v0: :class:`sim_envs.tremor.TremorSuppressionEnv`.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 50}

    def __init__(
        self,
        render_mode: str | None = None,
        dt_s: float = 1e-3,
        episode_steps: int = 3000,
        wrist: WristParameters = WristParameters(),
        imu: ImuParameters = ImuParameters(),
        orthosis: OrthosisParameters = OrthosisParameters(),
        episode: EpisodeParameters = EpisodeParameters(),
        effort_weight: float = 0.05,
        velocity_scale_rad_s: float = 2.0,
        tremor_band_channel: bool = False,
        tracking_scale_rad: float | None = None,
        raw_gyro_channel: bool = True,
    ):
        setup_wrist_env(self, render_mode, dt_s, imu, effort_weight, velocity_scale_rad_s)
        for name, value in (("tremor_band_channel", tremor_band_channel),
                            ("raw_gyro_channel", raw_gyro_channel)):
            if not isinstance(value, bool):
                raise ValueError(f"{name} must be True or False, got {value!r}")
        if not (raw_gyro_channel or tremor_band_channel):
            raise ValueError("raw_gyro_channel=False needs tremor_band_channel=True "
                             "(the observation would hold no gyro reading)")
        self.raw_gyro_channel = raw_gyro_channel
        if tracking_scale_rad is not None and not (np.isfinite(tracking_scale_rad)
                                                   and tracking_scale_rad > 0.0):
            raise ValueError(f"tracking_scale_rad must be > 0 or None, got {tracking_scale_rad!r}")
        self.tracking_scale_rad = None if tracking_scale_rad is None else float(tracking_scale_rad)
        self._tremor_band: FirstOrderHighPass | None = None
        if tremor_band_channel:
            self._tremor_band = FirstOrderHighPass(TREMOR_BAND_CORNER_HZ, self.dt_s)
        if tremor_band_channel and raw_gyro_channel:
            gyro_high = self.observation_space.high[0]
            self.observation_space = spaces.Box(
                np.append(self.observation_space.low, -gyro_high),
                np.append(self.observation_space.high, gyro_high), dtype=np.float32)
        if isinstance(episode_steps, bool) or not isinstance(episode_steps, int) \
                or episode_steps < 2:
            raise ValueError(f"episode_steps must be an int >= 2, got {episode_steps!r}")
        _check_parameters(wrist, orthosis, episode)
        self.episode_steps = episode_steps
        self.wrist, self.orthosis, self.episode = wrist, orthosis, episode
        self._a, self._b = discrete_model(wrist, orthosis, self.dt_s)
        self._a_intended, self._b_intended = _wrist_transition(wrist, ActuatorParameters(),
                                                               self.dt_s)
        self._patient: dict[str, Any] = {}
        # Columns: controlled wrist, passive wrist (motor off). Rows: see sim_envs.orthosis.
        self._states = np.zeros((5, 2))
        self._intended = np.zeros(3)  # angle, velocity, (unused) torque of the hand alone
        self._trace: dict[str, list[float]] = {}

    # -- gymnasium API -----------------------------------------------------------------------

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        self._patient = self._draw_patient(dict(options or {}))
        self._states = np.zeros((5, 2))
        self._states[[0, 2], :] = self._patient["start_angle_rad"]
        self._intended = np.array([self._patient["start_angle_rad"], 0.0, 0.0])
        self._steps, self._time_s, self._phase_rad, self._gate = 0, 0.0, 0.0, 1.0
        self._previous_action = 0.0
        self._last_tremor_torque_n_m = 0.0
        if self._tremor_band is not None:
            self._tremor_band.reset()
        self._trace = {key: [] for key in ("velocity", "passive_velocity", "angle",
                                           "passive_angle", "intended_angle",
                                           "intended_velocity")}
        info = {**self._info(), **_public(self._patient)}
        return self._observe(acceleration_rad_s2=0.0), info

    def step(self, action: ArrayLike):
        command = float(as_box_action(action, self.action_space)[0])
        previous_piece_velocity = self._states[3, 0]
        tremor = self._tremor_torque()
        equilibrium = self._voluntary_angle(self._time_s)
        inputs = np.array([
            [command * self.orthosis.torque_limit_n_m, 0.0],
            [tremor, tremor],
            [equilibrium, equilibrium],
            [0.0, 0.0],
        ])
        frictionless = self._a @ self._states + self._b @ inputs
        friction = friction_torque(self.orthosis, frictionless[3, :], self._b[3, 3])
        self._states = frictionless + np.outer(self._b[:, 3], friction)
        self._intended = self._a_intended @ self._intended + self._b_intended @ np.array(
            [0.0, 0.0, equilibrium])
        self._steps += 1
        self._time_s = self._steps * self.dt_s
        self._last_tremor_torque_n_m = tremor
        self._previous_action = command
        self._record()

        involuntary = self._states[1, 0] - self._intended[1]
        reward = (1.0 - (involuntary / self.velocity_scale_rad_s) ** 2
                  - self.effort_weight * command**2)
        if self.tracking_scale_rad is not None:
            tracking_error = self._states[0, 0] - self._intended[0]
            reward -= (tracking_error / self.tracking_scale_rad) ** 2
        terminated = bool(abs(self._states[0, 0]) > self.wrist.joint_limit_rad)
        truncated = self._steps >= self.episode_steps
        info = self._info()
        if terminated or truncated:
            info["episode_metrics"] = self.episode_metrics()
        acceleration = (self._states[3, 0] - previous_piece_velocity) / self.dt_s
        return self._observe(acceleration), float(reward), terminated, truncated, info

    def render(self) -> np.ndarray | None:
        if self.render_mode != "rgb_array":
            return None
        image = blank(200, 200)
        wrist_px = np.array([90.0, 100.0])
        draw_polyline(image, np.array([[10.0, 100.0], wrist_px]), (120, 120, 120), thickness=9)
        # Intended hand (thin, green), real hand (red), orthosis hand piece (short, blue).
        for angle, color, width, length in ((self._intended[0], (150, 200, 150), 3, 80.0),
                                            (self._states[0, 0], (200, 60, 60), 7, 80.0),
                                            (self._states[2, 0], (60, 60, 200), 11, 40.0)):
            tip = wrist_px + length * np.array([np.cos(angle), -np.sin(angle)])
            draw_polyline(image, np.array([wrist_px, tip]), color, thickness=width)
        draw_disc(image, wrist_px, 6, (40, 40, 40))
        return image

    # -- metrics -----------------------------------------------------------------------------

    def episode_metrics(self) -> dict[str, float]:
        """The device-paper figures over the steps of this episode so far (at least 2); a
        ratio whose passive reference is zero (no tremor, no movement) is NaN."""
        trace, dt = {key: np.array(value) for key, value in self._trace.items()}, self.dt_s
        if trace["velocity"].size < 2:
            raise ValueError("episode_metrics needs at least 2 steps of the episode")
        involuntary = trace["velocity"] - trace["intended_velocity"]
        passive_involuntary = trace["passive_velocity"] - trace["intended_velocity"]
        return {
            "tremor_power_reduction": _or_nan(power_reduction, trace["velocity"],
                                              trace["passive_velocity"], dt),
            "voluntary_power_change": _or_nan(voluntary_power_change, trace["velocity"],
                                              trace["passive_velocity"], dt),
            "voluntary_tracking_error_rad": voluntary_tracking_error_rad(
                trace["angle"], trace["intended_angle"], dt),
            "passive_voluntary_tracking_error_rad": voluntary_tracking_error_rad(
                trace["passive_angle"], trace["intended_angle"], dt),
            "tracking_offset_rad": tracking_offset_rad(trace["angle"], trace["intended_angle"]),
            "rms_reduction": _or_nan(tremor_reduction, involuntary, passive_involuntary),
        }

    # -- internals ---------------------------------------------------------------------------

    def _draw_patient(self, options: dict[str, Any]) -> dict[str, Any]:
        unknown = set(options) - set(_OPTIONS)
        if unknown:
            raise ValueError(f"unknown reset options {sorted(unknown)}; known: {list(_OPTIONS)}")
        disorder = options.pop("disorder", None)
        if disorder is not None and disorder not in [d.name for d in DISORDERS]:
            raise ValueError(f"reset option disorder must be one of "
                             f"{[d.name for d in DISORDERS]}, got {disorder!r}")
        continuous = options.pop("continuous_tremor", False)
        if not isinstance(continuous, (bool, np.bool_)):
            raise ValueError(f"reset option continuous_tremor must be a bool, got {continuous!r}")
        patient = draw_patient(self.np_random, self.episode,
                               self.episode_steps * self.dt_s, disorder)
        patient["gyro_bias_rad_s"] = float(self.np_random.uniform(-1.0, 1.0)
                                           * self.imu.gyro_bias_max_rad_s)
        for key, value in options.items():
            value = float(value)
            if not (np.isfinite(value) and value >= _NUMERIC_OPTIONS[key]):
                raise ValueError(f"reset option {key} must be finite and >= "
                                 f"{_NUMERIC_OPTIONS[key]}, got {value}")
            patient[key] = value
        if continuous:
            patient["burst_switch_times_s"] = np.array([])
        frequency = patient["tremor_frequency_hz"]
        ratios = (1.0, *patient["harmonic_ratios"])
        amplitude = patient["tremor_amplitude_rad"]
        # Torque of each harmonic that gives the drawn hand angle with the passive orthosis.
        patient["harmonic_torques_n_m"] = tuple(
            ratio * amplitude
            / hand_angle_per_tremor_torque(self.wrist, self.orthosis, n * frequency, amplitude)
            for n, ratio in enumerate(ratios, start=1))
        return patient

    def _tremor_torque(self) -> float:
        p, v, t, dt = self._patient, self.episode, self._time_s, self.dt_s
        switches = int(np.searchsorted(p["burst_switch_times_s"], t, side="right"))
        self._gate += (float(switches % 2 == 0) - self._gate) * (1.0 - np.exp(-dt / BURST_RAMP_S))
        frequency = p["tremor_frequency_hz"] * (1.0 + v.frequency_drift * np.sin(
            2.0 * np.pi * t / p["drift_period_s"] + p["drift_phase_rad"]))
        modulation = 1.0 + v.amplitude_modulation * np.sin(
            2.0 * np.pi * t / p["modulation_period_s"] + p["modulation_phase_rad"])
        phases = (0.0, *p["harmonic_phases_rad"])
        waveform = sum(torque * np.sin(n * self._phase_rad + phase) for n, (torque, phase)
                       in enumerate(zip(p["harmonic_torques_n_m"], phases), start=1))
        self._phase_rad = (self._phase_rad + 2.0 * np.pi * frequency * dt) % (2.0 * np.pi)
        return float(self._gate * modulation * waveform)

    def _voluntary_angle(self, time_s: float) -> float:
        p = self._patient
        excursion = 0.5 * (1.0 - np.cos(2.0 * np.pi * p["voluntary_frequency_hz"] * time_s))
        return float(p["start_angle_rad"] + p["voluntary_amplitude_rad"] * excursion)

    def _record(self) -> None:
        trace, states = self._trace, self._states
        trace["velocity"].append(states[1, 0])
        trace["passive_velocity"].append(states[1, 1])
        trace["angle"].append(states[0, 0])
        trace["passive_angle"].append(states[0, 1])
        trace["intended_angle"].append(self._intended[0])
        trace["intended_velocity"].append(self._intended[1])

    def _observe(self, acceleration_rad_s2: float) -> np.ndarray:
        imu = imu_observation(self, self._states[2, 0], self._states[3, 0], acceleration_rad_s2,
                              self._patient["gyro_bias_rad_s"])
        if self._tremor_band is None:
            return imu
        high = self.observation_space.high[0]
        band = np.float32(np.clip(self._tremor_band(float(imu[0])), -high, high))
        if not self.raw_gyro_channel:
            imu[0] = band
            return imu
        return np.append(imu, band)

    def _info(self) -> dict[str, float]:
        states = self._states
        return {
            "involuntary_velocity_rad_s": float(states[1, 0] - self._intended[1]),
            "uncontrolled_involuntary_velocity_rad_s": float(states[1, 1] - self._intended[1]),
            "hand_angle_rad": float(states[0, 0]),
            "hand_velocity_rad_s": float(states[1, 0]),
            "passive_hand_velocity_rad_s": float(states[1, 1]),
            "intended_angle_rad": float(self._intended[0]),
            "actuator_torque_n_m": float(states[4, 0]),
            "actuator_mechanical_power_w": float(states[4, 0] * states[3, 0]),
            "hand_piece_velocity_rad_s": float(states[3, 0]),
            "tremor_torque_n_m": self._last_tremor_torque_n_m,
            "time_s": self._time_s,
        }


def _or_nan(ratio: Callable[..., float], *args: Any) -> float:
    """``ratio(*args)``, or NaN where it is undefined (it raises ValueError only for a zero
    reference once the traces hold 2 or more samples)."""
    try:
        return ratio(*args)
    except ValueError:
        return float("nan")


def _public(patient: dict[str, Any]) -> dict[str, Any]:
    """The patient as ``reset``'s ``info`` shows it (plain values, no arrays)."""
    return {
        "disorder": patient["disorder"],
        "age_years": patient["age_years"],
        "tremor_frequency_hz": patient["tremor_frequency_hz"],
        "tremor_amplitude_rad": patient["tremor_amplitude_rad"],
        "harmonic_ratios": patient["harmonic_ratios"],
        "tremor_pauses": len(patient["burst_switch_times_s"]) // 2
        + len(patient["burst_switch_times_s"]) % 2,
        "voluntary_amplitude_rad": patient["voluntary_amplitude_rad"],
        "voluntary_frequency_hz": patient["voluntary_frequency_hz"],
    }


def _check_parameters(wrist: WristParameters, orthosis: OrthosisParameters,
                      episode: EpisodeParameters) -> None:
    """Raise ``ValueError`` naming the first physical parameter out of its domain."""
    require_positive({**wrist._asdict(), **orthosis._asdict()})
    for name, value in episode._asdict().items():
        for item in value if name == "harmonic_ratio_ranges" else [value]:
            require_range(name, value, item)
    lowest = (episode.voluntary_frequency_range_hz[0], episode.modulation_period_range_s[0])
    if min(lowest) <= 0.0:
        raise ValueError("voluntary_frequency_range_hz and modulation_period_range_s must be "
                         f"positive, got {episode.voluntary_frequency_range_hz} and "
                         f"{episode.modulation_period_range_s}")
    require_modulation(episode.frequency_drift, episode.amplitude_modulation)
