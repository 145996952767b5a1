"""Run a node as a process: check the parameter files, spin, shut down safely.

rclpy's own signal handlers would shut the context down at Ctrl-C, after
which the node could no longer publish its safe command. So the process
handles SIGINT and SIGTERM itself: either ends the spin loop, then the node's
``shutdown()`` publishes the safe command and saves, then the node is
destroyed. A bad parameter file, an out-of-range parameter or a checkpoint that
cannot be loaded ends the process with status 2 and one line naming the problem.
"""

from __future__ import annotations

import signal
import sys
import time
from typing import Callable

import rclpy
from rclpy.executors import SingleThreadedExecutor
from rclpy.node import Node
from rclpy.signals import SignalHandlerOptions

from memctrl.ros.parameters import ParamSpec, check_params_file, params_files

SPIN_TIMEOUT_S = 0.1
FLUSH_S = 0.2
"""Time left to DDS to deliver the last (safe) command before the node is destroyed."""


class _Stop(Exception):
    """Raised by the signal handler to leave the spin loop."""


def _stop(signum, frame) -> None:
    raise _Stop(signal.Signals(signum).name)


def run_node(factory: Callable[[], Node], name: str, specs: tuple[ParamSpec, ...],
             argv: list[str]) -> int:
    """Create the node with ``factory`` and spin it until SIGINT/SIGTERM; the exit status."""
    try:
        for path in params_files(argv):
            check_params_file(path, name, specs)
    except ValueError as error:
        print(f"{name}: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        rclpy.init(args=argv, signal_handler_options=SignalHandlerOptions.NO)
    except Exception as error:  # noqa: BLE001 - rcl reports bad arguments as RCLError
        print(f"{name}: cannot start ROS 2 ({error})", file=sys.stderr)
        return 2
    node = None
    status = 0
    try:
        node = factory()
        executor = SingleThreadedExecutor()
        executor.add_node(node)
        while rclpy.ok():
            executor.spin_once(timeout_sec=SPIN_TIMEOUT_S)
    except _Stop:
        pass
    except ValueError as error:
        print(f"{name}: {error}", file=sys.stderr)
        status = 2
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if node is not None:
            try:
                node.shutdown()
            except (OSError, ValueError) as error:
                print(f"{name}: at shutdown: {error}", file=sys.stderr)
                status = 1
            time.sleep(FLUSH_S)
            node.destroy_node()
        rclpy.try_shutdown()
    return status
