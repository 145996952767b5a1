"""Message conversions, the JointState ones of ros2_control's topic-based interface above all."""

from __future__ import annotations

import numpy as np
import pytest
from gymnasium import spaces
from hypothesis import given
from hypothesis import strategies as st
from sensor_msgs.msg import JointState

from memctrl.ros import messages

BOX = spaces.Box(np.array([-1.0, -2.0]), np.array([1.0, 2.0]), dtype=np.float64)


def test_an_observation_goes_out_and_comes_back_joint_by_joint():
    observation = np.array([0.1, -0.2, 0.3, -0.4])
    message = messages.joint_state_from_observation(observation, ["cart", "pole"],
                                                    "position_velocity")
    assert list(message.name) == ["cart", "pole"]
    assert list(message.position) == [0.1, 0.3] and list(message.velocity) == [-0.2, -0.4]
    assert list(message.effort) == []
    back = messages.observation_from_joint_state(message, "position_velocity")
    assert back.tolist() == observation.tolist()


joint_names = st.lists(st.text("abcdefgh", min_size=1, max_size=3), min_size=1, max_size=6,
                       unique=True)


@given(joint_names, st.data())
def test_an_observation_is_read_by_joint_name_whatever_the_message_order(names, data):
    """The joints asked for, found by name in a message that holds them (and others) in
    any order, give the same observation as a message holding just them in that order."""
    wanted = data.draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    values = {name: (float(k), -float(k)) for k, name in enumerate(names)}
    order = data.draw(st.permutations(names))
    message = JointState(name=order, position=[values[name][0] for name in order],
                         velocity=[values[name][1] for name in order])
    observation = messages.observation_from_joint_state(message, "position_velocity", wanted)
    assert observation.tolist() == [value for name in wanted for value in values[name]]


@pytest.mark.parametrize("names, wanted, error", [
    (["a", "b", "a"], ["a", "b"], "names a joint more than once"),
    (["a", "c"], ["a", "b"], r"lacks joints \['b'\]"),
    ([], ["a"], r"lacks joints \['a'\]"),
])
def test_a_joint_state_observation_naming_joints_wrongly_is_refused(names, wanted, error):
    message = JointState(name=names, position=[0.0] * len(names), velocity=[0.0] * len(names))
    with pytest.raises(ValueError, match=error):
        messages.observation_from_joint_state(message, "position_velocity", wanted)


@pytest.mark.parametrize("observation_type, joints, fields, size, message", [
    ("float64_multi_array", ["a", "b"], "position_velocity", 4, "needs observation_type"),
    ("joint_state", ["a", "a"], "position_velocity", 4, "names a joint more than once"),
    ("joint_state", ["a", "b"], "position_velocity", 6, "2 joints of 2 entries"),
    ("joint_state", ["a", "b", "c"], "position", 2, "3 joints of 1 entries"),
])
def test_observation_joint_names_that_cannot_make_the_observation_are_refused(
        observation_type, joints, fields, size, message):
    with pytest.raises(ValueError, match=message):
        messages.check_observation_joints(observation_type, joints, fields, size)
    messages.check_observation_joints("joint_state", ["a", "b"], "position_velocity", 4)


@pytest.mark.parametrize("interface", ["position", "velocity", "effort"])
def test_a_box_action_goes_into_the_chosen_interface_and_is_read_by_joint_name(interface):
    command = messages.command_message(np.array([0.5, -1.5]), "joint_state",
                                       ["elbow", "wrist"], interface)
    assert list(command.name) == ["elbow", "wrist"]
    assert list(getattr(command, interface)) == [0.5, -1.5]
    assert all(list(getattr(command, other)) == []
               for other in ("position", "velocity", "effort") if other != interface)
    reordered = JointState(name=["wrist", "elbow"])
    setattr(reordered, interface, [-1.5, 0.5])
    action = messages.action_from_joint_state(reordered, ["elbow", "wrist"], interface, BOX)
    assert action.tolist() == [0.5, -1.5]


def test_safe_joint_state_commands():
    box = messages.safe_command(BOX, "joint_state", ["elbow", "wrist"], "velocity")
    assert list(box.name) == ["elbow", "wrist"] and list(box.velocity) == [0.0, 0.0]
    discrete = messages.safe_command(spaces.Discrete(2), "joint_state", ["cart"], "effort")
    assert list(discrete.name) == ["cart"] and list(discrete.effort) == []
    assert messages.action_from_joint_state(discrete, ["cart"], "effort",
                                            spaces.Discrete(2)) is None


@pytest.mark.parametrize("message, error", [
    (JointState(name=["elbow"], effort=[0.1]), "lacks the joints wrist"),
    (JointState(name=["elbow", "wrist"], effort=[0.1]), "1 effort values for 2 joints"),
    (JointState(name=["elbow", "wrist"], effort=[0.1, float("nan")]), "non-finite"),
])
def test_a_bad_joint_state_command_is_refused_by_name(message, error):
    with pytest.raises(ValueError, match=error):
        messages.action_from_joint_state(message, ["elbow", "wrist"], "effort", BOX)


def test_joint_state_commands_need_a_joint_per_action_entry():
    messages.check_command_type("joint_state", BOX, ["elbow", "wrist"])
    messages.check_command_type("joint_state", spaces.Discrete(3), ["cart"])
    with pytest.raises(ValueError, match="command_joint_names with 2 joint"):
        messages.check_command_type("joint_state", BOX, ["elbow"])
    with pytest.raises(ValueError, match="2-D Box"):
        messages.check_command_type("twist", spaces.Discrete(3), [])
