"""``memctrl demo``: the controller learns a simulated robot online over DDS, then the bill.

The demo starts ``launch/sim.launch.xml``: ``memctrl_sim`` (CartPole-v1 by
default, in lock-step) and ``memctrl_node``, two processes talking over DDS.
It follows the episode returns the simulation publishes and the controller's
``/diagnostics``, and stops after ``episodes`` episodes or ``time_limit_s``
seconds, whichever comes first (Ctrl-C stops it early, the same way). The
nodes then get SIGINT: the controller publishes its safe command and saves
``controller.npz``, ``run.json`` and its per-episode metrics into the run
directory, where the demo writes the power-budget report (``report/``). Beside the
run's own bill, the summary names the cheapest design on the shipped design
frontier (``config/frontier/``, from ``config/frontier.yaml``) that learns the task
within the profile's budget.

The loop runs in lock-step (the controller's ``control_mode: lockstep``), so
the episodes are a function of the seed however the machine is loaded. The
summary lists the timing events (:data:`TIMING_EVENTS`: messages dropped,
late, sent again or ignored, watchdog trips) that the nodes counted; in
lock-step none of them changes the episodes' course. Only the time limit
depends on the machine's speed: a run it stops says so (``time_limited``).

The demo keeps its DDS traffic on this machine
(``ROS_AUTOMATIC_DISCOVERY_RANGE=LOCALHOST`` unless set) and, unless
``ROS_DOMAIN_ID`` is set, in a domain of its own.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from memctrl.run_dir import MetricsFiles, make_env, registered_threshold
from memctrl.run_record import RUN_FILE, read_run_record, require_new_directory

LAUNCH_FILE = "sim.launch.xml"
NODE_NAME = "memctrl_node"
SIM_NAME = "memctrl_sim"
SETTLE_S = 5.0
"""At most this long the demo waits for the node to log the episodes the sim ended."""
TIMING_EVENTS = {
    NODE_NAME: ("observations_dropped", "observations_skipped", "observations_before_reward",
                "observations_late", "messages_while_inactive", "watchdog_trips",
                "observations_rejected", "rewards_rejected", "commands_resent",
                "source_changes"),
    SIM_NAME: ("observations_sent_again", "steps_on_held_command", "commands_rejected"),
}
"""The counts, node by node, of what the timing of the loop did (the summary's
``timing_events``, keyed ``node.count``)."""
FRONTIER_FILE = ("config", "frontier", "frontier.json")
"""The shipped design frontier, under the package's share directory."""
OLDEST_MCU_BASIS = ("one write per programming pulse (a frontier from before the MCU was "
                    "charged per weight written): its MCU figures are upper bounds")
"""How a frontier that does not record ``mcu_basis`` priced the MCU's learning."""
FRONTIER_COMMAND = ("memctrl sweep --config config/frontier.yaml --out runs/frontier && "
                    "memctrl report --frontier runs/frontier --out runs/frontier/report")
SOLVED_WINDOW = 100
"""Consecutive episodes whose mean return must reach the environment's registered
``reward_threshold`` for the task to count as solved (gym's convention: CartPole-v1 is
solved by a mean return of 475 over 100 consecutive episodes)."""


def solved_at(returns: list[float], threshold: float | None) -> int | None:
    """The first episode (1-based) that ends :data:`SOLVED_WINDOW` consecutive episodes
    whose mean return is at least ``threshold``; None if none does or there is no threshold."""
    if threshold is None:
        return None
    for end in range(SOLVED_WINDOW, len(returns) + 1):
        if statistics.fmean(returns[end - SOLVED_WINDOW:end]) >= threshold:
            return end
    return None


