"""memctrl_node alone, started from launch/memctrl.launch.xml, driven by the test as a robot."""

from __future__ import annotations

import json
import math
import os
import re
import signal
import subprocess
import time

import numpy as np
import pytest
import yaml
from diagnostic_msgs.msg import DiagnosticArray, DiagnosticStatus
from rcl_interfaces.srv import SetParameters
from rclpy.event_handler import PublisherEventCallbacks
from rclpy.experimental import EventsExecutor
from rclpy.parameter import Parameter
from rclpy.qos import qos_profile_sensor_data
from std_msgs.msg import Bool, Float64, Float64MultiArray
from std_srvs.srv import SetBool, Trigger

from memctrl import SpikingController
from memctrl.ros.launch_file import parse_launch
from memctrl.ros.parameters import NODE_PARAMETERS
from memctrl.ros.process import EXECUTOR_VARIABLE, EXECUTORS, executor_name

from .conftest import LAUNCH_DIR, declared_defaults

VALID = [0.01, -0.02, 0.03, 0.01]
BURST = 20
"""Observations sent while the node is stopped: more than its queue keeps (5)."""
FOLLOW_UP_S = 3.0
"""How long the burst test waits for an accounting (diagnostics come every 1 s) before it
sends another observation, so that observations lost on their way show as a gap."""


def _params_file(tmp_path, **values) -> str:
    path = tmp_path / "robot.yaml"
    path.write_text(yaml.safe_dump({"memctrl_node": {"ros__parameters": values}}))
    return str(path)


@pytest.fixture
def robot(request, probe, launched, tmp_path, monkeypatch):
    """The node under /robot/* topic names, with publishers and recorders on the test side
    (on the executor ``request.param`` names, if a test is parametrized with one)."""
    if hasattr(request, "param"):
        monkeypatch.setenv(EXECUTOR_VARIABLE, request.param)
    run_dir = tmp_path / "run"
    nodes = parse_launch(LAUNCH_DIR / "memctrl.launch.xml", {
        "params_file": _params_file(tmp_path, env_id="CartPole-v1", run_dir=str(run_dir),
                                    watchdog_timeout_s=30.0),
        "observation_topic": "/robot/observation", "reward_topic": "/robot/reward",
        "episode_end_topic": "/robot/episode_end", "command_topic": "/robot/command"})
    assert [(n.executable, n.name) for n in nodes] == [("memctrl_node", "memctrl_node")]
    launch = launched(nodes, tmp_path / "logs")
    commands = probe.record(Float64MultiArray, "/robot/command")
    diagnostics = probe.record(DiagnosticArray, "/diagnostics")
    observation = probe.node.create_publisher(Float64MultiArray, "/robot/observation",
                                              qos_profile_sensor_data)
    reward = probe.node.create_publisher(Float64, "/robot/reward", 10)
    episode_end = probe.node.create_publisher(Bool, "/robot/episode_end", 10)
    probe.spin_until(lambda: observation.get_subscription_count() > 0
                     and reward.get_subscription_count() > 0
                     and episode_end.get_subscription_count() > 0
                     and list(probe.node.subscriptions)[0].get_publisher_count() > 0, 30,
                     "the node's remapped topics")

    class Robot:
        pass

    robot = Robot()
    robot.__dict__.update(launch=launch, commands=commands, diagnostics=diagnostics,
                          observation=observation, reward=reward, episode_end=episode_end,
                          run_dir=run_dir, log=tmp_path / "logs" / "memctrl_node.log")

    def send(values) -> Float64MultiArray:
        before = len(commands)
        observation.publish(Float64MultiArray(data=list(values)))
        probe.spin_until(lambda: len(commands) > before, 10, "a command")
        return commands[-1]

    robot.send = send
    # Best-effort observations are lost until the node has matched our publisher: send
    # until the first command comes back, then let any second reply arrive.
    probe.spin_until(lambda: observation.publish(Float64MultiArray(data=VALID)) or
                     (probe.spin_for(0.2) or len(commands) > 0), 30, "a first command")
    probe.spin_for(0.3)
    return robot


def _last_status(diagnostics) -> DiagnosticStatus:
    return diagnostics[-1].status[0]


def _values(status: DiagnosticStatus) -> dict:
    return {item.key: item.value for item in status.values}


