"""The IMU and the geared motor of memctrl.energy.wearable, against hand-worked figures."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from memctrl.energy.constants import Constant
from memctrl.energy.wearable import MotorModel, actuator_electrical_power_w, imu_power_w

MOTOR = MotorModel(torque_constant=Constant(0.01, "N m/A", "test", "A"),
                   resistance=Constant(2.0, "ohm", "test", "A"),
                   gear_ratio=Constant(50.0, "1", "test", "A"),
                   gear_efficiency=Constant(0.5, "1", "test", "A"))


def test_motor_power_is_copper_loss_plus_driven_mechanical_power():
    # 0.1 N m at the joint: 0.1 / (0.01 * 50 * 0.5) = 0.4 A, 2 ohm * 0.16 A^2 = 0.32 W; driving
    # at 1 rad/s adds 0.1 W / 0.5 efficiency = 0.2 W; braking (tau * omega < 0) adds nothing.
    assert actuator_electrical_power_w([0.1], [1.0], MOTOR) == pytest.approx(0.52)
    assert actuator_electrical_power_w([0.1], [-1.0], MOTOR) == pytest.approx(0.32)
    assert actuator_electrical_power_w([0.1, 0.0], [1.0, 5.0], MOTOR) == pytest.approx(0.26)


@given(torque=st.lists(st.floats(-1.0, 1.0), min_size=1, max_size=20),
       scale=st.floats(1.1, 4.0))
def test_more_torque_never_costs_less(torque, scale):
    torque = np.array(torque)
    speed = np.ones_like(torque)
    assert actuator_electrical_power_w(scale * torque, speed) >= \
        actuator_electrical_power_w(torque, speed) >= 0.0


def test_the_imu_draws_its_datasheet_current_and_bad_traces_are_refused():
    assert imu_power_w() == pytest.approx(3.9e-3 * 3.0)
    with pytest.raises(ValueError, match="same non-empty shape"):
        actuator_electrical_power_w([0.1, 0.2], [1.0])
    with pytest.raises(ValueError, match="same non-empty shape"):
        actuator_electrical_power_w([], [])
