"""memctrl_node in this process, fed generated message sequences: whatever arrives, the
node answers every observation, never raises, and goes on acting and learning."""

from __future__ import annotations

import contextlib
import json
import time

import numpy as np
import pytest
import rclpy
from diagnostic_msgs.msg import DiagnosticStatus
from hypothesis import given
from hypothesis import strategies as st
from rclpy.parameter import Parameter
from rclpy.signals import SignalHandlerOptions
from std_msgs.msg import Bool, Float64, Float64MultiArray
from std_srvs.srv import Trigger

from memctrl.ros.controller_node import ControllerNode
from memctrl.ros.qos import RELIABLE

VALID = [0.01, -0.02, 0.03, 0.01]

numbers = st.floats(allow_nan=True, allow_infinity=True)
observations = st.one_of(st.lists(numbers, min_size=4, max_size=4),
                         st.lists(numbers, max_size=9))
events = st.one_of(
    st.tuples(st.just("observation"), observations),
    st.tuples(st.just("reward"), numbers),
    st.tuples(st.just("episode_end"), st.booleans()),
    st.tuples(st.just("silence"), st.none()),
)


@pytest.fixture(scope="module")
def node():
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    node = ControllerNode(context=context, parameter_overrides=[
        Parameter("env_id", value="CartPole-v1"), Parameter("watchdog_timeout_s", value=0.2)])
    assert node.bring_up()                             # autostart: configured and active
    yield node
    node.destroy_node()
    rclpy.try_shutdown(context=context)


def _silence(node: ControllerNode) -> None:
    """As if no observation had come for longer than the watchdog allows."""
    node._last_observation_s -= node.params["watchdog_timeout_s"]
    node._on_watchdog()


@given(st.lists(events, max_size=25))
def test_any_message_sequence_is_answered_and_the_node_keeps_learning(node, sequence):
    counts = node.counts
    _silence(node)                                      # no episode running
    running = False
    for kind, value in sequence:
        answered = counts["commands_sent"] + counts["observations_rejected"]
        if kind == "observation":
            sent = counts["commands_sent"]
            node._on_observation(Float64MultiArray(data=value))
            assert counts["commands_sent"] + counts["observations_rejected"] == answered + 1
            running = running or counts["commands_sent"] > sent
        elif kind == "reward":
            node._on_reward(Float64(data=value))
        elif kind == "episode_end":
            ended = counts["episodes"]
            node._on_episode_end(Bool(data=value))
            assert counts["episodes"] - ended == running   # nothing ran: nothing ended
            running = False
        else:
            _silence(node)
            running = False
    weights = _learned(node)
    assert all(np.all(np.isfinite(array)) for array in weights)
    for reward in (-1.0, 5.0, -5.0):                   # acting and learning again (a
        sent = counts["commands_sent"]                  # constant reward teaches nothing)
        node._on_observation(Float64MultiArray(data=VALID))
        node._on_reward(Float64(data=reward))
        assert counts["commands_sent"] == sent + 1
    node._on_observation(Float64MultiArray(data=VALID))
    assert node.controller.last_delta is not None and np.isfinite(node.controller.last_delta)
    assert any(not np.array_equal(before, after) for before, after in zip(weights, _learned(node)))


def test_a_reward_before_an_ignored_episode_end_is_not_carried_into_the_next(node):
    _silence(node)
    node._on_observation(Float64MultiArray(data=VALID))
    node._on_reward(Float64(data=1.0))
    node._on_episode_end(Bool(data=True))
    ignored = node.counts["episode_ends_ignored"]
    node._on_reward(Float64(data=100.0))                 # a stray reward and end: no episode
    node._on_episode_end(Bool(data=True))
    assert node.counts["episode_ends_ignored"] == ignored + 1
    node._on_observation(Float64MultiArray(data=VALID))
    node._on_reward(Float64(data=1.0))
    assert node.episodes.episode_return == 1.0


def test_a_reward_while_no_episode_runs_is_counted_and_kept_out_of_the_next_return(node):
    """A source that sends a step's episode end before its reward, or a reward between
    episodes: the driver would drop it unlearned, so the metrics row must not count it."""
    _silence(node)
    node._on_observation(Float64MultiArray(data=VALID))
    node._on_episode_end(Bool(data=True))
    ignored = node.counts["rewards_ignored"]
    node._on_reward(Float64(data=50.0))                  # after its episode's end
    assert node.counts["rewards_ignored"] == ignored + 1
    node._on_observation(Float64MultiArray(data=VALID))
    node._on_reward(Float64(data=1.0))
    assert node.episodes.episode_return == 1.0


def _learned(node: ControllerNode) -> list[np.ndarray]:
    """Copies of every crossbar's conductances and pending (not yet programmed) changes."""
    return [np.array(array) for net in node.controller.networks
            for array in (*net.input_conductances(), net.pending_updates()[0])]


