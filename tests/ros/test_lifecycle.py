"""memctrl_node's lifecycle, driven over DDS through its lifecycle services as a manager does."""

from __future__ import annotations

import time

import numpy as np
import yaml
from lifecycle_msgs.msg import State, Transition
from lifecycle_msgs.srv import ChangeState, GetState
from diagnostic_msgs.msg import DiagnosticArray
from rclpy.qos import qos_profile_sensor_data
from std_msgs.msg import Float64, Float64MultiArray
from std_srvs.srv import Trigger

from memctrl import SpikingController
from memctrl.ros.launch_file import parse_launch
from memctrl.run_dir import make_env

from .conftest import LAUNCH_DIR

VALID = [0.01, -0.02, 0.03, 0.01]
T = Transition
NO_TRANSITION = 255


class Managed:
    """The node started from launch/memctrl.launch.xml, with the test as its manager and robot."""

    def __init__(self, probe, launched, tmp_path, autostart: bool, **params) -> None:
        self.probe = probe
        self.run_dir = tmp_path / "run"
        params = dict(env_id="CartPole-v1", run_dir=str(self.run_dir),
                      watchdog_timeout_s=30.0, **params)
        params_file = tmp_path / "node.yaml"
        params_file.write_text(yaml.safe_dump({"memctrl_node": {"ros__parameters": params}}))
        nodes = parse_launch(LAUNCH_DIR / "memctrl.launch.xml",
                             {"params_file": str(params_file),
                              "autostart": "true" if autostart else "false"})
        self.log = tmp_path / "logs" / "memctrl_node.log"
        self.launch = launched(nodes, tmp_path / "logs")
        self.commands = probe.record(Float64MultiArray, "command")
        self.diagnostics = probe.record(DiagnosticArray, "/diagnostics")
        self.command_subscription = list(probe.node.subscriptions)[-1]
        self.observation = probe.node.create_publisher(Float64MultiArray, "observation",
                                                       qos_profile_sensor_data)
        self.reward = probe.node.create_publisher(Float64, "reward", 10)
        self.get_state = probe.node.create_client(GetState, "/memctrl_node/get_state")
        self.change_state = probe.node.create_client(ChangeState, "/memctrl_node/change_state")
        # A service's answer can be lost while its response path is still being matched
        # (a DDS start-up race), and a transition must not be asked twice: first ask what
        # can be asked again, the state and a transition that no state has, until each
        # client has had an answer.
        for client, request in ((self.get_state, GetState.Request()),
                                (self.change_state, ChangeState.Request(
                                    transition=Transition(id=NO_TRANSITION)))):
            probe.spin_until(lambda: self._answer(client, request, 2.0) is not None, 60,
                             f"an answer of {client.srv_name}")

    def _answer(self, client, request, timeout_s: float = 10.0):
        self.probe.spin_until(client.service_is_ready, 30, f"service {client.srv_name}")
        future = client.call_async(request)
        deadline = time.monotonic() + timeout_s
        while not future.done() and time.monotonic() < deadline:
            self.probe.executor.spin_once(timeout_sec=0.05)
        return future.result() if future.done() else None

    def state(self) -> int:
        response = self._answer(self.get_state, GetState.Request())
        assert response is not None, "no answer from get_state"
        return response.current_state.id

    def change(self, transition: int) -> bool:
        response = self._answer(self.change_state,
                                ChangeState.Request(transition=Transition(id=transition)))
        assert response is not None, f"no answer to transition {transition}"
        return response.success

    def wait_until_subscribed(self) -> None:
        self.probe.spin_until(lambda: self.observation.get_subscription_count() > 0
                              and self.reward.get_subscription_count() > 0
                              and self.command_subscription.get_publisher_count() > 0, 30,
                              "the node's topics")

    def send(self, values=VALID) -> Float64MultiArray:
        """Send an observation until a command answers (best effort: the first may be
        lost while the node matches our publisher)."""
        before = len(self.commands)
        self.probe.spin_until(lambda: self.observation.publish(
            Float64MultiArray(data=list(values))) or self.probe.spin_for(0.2)
            or len(self.commands) > before, 30, "a command")
        return self.commands[-1]

    def saved_learning_state(self) -> tuple[list[np.ndarray], dict]:
        response = self.probe.call(Trigger, "/memctrl_node/save_checkpoint", Trigger.Request())
        assert response.success, response.message
        controller = SpikingController.load(self.run_dir / "controller.npz")
        weights = [array.copy() for net in controller.networks
                   for array in net.input_conductances()]
        return weights, controller.rule.state()


def _same(first, second) -> bool:
    (weights, rule), (other_weights, other_rule) = first, second
    return rule == other_rule and all(np.array_equal(a, b)
                                      for a, b in zip(weights, other_weights))


