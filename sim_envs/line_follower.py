"""A small differential-drive robot following a taped line: ``memctrl/LineFollower-v0``."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from gymnasium import Env, spaces
from numpy.typing import ArrayLike

from sim_envs._canvas import blank, draw_disc, draw_polyline
from sim_envs._checks import as_box_action


class RobotParameters(NamedTuple):
    """A 10 cm two-wheeled robot, sized like a Pololu 3pi (9.5 cm across).

    Values are assumptions.
    """

    radius_m: float = 0.05
    wheel_base_m: float = 0.085
    """Distance between the wheels' contact points."""
    max_wheel_speed_m_s: float = 0.3
    """Wheel rim speed at full command (assumption: small metal gearmotors)."""
    motor_time_constant_s: float = 0.1
    """First-order lag from command to wheel speed, robot mass included (assumption)."""
    encoder_noise_m_s: float = 0.005
    """Standard deviation of the measured wheel speeds (assumption: encoder quantisation)."""


class LineSensorParameters(NamedTuple):
    """A front row of infrared reflectance sensors over a dark line on a light floor.

    Values are assumptions, except the line width.
    """

    forward_m: float = 0.045
    """Distance of the sensor row ahead of the wheel axle."""
    lateral_m: tuple[float, ...] = (0.025, 0.0125, 0.0, -0.0125, -0.025)
    """Sensor positions, left positive."""
    spot_width_m: float = 0.01
    """Width of the floor patch each sensor integrates."""
    line_width_m: float = 0.019
    """19 mm (3/4 in) black electrical tape, the usual line-following contest line."""
    floor_reading: float = 0.05
    line_reading: float = 0.95
    noise_std: float = 0.03
    dropout_probability: float = 0.01
    """Chance per sensor and step that a reading is lost and reads 0 (ambient IR, loose contact)."""


class TrackParameters(NamedTuple):
    """Closed tracks ``r(φ) = R (1 + a2 cos(2φ + p2) + a3 cos(3φ + p3))`` drawn per episode."""

    mean_radius_range_m: tuple[float, float] = (0.5, 0.7)
    harmonic_amplitude_max: float = 0.12
    min_curvature_radius_m: float = 0.15
    """Tracks with a tighter bend are drawn again."""
    samples: int = 720


