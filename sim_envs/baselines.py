"""Hand-written controllers for the environments: proof that each task is solvable, and baselines.

Each reads only the observation (no privileged state) and keeps its own small state; call
``reset()`` at the start of every episode.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from sim_envs.highpass import FirstOrderHighPass
from sim_envs.tremor_v1 import TREMOR_BAND_CORNER_HZ, TremorSuppressionV1Env


class TremorDampingController:
    """Damping injection on the high-passed gyro for ``memctrl/TremorSuppression-v0`` (and, with
    :meth:`for_v1`, ``-v1``).

    ``torque = -gain * highpass(gyro)``: the first-order high-pass (corner ``corner_hz``) removes
    the gyro bias and most of the slow voluntary motion, so the actuator damps the tremor band
    without holding back the intended movement.

    Parameters
    ----------
    dt_s : float
        Control step (s); the environment's ``dt_s``.
    gain_n_m_s_per_rad : float
        Injected damping (N m s/rad).
    torque_limit_n_m : float
        The actuator's torque limit (N m), which the action is a fraction of.
    corner_hz : float or None
        High-pass corner frequency (Hz); None where the gyro reading is high-passed already.
    """

    def __init__(self, dt_s: float = 1e-3, gain_n_m_s_per_rad: float = 0.5,
                 torque_limit_n_m: float = 0.5, corner_hz: float | None = 1.5):
        self.gain_per_rad_s = gain_n_m_s_per_rad / torque_limit_n_m
        self._highpass = None if corner_hz is None else FirstOrderHighPass(corner_hz, dt_s)

    @classmethod
    def for_v1(cls, dt_s: float = 1e-3, high_passed: bool = False) -> "TremorDampingController":
        """The settings for ``memctrl/TremorSuppression-v1``: less gain and a 6 Hz corner
        (``high_passed``: the same law without a filter of its own, for v3, whose first
        observation is the gyro through that high-pass already).

        v1's voluntary motion reaches 2 Hz and its IMU sits on the orthosis, behind the strap.
        Chosen from a grid (gain 0.1-0.5 N m s/rad, corner 1.5-6 Hz, one or two high-pass
        stages) on environment seeds 100-119: tremor-band power reduction 0.77 on average,
        voluntary tracking error 0.045 rad against 0.023 rad with the orthosis passive; v0's
        settings (0.5, 1.5 Hz) give 0.70 and 0.062 rad there.
        """
        return cls(dt_s=dt_s, gain_n_m_s_per_rad=0.3, torque_limit_n_m=0.5,
                   corner_hz=None if high_passed else TREMOR_BAND_CORNER_HZ)

    @classmethod
    def for_env(cls, env) -> "TremorDampingController":
        """The settings for the tremor task ``env`` (wrapped or not): v0's defaults on v0,
        :meth:`for_v1` on v1 to v3 (on v3 without a filter: the task filters the gyro)."""
        task = env.unwrapped
        if not isinstance(task, TremorSuppressionV1Env):
            return cls(dt_s=task.dt_s)
        return cls.for_v1(task.dt_s, high_passed=not task.raw_gyro_channel)

    def reset(self) -> None:
        if self._highpass is not None:
            self._highpass.reset()

    def __call__(self, observation: ArrayLike) -> np.ndarray:
        gyro = float(observation[0])
        highpassed = gyro if self._highpass is None else self._highpass(gyro)
        return np.clip(np.array([-self.gain_per_rad_s * highpassed], dtype=np.float32), -1, 1)


class LineCentroidController:
    """Proportional steering on the line's position under the sensor row, for
    ``memctrl/LineFollower-v0``.

    The line position is the reading-weighted mean of the sensors' lateral positions; when no
    sensor sees the line, the last position is kept, so the robot turns back the way it lost it.

    Parameters
    ----------
    lateral_m : sequence of float
        Lateral sensor positions (m, left positive), as in ``LineSensorParameters.lateral_m``.
    forward_command : float
        Wheel command when centred on the line (fraction of full speed).
    gain_per_m : float
        Wheel command difference per metre of line offset.
    threshold : float
        Readings below this count as floor.
    """

    def __init__(self, lateral_m=(0.025, 0.0125, 0.0, -0.0125, -0.025),
                 forward_command: float = 0.7, gain_per_m: float = 20.0, threshold: float = 0.2):
        self.lateral_m = np.asarray(lateral_m, dtype=np.float64)
        self.forward_command = forward_command
        self.gain_per_m = gain_per_m
        self.threshold = threshold
        self.reset()

    def reset(self) -> None:
        self._line_offset_m = 0.0

    def __call__(self, observation: ArrayLike) -> np.ndarray:
        weights = np.clip(np.asarray(observation[:len(self.lateral_m)]) - self.threshold, 0, None)
        if weights.sum() > 0.1:
            self._line_offset_m = float(weights @ self.lateral_m / weights.sum())
        turn = self.gain_per_m * self._line_offset_m
        command = [self.forward_command - turn, self.forward_command + turn]
        return np.clip(np.array(command, dtype=np.float32), -1.0, 1.0)
