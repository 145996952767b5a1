"""memctrl_node's run directory at configure: what an interrupted save left is cleared; a
run of another command, one another process holds, or a directory the node could not save
into, is refused."""

from __future__ import annotations

import json

import gymnasium
import pytest
import rclpy
from rclpy.lifecycle import TransitionCallbackReturn
from rclpy.parameter import Parameter
from rclpy.signals import SignalHandlerOptions

from memctrl.controller import SpikingController
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
    assert sorted(path.name for path in run_dir.iterdir()) == [".memctrl.lock", "notes.tmp"]


def _configure(run_dir: str) -> TransitionCallbackReturn:
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    try:
        node = ControllerNode(context=context, parameter_overrides=[
            Parameter("env_id", value="CartPole-v1"), Parameter("run_dir", value=run_dir)])
        result = node.trigger_configure()
        node.destroy_node()
        return result
    finally:
        rclpy.try_shutdown(context=context)


@pytest.mark.parametrize("source", ["train", "bench", "", None])
def test_the_node_refuses_a_run_dir_holding_another_commands_run_and_leaves_it(tmp_path,
                                                                                source):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    SpikingController.for_env(gymnasium.make("CartPole-v1")).save(run_dir / "controller.npz")
    (run_dir / "run.json").write_text(json.dumps({"source": source}))
    (run_dir / "metrics.jsonl").write_text('{"episode": 0}\n')
    files = {path.name: path.read_bytes() for path in run_dir.iterdir()}
    assert _configure(str(run_dir)) != TransitionCallbackReturn.SUCCESS
    assert {path.name: path.read_bytes() for path in run_dir.iterdir()} == files


@pytest.mark.parametrize("make_record", [
    lambda path: path.mkdir(),                                  # a directory
    lambda path: path.write_bytes(b'{"source": "memctrl_no'),   # torn
    lambda path: path.write_bytes(b"\xff\xfe garbage"),        # not text
])
def test_the_node_refuses_a_run_dir_whose_run_record_cannot_be_read(tmp_path, make_record):
    """Not a run the node can tell it made (a directory named run.json passed, and the run
    went on until its save at shutdown failed)."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    make_record(run_dir / "run.json")
    assert _configure(str(run_dir)) != TransitionCallbackReturn.SUCCESS
    assert [path.name for path in run_dir.iterdir()] == ["run.json"]


def test_the_node_refuses_a_train_run_before_its_first_run_record(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    SpikingController.for_env(gymnasium.make("CartPole-v1")).save(run_dir / "controller.npz")
    (run_dir / "state.json").write_text('{"episodes_done": 0}')
    files = {path.name: path.read_bytes() for path in run_dir.iterdir()}
    assert _configure(str(run_dir)) != TransitionCallbackReturn.SUCCESS
    assert {path.name: path.read_bytes() for path in run_dir.iterdir()} == files


@pytest.mark.parametrize("make_path", [
    lambda tmp: tmp / "a_file",                      # a file where the directory should be
    lambda tmp: tmp / "a_file" / "run",              # below a file: cannot be made
])
def test_the_node_refuses_a_run_dir_it_could_not_save_into_at_configure(tmp_path, make_path):
    (tmp_path / "a_file").write_text("not a directory")
    assert _configure(str(make_path(tmp_path))) != TransitionCallbackReturn.SUCCESS
    assert (tmp_path / "a_file").read_text() == "not a directory"


def test_a_configure_refused_after_the_run_dir_check_leaves_no_new_directory(tmp_path):
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(b"PK\x03\x04 not a checkpoint")
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    try:
        node = ControllerNode(context=context, parameter_overrides=[
            Parameter("checkpoint", value=str(corrupt)),
            Parameter("run_dir", value=str(tmp_path / "new" / "run"))])
        assert node.trigger_configure() != TransitionCallbackReturn.SUCCESS
        node.destroy_node()
    finally:
        rclpy.try_shutdown(context=context)
    assert not (tmp_path / "new").exists()


def test_the_node_carries_on_its_own_run_and_makes_a_new_run_dir(tmp_path):
    own = tmp_path / "own"
    own.mkdir()
    (own / "run.json").write_text(json.dumps({"source": "memctrl_node"}))
    assert _configure(str(own)) == TransitionCallbackReturn.SUCCESS
    assert _configure(str(tmp_path / "new" / "run")) == TransitionCallbackReturn.SUCCESS
    assert (tmp_path / "new" / "run").is_dir()


def test_a_second_node_on_a_run_dir_another_node_holds_is_refused(tmp_path):
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    try:
        first = ControllerNode(context=context, parameter_overrides=[
            Parameter("env_id", value="CartPole-v1"), Parameter("run_dir", value=str(tmp_path))])
        assert first.trigger_configure() == TransitionCallbackReturn.SUCCESS
        assert _configure(str(tmp_path)) != TransitionCallbackReturn.SUCCESS
        first.trigger_cleanup()                         # lets the run go
        first.destroy_node()
    finally:
        rclpy.try_shutdown(context=context)
    assert _configure(str(tmp_path)) == TransitionCallbackReturn.SUCCESS
