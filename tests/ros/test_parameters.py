"""Parameter specs, parameter files and message conversions (no DDS)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from gymnasium import spaces
from sensor_msgs.msg import JointState
from std_msgs.msg import Float64MultiArray

from memctrl.ros import messages
from memctrl.ros.launch_file import package_share
from memctrl.ros.parameters import (NODE_PARAMETERS, SIM_PARAMETERS,
                                    check_command_line_params, check_params_file,
                                    params_files, unset_values)

from .conftest import declared_defaults


def test_sim_yaml_mirrors_the_declared_defaults():
    document = yaml.safe_load((package_share() / "config" / "sim.yaml").read_text())
    assert document["memctrl_sim"]["ros__parameters"] == declared_defaults(SIM_PARAMETERS)


def test_every_number_parameter_has_a_unit_and_a_range():
    for spec in NODE_PARAMETERS + SIM_PARAMETERS:
        if spec.kind is float:
            assert spec.unit and spec.low is not None, spec.name


def test_a_parameter_file_is_checked_key_by_key(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump({
        "memctrl_node": {"ros__parameters": {"control_rate_hz": 1000, "learning": False}},
        "other_node": {"ros__parameters": {"anything": 1}}}))
    assert check_params_file(path, "memctrl_node", NODE_PARAMETERS) == {
        "control_rate_hz": 1000, "learning": False}
    path.write_text(yaml.safe_dump({"/**": {"ros__parameters": {"command_type": "twitch"}}}))
    with pytest.raises(ValueError, match="command_type must be one of"):
        check_params_file(path, "memctrl_node", NODE_PARAMETERS)
    path.write_text(yaml.safe_dump({"/**": {"ros__parameters": {"use_sim_time": True}},
                                    "memctrl_node": {"ros__parameters": {"seed": 3}}}))
    assert check_params_file(path, "memctrl_node", NODE_PARAMETERS) == {"seed": 3}
    path.write_text(yaml.safe_dump({"memctrl_node": {"ros__parameters": {"use_sim_time": 1}}}))
    with pytest.raises(ValueError, match="use_sim_time must be true or false, got 1"):
        check_params_file(path, "memctrl_node", NODE_PARAMETERS)
    path.write_text(yaml.safe_dump({"memctrl_node": {"control_rate_hz": 5.0}}))
    with pytest.raises(ValueError, match="needs a 'ros__parameters' mapping"):
        check_params_file(path, "memctrl_node", NODE_PARAMETERS)
    path.write_text(yaml.safe_dump({"memctrl_node": {"ros__parameters": {
        "observation_low": [0.0, math.nan]}}}))
    with pytest.raises(ValueError, match="observation_low must hold finite numbers"):
        check_params_file(path, "memctrl_node", NODE_PARAMETERS)
    for low in ([-1, -1], [-1, -1.0]):       # rclpy: an integer array, or a mixed one
        path.write_text(yaml.safe_dump({"memctrl_node": {"ros__parameters": {
            "observation_low": low}}}))
        with pytest.raises(ValueError, match="observation_low must be a list of decimal"):
            check_params_file(path, "memctrl_node", NODE_PARAMETERS)
    path.write_text("memctrl_node:\n  ros__parameters:\n    observation_low: &low [0.0]\n"
                    "    observation_high: *low\n")
    with pytest.raises(ValueError, match="cannot be read as YAML .anchors and aliases"):
        check_params_file(path, "memctrl_node", NODE_PARAMETERS)


def test_params_files_are_found_on_a_ros_command_line():
    assert params_files(["x", "--ros-args", "--params-file", "a.yaml", "-p", "b:=1",
                         "--params-file", "c.yaml"]) == ["a.yaml", "c.yaml"]


@given(st.lists(st.sampled_from(["-p", "--param", "--ros-args", "-r", "x"])
                | st.sampled_from(["env_id:=A", "seed:=1", "use_sim_time:=true",
                                   "memctrl_node:seed:=2", "other_node:bogus:=3"]),
                max_size=8),
       st.sampled_from(["bogus", "seeds", "envid"]), st.sampled_from(["-p", "--param"]),
       st.sampled_from(["", "memctrl_node:"]))
def test_a_command_line_setting_an_unknown_parameter_of_this_node_is_refused_by_name(
        argv, name, flag, target):
    """Around any known settings (and unknown ones for other nodes), one unknown name set
    for this node is refused, naming it; the known ones alone pass."""
    check_command_line_params(argv, "memctrl_node", NODE_PARAMETERS)
    with pytest.raises(ValueError, match=f"unknown parameter '{name}' on the command line"):
        check_command_line_params([*argv, flag, f"{target}{name}:=1"], "memctrl_node",
                                  NODE_PARAMETERS)


@given(st.text(max_size=8), st.sampled_from(["", "memctrl_node:"]))
def test_use_sim_time_on_the_command_line_must_be_a_bool_as_ros_reads_one(value, target):
    """rclpy would end a node with a traceback on ``use_sim_time:=1``: refused by name."""
    argv = ["-p", f"{target}use_sim_time:={value}"]
    if value.lower() in ("true", "false", "yes", "no", "on", "off") and value in (
            value.lower(), value.capitalize(), value.upper()):
        check_command_line_params(argv, "memctrl_node", NODE_PARAMETERS)
    else:
        with pytest.raises(ValueError, match="use_sim_time must be true or false on the "
                                             "command line, got"):
            check_command_line_params(argv, "memctrl_node", NODE_PARAMETERS)
    check_command_line_params(["-p", f"other_node:use_sim_time:={value}"], "memctrl_node",
                              NODE_PARAMETERS)                  # another node's: not ours


def test_joint_states_become_observations_joint_by_joint():
    state = JointState(name=["wrist", "elbow"], position=[0.1, 0.2], velocity=[1.0, 2.0],
                       effort=[])
    assert messages.observation_from_joint_state(state, "position_velocity").tolist() == [
        0.1, 1.0, 0.2, 2.0]
    with pytest.raises(ValueError, match="JointState.effort has 0 entries for 2 joints"):
        messages.observation_from_joint_state(state, "position_velocity_effort")


def test_commands_become_actions_and_bad_ones_are_refused():
    discrete, box = spaces.Discrete(3), spaces.Box(-1.0, 1.0, (2,), np.float32)
    assert messages.action_from_command(Float64MultiArray(data=[2.0]), discrete) == 2
    assert messages.action_from_command(messages.safe_command(discrete, "float64_multi_array"),
                                        discrete) is None
    assert messages.action_from_command(Float64MultiArray(data=[3.0, -0.2]), box).tolist() == [
        1.0, pytest.approx(-0.2)]
    for data, space, message in (([3.0], discrete, "not one of the 3 actions"),
                                 ([0.5], discrete, "not one of the 3 actions"),
                                 ([0.1], box, "has 1 entries"),
                                 ([math.nan, 0.0], box, "non-finite")):
        with pytest.raises(ValueError, match=message):
            messages.action_from_command(Float64MultiArray(data=data), space)


def test_the_safe_command_is_zero():
    box = spaces.Box(-1.0, 1.0, (2,), np.float32)
    assert list(messages.safe_command(box, "float64_multi_array").data) == [0.0, 0.0]
    twist = messages.safe_command(box, "twist")
    assert (twist.linear.x, twist.angular.z) == (0.0, 0.0)
    assert messages.command_twist(np.array([0.2, -0.5])).angular.z == -0.5


def test_a_new_controller_takes_its_settings_from_the_controller_settings_file(tmp_path):
    from pathlib import Path

    from memctrl.ros.controller_setup import controller_from_parameters
    settings = Path(__file__).parents[2] / "config" / "cartpole.yaml"
    params = dict(unset_values(NODE_PARAMETERS), env_id="CartPole-v1",
                  controller_settings=str(settings))
    controller, origin = controller_from_parameters(params)
    assert controller.config.grid_bins == (3, 3, 6, 3) and "new controller" in origin
    with pytest.raises(ValueError, match="actor_population given together"):
        controller_from_parameters(dict(params, actor_population=32))
    bad = tmp_path / "bad.yaml"
    bad.write_text("critic_populaton: 12\n")
    with pytest.raises(ValueError, match="unknown controller setting 'critic_populaton'"):
        controller_from_parameters(dict(params, controller_settings=str(bad)))
    plain, _ = controller_from_parameters(dict(params, controller_settings="",
                                               actor_population=8))
    assert plain.config.actor_population == 8 and plain.config.grid_bins == (4, 4, 4, 4)