def _set_parameter(probe, name, value):
    request = SetParameters.Request(parameters=[Parameter(name, value=value).to_parameter_msg()])
    return probe.call(SetParameters, "/memctrl_node/set_parameters", request).results[0]


def _end_the_warm_up_episode(probe, robot) -> None:
    """Cut off the warm-up ticks' episode and wait for its row: the topics are delivered
    independently, and an end still on its way would take the next step's reward with it
    (a reward that comes while no episode runs is ignored)."""
    robot.episode_end.publish(Bool(data=False))
    metrics = robot.run_dir / "metrics.jsonl"
    probe.spin_until(lambda: metrics.exists() and len(metrics.read_text().splitlines()) == 1,
                     10, "the warm-up episode's row")


def test_a_tick_per_observation_learning_from_rewards_over_remapped_topics(probe, robot):
    _end_the_warm_up_episode(probe, robot)
    for step in range(5):
        command = robot.send([0.01 * step, 0.0, -0.01, 0.0])
        assert len(command.data) == 1 and command.data[0] in (0.0, 1.0)
        robot.reward.publish(Float64(data=1.0))
    robot.episode_end.publish(Bool(data=True))
    probe.spin_until(lambda: robot.diagnostics and
                     int(_values(_last_status(robot.diagnostics))["episodes"]) == 2, 10,
                     "diagnostics after the episode")
    values = _values(_last_status(robot.diagnostics))
    assert int(values["commands_sent"]) == len(robot.commands)
    assert values["rewards_received"] == "5" and values["episodes"] == "2"
    assert values["learning"] == "on"
    assert float(values["mean_power_w"]) > 0 and float(values["energy_per_step_j"]) > 0
    for key in ("loop_period_mean_ms", "loop_period_p99_ms", "compute_mean_ms",
                "compute_p99_ms", "missed_ticks", "spikes_per_tick", "spikes_per_s"):
        assert key in values
    rows = (robot.run_dir / "metrics.jsonl").read_text().splitlines()
    assert len(rows) == 2 and '"return": 5.0' in rows[1] and '"length": 5,' in rows[1]


def test_a_reward_sent_in_a_burst_of_parts_counts_every_part(probe, robot):
    """A client may send a step's reward as several messages (one per reward term) in a
    burst while the node works: a queue of ten lost all but the last ten."""
    reward = probe.node.create_publisher(Float64, "/robot/reward", 1000)   # keeps all 100
    probe.spin_until(lambda: reward.get_subscription_count() > 0, 10, "the reward reader")
    _end_the_warm_up_episode(probe, robot)
    for step in range(5):
        robot.send(VALID)
        for _ in range(20):
            reward.publish(Float64(data=0.05))
    robot.episode_end.publish(Bool(data=True))
    metrics = robot.run_dir / "metrics.jsonl"
    probe.spin_until(lambda: metrics.exists() and len(metrics.read_text().splitlines()) == 2,
                     10, "the episode's row")
    assert json.loads(metrics.read_text().splitlines()[1])["return"] == pytest.approx(5.0)


def test_a_reward_publisher_whose_qos_cannot_match_is_diagnosed(probe, robot):
    """A best-effort reward publisher never reaches the node's reliable reader: without a
    word the node would learn from no reward at all."""
    probe.node.create_publisher(Float64, "/robot/reward", qos_profile_sensor_data,
                                event_callbacks=PublisherEventCallbacks(
                                    incompatible_qos=lambda info: None))   # (rclpy's own warns)
    probe.spin_until(lambda: robot.diagnostics and int(_values(_last_status(
        robot.diagnostics)).get("qos_incompatible", 0)) >= 1, 15, "the QoS diagnosis")
    status = _last_status(robot.diagnostics)
    assert status.level == DiagnosticStatus.WARN and "incompatible QoS" in status.message
    assert "reward: a peer's QoS is incompatible" in robot.log.read_text()


