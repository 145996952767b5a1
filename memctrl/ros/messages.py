"""Messages to observations and actions to messages.

Observations arrive as ``std_msgs/Float64MultiArray`` (the data, in order) or
``sensor_msgs/JointState`` (per joint, in message order: position, then
velocity, then effort, as ``joint_state_fields`` says). Commands leave as
``std_msgs/Float64MultiArray`` (a Box action's entries; a Discrete action as one
number, its index) or ``geometry_msgs/Twist`` (a 2-D Box action as
``linear.x``, ``angular.z``).

A safe command is all zeros: zero torque, zero speed. A Discrete action space
has no zero actuation, so its safe command is an empty array, which
:func:`action_from_command` reads as "no command".
"""

from __future__ import annotations

import numpy as np
from geometry_msgs.msg import Twist
from gymnasium import spaces
from sensor_msgs.msg import JointState
from std_msgs.msg import Float64MultiArray

from memctrl._checks import shown

_JOINT_FIELDS = {"position": ("position",), "position_velocity": ("position", "velocity"),
                 "position_velocity_effort": ("position", "velocity", "effort")}


def observation_from_array(message: Float64MultiArray) -> np.ndarray:
    """The observation in a ``Float64MultiArray``."""
    return np.asarray(message.data, dtype=np.float64)


def observation_from_joint_state(message: JointState, fields: str) -> np.ndarray:
    """Per joint, the ``fields`` of a ``JointState``; ValueError if one is short."""
    columns = []
    joints = len(message.name) or len(message.position)
    for field in _JOINT_FIELDS[fields]:
        values = np.asarray(getattr(message, field), dtype=np.float64)
        if values.size != joints:
            raise ValueError(f"JointState.{field} has {values.size} entries for {joints} joints")
        columns.append(values)
    return np.stack(columns, axis=1).ravel()


def command_array(action: int | np.ndarray) -> Float64MultiArray:
    """A ``Float64MultiArray`` holding the action (a Discrete action as its index)."""
    return Float64MultiArray(data=np.atleast_1d(np.asarray(action, dtype=np.float64)).tolist())


def command_twist(action: np.ndarray) -> Twist:
    """A ``Twist`` from a 2-D action: forward speed, m/s, and turn rate, rad/s."""
    twist = Twist()
    twist.linear.x, twist.angular.z = float(action[0]), float(action[1])
    return twist


def safe_command(action_space: spaces.Space, command_type: str) -> Float64MultiArray | Twist:
    """The zero command: zeros of the action's length, an empty array for Discrete."""
    if command_type == "twist":
        return Twist()
    if isinstance(action_space, spaces.Discrete):
        return Float64MultiArray(data=[])
    return Float64MultiArray(data=[0.0] * int(np.prod(action_space.shape)))


def action_from_command(message: Float64MultiArray,
                        action_space: spaces.Space) -> int | np.ndarray | None:
    """The action a command asks for; None for the safe (empty) command of a Discrete space.

    Raises ValueError for a command of the wrong length, a non-finite entry or an
    index outside the Discrete space. Box actions are clipped into their bounds.
    """
    data = np.asarray(message.data, dtype=np.float64)
    if not np.all(np.isfinite(data)):
        raise ValueError(f"command holds a non-finite value: {shown(data.tolist())}")
    if isinstance(action_space, spaces.Discrete):
        if data.size == 0:
            return None
        index = int(data[0]) if data.size == 1 and data[0] == int(data[0]) else None
        if index is None or not action_space.contains(index):
            raise ValueError(f"command {shown(data.tolist())} is not one of the "
                             f"{action_space.n} actions")
        return index
    if data.size != int(np.prod(action_space.shape)):
        raise ValueError(f"command has {data.size} entries, the action space "
                         f"{action_space.shape}")
    return np.clip(data.reshape(action_space.shape), action_space.low,
                   action_space.high).astype(action_space.dtype)
