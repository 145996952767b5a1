"""The whole wearable's power: the IMU and the actuator beside the controller.

A controller's power budget means little if the sensor feeding it draws a thousand times more:
the MPU-6050 of the tremor task draws 3.9 mA. :func:`imu_power_w` prices the sensor from its
datasheet current, :func:`actuator_electrical_power_w` a geared DC motor from the torque and
speed an environment reports (``info["actuator_torque_n_m"]`` and
``info["hand_piece_velocity_rad_s"]`` of ``memctrl/TremorSuppression-v1``), and
:func:`device_budget` puts them beside the controller's mean power.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from memctrl.energy.constants import (GEAR_EFFICIENCY, GEAR_RATIO, IMU_SUPPLY_CURRENT_A,
                                      IMU_SUPPLY_VOLTAGE_V, MOTOR_RESISTANCE_OHM,
                                      MOTOR_TORQUE_CONSTANT_N_M_PER_A, Constant)


class MotorModel(NamedTuple):
    """A geared DC motor: joint torque ``τ`` needs current ``τ / (k_t N η)``."""

    torque_constant: Constant = MOTOR_TORQUE_CONSTANT_N_M_PER_A
    resistance: Constant = MOTOR_RESISTANCE_OHM
    gear_ratio: Constant = GEAR_RATIO
    gear_efficiency: Constant = GEAR_EFFICIENCY


def imu_power_w(current: Constant = IMU_SUPPLY_CURRENT_A,
                voltage: Constant = IMU_SUPPLY_VOLTAGE_V) -> float:
    """Supply power of the IMU (W): its operating current times its supply voltage."""
    return current.value * voltage.value


def actuator_electrical_power_w(torque_n_m: ArrayLike, speed_rad_s: ArrayLike,
                                motor: MotorModel = MotorModel()) -> float:
    """Mean electrical power (W) a geared DC motor draws to give these joint torques at these
    joint speeds (arrays of the same shape, one sample per control step).

    Per sample: copper loss ``R I^2`` with ``I = |τ| / (k_t N η)``, plus the mechanical power
    ``τ ω`` when the motor drives the joint (``τ ω > 0``) divided by the gear efficiency; power
    the joint pushes back (``τ ω < 0``) is not recovered (no regeneration).
    """
    torque = np.asarray(torque_n_m, dtype=np.float64)
    speed = np.asarray(speed_rad_s, dtype=np.float64)
    if torque.shape != speed.shape or torque.size == 0:
        raise ValueError(f"torque and speed need the same non-empty shape, got {torque.shape} "
                         f"and {speed.shape}")
    efficiency = motor.gear_efficiency.value
    current = np.abs(torque) / (motor.torque_constant.value * motor.gear_ratio.value * efficiency)
    mechanical = np.maximum(torque * speed, 0.0) / efficiency
    return float(np.mean(motor.resistance.value * current**2 + mechanical))


def device_budget(controller_power_w: float, actuator_power_w: float | None = None) -> dict:
    """The controller's, the IMU's and (when known) the actuator's power, and their sum (W).

    ``actuator_power_w`` None means not measured: the total then covers controller and sensor.
    """
    parts = {"controller_w": float(controller_power_w), "imu_w": imu_power_w(),
             "actuator_w": None if actuator_power_w is None else float(actuator_power_w)}
    parts["total_w"] = sum(value for value in parts.values() if value is not None)
    return parts


def sources() -> list[dict]:
    """The constants behind these figures, for reports."""
    named = {"imu.supply_current": IMU_SUPPLY_CURRENT_A, "imu.supply_voltage": IMU_SUPPLY_VOLTAGE_V,
             **{f"motor.{name}": constant for name, constant in MotorModel()._asdict().items()}}
    return [{"name": name, **constant.as_dict()} for name, constant in named.items()]