def test_bad_observations_are_rejected_safely_and_the_node_keeps_running(probe, robot):
    robot.send(VALID)
    bad = [[math.nan, 0.0, 0.0, 0.0], [0.0, math.inf, 0.0, 0.0], [0.0, 0.0], VALID * 2]
    for values in bad:
        assert list(robot.send(values).data) == []          # the safe command of Discrete(2)
    # on a loaded machine a WARN for missed ticks may come first: wait for the one naming inputs
    probe.spin_until(lambda: robot.diagnostics and _last_status(robot.diagnostics).level
                     == DiagnosticStatus.WARN and "inputs rejected"
                     in _last_status(robot.diagnostics).message, 5, "a WARN on rejected inputs")
    status = _last_status(robot.diagnostics)
    assert "4 inputs rejected" in status.message
    assert _values(status)["observations_rejected"] == "4"
    assert len(robot.send(VALID).data) == 1                 # still running, acting again
    assert robot.launch.exited() == {}
    warnings = [line for line in robot.log.read_text().splitlines() if "rejected" in line]
    assert 1 <= len(warnings) < len(bad)                    # throttled
    assert "NaN or inf" in warnings[0]


def test_the_watchdog_publishes_the_safe_command_when_observations_stop(probe, robot):
    assert _set_parameter(probe, "watchdog_timeout_s", 0.3).successful
    robot.send(VALID)
    probe.spin_until(lambda: list(robot.commands[-1].data) == [], 5, "the safe command")
    probe.spin_until(lambda: "no observation answered" in _last_status(robot.diagnostics).message
                     if robot.diagnostics else False, 5, "the watchdog's diagnostic")
    assert _last_status(robot.diagnostics).level == DiagnosticStatus.WARN
    assert len(robot.send(VALID).data) == 1


def test_the_watchdog_keeps_time_when_the_node_is_told_to_use_simulated_time(probe, robot):
    """No /clock here: simulated time stands still, and the watchdog must not."""
    assert _set_parameter(probe, "use_sim_time", True).successful
    try:
        test_the_watchdog_publishes_the_safe_command_when_observations_stop(probe, robot)
    finally:
        assert _set_parameter(probe, "use_sim_time", False).successful


@pytest.mark.parametrize("robot", list(EXECUTORS), indirect=True)
def test_observations_dropped_by_the_queue_and_the_last_ones_age_are_diagnosed(probe, robot):
    """A burst while the node cannot take messages overflows the sensor-data queue: every
    observation sent is either answered or counted as dropped.

    The node counts a lost observation when a later one from the same publisher is taken
    (a gap in its DDS sequence numbers), so one that nothing follows is never counted. The
    burst can also be lost on its way, wholly or its last ones: the stopped process may
    hold the lock of its Fast DDS shared-memory port, and each write here then waits 1 s
    for it and is discarded (issue 16; either executor). So while observations are
    unaccounted for, another one follows every :data:`FOLLOW_UP_S`.
    """
    robot.send(VALID)
    seen = len(robot.diagnostics)
    probe.spin_until(lambda: len(robot.diagnostics) > seen, 5, "diagnostics after the send")
    before = _values(_last_status(robot.diagnostics))
    node = robot.launch.processes["memctrl_node"]
    os.kill(node.pid, signal.SIGSTOP)
    try:
        burst_start_ns = time.time_ns()
        for _ in range(BURST):
            robot.observation.publish(Float64MultiArray(data=VALID))
        burst_end_ns = time.time_ns()
        probe.spin_for(0.3)
    finally:
        os.kill(node.pid, signal.SIGCONT)
    sent_at = len(robot.diagnostics)

    def counts():
        values = _values(_last_status(robot.diagnostics))
        return (int(values["observations_received"]) - int(before["observations_received"]),
                int(values["observations_dropped"]) - int(before["observations_dropped"]))

    follow_ups: list[tuple[int, int]] = []   # when each was published (start, end; ns)
    next_follow_up_s = time.monotonic() + FOLLOW_UP_S

    def accounted() -> bool:
        """True once every observation sent is answered or counted; else maybe send one."""
        nonlocal next_follow_up_s
        if len(robot.diagnostics) > sent_at and sum(counts()) == BURST + len(follow_ups):
            return True
        if time.monotonic() >= next_follow_up_s:
            start_ns = time.time_ns()
            robot.observation.publish(Float64MultiArray(data=VALID))
            follow_ups.append((start_ns, time.time_ns()))
            next_follow_up_s = time.monotonic() + FOLLOW_UP_S
        return False

    # generous timeouts: they end as soon as the condition holds, and a loaded machine
    # (measured: CI beside a 1 kHz soak) can take more than 10 s
    try:
        probe.spin_until(accounted, 60, "the burst answered or counted")
    except AssertionError as error:   # say how far it got
        raise AssertionError(f"{error}; (received, dropped) = {counts()} of "
                             f"{BURST} + {len(follow_ups)} sent") from None
    accounted_at = len(robot.diagnostics) - 1
    received, dropped = counts()
    assert dropped >= BURST - 5 - 1                    # the queue keeps the last 5
    # each status reports the drops of its window; a follow-up's gap may come in a later one
    assert sum(int(number) for array in robot.diagnostics[sent_at:] for number in
               re.findall(r"(\d+) observations dropped", array.status[0].message)) == dropped
    # Nothing more is sent: the last observation ages. A status stamped 1.2 s after it
    # was sent reports an age of more than 1 s (less the moment between the two readings).
    last_start_ns, last_end_ns = follow_ups[-1] if follow_ups else (burst_start_ns,
                                                                    burst_end_ns)

    def stamp_ns(array) -> int:
        return array.header.stamp.sec * 1_000_000_000 + array.header.stamp.nanosec

    probe.spin_until(lambda: stamp_ns(robot.diagnostics[-1]) > last_end_ns + 1.2e9, 60,
                     "a status 1.2 s after the last observation")
    quiet = robot.diagnostics[accounted_at:]          # every observation taken before these
    ages = [float(_values(array.status[0])["observation_age_ms"]) for array in quiet]
    assert ages == sorted(ages) and ages[-1] >= 1000.0
    assert all(age <= (stamp_ns(array) - last_start_ns) / 1e6 for age, array in zip(ages, quiet))


