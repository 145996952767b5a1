"""Wrist tremor suppression with a wearable actuator: ``memctrl/TremorSuppression-v0``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from gymnasium import Env, spaces
from numpy.typing import ArrayLike

from sim_envs._canvas import blank, draw_disc, draw_polyline
from sim_envs._checks import (as_box_action, require_modulation, require_positive,
                              require_range)

STANDARD_GRAVITY_M_S2 = 9.80665  # 3rd CGPM (1901)
_DEG = np.pi / 180.0


class WristParameters(NamedTuple):
    """Wrist flexion-extension as a linear second-order joint (hand rotating about the wrist).

    Assumptions: round values of the order the cited studies report for adults, not one
    subject's fit; check them against the papers' tables before quoting them as measured.
    """

    inertia_kg_m2: float = 2.5e-3
    """Hand about the flexion-extension axis; order reported by Charles & Hogan, J. Biomech. 44:614
    (2011) and Peaden & Charles, J. Biomech. 47:2779 (2014) (a few 1e-3 kg m^2)."""
    stiffness_n_m_per_rad: float = 1.0
    """Passive flexion-extension stiffness; order measured by Formica et al., J. Neurophysiol.
    108:1158 (2012) and used by Charles & Hogan (2011) (about 1 N m/rad)."""
    damping_n_m_s_per_rad: float = 0.03
    """Joint damping; order used by Charles & Hogan (2011) (a few 1e-2 N m s/rad)."""
    joint_limit_rad: float = 1.2
    """|angle| beyond which the episode ends: about 70 deg, the normal active wrist extension range
    (AAOS normative range of motion, 70 deg extension / 80 deg flexion)."""


class ImuParameters(NamedTuple):
    """A MEMS IMU strapped to the back of the hand, sampled once per control step.

    Noise densities and full scales are the TDK InvenSense MPU-6050 datasheet figures (Product
    Specification rev. 3.4: gyro rate noise 0.005 deg/s/sqrt(Hz), accelerometer 400 ug/sqrt(Hz),
    selectable +-500 deg/s and +-4 g ranges). White noise is integrated over the Nyquist band.
    """

    radius_m: float = 0.07
    """Distance of the IMU from the wrist axis (assumption: back of the hand)."""
    gyro_noise_density_rad_s_per_sqrt_hz: float = 0.005 * _DEG
    gyro_bias_max_rad_s: float = 2.0 * _DEG
    """Per-episode bias, uniform in +-this (assumption: residual after a start-up calibration;
    the uncalibrated MPU-6050 zero-rate offset tolerance is +-20 deg/s)."""
    gyro_full_scale_rad_s: float = 500.0 * _DEG
    accel_noise_density_m_s2_per_sqrt_hz: float = 400e-6 * STANDARD_GRAVITY_M_S2
    accel_full_scale_m_s2: float = 4.0 * STANDARD_GRAVITY_M_S2


class ActuatorParameters(NamedTuple):
    """A motor-driven wrist orthosis applying a torque about the wrist axis (assumptions)."""

    torque_limit_n_m: float = 0.5
    """Peak torque (assumption: a small wearable actuator, of the order of the 0.5 N m the task
    brief names and enough to cancel the tremor torques sampled below)."""
    time_constant_s: float = 0.003
    """First-order torque lag (assumption: about 50 Hz torque bandwidth through the
    transmission)."""


class TremorParameters(NamedTuple):
    """Ranges from which each episode's tremor and voluntary motion are drawn."""

    frequency_range_hz: tuple[float, float] = (4.0, 12.0)
    """The 4-12 Hz band commonly given for essential tremor (e.g. Deuschl et al., Mov. Disord. 13
    Suppl. 3:2, 1998)."""
    velocity_amplitude_range_rad_s: tuple[float, float] = (0.5, 2.0)
    """Peak angular velocity of the uncontrolled tremor (assumption: a few degrees of wrist
    oscillation, mild to moderate tremor). The torque amplitude is set to produce it."""
    frequency_drift: float = 0.05
    """Relative slow drift of the frequency within an episode (assumption)."""
    amplitude_modulation: float = 0.3
    """Relative slow waxing and waning of the amplitude within an episode (assumption)."""
    modulation_period_range_s: tuple[float, float] = (1.0, 4.0)
    voluntary_amplitude_range_rad: tuple[float, float] = (0.0, 0.4)
    """Excursion of the slow voluntary motion (sign drawn at random; assumption)."""
    voluntary_frequency_range_hz: tuple[float, float] = (0.2, 0.5)
    """Voluntary motion stays well below the tremor band (assumption)."""
    start_angle_range_rad: float = 0.2
    """Start angle uniform in +-this."""