@pytest.fixture(scope="module")
def lockstep_node():
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    node = ControllerNode(context=context, parameter_overrides=[
        Parameter("env_id", value="CartPole-v1"), Parameter("control_mode", value="lockstep")])
    assert node.bring_up()
    yield node
    node.destroy_node()
    rclpy.try_shutdown(context=context)


lockstep_events = st.lists(st.sampled_from(["observation", "reward", "episode_end"]),
                           max_size=30)


@given(lockstep_events)
def test_in_lockstep_an_observation_before_the_last_commands_reward_is_not_ticked_on(
        lockstep_node, sequence):
    """A lock-step source steps once per command and sends the reward first: an
    observation while the reward is awaited is a re-send (or came ahead of its reward)
    and must not reach the controller, whatever the order the messages come in."""
    node, counts = lockstep_node, lockstep_node.counts
    assert node.watchdog_timer.is_canceled()           # silence is waiting, not a stop
    node._on_episode_end(Bool(data=False))             # start from a clean episode
    awaiting = False
    for kind in sequence:
        sent, ignored = counts["commands_sent"], counts["observations_before_reward"]
        steps = node.controller.steps
        if kind == "observation":
            node._on_observation(Float64MultiArray(data=VALID))
            assert counts["commands_sent"] - sent == (not awaiting)
            assert counts["observations_before_reward"] - ignored == awaiting
            assert node.controller.steps - steps == (not awaiting)
            awaiting = True
        elif kind == "reward":
            node._on_reward(Float64(data=1.0))
            awaiting = False
        else:
            node._on_episode_end(Bool(data=True))
            awaiting = False


def test_in_lockstep_a_restarted_source_is_followed_not_waited_for(lockstep_node):
    """The source stopped after hearing a command (its reward never comes) and a new one
    started: its first observation ends the episode unlearned and is ticked on."""
    node, counts = lockstep_node, lockstep_node.counts
    node._on_episode_end(Bool(data=False))
    old, new = ({"source_timestamp": 0, "publication_sequence_number": None,
                 "publisher_gid": {"implementation_identifier": "x", "data": bytes([k]) * 24}}
                for k in (7, 8))
    node._on_observation(Float64MultiArray(data=VALID), old)
    node._on_reward(Float64(data=1.0), old)
    node._on_observation(Float64MultiArray(data=VALID), old)
    sent, changes, steps = counts["commands_sent"], counts["source_changes"], node.episodes.length
    assert steps == 2
    node._on_observation(Float64MultiArray(data=VALID), old)        # a re-send: waited for
    assert counts["commands_sent"] == sent
    node._on_observation(Float64MultiArray(data=VALID), new)        # the restarted source
    assert counts["commands_sent"] == sent + 1 and counts["source_changes"] == changes + 1
    assert node.episodes.length == 1                                 # a new episode's first


@contextlib.contextmanager
def _running_node(**parameters):
    """A ControllerNode for CartPole-v1 with ``parameters``, configured and active."""
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    node = ControllerNode(context=context, parameter_overrides=[
        Parameter(name, value=value)
        for name, value in {"env_id": "CartPole-v1", **parameters}.items()])
    try:
        assert node.bring_up()
        yield node
    finally:
        node.destroy_node()
        rclpy.try_shutdown(context=context)


def test_on_a_timer_an_observation_replaced_before_the_tick_is_counted_skipped():
    with _running_node(control_mode="timer") as node:
        for _ in range(3):
            node._on_observation(Float64MultiArray(data=VALID))
        node._on_timer()
        node._on_timer()                                # nothing new: no tick
        assert node.counts["observations_skipped"] == 2
        assert node.counts["commands_sent"] == 1


def test_on_a_timer_observations_no_tick_takes_trip_the_watchdog():
    """Simulated time stopped (no /clock) while the sensor goes on: observations come, no
    timer tick answers them, and the last command must not be held for ever."""
    with _running_node(control_mode="timer") as node:
        node._on_observation(Float64MultiArray(data=VALID))
        node._on_timer()
        node._last_observation_s -= (node.params["watchdog_timeout_s"]   # time passes ...
                                     + 1.0 / node.params["control_rate_hz"])
        node._on_observation(Float64MultiArray(data=VALID))            # ... and no tick
        node._on_watchdog()
        assert node.counts["watchdog_trips"] == 1 and node._watchdog_tripped
        node._on_observation(Float64MultiArray(data=VALID))
        node._on_timer()                                # ticks again: answered, no longer silent
        assert not node._watchdog_tripped and node.counts["commands_sent"] == 2


def test_on_a_slow_timer_an_observation_waiting_for_its_tick_is_not_silence():
    """At 1 Hz a tick answers an observation up to a second after it came: a watchdog of
    0.5 s must not trip between two ticks (it would end every episode unlearned)."""
    with _running_node(control_mode="timer", control_rate_hz=1.0,
                       watchdog_timeout_s=0.5) as node:
        node._on_observation(Float64MultiArray(data=VALID))
        node._on_timer()
        node._last_observation_s -= 0.9                 # most of a tick period later
        node._on_observation(Float64MultiArray(data=VALID))
        node._on_watchdog()
        assert node.counts["watchdog_trips"] == 0


