"""The XML launch files and their reader (no processes: what a file declares)."""

from __future__ import annotations

import pytest

from memctrl.ros.launch_file import package_share, parse_launch

from .conftest import LAUNCH_DIR

CONFIG = package_share() / "config"


def test_sim_launch_declares_the_bridge_and_the_controller_with_shared_args():
    sim, node = parse_launch(LAUNCH_DIR / "sim.launch.xml",
                             {"env_id": "memctrl/TremorSuppression-v0", "seed": "4"})
    assert (sim.executable, sim.name) == ("memctrl_sim", "memctrl_sim")
    assert (node.executable, node.name) == ("memctrl_node", "memctrl_node")
    assert sim.params_files == [str(CONFIG / "sim.yaml")]
    assert node.params_files == [str(CONFIG / "memctrl.yaml")]
    assert sim.params == {"env_id": "memctrl/TremorSuppression-v0", "seed": "4",
                          "rate_hz": "0.0", "max_episodes": "0"}
    assert node.params == {"autostart": "true", "env_id": "memctrl/TremorSuppression-v0",
                           "seed": "4", "control_mode": "lockstep", "control_rate_hz": "100.0",
                           "run_dir": "runs/sim"}
    command = node.command()
    assert command[0].endswith("memctrl_node") and command[1] == "--ros-args"
    assert command[command.index("--params-file") + 1] == str(CONFIG / "memctrl.yaml")
    assert "run_dir:=runs/sim" in command and "__node:=memctrl_node" in command


def test_the_controller_launch_file_remaps_its_topics():
    (node,) = parse_launch(LAUNCH_DIR / "memctrl.launch.xml",
                           {"observation_topic": "/imu/state", "command_topic": "/wrist/torque"})
    assert node.remaps == [("observation", "/imu/state"), ("reward", "reward"),
                           ("episode_end", "episode_end"), ("command", "/wrist/torque")]
    assert "observation:=/imu/state" in node.command()


@pytest.mark.parametrize("text, message", [
    ("<launch><group/></launch>", "unsupported element <group>"),
    ("<launch><node pkg='memctrl' exec='memctrl_node' respawn='true'/></launch>",
     "unsupported attributes respawn"),
    ("<launch><node pkg='memctrl' exec='memctrl_node'><param name='a' value='$(command ls)'/>"
     "</node></launch>", "unsupported substitution $(command ls)"),
    ("<launch><node pkg='memctrl' exec='memctrl_node'><param name='a' value='$(var b)'/>"
     "</node></launch>", "$(var b) names no declared arg"),
    ("<launch><arg name='needed'/></launch>", "launch argument 'needed' needs a value"),
    ("<launch><node pkg='other_pkg' exec='talker'/></launch>", "only memctrl nodes"),
    ("<launch><node pkg='memctrl'/></launch>", "needs the attribute 'exec'"),
    ("<launch><node", "cannot be read as a launch file"),
    ("<launch><node pkg='memctrl' exec='memctrl_node'><param name='run_dir' value=''/>"
     "</node></launch>", "parameter 'run_dir' has an empty value"),
    ("<launch><node pkg='memctrl' exec='memctrl_sim'/><node pkg='memctrl' exec='memctrl_sim'/>"
     "</launch>", "a second node named 'memctrl_sim'"),
    ("<robot/>", "root element must be <launch>"),
    ("<launch></launch>", "declares no <node>"),
    ("<launch><arg name='a' default='1'/></launch>", "declares no <node>"),
    ("<launch><node pkg='memctrl' exec='/bin/echo'/></launch>",
     "exec must be one of memctrl's nodes, memctrl_node, memctrl_sim"),
    ("<launch><node pkg='memctrl' exec='memctrl'/></launch>", "exec must be one of"),
    ("<launch><arg name='a' default='1'/><arg name='a' default='2'/>"
     "<node pkg='memctrl' exec='memctrl_sim'/></launch>", "'a' is declared twice"),
    ("<launch><arg name='a' default='HOME'/><node pkg='memctrl' exec='memctrl_node'>"
     "<param name='b' value='$(env $(var a))'/></node></launch>",
     "nested substitution $(env $(var a) is not supported"),
])
def test_what_the_reader_does_not_understand_is_refused_by_name(tmp_path, text, message):
    path = tmp_path / "bad.launch.xml"
    path.write_text(text)
    with pytest.raises(ValueError, match=r"bad\.launch\.xml") as error:
        parse_launch(path)
    assert message in str(error.value)


def test_an_override_of_no_declared_arg_is_refused():
    with pytest.raises(ValueError, match="no launch argument named env"):
        parse_launch(LAUNCH_DIR / "sim.launch.xml", {"env": "CartPole-v1"})