# Reset options that fix one episode quantity, with the smallest value each accepts.
_RESET_OPTIONS = {
    "tremor_frequency_hz": 0.1,
    "tremor_velocity_amplitude_rad_s": 0.0,
    "voluntary_amplitude_rad": -np.inf,
}


class TremorSuppressionEnv(Env[np.ndarray, np.ndarray]):
    """
    ## Description

    A patient with essential tremor holds the forearm still and slowly moves the wrist in
    flexion-extension. A pathological torque at 4-12 Hz shakes the hand. A wearable actuator at
    the wrist can apply a torque; an IMU on the back of the hand is its only sense. The goal is to
    remove the involuntary motion without hindering the voluntary one and with little effort.

    The wrist is ``I θ'' = -k (θ - θ_v(t)) - b θ' + τ_tremor(t) + τ_act`` (angle θ in rad,
    extension positive), where θ_v(t) is the equilibrium the patient's muscles command (slow
    voluntary motion, equilibrium-point model), τ_tremor is a sinusoid whose frequency drifts by
    a few percent and whose amplitude waxes and wanes, and the actuator torque τ_act follows the
    command through a first-order lag. Gravity's torque on the hand is assumed held by the
    patient's postural tone and left out of the dynamics (it still reaches the accelerometer).
    The linear dynamics are integrated exactly (zero-order hold) at the control step, 1 ms by
    default. Constants and their sources: :class:`WristParameters`, :class:`ImuParameters`,
    :class:`ActuatorParameters`, :class:`TremorParameters`.

    Alongside the real wrist, the environment steps two noise-free counterfactual wrists of the
    same patient: one driven by the voluntary command only (the intended motion) and one without
    the actuator (the uncontrolled tremor). The *involuntary velocity* ``θ' - θ'_intended`` is
    the tremor measure: with zero action it is exactly the tremor response; under control it also
    counts any hindrance of the voluntary motion.

    ## Action Space

    ``Box(-1, 1, (1,), float32)``: the torque command as a fraction of the actuator's torque
    limit (0.5 N m). Values beyond ±1 saturate; NaN, infinities and other shapes raise
    ``ValueError``.

    ## Observation Space

    ``Box((3,), float32)``, sensor readings only:

    | Num | Observation                                  | Min        | Max       | Unit  |
    |-----|----------------------------------------------|------------|-----------|-------|
    | 0   | gyro angular velocity (noise, bias, clipped) | -8.73      | 8.73      | rad/s |
    | 1   | accelerometer tilt ``atan2(a_x, a_y)``       | -π         | π         | rad   |
    | 2   | previous action                              | -1         | 1         | 1     |

    The gyro has white noise (about 2e-3 rad/s per sample at 1 kHz) and a per-episode bias of up
    to ±0.035 rad/s, and saturates at ±500 deg/s. The accelerometer tilt equals the wrist angle
    at rest but also sees the hand's tangential and centripetal acceleration, which at tremor
    frequencies is comparable with gravity.

    ## Rewards

    ``r = 1 - (v_inv / 2 rad/s)^2 - 0.05 a^2`` per step, with ``v_inv`` the involuntary velocity
    in rad/s and ``a`` the action. It is 1 exactly when the wrist moves as intended with zero
    action, and positive while the involuntary velocity stays below about 2 rad/s, so ending the
    episode by leaving the joint range forfeits reward rather than saving cost.

    ## Tremor metric

    ``info["involuntary_velocity_rad_s"]`` and ``info["uncontrolled_involuntary_velocity_rad_s"]``
    give, per step, the true involuntary velocity with the agent's actions and without any
    actuation (same patient, same tremor). Over an episode,
    ``tremor_reduction(controlled, uncontrolled) = 1 - rms(controlled) / rms(uncontrolled)`` is
    the fraction by which control reduced the tremor (0 for zero action; the target is >= 0.7).

    ## Starting State

    Per episode (seeded): tremor frequency uniform in [4, 12] Hz, peak tremor velocity uniform in
    [0.5, 2] rad/s, drift and modulation phases and periods, a voluntary excursion of 0-0.4 rad
    of either sign at 0.2-0.5 Hz, the gyro bias, and the start angle uniform in ±0.2 rad with the
    wrist at rest and the actuator off.

    ## Episode End

    1. Termination: the wrist angle leaves the joint range ±1.2 rad.
    2. Truncation: 3000 steps (3 s at the default 1 kHz) under the registered ``TimeLimit``.

    ## Arguments

    ``gymnasium.make("memctrl/TremorSuppression-v0", render_mode="rgb_array", dt_s=1e-3)``;
    the parameter tuples ``wrist``, ``imu``, ``actuator`` and ``tremor`` may be replaced.
    ``reset(options=...)`` may fix ``tremor_frequency_hz``, ``tremor_velocity_amplitude_rad_s``
    and ``voluntary_amplitude_rad`` (0 disables the tremor or the voluntary motion). The time
    limit counts steps: a different ``dt_s`` changes the simulated duration of an episode.
    A hand-written baseline is :class:`sim_envs.baselines.TremorDampingController`.

    ## Version History

    * v0: Initial version.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 50}

    def __init__(
        self,
        render_mode: str | None = None,
        dt_s: float = 1e-3,
        wrist: WristParameters = WristParameters(),
        imu: ImuParameters = ImuParameters(),
        actuator: ActuatorParameters = ActuatorParameters(),
        tremor: TremorParameters = TremorParameters(),
        effort_weight: float = 0.05,
        velocity_scale_rad_s: float = 2.0,
    ):
        setup_wrist_env(self, render_mode, dt_s, imu, effort_weight, velocity_scale_rad_s)
        _check_parameters(wrist, actuator, tremor)
        self.wrist, self.actuator, self.tremor = wrist, actuator, tremor
        self._a, self._b = _wrist_transition(wrist, actuator, self.dt_s)
        # Columns: real wrist, wrist without actuator, wrist driven by the voluntary command only.
        # Rows: angle (rad), velocity (rad/s), actuator torque (N m).
        self._states = np.zeros((3, 3))
        self._episode: dict[str, float] = {}

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        episode = self._draw_episode(dict(options or {}))
        self._episode = episode
        self._states = np.zeros((3, 3))
        self._states[0, :] = episode["start_angle_rad"]
        self._time_s = 0.0
        self._phase_rad = 0.0
        self._previous_action = 0.0
        self._last_tremor_torque_n_m = 0.0
        return self._observe(acceleration_rad_s2=0.0), self._info()

    def step(self, action: ArrayLike):
        command = float(as_box_action(action, self.action_space)[0])
        previous_velocity = self._states[1, 0]
        tremor_torque, frequency_hz = self._tremor_torque()
        inputs = np.array([
            [command * self.actuator.torque_limit_n_m, 0.0, 0.0],
            [tremor_torque, tremor_torque, 0.0],
            [self._voluntary_angle(self._time_s)] * 3,
        ])
        self._states = self._a @ self._states + self._b @ inputs
        self._time_s += self.dt_s
        self._phase_rad = (self._phase_rad + 2.0 * np.pi * frequency_hz * self.dt_s) % (2.0 * np.pi)
        self._last_tremor_torque_n_m = tremor_torque
        self._previous_action = command

        involuntary = self._states[1, 0] - self._states[1, 2]
        reward = (1.0 - (involuntary / self.velocity_scale_rad_s) ** 2
                  - self.effort_weight * command**2)
        terminated = bool(abs(self._states[0, 0]) > self.wrist.joint_limit_rad)
        acceleration = (self._states[1, 0] - previous_velocity) / self.dt_s
        return self._observe(acceleration), float(reward), terminated, False, self._info()

    def render(self) -> np.ndarray | None:
        if self.render_mode != "rgb_array":
            return None
        image = blank(200, 200)
        wrist_px = np.array([90.0, 100.0])
        draw_polyline(image, np.array([[10.0, 100.0], wrist_px]), (120, 120, 120), thickness=9)
        # The intended hand (thin, green) under the real one (thick, red).
        for angle, color, width in ((self._states[0, 2], (150, 200, 150), 3),
                                    (self._states[0, 0], (200, 60, 60), 7)):
            tip = wrist_px + 80.0 * np.array([np.cos(angle), -np.sin(angle)])
            draw_polyline(image, np.array([wrist_px, tip]), color, thickness=width)
        draw_disc(image, wrist_px, 6, (40, 40, 40))
        return image

    # -- internals -------------------------------------------------------------------------

    def _draw_episode(self, options: dict[str, Any]) -> dict[str, float]:
        unknown = set(options) - set(_RESET_OPTIONS)
        if unknown:
            raise ValueError(f"unknown reset options {sorted(unknown)}; "
                             f"known: {list(_RESET_OPTIONS)}")
        p, rng = self.tremor, self.np_random
        # Draw everything, always in this order, so that options do not shift the random stream.
        episode = {
            "tremor_frequency_hz": rng.uniform(*p.frequency_range_hz),
            "tremor_velocity_amplitude_rad_s": rng.uniform(*p.velocity_amplitude_range_rad_s),
            "drift_period_s": rng.uniform(*p.modulation_period_range_s),
            "drift_phase_rad": rng.uniform(0.0, 2.0 * np.pi),
            "modulation_period_s": rng.uniform(*p.modulation_period_range_s),
            "modulation_phase_rad": rng.uniform(0.0, 2.0 * np.pi),
            "voluntary_amplitude_rad": rng.uniform(*p.voluntary_amplitude_range_rad)
            * rng.choice([-1.0, 1.0]),
            "voluntary_frequency_hz": rng.uniform(*p.voluntary_frequency_range_hz),
            "gyro_bias_rad_s": rng.uniform(-1.0, 1.0) * self.imu.gyro_bias_max_rad_s,
            "start_angle_rad": rng.uniform(-1.0, 1.0) * p.start_angle_range_rad,
        }
        for key, value in options.items():
            value = float(value)
            if not (np.isfinite(value) and value >= _RESET_OPTIONS[key]):
                raise ValueError(f"reset option {key} must be finite and >= {_RESET_OPTIONS[key]}, "
                                 f"got {value}")
            episode[key] = value
        omega = 2.0 * np.pi * episode["tremor_frequency_hz"]
        wrist = self.wrist
        impedance = abs(complex(wrist.stiffness_n_m_per_rad - wrist.inertia_kg_m2 * omega**2,
                                wrist.damping_n_m_s_per_rad * omega))
        # Torque that gives the requested peak velocity in the uncontrolled steady state.
        episode["tremor_torque_amplitude_n_m"] = (
            episode["tremor_velocity_amplitude_rad_s"] / omega * impedance)
        return episode

    def _tremor_torque(self) -> tuple[float, float]:
        e, p, t = self._episode, self.tremor, self._time_s
        frequency = e["tremor_frequency_hz"] * (
            1.0 + p.frequency_drift * np.sin(2.0 * np.pi * t / e["drift_period_s"]
                                             + e["drift_phase_rad"]))
        amplitude = e["tremor_torque_amplitude_n_m"] * (
            1.0 + p.amplitude_modulation * np.sin(2.0 * np.pi * t / e["modulation_period_s"]
                                                  + e["modulation_phase_rad"]))
        return float(amplitude * np.sin(self._phase_rad)), float(frequency)

    def _voluntary_angle(self, time_s: float) -> float:
        e = self._episode
        excursion = 0.5 * (1.0 - np.cos(2.0 * np.pi * e["voluntary_frequency_hz"] * time_s))
        return float(e["start_angle_rad"] + e["voluntary_amplitude_rad"] * excursion)

    def _observe(self, acceleration_rad_s2: float) -> np.ndarray:
        return imu_observation(self, self._states[0, 0], self._states[1, 0], acceleration_rad_s2,
                               self._episode["gyro_bias_rad_s"])

    def _info(self) -> dict[str, float]:
        states = self._states
        return {
            "involuntary_velocity_rad_s": float(states[1, 0] - states[1, 2]),
            "uncontrolled_involuntary_velocity_rad_s": float(states[1, 1] - states[1, 2]),
            "wrist_angle_rad": float(states[0, 0]),
            "wrist_velocity_rad_s": float(states[1, 0]),
            "intended_angle_rad": float(states[0, 2]),
            "actuator_torque_n_m": float(states[2, 0]),
            "tremor_torque_n_m": self._last_tremor_torque_n_m,
            "time_s": self._time_s,
        }


def imu_observation(env: Env, angle_rad: float, velocity_rad_s: float,
                    acceleration_rad_s2: float, gyro_bias_rad_s: float) -> np.ndarray:
    """The observation of a wrist env whose IMU turns with ``angle_rad``: gyro rate (noise
    and bias), tilt from the accelerometer (gravity, centripetal and tangential terms,
    noise, full-scale clipping) and the previous action, clipped to the space (float32).
    ``env`` supplies ``np_random``, ``imu``, ``_gyro_std``, ``_accel_std``,
    ``_previous_action`` and ``_imu_high`` (the three readings' bounds)."""
    noise = env.np_random.normal(size=3)
    gyro = velocity_rad_s + gyro_bias_rad_s + env._gyro_std * noise[0]
    g, r, fs = STANDARD_GRAVITY_M_S2, env.imu.radius_m, env.imu.accel_full_scale_m_s2
    accel_x = np.clip(g * np.sin(angle_rad) - r * velocity_rad_s**2 + env._accel_std * noise[1],
                      -fs, fs)
    accel_y = np.clip(g * np.cos(angle_rad) + r * acceleration_rad_s2
                      + env._accel_std * noise[2], -fs, fs)
    observation = np.array([gyro, np.arctan2(accel_x, accel_y), env._previous_action])
    return np.clip(observation, -env._imu_high, env._imu_high).astype(np.float32)


def setup_wrist_env(env: Env, render_mode: str | None, dt_s: float, imu: ImuParameters,
                    effort_weight: float, velocity_scale_rad_s: float) -> None:
    """What the wrist tasks (v0 and v1) share: check and set the render mode, the control
    step, the IMU and the reward's weights, and build the spaces and the IMU's noise levels
    that :func:`imu_observation` reads. ``ValueError`` names the first bad value."""
    if render_mode is not None and render_mode not in env.metadata["render_modes"]:
        raise ValueError(f"render_mode must be None or 'rgb_array', got {render_mode!r}")
    if not (np.isfinite(dt_s) and 0.0 < dt_s <= 0.01):
        raise ValueError(f"dt_s must be in (0, 0.01] s, got {dt_s!r}")
    _check_imu(imu)
    if not (np.isfinite(velocity_scale_rad_s) and velocity_scale_rad_s > 0.0):
        raise ValueError(f"velocity_scale_rad_s must be > 0, got {velocity_scale_rad_s!r}")
    if not (np.isfinite(effort_weight) and effort_weight >= 0.0):
        raise ValueError(f"effort_weight must be >= 0, got {effort_weight!r}")
    env.render_mode = render_mode
    env.dt_s = float(dt_s)
    env.imu = imu
    env.effort_weight = float(effort_weight)
    env.velocity_scale_rad_s = float(velocity_scale_rad_s)
    env.action_space = spaces.Box(-1.0, 1.0, shape=(1,), dtype=np.float32)
    env._imu_high = np.array([imu.gyro_full_scale_rad_s, np.pi, 1.0], dtype=np.float32)
    env.observation_space = spaces.Box(-env._imu_high, env._imu_high, dtype=np.float32)
    bandwidth_hz = 0.5 / env.dt_s
    env._gyro_std = imu.gyro_noise_density_rad_s_per_sqrt_hz * np.sqrt(bandwidth_hz)
    env._accel_std = imu.accel_noise_density_m_s2_per_sqrt_hz * np.sqrt(bandwidth_hz)


def _check_imu(imu: ImuParameters) -> None:
    """Raise ``ValueError`` naming the first IMU parameter out of its domain."""
    require_positive({name: getattr(imu, name)
                      for name in ("radius_m", "gyro_full_scale_rad_s", "accel_full_scale_m_s2")})
    for name, value in imu._asdict().items():
        if not (np.isfinite(value) and value >= 0.0):
            raise ValueError(f"{name} must be finite and >= 0, got {value!r}")


def _check_parameters(wrist: WristParameters, actuator: ActuatorParameters,
                      tremor: TremorParameters) -> None:
    """Raise ``ValueError`` naming the first physical parameter out of its domain."""
    require_positive({**wrist._asdict(), **actuator._asdict()})
    for name, value in tremor._asdict().items():
        require_range(name, value, value)
    if tremor.frequency_range_hz[0] <= 0.0 or tremor.modulation_period_range_s[0] <= 0.0:
        raise ValueError("frequency_range_hz and modulation_period_range_s must be positive, got "
                         f"{tremor.frequency_range_hz} and {tremor.modulation_period_range_s}")
    require_modulation(tremor.frequency_drift, tremor.amplitude_modulation)


def tremor_rms(involuntary_velocity_rad_s: ArrayLike) -> float:
    """Root mean square of an episode's involuntary velocities (rad/s)."""
    values = np.asarray(involuntary_velocity_rad_s, dtype=np.float64)
    if values.size == 0:
        raise ValueError("tremor_rms needs at least one sample")
    return float(np.sqrt(np.mean(values**2)))


def tremor_reduction(controlled_rad_s: ArrayLike, uncontrolled_rad_s: ArrayLike) -> float:
    """Fraction by which control reduced the tremor: ``1 - rms(controlled) / rms(uncontrolled)``.

    Parameters
    ----------
    controlled_rad_s, uncontrolled_rad_s : array_like, shape (n,)
        ``info["involuntary_velocity_rad_s"]`` and
        ``info["uncontrolled_involuntary_velocity_rad_s"]`` collected over the same episode
        (rad/s).

    Returns
    -------
    float
        1 means no involuntary motion left, 0 no change, negative more than without control.
    """
    baseline = tremor_rms(uncontrolled_rad_s)
    if baseline == 0.0:
        raise ValueError("the uncontrolled episode has no tremor; the reduction is undefined")
    return 1.0 - tremor_rms(controlled_rad_s) / baseline


def episode_tremor_reduction(env: Env, act: Callable[[np.ndarray], ArrayLike],
                             seed: int) -> float:
    """:func:`tremor_reduction` over one episode of the tremor task (``env``, possibly
    wrapped) from ``env.reset(seed=seed)`` to its end, driven by ``act(observation)``."""
    observation, _ = env.reset(seed=seed)
    controlled, uncontrolled = [], []
    done = False
    while not done:
        observation, _, terminated, truncated, info = env.step(act(observation))
        controlled.append(info["involuntary_velocity_rad_s"])
        uncontrolled.append(info["uncontrolled_involuntary_velocity_rad_s"])
        done = terminated or truncated
    return tremor_reduction(controlled, uncontrolled)


def _wrist_transition(wrist: WristParameters, actuator: ActuatorParameters,
                      dt_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact zero-order-hold transition ``x' = A x + B u`` of state (angle, velocity, torque).

    Inputs ``u`` are (commanded torque N m, tremor torque N m, voluntary equilibrium angle rad).
    """
    inertia, k, b = wrist.inertia_kg_m2, wrist.stiffness_n_m_per_rad, wrist.damping_n_m_s_per_rad
    lag = actuator.time_constant_s
    continuous = np.zeros((6, 6))
    continuous[:3, :3] = [[0.0, 1.0, 0.0], [-k / inertia, -b / inertia, 1.0 / inertia],
                          [0.0, 0.0, -1.0 / lag]]
    continuous[:3, 3:] = [[0.0, 0.0, 0.0], [0.0, 1.0 / inertia, k / inertia], [1.0 / lag, 0.0, 0.0]]
    discrete = _expm(continuous * dt_s)
    return discrete[:3, :3], discrete[:3, 3:]


def _expm(matrix: np.ndarray) -> np.ndarray:
    """Matrix exponential by scaling and squaring of a Taylor series (small dense matrices)."""
    norm = np.linalg.norm(matrix, 1)
    squarings = max(0, int(np.ceil(np.log2(norm))) + 4) if norm > 0.0 else 0
    scaled = matrix / 2.0**squarings
    result = np.eye(len(matrix))
    term = np.eye(len(matrix))
    for order in range(1, 18):
        term = term @ scaled / order
        result = result + term
    for _ in range(squarings):
        result = result @ result
    return result