def test_an_episode_row_the_run_dir_cannot_take_is_counted_and_the_node_goes_on(tmp_path):
    run_dir = tmp_path / "run"
    with _running_node(run_dir=str(run_dir)) as node:
        (run_dir / "metrics.jsonl").mkdir()     # the row cannot be appended (as on a full disk)
        for _ in range(2):
            node._on_observation(Float64MultiArray(data=VALID))
            node._on_reward(Float64(data=1.0))
        node._on_episode_end(Bool(data=True))
        assert node.counts["episodes"] == 1 and node.counts["episode_rows_lost"] == 1
        (run_dir / "metrics.jsonl").rmdir()
        sent = node.counts["commands_sent"]
        node._on_observation(Float64MultiArray(data=VALID))
        node._on_reward(Float64(data=2.0))
        node._on_episode_end(Bool(data=True))
        assert node.counts["commands_sent"] == sent + 1
        rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
        assert [(row["episode"], row["return"]) for row in rows] == [(1, 2.0)]


def test_a_checkpoint_save_that_fails_is_told_and_shows_in_the_diagnostics(tmp_path):
    run_dir = tmp_path / "run"
    with _running_node(run_dir=str(run_dir)) as node:
        node._on_observation(Float64MultiArray(data=VALID))
        (run_dir / "controller.npz").mkdir()    # cannot be replaced (as on a full disk)
        response = node._on_save(Trigger.Request(), Trigger.Response())
        assert not response.success and node.counts["saves_failed"] == 1
        status = node.window.status("n", node.stats, node.counts, False, True, None)
        assert status.level == DiagnosticStatus.WARN and "1 checkpoint saves failed" in (
            status.message)
        (run_dir / "controller.npz").rmdir()
        assert node._on_save(Trigger.Request(), Trigger.Response()).success


@pytest.fixture(scope="module")
def state_node():
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    node = ControllerNode(context=context, parameter_overrides=[
        Parameter("env_id", value="FrozenLake-v1")])
    assert node.bring_up()
    yield node
    node.destroy_node()
    rclpy.try_shutdown(context=context)


@given(st.lists(st.one_of(st.integers(-3, 20).map(float), numbers), max_size=20))
def test_a_discrete_observation_node_acts_on_states_and_rejects_other_numbers(
        state_node, values):
    """FrozenLake-v1 has 16 states: an observation is one whole number from 0 to 15;
    any other number is rejected with the node's count, and the node goes on."""
    counts = state_node.counts
    for value in values:
        sent, rejected = counts["commands_sent"], counts["observations_rejected"]
        state_node._on_observation(Float64MultiArray(data=[value]))
        is_state = np.isfinite(value) and value == int(value) and 0 <= value < 16
        assert (counts["commands_sent"] - sent, counts["observations_rejected"] - rejected) == (
            (1, 0) if is_state else (0, 1))
        state_node._on_reward(Float64(data=1.0 if value == 15 else 0.0))
    assert all(np.all(np.isfinite(array)) for array in _learned(state_node))


def test_in_lockstep_a_command_that_went_out_unheard_is_sent_again_once_a_reader_matches():
    """At start-up a command can go out before the source's reader has matched (a
    reliable message reaches only matched readers): the source sends its observation
    again and would wait for ever. The node publishes that command again, once, without
    a new tick; a command that had a reader is never sent twice."""
    from rclpy.executors import SingleThreadedExecutor
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    node = ControllerNode(context=context, parameter_overrides=[
        Parameter("env_id", value="CartPole-v1"), Parameter("control_mode", value="lockstep")])
    listener = rclpy.create_node("listener", context=context)
    executor = SingleThreadedExecutor(context=context)
    try:
        assert node.bring_up()
        node._on_observation(Float64MultiArray(data=VALID))      # no reader: unheard
        steps, counts = node.controller.steps, node.counts
        commands = []
        listener.create_subscription(Float64MultiArray, "command", commands.append,
                                     RELIABLE)
        executor.add_node(listener)
        deadline = time.monotonic() + 30
        while node.command_pub.get_subscription_count() == 0:
            assert time.monotonic() < deadline, "the listener never matched"
            executor.spin_once(timeout_sec=0.05)
        for _ in range(3):                                       # the source's re-sends
            node._on_observation(Float64MultiArray(data=VALID))
        while not commands and time.monotonic() < deadline:
            executor.spin_once(timeout_sec=0.05)
        assert counts["commands_resent"] == 1 and len(commands) == 1
        assert node.controller.steps == steps and counts["commands_sent"] == 1
        node._on_reward(Float64(data=1.0))                       # the source stepped
        node._on_observation(Float64MultiArray(data=VALID))      # heard this time
        node._on_observation(Float64MultiArray(data=VALID))      # a re-send: ignored
        assert counts["commands_resent"] == 1 and counts["commands_sent"] == 2
    finally:
        executor.shutdown()
        listener.destroy_node()
        node.destroy_node()
        rclpy.try_shutdown(context=context)