def _follow(context):
    """A node of the demo's own that collects episode returns and the node's diagnostics."""
    from diagnostic_msgs.msg import DiagnosticArray
    from rclpy.node import Node
    from std_msgs.msg import Float64

    from memctrl.ros.qos import EPISODE_RETURNS

    class Follower(Node):
        def __init__(self) -> None:
            super().__init__("memctrl_demo", context=context)
            self.returns: list[float] = []
            self.diagnostics: dict[str, str] = {}
            self.sim_diagnostics: dict[str, str] = {}
            self.create_subscription(Float64, "episode_return",
                                     lambda message: self.returns.append(message.data),
                                     EPISODE_RETURNS)
            self.create_subscription(DiagnosticArray, "/diagnostics", self._on_diagnostics, 10)

        def _on_diagnostics(self, message: DiagnosticArray) -> None:
            for status in message.status:
                values = {item.key: item.value for item in status.values}
                if status.name.startswith(NODE_NAME):
                    self.diagnostics = values
                elif status.name.startswith(SIM_NAME):
                    self.sim_diagnostics = values

    return Follower()


def _progress(returns: list[float], episodes: int, diagnostics: dict, elapsed_s: float) -> str:
    window = returns[-20:]
    return (f"episode {len(returns):>4}/{episodes}  return {returns[-1]:>6.1f}  "
            f"mean(20) {statistics.fmean(window):>6.1f}  "
            f"energy/step {diagnostics.get('energy_per_step_j', 'n/a'):>9} J  "
            f"compute {diagnostics.get('compute_mean_ms', 'n/a'):>6} ms  {elapsed_s:5.0f} s")


def _metrics_returns(run_dir: Path) -> list[float]:
    return [float(row["return"]) for row in MetricsFiles(run_dir).rows() if "return" in row]


def _timing_events(node_counts: dict, sim_counts: dict) -> dict[str, int]:
    """:data:`TIMING_EVENTS` from the node's ``run.json`` counts and the sim's last
    diagnostics (-1 for a count the sim never reported)."""
    counts = {NODE_NAME: node_counts, SIM_NAME: sim_counts}
    return {f"{node}.{name}": int(counts[node].get(name, -1))
            for node, names in TIMING_EVENTS.items() for name in names}


def _default_design(design: dict, neuron_preset: str) -> dict:
    """``design``'s keys with the library defaults' values, on ``neuron_preset``."""
    from memctrl.controller import ControllerConfig

    defaults = ControllerConfig()
    return {key: neuron_preset if key == "controller.neuron_preset"
            else getattr(defaults, key.partition(".")[2], None) for key in design}