def test_services_switch_learning_save_and_reset(probe, robot):
    robot.send(VALID)
    response = probe.call(SetBool, "/memctrl_node/set_learning", SetBool.Request(data=False))
    assert response.success and response.message == "learning off"
    response = probe.call(Trigger, "/memctrl_node/save_checkpoint", Trigger.Request())
    assert response.success and str(robot.run_dir / "controller.npz") in response.message
    assert SpikingController.load(robot.run_dir / "controller.npz").steps == len(robot.commands)
    response = probe.call(Trigger, "/memctrl_node/reset", Trigger.Request())
    assert response.success
    probe.spin_until(lambda: robot.diagnostics and
                     _values(_last_status(robot.diagnostics))["learning"] == "off", 5,
                     "diagnostics with learning off")


def test_out_of_range_or_read_only_parameter_changes_are_refused(probe, robot):
    result = _set_parameter(probe, "watchdog_timeout_s", -1.0)
    assert not result.successful and "watchdog_timeout_s" in result.reason
    result = _set_parameter(probe, "seed", 5)
    assert not result.successful and "read-only" in result.reason
    result = _set_parameter(probe, "learning", 1.5)
    assert not result.successful
    assert _set_parameter(probe, "watchdog_timeout_s", 0.4).successful


@pytest.mark.parametrize("robot", list(EXECUTORS), indirect=True)
def test_shutdown_publishes_the_safe_command_and_saves(probe, robot):
    robot.send(VALID)
    statuses = robot.launch.stop(wait=probe.spin_for)
    probe.spin_for(0.3)
    assert statuses == {"memctrl_node": 0}
    assert list(robot.commands[-1].data) == []
    assert (robot.run_dir / "controller.npz").exists() and (robot.run_dir / "run.json").exists()


def test_stop_signals_while_the_node_ends_leave_its_clean_exit(probe, robot):
    """Ctrl-C reaching both a launcher and its node, or a launcher's SIGTERM after its
    SIGINT: once the node has saved, more signals as it ends leave status 0."""
    robot.send(VALID)
    process = robot.launch.processes["memctrl_node"]
    process.send_signal(signal.SIGINT)
    probe.spin_until(lambda: "saved" in robot.log.read_text(), 30, "the node's save")
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline:   # through its end
        process.send_signal(signal.SIGTERM)
        time.sleep(0.005)
    assert process.returncode == 0
    assert SpikingController.load(robot.run_dir / "controller.npz").steps > 0