class LineFollowerEnv(Env[np.ndarray, np.ndarray]):
    """
    ## Description

    A 10 cm differential-drive robot must follow a closed line of black tape as fast as it can.
    It senses the line with a row of five infrared reflectance sensors at its front and its own
    wheel speeds with encoders; it commands the two wheel speeds. Unicycle kinematics, wheel speeds
    limited to ±0.3 m/s and reached through a first-order motor lag of 0.1 s, 50 Hz control.
    Constants and their (assumed) values: :class:`RobotParameters`, :class:`LineSensorParameters`,
    :class:`TrackParameters`.

    ## Action Space

    ``Box(-1, 1, (2,), float32)``: left and right wheel speed commands as fractions of 0.3 m/s.
    Values beyond ±1 saturate; NaN, infinities and other shapes raise ``ValueError``.

    ## Observation Space

    ``Box((7,), float32)``, sensor readings only:

    | Num | Observation                                        | Min | Max | Unit |
    |-----|----------------------------------------------------|-----|-----|------|
    | 0-4 | reflectance, left to right (0.05 floor, 0.95 line) | 0   | 1   | 1    |
    | 5   | measured left wheel speed / 0.3 m/s                | -1  | 1   | 1    |
    | 6   | measured right wheel speed / 0.3 m/s               | -1  | 1   | 1    |

    A reflectance sensor reads the fraction of its 1 cm spot covered by the 19 mm line, plus
    Gaussian noise (std 0.03); each reading drops to 0 with probability 0.01 per step. Sensors
    sit 4.5 cm ahead of the axle, 1.25 cm apart.

    ## Rewards

    ``r = Δs / (0.3 m/s · dt) - (d / 0.1 m)^2 - 0.05 mean(a^2)`` per step, where Δs is the
    progress along the line (m, negative backwards) and d the distance of the axle centre from
    the line: about +1 per step at full speed on the line. Losing the line adds -10.

    ## Starting State

    Per episode (seeded): a new track (mean radius 0.5-0.7 m, tightest bend >= 0.15 m radius,
    about 3-4.5 m long), the robot at a uniformly drawn point of it, up to 1 cm off the line,
    heading along it (counter-clockwise) within ±0.15 rad, wheels at rest.

    ## Episode End

    1. Termination: the axle centre is more than 0.1 m from the line (the line is lost).
    2. Truncation: 1000 steps (20 s at the default 50 Hz) under the registered ``TimeLimit``.

    ## Arguments

    ``gymnasium.make("memctrl/LineFollower-v0", render_mode="rgb_array", dt_s=0.02)``; the
    parameter tuples ``robot``, ``sensors`` and ``track`` may be replaced. The time limit counts
    steps: a different ``dt_s`` changes the simulated duration of an episode. A hand-written
    baseline is :class:`sim_envs.baselines.LineCentroidController`.

    ## Version History

    * v0: Initial version.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 50}

    LOST_DISTANCE_M = 0.1
    LOST_PENALTY = 10.0

    def __init__(
        self,
        render_mode: str | None = None,
        dt_s: float = 0.02,
        robot: RobotParameters = RobotParameters(),
        sensors: LineSensorParameters = LineSensorParameters(),
        track: TrackParameters = TrackParameters(),
        effort_weight: float = 0.05,
    ):
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be None or 'rgb_array', got {render_mode!r}")
        if not (np.isfinite(dt_s) and 0.0 < dt_s <= 0.1):
            raise ValueError(f"dt_s must be in (0, 0.1] s, got {dt_s!r}")
        for name, value in robot._asdict().items():
            lowest_ok = value >= 0.0 if name == "encoder_noise_m_s" else value > 0.0
            if not (np.isfinite(value) and lowest_ok):
                raise ValueError(f"{name} must be finite and positive, got {value!r}")
        if len(sensors.lateral_m) == 0 or not (
                sensors.spot_width_m > 0.0 and sensors.line_width_m > 0.0
                and 0.0 <= sensors.dropout_probability <= 1.0):
            raise ValueError(f"sensors need at least one sensor, positive widths and a dropout "
                             f"probability in [0, 1], got {sensors}")
        if not (np.isfinite(effort_weight) and effort_weight >= 0.0):
            raise ValueError(f"effort_weight must be >= 0, got {effort_weight!r}")
        self.render_mode = render_mode
        self.dt_s = float(dt_s)
        self.robot, self.sensors, self.track = robot, sensors, track
        self.effort_weight = float(effort_weight)

        n_sensors = len(sensors.lateral_m)
        self.action_space = spaces.Box(-1.0, 1.0, shape=(2,), dtype=np.float32)
        self.observation_space = spaces.Box(
            np.array([0.0] * n_sensors + [-1.0, -1.0], dtype=np.float32),
            np.ones(n_sensors + 2, dtype=np.float32), dtype=np.float32)
        self._motor_blend = 1.0 - np.exp(-self.dt_s / robot.motor_time_constant_s)
        # Sensor positions in the robot frame (x forward, y left), in m.
        self._sensor_body = np.array([[sensors.forward_m, lateral]
                                      for lateral in sensors.lateral_m])

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        if options:
            raise ValueError(f"LineFollowerEnv takes no reset options, got {sorted(options)}")
        rng = self.np_random
        self._points, self._arc_m = _draw_track(self.track, rng)
        start = int(rng.integers(len(self._points) - 1))
        tangent = self._points[start + 1] - self._points[start]
        heading = np.arctan2(tangent[1], tangent[0])
        normal = np.array([-np.sin(heading), np.cos(heading)])
        self._position = self._points[start] + rng.uniform(-0.01, 0.01) * normal
        self._heading = float(heading + rng.uniform(-0.15, 0.15))
        self._wheel_speeds = np.zeros(2)
        self._nearest = start
        self._arc_position_m = float(self._arc_m[start])
        self._progress_m = 0.0
        self._distance_m = self._locate()[0]
        return self._observe(), self._info()

    def step(self, action: ArrayLike):
        command = as_box_action(action, self.action_space)
        previous_speeds = self._wheel_speeds.copy()
        self._wheel_speeds = previous_speeds + self._motor_blend * (
            command * self.robot.max_wheel_speed_m_s - previous_speeds)
        left, right = 0.5 * (previous_speeds + self._wheel_speeds)
        self._drive(0.5 * (left + right), (right - left) / self.robot.wheel_base_m)

        previous_arc = self._arc_position_m
        self._distance_m, self._arc_position_m = self._locate()
        length = self._arc_m[-1]
        # Signed arc length travelled, unwrapped across the start of the closed track.
        progress = float((self._arc_position_m - previous_arc + 0.5 * length) % length
                         - 0.5 * length)
        self._progress_m += progress
        terminated = bool(self._distance_m > self.LOST_DISTANCE_M)
        reward = (progress / (self.robot.max_wheel_speed_m_s * self.dt_s)
                  - (min(self._distance_m, self.LOST_DISTANCE_M) / self.LOST_DISTANCE_M) ** 2
                  - self.effort_weight * float(np.mean(command**2))
                  - (self.LOST_PENALTY if terminated else 0.0))
        return self._observe(), float(reward), terminated, False, self._info()

    def render(self) -> np.ndarray | None:
        if self.render_mode != "rgb_array":
            return None
        size = 256
        scale = (size - 20) / (2.0 * np.abs(self._points).max())

        def to_pixels(points_m: np.ndarray) -> np.ndarray:
            return np.column_stack([size / 2 + scale * points_m[..., 0],
                                    size / 2 - scale * points_m[..., 1]])

        image = blank(size, size, (235, 235, 225))
        draw_polyline(image, to_pixels(self._points), (20, 20, 20),
                      thickness=max(1, round(scale * self.sensors.line_width_m)))
        center = to_pixels(self._position[None, :])[0]
        draw_disc(image, center, scale * self.robot.radius_m, (60, 110, 200))
        for sensor in to_pixels(self._sensor_world()):
            draw_disc(image, sensor, 1.5, (220, 60, 60))
        return image

    # -- internals -------------------------------------------------------------------------

    def _drive(self, speed_m_s: float, turn_rate_rad_s: float) -> None:
        """Move along the unicycle's exact arc for one step."""
        turn = turn_rate_rad_s * self.dt_s
        heading = self._heading
        if abs(turn) < 1e-9:
            step = speed_m_s * self.dt_s * np.array([np.cos(heading), np.sin(heading)])
        else:
            radius = speed_m_s / turn_rate_rad_s
            step = radius * np.array([np.sin(heading + turn) - np.sin(heading),
                                      np.cos(heading) - np.cos(heading + turn)])
        self._position = self._position + step
        self._heading = float((heading + turn + np.pi) % (2.0 * np.pi) - np.pi)

    def _sensor_world(self) -> np.ndarray:
        c, s = np.cos(self._heading), np.sin(self._heading)
        return self._position + self._sensor_body @ np.array([[c, s], [-s, c]])

    def _locate(self) -> tuple[float, float]:
        """Distance of the axle centre from the line (m) and its arc-length position (m)."""
        distances, arcs, index = self._nearest_on_line(self._position[None, :])
        self._nearest = int(index[0])
        return float(distances[0]), float(arcs[0])

    def _nearest_on_line(self, points: np.ndarray, window: int = 30):
        """Distances (m) of ``points`` (n, 2) to the line near the axle's last nearest segment,
        with the arc-length positions (m) and indices of the nearest segments."""
        count = len(self._points) - 1
        indices = (self._nearest + np.arange(-window, window + 1)) % count
        starts, ends = self._points[indices], self._points[indices + 1]
        segment = ends - starts
        relative = points[:, None, :] - starts[None, :, :]
        along = np.sum(relative * segment, axis=2) / np.sum(segment**2, axis=1)
        fraction = np.clip(along, 0.0, 1.0)
        offsets = relative - fraction[..., None] * segment
        distances = np.hypot(offsets[..., 0], offsets[..., 1])
        best = np.argmin(distances, axis=1)
        rows = np.arange(len(points))
        seg_lengths = self._arc_m[indices + 1] - self._arc_m[indices]
        arcs = self._arc_m[indices[best]] + fraction[rows, best] * seg_lengths[best]
        return distances[rows, best], arcs, indices[best]

    def _observe(self) -> np.ndarray:
        p, rng = self.sensors, self.np_random
        distances = self._nearest_on_line(self._sensor_world())[0]
        half_line, half_spot = 0.5 * p.line_width_m, 0.5 * p.spot_width_m
        covered = np.clip(np.minimum(distances + half_spot, half_line)
                          - np.maximum(distances - half_spot, -half_line), 0.0, p.spot_width_m)
        readings = (p.floor_reading + (p.line_reading - p.floor_reading) * covered / p.spot_width_m
                    + p.noise_std * rng.normal(size=len(distances)))
        readings[rng.random(len(distances)) < p.dropout_probability] = 0.0
        speeds = (self._wheel_speeds + self.robot.encoder_noise_m_s * rng.normal(size=2)) \
            / self.robot.max_wheel_speed_m_s
        observation = np.concatenate([readings, speeds])
        return np.clip(observation, self.observation_space.low,
                       self.observation_space.high).astype(np.float32)

    def _info(self) -> dict[str, float]:
        return {
            "distance_to_line_m": self._distance_m,
            "progress_m": self._progress_m,
            "track_length_m": float(self._arc_m[-1]),
            "x_m": float(self._position[0]),
            "y_m": float(self._position[1]),
            "heading_rad": self._heading,
            "left_wheel_speed_m_s": float(self._wheel_speeds[0]),
            "right_wheel_speed_m_s": float(self._wheel_speeds[1]),
        }


