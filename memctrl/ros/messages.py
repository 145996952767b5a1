"""Messages to observations and actions to messages.

Observations arrive as ``std_msgs/Float64MultiArray`` (the data, in order) or
``sensor_msgs/JointState`` (per joint, position, then velocity, then effort, as
``joint_state_fields`` says; the joints ``observation_joint_names`` names, by name,
else every joint in message order). Commands leave as
``std_msgs/Float64MultiArray`` (a Box action's entries; a Discrete action as one
number, the action itself: ``start`` to ``start + n - 1``), ``geometry_msgs/Twist``
(a 2-D Box action as ``linear.x``, ``angular.z``) or ``sensor_msgs/JointState`` (the
action's entries in one field, ``position``, ``velocity`` or ``effort``, of the named
joints: the command of ros2_control's topic-based hardware interface).

A safe command is all zeros: zero torque, zero speed. A Discrete action space
has no zero actuation, so its safe command is empty (an empty array; a JointState
naming the joints with no values), which :func:`action_from_command` and
:func:`action_from_joint_state` read as "no command".

The simulation bridge speaks the other side: :func:`joint_state_from_observation`
and :func:`action_from_joint_state`.
"""

from __future__ import annotations

import numpy as np
from geometry_msgs.msg import Twist
from gymnasium import spaces
from sensor_msgs.msg import JointState
from std_msgs.msg import Float64MultiArray

from memctrl._checks import shown
from memctrl.ros.parameters import JOINT_FIELDS


def observation_from_array(message: Float64MultiArray) -> np.ndarray:
    """The observation in a ``Float64MultiArray``."""
    return np.asarray(message.data, dtype=np.float64)


def observation_from_joint_state(message: JointState, fields: str,
                                 joints: list[str] | None = None) -> np.ndarray:
    """Per joint, the ``fields`` of a ``JointState``: of ``joints``, found by name and in
    that order (other joints of the message left out), or without ``joints`` of every joint
    in message order. ValueError for a field with fewer entries than joints, or, with
    ``joints``, a joint named twice or one the message lacks."""
    names = list(message.name)
    if joints:
        if len(set(names)) != len(names):
            raise ValueError(f"JointState names a joint more than once: {names}")
        missing = [joint for joint in joints if joint not in names]
        if missing:
            raise ValueError(f"JointState lacks joints {missing} (it names {names})")
    rows = [names.index(joint) for joint in joints] if joints else slice(None)
    count = len(names) or len(message.position)
    columns = []
    for field in JOINT_FIELDS[fields]:
        values = np.asarray(getattr(message, field), dtype=np.float64)
        if values.size != count:
            raise ValueError(f"JointState.{field} has {values.size} entries for {count} joints")
        columns.append(values[rows])
    return np.stack(columns, axis=1).ravel()


def check_observation_joints(observation_type: str, joints: list[str], fields: str,
                             size: int) -> None:
    """ValueError unless ``joints`` (``observation_joint_names``) can make observations of
    ``size`` entries: JointState observations, each joint named once, ``fields`` of each."""
    if observation_type != "joint_state":
        raise ValueError("observation_joint_names needs observation_type joint_state")
    if len(set(joints)) != len(joints):
        raise ValueError(f"observation_joint_names names a joint more than once: {joints}")
    per_joint = len(JOINT_FIELDS[fields])
    if len(joints) * per_joint != size:
        raise ValueError(f"observation_joint_names gives {len(joints)} joints of {per_joint} "
                         f"entries ({fields}), the observation has {size}")


def command_array(action: int | np.ndarray) -> Float64MultiArray:
    """A ``Float64MultiArray`` holding the action (a Discrete action as one number)."""
    return Float64MultiArray(data=np.atleast_1d(np.asarray(action, dtype=np.float64)).tolist())


def command_twist(action: np.ndarray) -> Twist:
    """A ``Twist`` from a 2-D action: forward speed, m/s, and turn rate, rad/s."""
    twist = Twist()
    twist.linear.x, twist.angular.z = float(action[0]), float(action[1])
    return twist


def command_joint_state(action: int | np.ndarray, joints: list[str],
                        interface: str) -> JointState:
    """A ``JointState`` naming ``joints`` with the action's entries in the field
    ``interface`` (a Discrete action: one number, for one joint)."""
    message = JointState(name=list(joints))
    setattr(message, interface, np.atleast_1d(np.asarray(action, dtype=np.float64)).tolist())
    return message


