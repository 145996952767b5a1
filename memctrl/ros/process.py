"""Run a node as a process: check the parameter files, spin, shut down safely.

rclpy's own signal handlers would shut the context down at Ctrl-C, after
which the node could no longer publish its safe command. So the process
handles SIGINT and SIGTERM itself: the handler only asks the spin loop to end
(never interrupting a callback half-way), then the node's ``shutdown()``
publishes its safe command and saves, the reliable messages are given time to
be acknowledged, and the node is destroyed. A bad parameter file, an
out-of-range parameter or a checkpoint that cannot be loaded ends the process
with status 2 and one line naming the problem (a lifecycle node that fails to come
up logs that line itself).

The node spins on rclpy's events executor (``rclpy.experimental.EventsExecutor``: a C++
event queue runs a message's callback without the wait-set rebuild and Python dispatch of
``SingleThreadedExecutor``): at 1 kHz with learning it sent 3-16 times fewer commands late
(``benchmarks/ros_latency.py`` compares the two in one run); it is experimental in rclpy
9.1.2. ``MEMCTRL_EXECUTOR=single`` in the environment selects ``SingleThreadedExecutor``
(unset or empty: the events executor); any other value ends the process with status 2.
Subscription callbacks that take a ``MessageInfo`` need
:class:`memctrl.ros.message_info.WithMessageInfo` on the events executor.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Callable

import rclpy
from rclpy.duration import Duration
from rclpy.executors import Executor, SingleThreadedExecutor
from rclpy.experimental import EventsExecutor
from rclpy.node import Node
from rclpy.signals import SignalHandlerOptions

from memctrl.ros.parameters import (ParamSpec, check_command_line_params, check_params_file,
                                    params_files)
from memctrl.training.loop import EnvironmentFailure

SPIN_TIMEOUT_S = 0.1
EXECUTOR_VARIABLE = "MEMCTRL_EXECUTOR"
EXECUTORS: dict[str, Callable[..., Executor]] = {
    "events": EventsExecutor, "single": SingleThreadedExecutor}
"""The executors ``MEMCTRL_EXECUTOR`` selects; the first is the default."""
ACK_TIMEOUT_S = 1.0
"""How long the last reliable messages (safe command, diagnostics) may take to be acknowledged."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""The signals that stop a node: it saves, then ends with status 0."""
TEARDOWN_LIMIT_S = 10
"""Seconds the interpreter's end may take once a node has stopped and saved, ignoring stop
signals, before SIGALRM ends the process (DDS's teardown takes well under one)."""


def node_name(argv: list[str], default: str) -> str:
    """The node's name on a ROS 2 command line (``-r __node:=NAME``), else ``default``."""
    for item in argv:
        if item.startswith("__node:="):
            return item.split(":=", 1)[1]
    return default


def executor_name() -> str:
    """The executor ``MEMCTRL_EXECUTOR`` selects (unset or empty: ``events``);
    ValueError naming the value if it is none of :data:`EXECUTORS`."""
    name = os.environ.get(EXECUTOR_VARIABLE) or next(iter(EXECUTORS))
    if name not in EXECUTORS:
        raise ValueError(f"{EXECUTOR_VARIABLE} must be one of {', '.join(EXECUTORS)}; "
                         f"got {name!r}")
    return name


def run_node(factory: Callable[[], Node], name: str, specs: tuple[ParamSpec, ...],
             argv: list[str], start: Callable[[Node], bool] | None = None) -> int:
    """Create the node with ``factory`` and spin it until SIGINT/SIGTERM; the exit status.

    ``start(node)``, if given, brings the node up before it spins; when it returns
    False (having logged why) the process ends with status 2. Bad input, or a task that
    fails (:class:`memctrl.training.loop.EnvironmentFailure`), ends it with status 2 and
    one line. A node process's main only: on return the process is ending (stop signals
    ignored, SIGALRM after ``TEARDOWN_LIMIT_S``).
    """
    try:
        make_executor = EXECUTORS[executor_name()]
        for path in params_files(argv):
            check_params_file(path, node_name(argv, name), specs)
        check_command_line_params(argv, node_name(argv, name), specs)
    except ValueError as error:
        print(f"{name}: {error}", file=sys.stderr)
        return 2
    stop_requested: list[int] = []
    for signum in STOP_SIGNALS:
        signal.signal(signum, lambda number, frame: stop_requested.append(number))
    try:
        rclpy.init(args=argv, signal_handler_options=SignalHandlerOptions.NO)
    except Exception as error:  # noqa: BLE001 - rcl reports bad arguments as RCLError
        print(f"{name}: cannot start ROS 2 ({error})", file=sys.stderr)
        return 2
    node = executor = None
    status = 0
    try:
        executor = make_executor()
        node = factory()
        if start is not None and not start(node):
            return 2
        executor.add_node(node)
        while rclpy.ok() and not stop_requested:
            executor.spin_once(timeout_sec=SPIN_TIMEOUT_S)
    except (ValueError, EnvironmentFailure) as error:   # bad input, or the task's fault
        print(f"{name}: {error}", file=sys.stderr)
        status = 2
    finally:
        if executor is not None:
            executor.shutdown()
        if node is not None:
            try:
                node.shutdown()
            except (OSError, ValueError) as error:
                print(f"{name}: at shutdown: {error}", file=sys.stderr)
                status = 1
            for publisher in node.publishers:
                publisher.wait_for_all_acked(Duration(seconds=ACK_TIMEOUT_S))
            node.destroy_node()
        rclpy.try_shutdown()
        # Stopped and saved: a second Ctrl-C, or a launcher's SIGTERM after its SIGINT,
        # while the interpreter ends (DDS's teardown; Python puts the default handlers
        # back for it, which ended the process by SIGINT, exit -2) changes nothing now.
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
        signal.alarm(TEARDOWN_LIMIT_S)   # and a teardown that hangs still ends (SIGALRM)
    return status
