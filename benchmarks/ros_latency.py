"""Observation-to-command latency of memctrl_node over DDS, with the default controller learning.

This script is the robot: it publishes observations (and a reward after each
command) at a fixed rate from its own process, and times each command that comes
back from a ``memctrl_node`` process. Observations are uniform in [-1, 1]^4, a new
state every tick (the heaviest case for the learning: each tick drives new input
channels); the reward of a command is ``x_0`` for action 1 and ``-x_0`` for action 0
(a contextual bandit the controller learns), so that every learning update programs
synapses. Until 2026-12-05 the reward was a constant 1: with it the TD error of the
zero-initialised critic is 0 and the "with learning" runs below up to that date
programmed no synapse at all. The node is started from
``launch/memctrl.launch.xml`` with a 4-D observation, two Discrete actions and
the default controller (two actor populations of 16 neurons, the critic's read
column; until 2026-12-04 the critic was two populations of 484 neurons), learning on
once per observation.

Latency is the time from publishing an observation to receiving its command.
The robot keeps one observation in flight: at each tick of its clock it sends
the next observation (and the reward of the last command) and waits for the
command. A command that comes after the next tick's time is *late* (that tick
is then sent as soon as the command is in, as a real loop would run behind);
one that has not come after ``LOST_AFTER_S`` counts as lost. The node's own
diagnostics give its compute time per tick and the ticks it saw missed.

The node's executor (:mod:`memctrl.ros.process`; the node process gets it as
``MEMCTRL_EXECUTOR``) is the comparison: each case runs on each of ``--executors`` in
turn, back to back, and after each case the table gives the later executor's p50, p99
and share of late commands as ratios of the first's. The robot spins on rclpy's events
executor whichever executor the node has.

Targets (issue 16): at 1 kHz with learning, 0 late commands and p99 <= 1 ms over 60 s.

    .venv/bin/python benchmarks/ros_latency.py [--rates 100 1000] [--duration 60]
        [--inference-rate 1000] [--executors events single] [--rounds 1] [--settings FILE]

Not part of the tests. The machine is shared and noisy: run it alone, and compare
executors only within a run.

Measured 2026-12-05 (session 15) with the bandit reward, on an AMD EPYC virtual machine
(2 cores, AVX2 only), idle: ``--rates 100 1000 --duration 60 --inference-rate 1000
--executors events --settings FILE`` (FILE: ``program_threshold_levels: 10.24``, twice
one pulse's write noise; the default is 3): at 1 kHz with learning
p50 0.98 ms, p99 1.73 ms, 22,605 of 49,957 late, node compute 0.82 ms mean, 4.56 uJ of
modelled device energy per step; with FILE 0.87 ms, 1.50 ms, 12,327 of 53,780 late,
0.69 ms, 2.95 uJ; learning off 0.72 / 1.14 ms, 2,460 of 58,071 late (with FILE, the same
controller: 0.65 / 1.07 ms, 1,236 of 58,933: the run-to-run noise); 100 Hz with learning
1 of 6,001 late either way, p99 3.1 and 3.0 ms. The platform stall probes saw 6-20 stalls
per CPU per minute, up to 8.5 ms. The runs below this paragraph, up to this date, had the
constant reward: their "learning" programmed no synapse.

Measured (issue 16, session 9): ``--rates 100 1000 --duration 20 --executors single
events --rounds 2``, run twice, on this project's 2-core machine shared with another
session's training runs (load average 0.4-2.5); events against single in the same round:
at 1 kHz with learning 0.06-0.34 times the share of late commands (0.7-7.6 % against
5-44 %), p50 0.68-0.95 and p99 0.27-0.87 times (its best round: p50 0.50 ms, p99
0.79 ms, 135 of 19,754 late); at 1 kHz with learning off 0.03-0.76 times the late share,
p50 0.57-0.78 times; at 100 Hz both answered within the period (0-1 late) and neither
was faster in every round. No run met the 0 late: the node's compute (0.4-0.6 ms per
tick with learning) and the other processes on the two cores are what is left. The
README's ROS section has the table.

With the events executor the node's default (2026-12-05, session 10), 60 s per run on the
idle machine: at 1 kHz with learning p50 0.52 ms, p99 0.91 ms, 334 of 59,677 late (AVX-512
kernel) and p50 0.49 ms, p99 0.84 ms, 217 of 59,771 late (``MEMCTRL_KERNEL_ISA=avx2``;
``SingleThreadedExecutor`` in the same run: 1.06 ms, 1,091 late); 100 Hz 0 late, 500 Hz
53 of 29,956. The p99 target is met, 0 late is not (maxima 7.5-12 ms, learning or not).
The default ``--executors`` order is now events, single: the ratios printed are single's
over events' (the figures above, session 9, are events' over single's).

Platform stalls beside each run (:mod:`platform_stalls`, session 11, 2026-12-05: a
``SCHED_FIFO`` probe per CPU; ``--no-stall-probes`` leaves them out). Four 30 s runs at
1 kHz with learning on the idle machine (events executor; two of them before a change
that cut the node's in-process tick from 0.27 to 0.22 ms, alternated): 372, 409, 195, 170
late of about 29,600, of which 5, 1, 16, 1 overlapped a stall (the probes saw 1-7 stalls
per CPU per run, the longest 1.0-1.6 ms; steal 0.00-0.02 s); 54-60 % of the late
commands came within 1.2 ms, 3-6 % after 5 ms, the longest 7.2-12.4 ms. So the host
(steal, interrupts) is not what makes commands late: a command's way through the robot,
DDS and the node, with the node's compute 0.37-0.44 ms per tick (in the process alone
0.22 ms), sometimes takes just over the period, and now and then 5-12 ms. The node's
faster tick changed nothing measurable (late 372 and 195 against 409 and 170; compute
0.43 and 0.37 ms against 0.44 and 0.39).

Real-time scheduling, as ros2_control's controller manager asks for (``SCHED_FIFO`` at
priority 50; session 12, 2026-12-05, 1 kHz with learning, events executor, 20-30 s per run,
alternated, beside one niced training process on the other core): the robot and the node
both at FIFO 50 (``chrt -f 50`` on this script; the node inherits it) sent 78, 146 and 577
commands late against 318, 852 and 973 without (node compute p99 0.94-1.11 ms against
1.13-1.56); the node alone at FIFO 50 (every thread of its process, after start-up) 561
and 774 against 741 and 216: no clear change. Python's garbage collector is not the late
tail either: the node ran 4 generation-0 collections in 20 s, none over 0.12 ms. The
machine is a Firecracker VM (kernel ``PREEMPT_DYNAMIC``); its FIFO 90 probes saw stalls up
to 4.8 ms while both processes ran FIFO. So real-time priority for the whole loop cuts late
commands by 2-6 times here, and no setting tried reached 0.

On a machine without AVX-512 (session 13, 2026-12-05: an AMD EPYC virtual machine, 2 cores,
AVX2; idle, ``--rates 1000 --duration 60 --executors events``): with learning p50 0.91 ms,
p99 1.52 ms, 18,451 of 52,250 commands late (13 of them in a platform stall), the node's
compute 0.71 ms mean, 1.54 ms p99, 2,606 ticks missed; learning off p50 0.85 ms, p99
1.27 ms, 8,936 of 56,216 late. Neither target is met there: the node's tick (0.40 ms per
CartPole step in the process alone, most of it the core's programming pulses) with the
robot and DDS on two cores does not fit 1 ms. The probes alone on that idle machine, 60 s
(``benchmarks/platform_stalls.py --duration 60``): 10 and 21 stalls over 1 ms, the longest
2.2 and 3.5 ms; beside the runs 22-28 per minute, up to 4.6 ms. A machine whose SCHED_FIFO
probes, doing nothing but sleeping 1 ms, are held off their CPU for more than a period every
few seconds cannot answer every tick of a 1 kHz loop in time, whatever the node does.
Where the tick goes (session 14, the same machine, scratch: ``ControllerNode`` in one
process fed CartPole-v1 observations through ``_on_observation`` while the environment was
stepped with random actions, an untrained controller, 4,000 ticks under ``cProfile``):
0.77 ms per tick unprofiled; the core's ``apply_learning`` 0.32 ms of it (three calls of
0.11 ms: 10,952 programming pulses and 10,271 synaptic events per step), the network
ticks, the coding and the checks the rest, rclpy's publish 0.02 ms. In the CartPole loop
of a learning controller (``memctrl.training.run_episodes``) ``apply_learning`` was 0.03
ms per call: the pulses, which scale with the TD error, are what a young controller's
tick spends most on. A faster tick at 1 kHz needs fewer or cheaper pulses (a
verify-programming scheme that sends a pulse train at once, say), not Python work. (Session
15: most of those pulses are the verify read chasing its own write noise; at 10.24 levels
the 1 kHz tick computed 16 % less, see the first paragraph of measurements.)

Measured earlier (the node on ``SingleThreadedExecutor``, the robot too), while another
session loaded the machine (load average 1-3), learning on, 30 s per run, back to back:
the command published first, then the step's learning (this version), and the learning
first (the earlier tick order), as p50 / p99 latency, late commands, node compute mean:
20 Hz command first: 2.8 / 7.8 ms, 0 of 601 late, 15.5 ms; learning first: 19.1 / 32.3 ms,
0 of 601, 18.6 ms;
100 Hz command first: 16.6 / 33.8 ms, 1,595 of 1,659 late, 17.0 ms; learning first:
16.7 / 29.7 ms, 1,693 of 1,735, 16.1 ms.
With the self-configuring defaults (2,048 input channels here) a learning step takes
12-25 ms on this machine, so from 100 Hz on every command is late whatever the order;
the README's ROS section has the 60 s runs at 100 Hz, 500 Hz and 1 kHz.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

import rclpy
from diagnostic_msgs.msg import DiagnosticArray
from rclpy.experimental import EventsExecutor
from rclpy.qos import QoSProfile, ReliabilityPolicy, qos_profile_sensor_data
from std_msgs.msg import Float64, Float64MultiArray

from memctrl.ros.launch_file import package_share, parse_launch
from memctrl.ros.launcher import Launch, keep_dds_on_this_machine
from memctrl.ros.process import EXECUTOR_VARIABLE, EXECUTORS
from platform_stalls import StallProbes   # benchmarks/

ACTOR = 16
RELIABLE = QoSProfile(depth=1000, reliability=ReliabilityPolicy.RELIABLE)
LOST_AFTER_S = 0.05


def _node_params(directory: Path, rate_hz: float, learning: bool,
                 settings: str | None) -> Path:
    path = directory / f"latency-{rate_hz:g}-{learning}-{settings is not None}.yaml"
    parameters = {
        "learning": learning,
        "observation_low": [-1.0] * 4, "observation_high": [1.0] * 4, "action_n": 2,
        "control_rate_hz": float(rate_hz), "watchdog_timeout_s": 1.0}
    if settings is None:
        parameters["actor_population"] = ACTOR
    else:   # the file's settings (the node takes actor_population from it, not beside it)
        parameters["controller_settings"] = str(Path(settings).resolve())
    path.write_text(yaml.safe_dump({"memctrl_node": {"ros__parameters": parameters}}))
    return path


def measure(rate_hz: float, duration_s: float, directory: Path, learning: bool,
            node_executor: str, probe: bool, settings: str | None = None) -> dict:
    """One run; the node spins on ``node_executor`` (a name of ``EXECUTORS``), its
    controller made from the settings file ``settings`` (None: the defaults); with
    ``probe``, stall probes (:mod:`platform_stalls`) run beside it."""
    context = rclpy.Context()
    rclpy.init(context=context)
    node = rclpy.create_node("memctrl_latency_robot", context=context)
    executor = EventsExecutor(context=context)
    executor.add_node(node)
    received: list[float] = []
    actions: list[int] = []                   # the action of each command received
    windows: list[dict[str, float]] = []      # the node's diagnostics windows that ticked
    missed = {"total": 0}
    energy = {"per_step_j": float("nan")}     # the node's modelled device energy per step

    def on_command(message: Float64MultiArray) -> None:
        if message.data:
            received.append(time.perf_counter())
            actions.append(int(message.data[0]))

    def on_diagnostics(message: DiagnosticArray) -> None:
        for status in message.status:
            if status.name.startswith("memctrl_node"):
                values = {item.key: item.value for item in status.values}
                missed["total"] = int(values["total_missed_ticks"])
                if int(values["ticks"]) > 0:
                    windows.append({key: float(values[key]) for key in
                                    ("ticks", "compute_mean_ms", "compute_p99_ms")})
                if values["energy_per_step_j"] != "n/a":
                    energy["per_step_j"] = float(values["energy_per_step_j"])

    node.create_subscription(Float64MultiArray, "command", on_command, RELIABLE)
    node.create_subscription(DiagnosticArray, "/diagnostics", on_diagnostics, 10)
    observation = node.create_publisher(Float64MultiArray, "observation",
                                        qos_profile_sensor_data)
    reward = node.create_publisher(Float64, "reward", 10)
    nodes = parse_launch(package_share() / "launch" / "memctrl.launch.xml",
                         {"params_file": str(_node_params(directory, rate_hz, learning,
                                                          settings))})
    os.environ[EXECUTOR_VARIABLE] = node_executor     # the node process inherits it
    launch = Launch(nodes, log_dir=directory / f"logs-{rate_hz:g}-{learning}-{node_executor}-"
                                      f"{settings is not None}")
    launch.start()
    rng = np.random.default_rng(0)
    try:
        deadline = time.monotonic() + 60
        while not (observation.get_subscription_count() and reward.get_subscription_count()):
            executor.spin_once(timeout_sec=0.05)
            if time.monotonic() > deadline:
                raise RuntimeError("memctrl_node did not come up")
        probes = StallProbes(duration_s + 1.5) if probe else None
        if probes:
            probes.start()                         # up while the node matches us
        executor.spin_once(timeout_sec=1.0)        # let the node match us too
        period = 1.0 / rate_hz
        latencies, late_spans, lost = [], [], 0
        start = time.perf_counter()
        next_send = start
        while time.perf_counter() - start < duration_s:
            while time.perf_counter() < next_send:
                executor.spin_once(timeout_sec=max(0.0, next_send - time.perf_counter()))
            if latencies or lost:     # the last command's reward (0 if it was lost)
                sign = 0.0 if last_action is None else (1.0 if last_action == 1 else -1.0)
                reward.publish(Float64(data=sign * state[0]))
            answered = len(received)
            state = rng.uniform(-1, 1, 4)
            sent = time.perf_counter()
            observation.publish(Float64MultiArray(data=state.tolist()))
            while len(received) == answered and time.perf_counter() - sent < LOST_AFTER_S:
                executor.spin_once(timeout_sec=0.0005)
            last_action = actions[answered] if len(received) > answered else None
            if len(received) == answered:
                lost += 1
            else:
                latencies.append(received[answered] - sent)
                if received[answered] > sent + period:       # past the next tick's time
                    late_spans.append((sent, received[answered]))
            next_send = max(next_send + period, time.perf_counter())
        end = time.perf_counter() + 2.0
        while time.perf_counter() < end:           # the last diagnostics
            executor.spin_once(timeout_sec=0.05)
        stalls = probes.result() if probes else None
    finally:
        launch.stop(wait=lambda seconds: executor.spin_once(timeout_sec=seconds))
        executor.shutdown()
        node.destroy_node()
        rclpy.try_shutdown(context=context)
    latencies = np.array(latencies) if latencies else np.array([np.nan])
    return {"rate_hz": rate_hz, "learning": learning, "executor": node_executor,
            "settings": settings,
            "sent": len(latencies) + lost,
            "lost": lost, "late": len(late_spans),
            "late_in_stall": (sum(stalls.overlapping(*span) for span in late_spans)
                              if stalls else None),
            "stalls": stalls.summary() if stalls else None,
            "p50_ms": 1e3 * float(np.percentile(latencies, 50)),
            "p99_ms": 1e3 * float(np.percentile(latencies, 99)),
            "max_ms": 1e3 * float(latencies.max()),
            "node_compute_mean_ms": sum(w["ticks"] * w["compute_mean_ms"] for w in windows)
            / max(1.0, sum(w["ticks"] for w in windows)),
            "node_compute_p99_ms_worst_window": max((w["compute_p99_ms"] for w in windows),
                                                    default=float("nan")),
            "node_missed_ticks": missed["total"],
            "energy_per_step_j": energy["per_step_j"],
            "neurons": 2 * ACTOR}


def _ratio(new: float, old: float) -> str:
    return f"{new / old:.2f}" if old else "-"


def _late_share(run: dict) -> float:
    return run["late"] / run["sent"] if run["sent"] else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=float, nargs="+", default=[100.0, 1000.0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--inference-rate", type=float, default=1000.0,
                        help="one more rate with learning off (0: none)")
    parser.add_argument("--executors", nargs="+", choices=tuple(EXECUTORS),
                        default=list(EXECUTORS),
                        help="the node's executors, each rate run with each in turn")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat the whole interleaved sequence this many times")
    parser.add_argument("--no-stall-probes", action="store_true",
                        help="run without the platform stall probes (platform_stalls.py)")
    parser.add_argument("--settings", metavar="FILE",
                        help="controller settings (as memctrl train --config) run after the "
                             "defaults on the first executor, with ratios to the defaults")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {args.rounds}")
    keep_dds_on_this_machine()
    cases = [(rate, True) for rate in args.rates]
    if args.inference_rate > 0:
        cases.append((args.inference_rate, False))
    variants = [(executor, None) for executor in args.executors]
    if args.settings:
        variants.append((args.executors[0], args.settings))
    runs = [(rate, learning, executor, settings, round_)
            for round_ in range(1, args.rounds + 1)
            for rate, learning in cases for executor, settings in variants]
    with tempfile.TemporaryDirectory() as directory:
        rows = [dict(measure(rate, args.duration, Path(directory), learning, executor,
                             probe=not args.no_stall_probes, settings=settings),
                     round=round_) for rate, learning, executor, settings, round_ in runs]
    print(f"memctrl_node over DDS, {rows[0]['neurons']} neurons, {args.duration:g} s per "
          f"run; node executors {', '.join(args.executors)} in turn"
          + (f", then {args.settings} on {args.executors[0]}" if args.settings else "")
          + "; robot on events")
    print(f"{'rate Hz':>8} {'learning':>8} {'round':>5} {'executor':>8} {'sent':>7} "
          f"{'lost':>5} {'late':>6} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} "
          f"{'node compute mean / p99 ms':>27} {'node missed':>11} {'late in stall':>13} "
          f"{'device nJ/step':>14}")
    first = None
    for r in rows:
        print(f"{r['rate_hz']:>8g} {'on' if r['learning'] else 'off':>8} {r['round']:>5} "
              f"{r['executor']:>8} {r['sent']:>7} {r['lost']:>5} {r['late']:>6} "
              f"{r['p50_ms']:>7.3f} {r['p99_ms']:>7.3f} {r['max_ms']:>7.2f} "
              f"{r['node_compute_mean_ms']:>13.3f} / "
              f"{r['node_compute_p99_ms_worst_window']:<11.3f} {r['node_missed_ticks']:>11} "
              f"{'-' if r['late_in_stall'] is None else r['late_in_stall']:>13} "
              f"{1e9 * r['energy_per_step_j']:>14.1f}")
        if r["stalls"]:
            print(f"{'':>8} {r['stalls']}")
        if r["settings"]:
            print(f"{'':>8} {r['settings']} / defaults: p50 "
                  f"{_ratio(r['p50_ms'], first['p50_ms'])}, p99 "
                  f"{_ratio(r['p99_ms'], first['p99_ms'])}, late "
                  f"{_ratio(_late_share(r), _late_share(first))}, device energy "
                  f"{_ratio(r['energy_per_step_j'], first['energy_per_step_j'])}")
        elif r["executor"] == args.executors[0]:
            first = r
        else:   # the same case just before, on the first executor
            print(f"{'':>8} {r['executor']} / {first['executor']}: p50 "
                  f"{_ratio(r['p50_ms'], first['p50_ms'])}, p99 "
                  f"{_ratio(r['p99_ms'], first['p99_ms'])}, late "
                  f"{_ratio(_late_share(r), _late_share(first))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
