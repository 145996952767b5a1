"""Real DDS, real processes: a test-side ROS 2 node that watches and drives the nodes.

Every test here runs in the domain ``tests/conftest.py`` chose for this test run,
with discovery kept on this machine.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import rclpy
from rclpy.executors import SingleThreadedExecutor
from rclpy.qos import QoSProfile, ReliabilityPolicy
from rclpy.signals import SignalHandlerOptions

from memctrl.ros.launch_file import package_share, parse_launch
from memctrl.ros.launcher import Launch
from memctrl.ros.parameters import ParamSpec, unset_values

RECORD_QOS = QoSProfile(depth=1000, reliability=ReliabilityPolicy.RELIABLE)
LAUNCH_DIR = package_share() / "launch"


class Probe:
    """A test node with an executor: subscribe, publish, call services, wait for things."""

    def __init__(self, context: rclpy.Context) -> None:
        self.node = rclpy.create_node("memctrl_test_probe", context=context)
        self.executor = SingleThreadedExecutor(context=context)
        self.executor.add_node(self.node)

    def record(self, message_type, topic: str, qos=RECORD_QOS) -> list:
        """Subscribe to ``topic``; the returned list fills as messages arrive."""
        received: list = []
        self.node.create_subscription(message_type, topic, received.append, qos)
        return received

    def spin_until(self, condition, timeout_s: float, what: str) -> None:
        """Spin until ``condition()`` holds; fail naming ``what`` after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
            self.executor.spin_once(timeout_sec=0.05)

    def spin_for(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.executor.spin_once(timeout_sec=0.05)

    def call(self, service_type, name: str, request, timeout_s: float = 10.0):
        """Call a service and return its response."""
        client = self.node.create_client(service_type, name)
        self.spin_until(client.service_is_ready, timeout_s, f"service {name}")
        future = client.call_async(request)
        self.spin_until(future.done, timeout_s, f"the response of {name}")
        return future.result()


@pytest.fixture
def probe():
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    probe = Probe(context)
    yield probe
    probe.executor.shutdown()
    probe.node.destroy_node()
    rclpy.try_shutdown(context=context)


@pytest.fixture
def launched():
    """Start launch-file nodes: ``launched(nodes, log_dir)``; all are stopped at the end."""
    launches: list[Launch] = []

    def start(nodes, log_dir: Path) -> Launch:
        launch = Launch(nodes, log_dir=log_dir)
        launches.append(launch)
        launch.start()
        return launch

    yield start
    for launch in launches:
        launch.stop()


def sim_nodes(**args: str):
    """The nodes of ``launch/sim.launch.xml`` with these launch arguments (sim first)."""
    return parse_launch(LAUNCH_DIR / "sim.launch.xml", args)


def declared_defaults(specs: tuple[ParamSpec, ...]) -> dict:
    """The parameters of ``specs`` that have a default, with it: what a shipped parameter
    file of the defaults holds (optional ones, None when unset, are left out)."""
    return {name: value for name, value in unset_values(specs).items() if value is not None}