def test_every_transition_and_no_command_unless_active(probe, launched, tmp_path):
    node = Managed(probe, launched, tmp_path, autostart=False)
    assert node.state() == State.PRIMARY_STATE_UNCONFIGURED
    assert not node.change(T.TRANSITION_ACTIVATE)                 # refused: not configured
    assert node.state() == State.PRIMARY_STATE_UNCONFIGURED

    assert node.change(T.TRANSITION_CONFIGURE)
    assert node.state() == State.PRIMARY_STATE_INACTIVE
    assert not node.change(T.TRANSITION_CONFIGURE)                # refused: configured
    node.wait_until_subscribed()
    for _ in range(5):                                            # inactive: no command
        node.observation.publish(Float64MultiArray(data=VALID))
        probe.spin_for(0.2)
    assert node.commands == []

    assert node.change(T.TRANSITION_ACTIVATE)
    assert node.state() == State.PRIMARY_STATE_ACTIVE
    assert len(node.send().data) == 1
    assert not node.change(T.TRANSITION_CLEANUP)                  # refused: active
    assert node.state() == State.PRIMARY_STATE_ACTIVE

    assert node.change(T.TRANSITION_DEACTIVATE)
    probe.spin_until(lambda: list(node.commands[-1].data) == [], 5, "the safe command")
    assert node.state() == State.PRIMARY_STATE_INACTIVE
    probe.spin_until(lambda: any(array.status[0].message == "inactive" and {
        item.key: item.value for item in array.status[0].values}["lifecycle_state"]
        == "inactive" for array in node.diagnostics), 5, "diagnostics saying inactive")
    sent = len(node.commands)
    for _ in range(3):
        node.observation.publish(Float64MultiArray(data=VALID))
        probe.spin_for(0.2)
    assert len(node.commands) == sent

    assert node.change(T.TRANSITION_CLEANUP)                      # saves, then forgets
    assert node.state() == State.PRIMARY_STATE_UNCONFIGURED
    assert SpikingController.load(node.run_dir / "controller.npz").steps == 1
    assert node.change(T.TRANSITION_CONFIGURE)                    # from the saved run
    assert node.change(T.TRANSITION_ACTIVATE)
    node.wait_until_subscribed()
    assert len(node.send().data) == 1

    assert node.change(T.TRANSITION_ACTIVE_SHUTDOWN)
    probe.spin_until(lambda: list(node.commands[-1].data) == [], 5, "the safe command")
    assert node.state() == State.PRIMARY_STATE_FINALIZED
    assert not node.change(T.TRANSITION_CONFIGURE)                # refused: finalized
    assert SpikingController.load(node.run_dir / "controller.npz").steps == 2
    assert node.launch.stop(wait=probe.spin_for) == {"memctrl_node": 0}


def test_learning_state_is_kept_across_deactivate_and_activate(probe, launched, tmp_path):
    node = Managed(probe, launched, tmp_path, autostart=True)     # the launch file's default
    assert node.state() == State.PRIMARY_STATE_ACTIVE
    node.wait_until_subscribed()
    for _ in range(5):
        node.send()
        node.reward.publish(Float64(data=-1.0))
    node.send()
    node.reward.publish(Float64(data=-1.0))                       # pending: not learned yet
    probe.spin_for(0.3)
    before = node.saved_learning_state()

    assert node.change(T.TRANSITION_DEACTIVATE)
    assert node.change(T.TRANSITION_ACTIVATE)
    assert _same(before, node.saved_learning_state())

    for _ in range(5):                                            # and it learns on
        node.send()
        node.reward.publish(Float64(data=-1.0))
    node.send()
    assert not _same(before, node.saved_learning_state())


def test_a_failed_configure_leaves_the_node_unconfigured_until_it_can(probe, launched,
                                                                      tmp_path):
    checkpoint = tmp_path / "later" / "controller.npz"
    node = Managed(probe, launched, tmp_path, autostart=False, checkpoint=str(checkpoint))
    assert not node.change(T.TRANSITION_CONFIGURE)
    assert node.state() == State.PRIMARY_STATE_UNCONFIGURED
    probe.spin_until(lambda: "configure failed" in node.log.read_text(), 5, "the reason")
    assert str(checkpoint) in node.log.read_text()
    assert not node.change(T.TRANSITION_ACTIVATE)

    env = make_env("CartPole-v1")
    SpikingController(env.observation_space, env.action_space, seed=1).save(checkpoint)
    assert node.change(T.TRANSITION_CONFIGURE)
    assert node.state() == State.PRIMARY_STATE_INACTIVE
    assert node.launch.exited() == {}


def test_transitions_that_do_not_start_from_unconfigured_are_refused(probe, launched,
                                                                     tmp_path):
    node = Managed(probe, launched, tmp_path, autostart=False)
    for transition in (T.TRANSITION_DEACTIVATE, T.TRANSITION_CLEANUP,
                       T.TRANSITION_INACTIVE_SHUTDOWN, NO_TRANSITION):
        assert not node.change(transition), transition
        assert node.state() == State.PRIMARY_STATE_UNCONFIGURED
    assert node.launch.exited() == {}
