"""A callback that takes the MessageInfo gets it on every executor the node can spin on."""

from __future__ import annotations

import time

import pytest
import rclpy
from rclpy.qos import QoSProfile, ReliabilityPolicy
from rclpy.signals import SignalHandlerOptions
from std_msgs.msg import Float64

from memctrl.ros.message_info import WithMessageInfo
from memctrl.ros.process import EXECUTORS

RELIABLE = QoSProfile(depth=10, reliability=ReliabilityPolicy.RELIABLE)


@pytest.mark.parametrize("executor_name", list(EXECUTORS))
def test_each_message_comes_with_its_publishers_sequence_number(executor_name):
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    node = rclpy.create_node("memctrl_test_message_info", context=context)
    executor = EXECUTORS[executor_name](context=context)
    try:
        taken: list[tuple[float, dict]] = []
        node.create_subscription(Float64, "info_probe", WithMessageInfo(
            lambda message, info: taken.append((message.data, info))), RELIABLE)
        publisher = node.create_publisher(Float64, "info_probe", RELIABLE)
        executor.add_node(node)
        deadline = time.monotonic() + 30
        while publisher.get_subscription_count() == 0 and time.monotonic() < deadline:
            executor.spin_once(timeout_sec=0.05)
        for value in (1.0, 2.0, 3.0):
            publisher.publish(Float64(data=value))
        while len(taken) < 3 and time.monotonic() < deadline:
            executor.spin_once(timeout_sec=0.05)
        assert [value for value, _ in taken] == [1.0, 2.0, 3.0]
        assert [info["publication_sequence_number"] for _, info in taken] == [1, 2, 3]
        assert len({bytes(info["publisher_gid"]["data"]) for _, info in taken}) == 1
    finally:
        executor.shutdown()
        node.destroy_node()
        rclpy.try_shutdown(context=context)


def test_both_calling_forms_reach_the_callback_alike():
    calls = []
    callback = WithMessageInfo(lambda message, info: calls.append((message, info)))
    callback("message", {"source_timestamp": 5})
    callback(("message", {"source_timestamp": 5}))
    assert calls == [("message", {"source_timestamp": 5})] * 2