def _start_node(tmp_path, *ros_args) -> subprocess.CompletedProcess:
    nodes = parse_launch(LAUNCH_DIR / "memctrl.launch.xml",
                         {"params_file": _params_file(tmp_path, env_id="CartPole-v1")})
    return subprocess.run(nodes[0].command() + list(ros_args), capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("text, message", [
    ("memctrl_node:\n  ros__parameters:\n    watchdog_timout_s: 1.0\n",
     "unknown parameter 'watchdog_timout_s'"),
    ("memctrl_node:\n  ros__parameters:\n    control_rate_hz: 0.0\n",
     "control_rate_hz must lie in [1, 10000] Hz"),
    ("memctrl_node:\n  ros__parameters:\n    learning: maybe\n", "learning must be a bool"),
    ("memctrl_node: [unclosed\n", "cannot be read as YAML"),
])
def test_a_malformed_parameter_file_is_refused_naming_the_problem(tmp_path, text, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    result = _start_node(tmp_path, "--params-file", str(bad))
    assert result.returncode == 2
    assert message in result.stderr and str(bad) in result.stderr


def test_an_unknown_executor_is_refused_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv(EXECUTOR_VARIABLE, "multi")
    result = _start_node(tmp_path)
    assert result.returncode == 2
    assert f"{EXECUTOR_VARIABLE} must be one of events, single; got 'multi'" in result.stderr


@pytest.mark.parametrize("value", [None, ""])
def test_the_events_executor_is_the_default(monkeypatch, value):
    if value is None:
        monkeypatch.delenv(EXECUTOR_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(EXECUTOR_VARIABLE, value)
    assert EXECUTORS[executor_name()] is EventsExecutor


def test_an_out_of_range_parameter_at_start_is_refused(tmp_path):
    result = _start_node(tmp_path, "-p", "watchdog_timeout_s:=-2.0")
    assert result.returncode == 2 and "watchdog_timeout_s" in result.stderr


def test_a_corrupt_checkpoint_at_start_is_refused_and_left_as_it_was(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    checkpoint = run_dir / "controller.npz"
    checkpoint.write_bytes(b"PK\x03\x04 this is not a checkpoint")
    result = _start_node(tmp_path, "-p", f"run_dir:={run_dir}")
    assert result.returncode == 2
    assert str(checkpoint) in result.stderr and "not a valid" in result.stderr
    assert checkpoint.read_bytes() == b"PK\x03\x04 this is not a checkpoint"
    assert sorted(path.name for path in run_dir.iterdir()) == ["controller.npz"]


def test_the_yaml_mirrors_the_declared_defaults():
    document = yaml.safe_load((LAUNCH_DIR.parent / "config" / "memctrl.yaml").read_text())
    assert document["memctrl_node"]["ros__parameters"] == declared_defaults(NODE_PARAMETERS)


def test_joint_states_in_twists_out_on_a_timer(probe, launched, tmp_path):
    from geometry_msgs.msg import Twist
    from sensor_msgs.msg import JointState

    params = _params_file(tmp_path, observation_type="joint_state", command_type="twist",
                          control_mode="timer", control_rate_hz=50.0,
                          observation_low=[-1.0] * 4, observation_high=[1.0] * 4,
                          action_low=[-0.3, -2.0], action_high=[0.3, 2.0])
    launched(parse_launch(LAUNCH_DIR / "memctrl.launch.xml", {"params_file": params}),
             tmp_path / "logs")
    twists = probe.record(Twist, "command")
    joints = probe.node.create_publisher(JointState, "observation", qos_profile_sensor_data)
    state = JointState(name=["left_wheel", "right_wheel"], position=[0.1, -0.1],
                       velocity=[0.2, 0.3])
    probe.spin_until(lambda: joints.publish(state) or probe.spin_for(0.05) or len(twists) >= 5,
                     30, "five twists")
    assert all(-0.3 <= t.linear.x <= 0.3 and -2.0 <= t.angular.z <= 2.0 for t in twists)
    assert any(t.linear.x != 0.0 or t.angular.z != 0.0 for t in twists)


def test_switching_learning_mid_episode_keeps_the_node_running(probe, robot):
    for learning in (False, True, False, True):
        response = probe.call(SetBool, "/memctrl_node/set_learning",
                              SetBool.Request(data=learning))
        assert response.success
        for _ in range(2):
            assert len(robot.send(VALID).data) == 1
            robot.reward.publish(Float64(data=1.0))
    assert len(robot.send(VALID).data) == 1
    assert robot.launch.exited() == {}


def test_a_hardware_preset_of_another_device_is_refused_at_start(tmp_path):
    result = _start_node(tmp_path, "-p", "hardware:=projected-3nm")
    assert result.returncode == 2 and "hardware" in result.stderr


def _saved_weights(probe, robot) -> list:
    assert probe.call(Trigger, "/memctrl_node/save_checkpoint", Trigger.Request()).success
    controller = SpikingController.load(robot.run_dir / "controller.npz")
    return [array.copy() for net in controller.networks for array in net.input_conductances()]


def _steps_rewarded(robot, reward: float, steps: int = 20) -> None:
    """``steps`` observations, each followed by a reward that alternates between ``reward``
    and ``-reward`` (a constant reward gives no TD error); then one more observation. At
    the node's default 100 Hz the TD error is the reward over a 50-step horizon: ten steps
    are what moves a weight by one device level (five did at the 20-step horizon of before)."""
    for step in range(steps):
        robot.send(VALID)
        robot.reward.publish(Float64(data=reward if step % 2 == 0 else -reward))
    robot.send(VALID)


def _same(weights, others) -> bool:
    return all(np.array_equal(a, b) for a, b in zip(weights, others))


def test_bad_observations_and_learning_off_leave_the_weights_untouched(probe, robot):
    before = _saved_weights(probe, robot)
    for values in ([math.nan, 0.0, 0.0, 0.0], [0.0, 0.0]):
        robot.send(values)
        robot.reward.publish(Float64(data=1.0))
    assert _same(before, _saved_weights(probe, robot))
    assert probe.call(SetBool, "/memctrl_node/set_learning", SetBool.Request(data=False)).success
    _steps_rewarded(robot, -1.0)
    assert _same(before, _saved_weights(probe, robot))
    assert probe.call(SetBool, "/memctrl_node/set_learning", SetBool.Request(data=True)).success
    _steps_rewarded(robot, -1.0)
    assert not _same(before, _saved_weights(probe, robot))       # the test has teeth


def test_the_reset_service_publishes_the_safe_command(probe, robot):
    assert len(robot.send(VALID).data) == 1
    assert probe.call(Trigger, "/memctrl_node/reset", Trigger.Request()).success
    probe.spin_until(lambda: list(robot.commands[-1].data) == [], 5, "the safe command")


def _watchdog_tripped(log_text: str) -> bool:
    """Whether the node's log says it is silent now: each trip of the watchdog logs its
    warning and the next observation answered "observations answered again", so the later of
    the two tells (whenever the test process gets round to reading it)."""
    events = re.findall(r"no observation answered for|observations answered again", log_text)
    return bool(events) and events[-1] == "no observation answered for"


def _silence(probe, robot) -> None:
    """No observation until the watchdog has tripped and warned."""
    probe.spin_until(lambda: _watchdog_tripped(robot.log.read_text()), 10,
                     "the watchdog's warning")


def _nan_reward(probe, robot) -> None:
    robot.reward.publish(Float64(data=math.nan))
    probe.spin_for(0.1)


BAD_INPUTS = {
    "silence": _silence,
    "nan_observation": lambda probe, robot: robot.send([math.nan, 0.0, 0.0, 0.0]),
    "short_observation": lambda probe, robot: robot.send([0.0, 0.0]),
    "nan_reward": _nan_reward,
}


@pytest.mark.parametrize("order", [
    ("silence", "nan_observation", "short_observation", "nan_reward", "silence"),
    ("nan_reward", "short_observation", "silence", "nan_observation", "nan_reward"),
    ("nan_observation", "silence", "nan_reward", "short_observation", "silence"),
])
def test_watchdog_warnings_mixed_with_bad_inputs_leave_the_node_alive_and_learning(
        probe, robot, order):
    # A short watchdog warns between the bad inputs, whose warnings are throttled: in
    # the pinned rclpy every deprecated warn() shared one call site, and mixing a
    # throttled warning with another raised and ended the node.
    assert _set_parameter(probe, "watchdog_timeout_s", 0.2).successful
    for name in order:
        BAD_INPUTS[name](probe, robot)
        assert robot.launch.exited() == {}, f"the node died after {name}"
    # A long watchdog again, so that no safe command of its own can come between.
    assert _set_parameter(probe, "watchdog_timeout_s", 30.0).successful
    assert len(robot.send(VALID).data) == 1
    before = _saved_weights(probe, robot)
    _steps_rewarded(robot, -1.0)
    assert not _same(before, _saved_weights(probe, robot))
    assert robot.launch.exited() == {}
    assert "no observation answered for" in robot.log.read_text()
