"""memctrl_node's run directory at configure: what an interrupted save left is cleared."""

from __future__ import annotations

import rclpy
from rclpy.lifecycle import TransitionCallbackReturn
from rclpy.parameter import Parameter
from rclpy.signals import SignalHandlerOptions

from memctrl.ros.controller_node import ControllerNode


def test_a_node_configured_in_its_run_dir_removes_stale_temporaries_only(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / ".controller.npz.a1b2c3d4.tmp").write_bytes(b"PK\x03\x04 half written")
    (run_dir / "notes.tmp").write_text("not ours")
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    try:
        node = ControllerNode(context=context, parameter_overrides=[
            Parameter("env_id", value="CartPole-v1"),
            Parameter("run_dir", value=str(run_dir))])
        assert len(list(run_dir.iterdir())) == 2   # nothing removed before configure
        assert node.trigger_configure() == TransitionCallbackReturn.SUCCESS
        node.destroy_node()
    finally:
        rclpy.try_shutdown(context=context)
    assert [path.name for path in run_dir.iterdir()] == ["notes.tmp"]
