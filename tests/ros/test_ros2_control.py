"""launch/ros2_control.launch.xml on its example parameters: a topic-based ros2_control robot's
joint states in, JointState effort commands by joint name out."""

from __future__ import annotations

from rclpy.qos import qos_profile_sensor_data
from sensor_msgs.msg import JointState

from memctrl.ros.launch_file import package_share, parse_launch
from memctrl.ros.parameters import NODE_PARAMETERS, check_params_file

from .conftest import LAUNCH_DIR

EXAMPLE = package_share() / "config" / "ros2_control_robot.yaml"


def test_the_example_launch_file_remaps_to_the_hardware_interface_topics():
    (node,) = parse_launch(LAUNCH_DIR / "ros2_control.launch.xml")
    assert node.params_files == [str(EXAMPLE)]
    assert ("observation", "joint_states") in node.remaps
    assert ("command", "joint_commands") in node.remaps
    settings = check_params_file(EXAMPLE, "memctrl_node", NODE_PARAMETERS)
    assert settings["command_type"] == settings["observation_type"] == "joint_state"


def test_the_example_commands_effort_by_joint_name(probe, launched, tmp_path):
    (node,) = parse_launch(LAUNCH_DIR / "ros2_control.launch.xml")
    node.params["run_dir"] = str(tmp_path / "run")
    launched([node], tmp_path / "logs")
    commands = probe.record(JointState, "joint_commands")
    states = probe.node.create_publisher(JointState, "joint_states", qos_profile_sensor_data)
    state = JointState(name=["joint1", "joint2"], position=[0.3, -0.2], velocity=[1.0, 0.5])
    probe.spin_until(lambda: states.publish(state) or probe.spin_for(0.1) or len(commands) >= 5,
                     30, "five commands")
    for command in commands:
        assert list(command.name) == ["joint1", "joint2"]
        assert len(command.effort) == 2 and all(-2.0 <= e <= 2.0 for e in command.effort)
        assert list(command.position) == [] and list(command.velocity) == []
    assert any(any(e != 0.0 for e in command.effort) for command in commands)
