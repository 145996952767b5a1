"""The simulation bridge and the controller node in two processes over DDS."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from sensor_msgs.msg import JointState
from std_msgs.msg import Float64, Float64MultiArray

from memctrl import SpikingController
from memctrl.ros.qos import EPISODE_RETURNS
from memctrl.training.callbacks import Callback
from memctrl.training.loop import run_episodes
from memctrl.run_dir import make_env

from .conftest import sim_nodes

PARITY_TICKS = 200


def test_episodes_complete_over_dds_and_the_node_saves_its_run(probe, launched, tmp_path):
    returns = probe.record(Float64, "episode_return", EPISODE_RETURNS)
    run_dir = tmp_path / "run"
    launch = launched(sim_nodes(max_episodes="3", run_dir=str(run_dir)), tmp_path / "logs")
    metrics = run_dir / "metrics.jsonl"
    probe.spin_until(lambda: len(returns) >= 3, 60, "three episode returns")
    probe.spin_until(lambda: len(metrics.read_text().splitlines()) >= 3, 10,
                     "the node's metrics of three episodes")
    statuses = launch.stop(wait=probe.spin_for)

    assert statuses == {"memctrl_sim": 0, "memctrl_node": 0}
    rows = [json.loads(line) for line in metrics.read_text().splitlines()]
    assert [row["return"] for row in rows] == [message.data for message in returns[:3]]
    assert all(row["length"] == row["return"] > 0 for row in rows)   # CartPole: +1 per step
    record = json.loads((run_dir / "run.json").read_text())
    assert record["source"] == "memctrl_node"
    assert record["ticks"] == sum(row["length"] for row in rows)
    assert record["messages"]["commands_sent"] == record["ticks"]
    assert record["messages"]["episodes"] == 3
    assert SpikingController.load(run_dir / "controller.npz").steps == record["ticks"]


class _RecordActions(Callback):
    def __init__(self, ticks: int) -> None:
        self.ticks, self.actions = ticks, []

    def on_step(self, context) -> bool:
        self.actions.append(int(context.action))
        return len(self.actions) < self.ticks


# The Float64MultiArray path, and a topic-based ros2_control robot's: JointState both ways
# (CartPole's x, x', theta, theta' as the cart's and the pole's position and velocity;
# the action, an index, as the cart's effort).
MESSAGE_PATHS = {
    "float64_multi_array": ({}, {}, Float64MultiArray, lambda message: message.data),
    "joint_state": ({"observation_type": "joint_state", "joint_state_fields": "position_velocity",
                     "command_type": "joint_state", "command_joint_names": ["cart"],
                     "command_interface": "effort"},
                    {"message_type": "joint_state", "joint_names": ["cart", "pole"],
                     "command_joint_names": ["cart"], "command_interface": "effort"},
                    JointState, lambda message: message.effort),
}


@pytest.mark.parametrize("path", MESSAGE_PATHS)
def test_the_ros_path_and_the_gymnasium_path_act_alike(probe, launched, tmp_path, path):
    """Same seed, same episodes: the first 200 commands over DDS are the gymnasium
    loop's first 200 actions (learning on in both), whichever messages carry them."""
    node_settings, sim_settings, command_type, values = MESSAGE_PATHS[path]
    env = make_env("CartPole-v1")
    controller = SpikingController(env.observation_space, env.action_space, seed=3)
    gym = _RecordActions(PARITY_TICKS)
    run_episodes(env, controller, 1000, callbacks=[gym], seed=3)

    commands = probe.record(command_type, "command")
    # A stall of the shared machine must not trip the watchdog or re-send an observation
    # the node is still working on: either would change the episodes the paths see.
    node_params, sim_params = tmp_path / "node.yaml", tmp_path / "sim.yaml"
    node_params.write_text(yaml.safe_dump(
        {"memctrl_node": {"ros__parameters": {"watchdog_timeout_s": 60.0, **node_settings}}}))
    sim_params.write_text(yaml.safe_dump(
        {"memctrl_sim": {"ros__parameters": {"command_timeout_s": 5.0, **sim_settings}}}))
    sim, node = sim_nodes(seed="3", run_dir=str(tmp_path / "run"),
                          params_file=str(node_params), sim_params_file=str(sim_params))
    launched([node], tmp_path / "logs")
    subscription = list(probe.node.subscriptions)[-1]
    probe.spin_until(lambda: subscription.get_publisher_count() > 0, 30,
                     "the node's command publisher")
    launched([sim], tmp_path / "logs")
    # Empty commands are the node's safe command (its watchdog, before the sim starts).
    probe.spin_until(lambda: len([m for m in commands if values(m)]) >= PARITY_TICKS, 60,
                     f"{PARITY_TICKS} commands")

    ros = [int(values(message)[0]) for message in commands if values(message)][:PARITY_TICKS]
    assert ros == gym.actions
    assert 0 < sum(ros) < PARITY_TICKS        # both actions occur: the comparison has teeth


def _episode_ends(log_text: str) -> list[tuple[float, float]]:
    """(ROS time stamp, s; return) of every "episode N: return R" line of the sim's log:
    the sim's own clock, not when a starved test process got round to the messages."""
    return [(float(stamp), float(value)) for stamp, value in re.findall(
        r"\[INFO\] \[([0-9.]+)\] \[memctrl_sim\]: episode \d+: return ([0-9.e+-]+)",
        log_text)]


def test_the_sim_steps_on_time_at_a_set_rate(probe, launched, tmp_path):
    """At rate_hz the world steps on its own clock, holding the last command."""
    returns = probe.record(Float64, "episode_return", EPISODE_RETURNS)
    launched(sim_nodes(max_episodes="3", rate_hz="200", control_mode="on_observation",
                       control_rate_hz="200",
                       run_dir=str(tmp_path / "run")),
             tmp_path / "logs")
    probe.spin_until(lambda: len(returns) >= 3, 60, "three episodes at 200 Hz")
    log = tmp_path / "logs" / "memctrl_sim.log"
    probe.spin_until(lambda: len(_episode_ends(log.read_text())) >= 3, 10, "the sim's log")
    (t1, _), (_, steps_2), (t3, steps_3) = _episode_ends(log.read_text())[:3]
    # CartPole: +1 per step. Episodes 2 and 3 took their steps no faster than 200 per
    # second on the sim's clock (lock-step runs about three times faster); a loaded
    # machine may make them slower, so the other bound is loose.
    on_time = (steps_2 + steps_3) / 200.0
    assert 0.9 * on_time <= t3 - t1 <= 10 * on_time + 1.0