def _draw_track(track: TrackParameters, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A closed counter-clockwise track: points (samples + 1, 2) in m, last equal to first, and
    the arc length at each point (m)."""
    angles = np.linspace(0.0, 2.0 * np.pi, track.samples + 1)
    for _ in range(100):
        mean_radius = rng.uniform(*track.mean_radius_range_m)
        amplitudes = rng.uniform(0.0, track.harmonic_amplitude_max, size=2)
        phases = rng.uniform(0.0, 2.0 * np.pi, size=2)
        radius = mean_radius * (1.0 + amplitudes[0] * np.cos(2 * angles + phases[0])
                                + amplitudes[1] * np.cos(3 * angles + phases[1]))
        points = np.column_stack([radius * np.cos(angles), radius * np.sin(angles)])
        points[-1] = points[0]
        if _tightest_bend_m(points) >= track.min_curvature_radius_m:
            break
    else:
        raise ValueError(f"no track with bends of at least {track.min_curvature_radius_m} m "
                         f"radius in 100 draws from {track}")
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(points, axis=0).T))])
    return points, arc


def _tightest_bend_m(points: np.ndarray) -> float:
    """Smallest radius of curvature of a closed polyline (m), from its turning per length."""
    segments = np.diff(points, axis=0)
    headings = np.arctan2(segments[:, 1], segments[:, 0])
    turning = np.abs((np.diff(np.append(headings, headings[0])) + np.pi) % (2 * np.pi) - np.pi)
    lengths = np.hypot(segments[:, 0], segments[:, 1])
    return float(np.min(lengths / np.maximum(turning, 1e-12)))