def joint_state_from_observation(observation: np.ndarray, joints: list[str],
                                 fields: str) -> JointState:
    """The observation as a robot's ``JointState``: joint by joint, ``fields`` entries each
    (the inverse of :func:`observation_from_joint_state`)."""
    names = JOINT_FIELDS[fields]
    values = np.asarray(observation, dtype=np.float64).reshape(len(joints), len(names))
    message = JointState(name=list(joints))
    for column, field in enumerate(names):
        setattr(message, field, values[:, column].tolist())
    return message


def command_message(action: int | np.ndarray, command_type: str, joints: list[str] = (),
                    interface: str = "effort") -> Float64MultiArray | Twist | JointState:
    """The command of ``command_type`` carrying ``action``."""
    if command_type == "twist":
        return command_twist(action)
    if command_type == "joint_state":
        return command_joint_state(action, joints, interface)
    return command_array(action)


def check_command_type(command_type: str, action_space: spaces.Space,
                       joints: list[str]) -> None:
    """ValueError if commands of ``command_type`` (to ``joints``) cannot carry the actions."""
    if command_type == "twist" and getattr(action_space, "shape", ()) != (2,):
        raise ValueError(f"command_type twist needs a 2-D Box action space, got {action_space}")
    if command_type == "joint_state":
        needed = (1 if isinstance(action_space, spaces.Discrete)
                  else int(np.prod(action_space.shape)))
        if len(joints) != needed:
            raise ValueError(f"command_type joint_state needs command_joint_names with "
                             f"{needed} joint(s) for the actions {action_space}, got {joints}")


def safe_command(action_space: spaces.Space, command_type: str, joints: list[str] = (),
                 interface: str = "effort") -> Float64MultiArray | Twist | JointState:
    """The zero command: zeros of the action's length; empty for Discrete."""
    if command_type == "twist":
        return Twist()
    zeros = ([] if isinstance(action_space, spaces.Discrete)
             else [0.0] * int(np.prod(action_space.shape)))
    if command_type == "joint_state":
        return command_joint_state(np.asarray(zeros), joints, interface)
    return Float64MultiArray(data=zeros)


def action_from_joint_state(message: JointState, joints: list[str], interface: str,
                            action_space: spaces.Space) -> int | np.ndarray | None:
    """The action in the field ``interface`` of a ``JointState`` command, taken by joint
    name in the order of ``joints``; as :func:`action_from_command` otherwise (ValueError
    also for a joint missing or a field whose length is not the names')."""
    values = list(getattr(message, interface))
    if not values:
        return _action_from_values(np.zeros(0), action_space)
    if len(values) != len(message.name):
        raise ValueError(f"JointState command: {len(values)} {interface} values for "
                         f"{len(message.name)} joints")
    by_name = dict(zip(message.name, values))
    missing = [joint for joint in joints if joint not in by_name]
    if missing:
        raise ValueError(f"JointState command lacks the joints {', '.join(missing)}")
    return _action_from_values(np.array([by_name[joint] for joint in joints], np.float64),
                               action_space)


def action_from_command(message: Float64MultiArray,
                        action_space: spaces.Space) -> int | np.ndarray | None:
    """The action a command asks for; None for the safe (empty) command of a Discrete space.

    Raises ValueError for a command of the wrong length, a non-finite entry or an
    action outside the Discrete space. Box actions are clipped into their bounds.
    """
    return _action_from_values(np.asarray(message.data, dtype=np.float64), action_space)


def _action_from_values(data: np.ndarray, action_space: spaces.Space) -> int | np.ndarray | None:
    if not np.all(np.isfinite(data)):
        raise ValueError(f"command holds a non-finite value: {shown(data.tolist())}")
    if isinstance(action_space, spaces.Discrete):
        if data.size == 0:
            return None
        action = int(data[0]) if data.size == 1 and data[0] == int(data[0]) else None
        if action is None or not action_space.contains(action):
            first = int(action_space.start)
            raise ValueError(f"command {shown(data.tolist())} is not one of the "
                             f"{action_space.n} actions ({first} to "
                             f"{first + int(action_space.n) - 1})")
        return action
    if data.size != int(np.prod(action_space.shape)):
        raise ValueError(f"command has {data.size} entries, the action space "
                         f"{action_space.shape}")
    return np.clip(data.reshape(action_space.shape), action_space.low,
                   action_space.high).astype(action_space.dtype)