def shipped_frontier(env_id: str, budget, hardware: str = "measured") -> dict:
    """What the shipped design frontier says of ``env_id`` against the profile ``budget``.

    ``design``: the cheapest design that learns the task within the budget, with
    its energy per step, ratio to the MCU and mean power; ``on_hardware``: the
    cheapest that learns on the run's own ``hardware`` preset (label, energy per
    step, ratio to the MCU; None if none does); ``projected``: the
    library defaults' design on the 3 nm projection (energy per step, mean power,
    battery life, and on how many of its seeds it learned the task), None if the
    frontier has no such row; ``mcu_basis``: how the frontier priced the MCU, None if
    as this version does (:data:`OLDEST_MCU_BASIS` for a frontier from before the basis
    was recorded). ``{"design": None,
    "reason": ...}`` when the frontier has no such design or task, or cannot be
    read (the demo's bill stands without it).
    """
    from memctrl.energy.baselines import MCU
    from memctrl.energy.profiles import battery_life_h
    from memctrl.ros.launch_file import package_share
    from memctrl.sweep.frontier import cheapest_that_learns
    from memctrl.sweep.frontier_report import design_label

    path = package_share().joinpath(*FRONTIER_FILE)
    try:
        shipped = json.loads(path.read_text(encoding="utf-8"))
        tasks = shipped["tasks"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
        return {"design": None, "reason": f"{path} not readable ({type(error).__name__})"}
    if env_id not in tasks:
        return {"design": None, "reason": f"{path} holds no frontier of {env_id}"}
    rows = tasks[env_id]["rows"]
    row = cheapest_that_learns(rows, budget.budget_w)
    if row is None:
        return {"design": None, "reason": "no design of the shipped frontier learns it within "
                                          "the budget"}
    own = cheapest_that_learns([item for item in rows if item["hardware"] == hardware])
    projected = next((item for item in rows if item["hardware"] == "projected-3nm"
                      and item["design"] == _default_design(item["design"], "projected-3nm")),
                     None)
    return {"design": design_label(row), "hardware": row["hardware"],
            "energy_per_step_j": row["energy_per_step_j"], "ratio_to_mcu": row["ratio_to_mcu"],
            "mean_power_w": row["mean_power_w"],
            "control_rate_hz": tasks[env_id]["control_rate_hz"], "command": FRONTIER_COMMAND,
            "mcu_basis": (None if shipped.get("mcu_basis") == MCU.basis
                          else shipped.get("mcu_basis", OLDEST_MCU_BASIS)),
            "on_hardware": None if own is None else {
                "hardware": hardware, "design": design_label(own),
                "energy_per_step_j": own["energy_per_step_j"],
                "ratio_to_mcu": own["ratio_to_mcu"]},
            "projected": None if projected is None else {
                "energy_per_step_j": projected["energy_per_step_j"],
                "mean_power_w": projected["mean_power_w"],
                "solved_seeds": projected["solved_seeds"], "seeds": len(projected["seeds"]),
                "battery_life_h": battery_life_h(budget.battery_j, projected["mean_power_w"])}}


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def run_demo(out: Path | None = None, episodes: int = 200, time_limit_s: float = 180.0,
             env_id: str = "CartPole-v1", seed: int = 0, profile: str = "coin-cell") -> dict:
    """Run the demo, showing progress on stderr; returns its summary.

    ValueError if it cannot start or a node fails.
    """
    import rclpy
    from rclpy.executors import SingleThreadedExecutor
    from rclpy.signals import SignalHandlerOptions

    from memctrl.controller import ControllerConfig
    from memctrl.energy.break_even import at_the_mcu
    from memctrl.energy.profiles import profile as profile_named
    from memctrl.energy.report import write_report
    from memctrl.ros.launch_file import package_share, parse_launch
    from memctrl.ros.launcher import Launch, keep_dds_on_this_machine
    from memctrl.training.controller_file import check_controller_fits

    budget = profile_named(profile)
    env = make_env(env_id)
    threshold = registered_threshold(env)
    env.close()
    # a task the controller cannot take is refused here, not by a node's log
    check_controller_fits(ControllerConfig(), env, f"--env {env_id}")
    out = Path(out or Path("runs") / time.strftime("demo-%Y%m%d-%H%M%S")).resolve()
    require_new_directory(out, "choose a new --out")
    keep_dds_on_this_machine()
    nodes = parse_launch(package_share() / "launch" / LAUNCH_FILE,
                         {"env_id": env_id, "seed": str(seed), "max_episodes": str(episodes),
                          "run_dir": str(out)})
    out.mkdir(parents=True, exist_ok=True)
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    follower = _follow(context)
    executor = SingleThreadedExecutor(context=context)
    executor.add_node(follower)
    started = time.monotonic()
    interrupted, shown = False, 0
    try:
        launch = Launch(nodes, log_dir=out / "logs")
        launch.start()
        try:
            while len(follower.returns) < episodes and time.monotonic() - started < time_limit_s:
                executor.spin_once(timeout_sec=0.1)
                failed = launch.exited()
                if failed:
                    name, status = next(iter(failed.items()))
                    raise ValueError(f"{name} exited with status {status}; see "
                                     f"{out / 'logs' / (name + '.log')}")
                if len(follower.returns) > shown:
                    shown = len(follower.returns)
                    line = _progress(follower.returns, episodes, follower.diagnostics,
                                     time.monotonic() - started)
                    # On a terminal the line is redrawn in place; in a log, one per episode.
                    print(f"\r{line}" if sys.stderr.isatty() else line,
                          end="" if sys.stderr.isatty() else "\n", file=sys.stderr, flush=True)
            # The last episode end reaches the node about when its return reaches us.
            settle = time.monotonic() + SETTLE_S
            while len(_metrics_returns(out)) < len(follower.returns) \
                    and time.monotonic() < settle:
                executor.spin_once(timeout_sec=0.05)
        except KeyboardInterrupt:
            interrupted = True
            print("\ninterrupted: stopping the nodes", file=sys.stderr)
        finally:
            statuses = launch.stop(wait=lambda seconds: executor.spin_once(timeout_sec=seconds))
    finally:
        executor.shutdown()
        follower.destroy_node()
        rclpy.try_shutdown(context=context)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    wall_s = time.monotonic() - started
    if not follower.returns and not interrupted and wall_s >= time_limit_s:
        raise ValueError(f"the time limit of {time_limit_s:g} s ran out before the first "
                         f"episode ended; logs in {out / 'logs'}")
    bad = {name: status for name, status in statuses.items() if status != 0}
    if bad:
        raise ValueError(f"nodes did not stop cleanly: {bad}; logs in {out / 'logs'}")
    if not (out / RUN_FILE).exists():
        raise ValueError(f"the controller took no step; logs in {out / 'logs'}")
    report = write_report(out, out / "report", profile_name=profile)
    returns = _metrics_returns(out)
    messages = read_run_record(out)["messages"]
    mcu = report["baselines"]["mcu-cortex-m4"]
    pulsed = report["read_mode_comparison"]
    return {
        "env": env_id, "episodes": len(returns), "interrupted": interrupted,
        "time_limited": not interrupted and len(returns) < episodes,
        "mean_return_first_20": _mean(returns[:20]),
        "mean_return_last_20": _mean(returns[-20:]),
        "best_return": max(returns, default=None),
        "reward_threshold": threshold, "solved_at_episode": solved_at(returns, threshold),
        "messages_received": messages["observations_received"],
        "commands_sent": messages["commands_sent"],
        "timing_events": _timing_events(messages, follower.sim_diagnostics),
        "total_steps": report["run"]["ticks"],
        "run_dir": str(out), "report_dir": str(out / "report"), "wall_s": wall_s,
        "hardware": report["hardware"]["name"], "profile": profile,
        "energy_per_step_j": report["energy_per_step_j"],
        "mean_power_w": report["mean_power_w"],
        "control_rate_hz": report["run"]["control_rate_hz"],
        "battery_life_h": report["battery_life_h"],
        "mcu_energy_per_step_j": mcu["energy_per_step_j"],
        "break_even": at_the_mcu(report["break_even"]),
        "fixed_energy_per_step_j": report["break_even"]["parts_per_step_j"]["fixed"],
        "pulsed_read_energy_per_step_j": pulsed["energy_per_step_j"] if pulsed else None,
        "pulsed_read_hardware": pulsed["hardware"] if pulsed else None,
        "frontier": shipped_frontier(env_id, budget, report["hardware"]["name"]),
    }


def _print_break_even(result: dict) -> None:
    """The device figures this design would need to draw less than the MCU."""
    from memctrl.energy.markdown import needed_figure, presets_having, si

    target = result["break_even"]
    if target["met"]:
        print("  this design already draws less than the MCU")
        return
    if target["balanced_figures"] is None:
        print(f"  no device speed, write energy or leakage gets this design below the MCU: "
              f"{target['balanced_unreachable_because']} (the rest: "
              f"{si(result['fixed_energy_per_step_j'], 'J')} per step)")
        return
    figures, factors = target["balanced_figures"], target["balanced_factors"]
    presets = target["presets_with_figure"]
    needed = {figure: needed_figure(figure, figures[figure], factors[figure])
              for figure in figures}
    print(f"  to draw less than the MCU this design would need, together: a substep of "
          f"{needed['device_speed']} [{presets_having(presets, 'device_speed')}], "
          f"{needed['programming']} per programming pulse (cell write and verify read) "
          f"[{presets_having(presets, 'programming')}], {needed['leakage']} leakage per "
          f"neuron [{presets_having(presets, 'leakage')}] (presets with the figure in "
          "brackets; power report: 'What the device would need')")


def print_summary(result: dict) -> None:
    """What was learned and what it would cost, for a reader."""
    from memctrl.energy.markdown import duration_h, ratio, si

    def number(value) -> str:
        return "n/a" if value is None else f"{value:.1f}"

    print(f"memctrl demo: {result['env']} learned online over DDS, {result['episodes']} "
          f"episodes, {result['total_steps']:.0f} steps in {result['wall_s']:.0f} s"
          f"{' (interrupted)' if result['interrupted'] else ''}"
          f"{' (stopped at the time limit)' if result['time_limited'] else ''}")
    print(f"  mean return, first 20 episodes: {number(result['mean_return_first_20'])}; "
          f"last 20: {number(result['mean_return_last_20'])}; best {number(result['best_return'])}")
    threshold = result["reward_threshold"]
    if threshold is not None:
        solved = result["solved_at_episode"]
        print(f"  solved at episode {solved}: episodes {solved - SOLVED_WINDOW + 1}-{solved} "
              f"averaged at least {threshold:g}" if solved is not None else
              f"  not solved: no {SOLVED_WINDOW} consecutive episodes averaged {threshold:g}")
    print(f"  messages: {result['messages_received']} observations in, "
          f"{result['commands_sent']} commands out")
    events = {name: count for name, count in result["timing_events"].items() if count}
    print("  timing events: " + (", ".join(f"{name} {count}" for name, count in events.items())
                                 or "none"))
    print(f"  on memristor hardware ({result['hardware']}): "
          f"{si(result['energy_per_step_j'], 'J')} per control step, "
          f"{si(result['mean_power_w'], 'W')} at {result['control_rate_hz']:.0f} steps/s; "
          f"{result['profile']} battery: {duration_h(result['battery_life_h'])}")
    if result["pulsed_read_energy_per_step_j"] is not None:
        print(f"  with 5 ns read pulses ({result['pulsed_read_hardware']}): "
              f"{si(result['pulsed_read_energy_per_step_j'], 'J')} per step")
    print(f"  the same work on an ultra-low-power Cortex-M4F MCU (driven inputs only): "
          f"{si(result['mcu_energy_per_step_j'], 'J')} per step (memctrl: "
          f"{ratio(result['energy_per_step_j'] / result['mcu_energy_per_step_j'])})")
    _print_break_even(result)
    frontier = result["frontier"]
    if frontier["design"] is None:
        print(f"  design frontier: {frontier['reason']}")
    else:
        print(f"  cheapest design that learns {result['env']} within the {result['profile']} "
              f"budget, on the shipped design frontier: {frontier['design']} "
              f"({frontier['hardware']}): {si(frontier['energy_per_step_j'], 'J')} per step, "
              f"{ratio(frontier['ratio_to_mcu'])} the MCU, "
              f"{si(frontier['mean_power_w'], 'W')} at {frontier['control_rate_hz']:g} steps/s")
        own = frontier["on_hardware"]
        if own is not None:
            print(f"  the cheapest that learns it on this run's hardware ({own['hardware']}): "
                  f"{own['design']}: {si(own['energy_per_step_j'], 'J')} per step, "
                  f"{ratio(own['ratio_to_mcu'])} the MCU")
        projected = frontier["projected"]
        if projected is not None:
            print(f"  this design (the library defaults) on the 3 nm projection, from the same "
                  f"frontier: {si(projected['energy_per_step_j'], 'J')} per step, "
                  f"{si(projected['mean_power_w'], 'W')}; {result['profile']} battery: "
                  f"{duration_h(projected['battery_life_h'])}; it learned the task on "
                  f"{projected['solved_seeds']} of its {projected['seeds']} seeds there")
        if frontier["mcu_basis"] is not None:
            print(f"    (the shipped frontier priced the MCU otherwise than this run: "
                  f"{frontier['mcu_basis']}; README, 'Design frontier')")
        print(f"    recompute them: {frontier['command']}")
    print(f"  run: {result['run_dir']}  (checkpoint, metrics, logs)")
    print(f"  power report: {result['report_dir']}/report.md")
