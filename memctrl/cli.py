"""The ``memctrl`` command: characterize the neuron, time the core, report power, train,
evaluate, sweep.

Every subcommand prints a readable summary, or one JSON object with ``--json``.
Bad arguments exit with status 2 and a message that names the problem.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import traceback
from pathlib import Path
from typing import Callable, NoReturn, Sequence


def _integer_at_least(minimum: int, expected: str,
                      maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: an integer >= ``minimum`` (and <= ``maximum``, if given), else an
    error naming ``expected``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value
    return parse


MAX_COUNT = 10**9
"""The largest count an argument takes (episodes, trials, neurons): a billion episodes is
beyond any run, and larger numbers overflowed the progress bar's floats."""
_positive_int = _integer_at_least(1, f"a positive integer up to {MAX_COUNT:,}", MAX_COUNT)
_seed = _integer_at_least(0, "a seed (an integer >= 0)")


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive finite time, got {text!r}")
    return value


def _print_characterization(result: dict) -> None:
    print(f"1M1T1R neuron, preset {result['preset']!r} (emulated / paper)")
    for key, value in result.items():
        if isinstance(value, dict):
            print(f"  {key}:")
            for name, item in value.items():
                print(f"    {name}: {_short(item)}")
        elif key != "preset":
            print(f"  {key}: {_short(value)}")


def _short(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return "[" + ", ".join(_short(item) for item in value) + "]"
    return str(value)


def _print_bench(result: dict) -> None:
    print(f"{'backend':>10} {'neurons':>8} {'substeps':>8} {'median us':>10} {'p99 us':>10}")
    for row in result["results"]:
        print(f"{row['backend']:>10} {row['neurons']:>8} {row['substeps']:>8} "
              f"{row['median_us']:>10.1f} {row['p99_us']:>10.1f}")
    for row in result.get("ratios", []):
        print(f"reference / compiled at {row['neurons']} neurons: "
              f"{row['reference_over_compiled']:.1f}x")
    print(f"compiled kernel: {result['kernel_isa']}")
    if "run_record" in result:
        print(f"run record: {result['run_record']}")


def _print_report(result: dict) -> None:
    if "profiles" in result:
        print(f"{'profile':<12} {'budget W':>10} {'battery J':>10}  description")
        for item in result["profiles"]:
            print(f"{item['name']:<12} {item['budget_w']:>10.3g} {item['battery_j']:>10.4g}  "
                  f"{item['description']}")
        return
    if "hardware_presets" in result:
        print(f"{'hardware':<22} {'reads':<11} neuron presets")
        for item in result["hardware_presets"]:
            print(f"{item['name']:<22} {item['synaptic_reads']:<11} "
                  f"{', '.join(item['neuron_presets'])}")
        return
    if "frontier" in result:
        print(f"design frontier of {result['frontier']}, profile {result['profile']!r}")
        for env, answer in result["cheapest_within_budget_that_learns"].items():
            print(f"  {env}: cheapest design that learns within the budget: "
                  + (answer or "none in this sweep"))
        print(f"  wrote: {', '.join(result['files'])} in {result['out']}")
        return
    print(f"power report of {result['run']} on hardware {result['hardware']!r}, "
          f"profile {result['profile']!r}")
    for key in ("energy_per_step_j", "energy_per_spike_j", "mean_power_w", "peak_power_w",
                "budget_w", "battery_life_h", "dominant_component", "within_budget"):
        print(f"  {key}: {_short(result[key])}")
    print(f"  wrote: {', '.join(result['files'])} in {result['out']}")


def _report(args: argparse.Namespace) -> dict:
    from memctrl.energy import list_hardware, list_profiles, write_report
    if args.list_profiles:
        return {"profiles": list_profiles()}
    if args.list_hardware:
        return {"hardware_presets": list_hardware()}
    if args.frontier is not None:
        if args.run_dir is not None or args.hardware is not None:
            raise ValueError("--frontier prices a sweep's designs on their own hardware "
                             "presets; it takes no --run or --hardware")
        return _frontier(args)
    missing = [flag for flag, value in (("--run", args.run_dir), ("--out", args.out))
               if value is None]
    if missing:
        raise ValueError(f"{' and '.join(missing)} required (or --frontier SWEEP_DIR, "
                         "--list-profiles, --list-hardware)")
    report = write_report(Path(args.run_dir), Path(args.out), profile_name=args.profile,
                          hardware_name=args.hardware)
    files = report["files"]
    return {"run": args.run_dir, "out": args.out, "hardware": report["hardware"]["name"],
            "profile": report["profile"]["name"],
            "files": [files["markdown"], files["json"], *files["plots"].values()],
            "energy_per_step_j": report["energy_per_step_j"],
            "energy_per_spike_j": report["energy_per_spike_j"],
            "mean_power_w": report["mean_power_w"], "peak_power_w": report["peak_power_w"],
            "budget_w": report["budget"]["budget_w"],
            "battery_life_h": report["battery_life_h"],
            "dominant_component": report["dominant_component"],
            "within_budget": report["budget"]["within_budget"]}


def _frontier(args: argparse.Namespace) -> dict:
    from memctrl.energy.markdown import ratio
    from memctrl.sweep.frontier_report import design_label, write_frontier
    if args.out is None:
        raise ValueError("--out required with --frontier")
    frontier = write_frontier(Path(args.frontier), Path(args.out), profile_name=args.profile)
    files = frontier["files"]
    answers = {}
    for env, task in frontier["tasks"].items():
        row = task["cheapest_within_budget_that_learns"]
        answers[env] = None if row is None else (
            f"{design_label(row)} ({row['hardware']}), {row['energy_per_step_j']:.3g} J per "
            f"step, {ratio(row['ratio_to_mcu'])} the MCU")
    return {"frontier": args.frontier, "out": args.out, "profile": frontier["profile"]["name"],
            "files": [files["markdown"], files["json"], *files["plots"].values()],
            "cheapest_within_budget_that_learns": answers}


def _characterize(args: argparse.Namespace) -> dict:
    from memctrl.characterization import characterize
    return characterize(preset=args.preset, seed=args.seed, trials=args.trials)


def _bench(args: argparse.Namespace) -> dict:
    from memctrl.bench import run_bench
    return run_bench(neurons=tuple(args.neurons), substeps=args.substeps, seed=args.seed,
                     out=args.out)


def _train(args: argparse.Namespace) -> dict:
    from memctrl.training.controller_file import check_controller_fits, load_controller_config
    from memctrl.run_dir import closing, make_env
    from memctrl.sweep.trial import TRIAL_FILE
    from memctrl.training.run import require_new_run_directory, train
    if args.resume is None and args.env is None:
        raise ValueError("--env ID is required (or --resume DIR)")
    if args.resume is not None and args.out is not None:
        raise ValueError("--out and --resume exclude each other: a resumed run continues "
                         "in its own directory")
    if args.resume is None and args.out is not None:
        require_new_run_directory(args.out)
    if args.resume is not None and (args.resume / TRIAL_FILE).exists():
        raise ValueError(f"{args.resume} is a trial of `memctrl sweep`, whose result and "
                         "frontier would no longer describe it; the sweep's own command "
                         "finishes it (or train a new run with --out)")
    config = None if args.config is None else load_controller_config(args.config)
    if config is not None and args.resume is None:
        with closing(make_env(args.env)) as env:
            check_controller_fits(config, env, str(args.config))
    return train(args.env, args.episodes, seed=args.seed, out=args.out, resume=args.resume,
                 config=config, eval_every=args.eval_every, eval_episodes=args.eval_episodes,
                 checkpoint_every=args.checkpoint_every, progress=not args.no_progress)


def _print_train(result: dict) -> None:
    print(f"trained on {result['env']}: {result['episodes']} episodes, "
          f"{result['total_steps']} steps, {result['wall_s']:.1f} s -> {result['out']}")
    for key in ("solved_at_episode", "final_eval_mean_return", "train_mean_return_last_100",
                "energy_j"):
        print(f"  {key}: {_short(result[key])}")
    for item in result["evaluations"]:
        print(f"  evaluation after episode {item['episode']}: mean return "
              f"{item['mean_return']:.1f}")


def _evaluate(args: argparse.Namespace) -> dict:
    from memctrl.training.run import evaluate_run
    return evaluate_run(Path(args.run_dir), episodes=args.episodes, seed=args.seed)


def _print_evaluate(result: dict) -> None:
    print(f"evaluated {result['run']} on {result['env']} ({result['episodes_trained']} "
          f"training episodes), {result['episodes']} episodes without learning")
    for key in ("mean_return", "std_return", "min_return", "max_return", "solved",
                "energy_j", "energy_per_step_j"):
        print(f"  {key}: {_short(result[key])}")


def _sweep(args: argparse.Namespace) -> dict:
    from memctrl.sweep import run_sweep
    result = run_sweep(args.config, args.out, address=args.address)
    if result["interrupted"]:
        print(f"memctrl sweep: interrupted with {result['unfinished']} of {result['trials']} "
              "trials unfinished; run the same command again to resume", file=sys.stderr)
        raise SystemExit(130)
    return result


def _solved(episode: int | None) -> str:
    return "unsolved" if episode is None else f"solved at episode {episode}"


def _print_sweep(result: dict) -> None:
    print(f"swept {result['trials']} trials: {result['finished']} finished, "
          f"{result['failed']} failed, {result['wall_s']:.0f} s -> {result['out']}")
    rate = result["success_rate"]
    if rate is not None:
        print(f"  success rate: {rate:.0%}")
    else:   # finished trials, but no success_return and no reward threshold to judge them
        print(f"  success rate: {'n/a (no threshold)' if result['finished'] else '-'}")
    best = result["best"]
    if best is not None:
        print(f"  best: {best['name']} "
              + ", ".join(f"{key}={value}" for key, value in best["factors"].items())
              + f" ({_solved(best['metrics']['solved_at_episode'])}, "
              f"final return {best['metrics']['final_eval_mean_return']:.1f})")
    for name, error in result["failures"].items():
        print(f"  {name} failed: {error}")
    print(f"  wrote: {', '.join(result['files'])} in {result['out']}")


def _demo(args: argparse.Namespace) -> dict:
    from memctrl.ros.demo import run_demo
    return run_demo(args.out, episodes=args.episodes, time_limit_s=args.time_limit,
                    env_id=args.env, seed=args.seed, profile=args.profile)


def _print_demo(result: dict) -> None:
    from memctrl.ros.demo import print_summary
    print_summary(result)


def _launch(args: argparse.Namespace) -> dict:
    from memctrl.ros.launch_file import parse_launch
    from memctrl.ros.launcher import Launch, run_until_exit
    overrides = {}
    for item in args.arguments:
        name, separator, value = item.partition(":=")
        if not separator or not name:
            raise ValueError(f"launch arguments are NAME:=VALUE, got {item!r}")
        overrides[name] = value
    statuses = run_until_exit(Launch(parse_launch(args.file, overrides)))
    return {"file": str(args.file), "exit_status": statuses}


def _print_launch(result: dict) -> None:
    for name, status in result["exit_status"].items():
        print(f"{name}: exit status {status}")


class _OneLineParser(argparse.ArgumentParser):
    """A usage error is one line (``memctrl train: error ...``), exit status 2; ``-h``
    shows the usage. Every subcommand's parser is one of these too."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} -h)\n")

    def parse_args(self, args=None, namespace=None):
        """As argparse's, with an unknown option blamed on the subcommand it followed."""
        parsed, unknown = self.parse_known_args(args, namespace)
        if unknown:
            command = getattr(self, "commands", {}).get(getattr(parsed, "command", None), self)
            command.error(f"unrecognized arguments: {' '.join(unknown)}")
        return parsed


def build_parser() -> argparse.ArgumentParser:
    from memctrl.device.presets import DEFAULT_NEURON_PRESET, NEURON_PRESETS
    parser = _OneLineParser(
        prog="memctrl",
        description="Neuromorphic control with emulated ion-based diffusive-memristor neurons.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    commands = parser.add_subparsers(dest="command", required=True)

    char = commands.add_parser(
        "characterize", help="run the paper's protocols on the emulated 1M1T1R neuron")
    char.add_argument("--preset", default=DEFAULT_NEURON_PRESET, choices=sorted(NEURON_PRESETS),
                      help=f"neuron preset (default {DEFAULT_NEURON_PRESET})")
    char.add_argument("--trials", type=_positive_int, default=200,
                      help="trials per stochastic protocol point (default 200)")
    char.add_argument("--seed", type=_seed, default=0)
    char.add_argument("--json", action="store_true", help="print one JSON object")
    char.set_defaults(run=_characterize, show=_print_characterization)

    bench = commands.add_parser("bench", help="time one control tick, compiled vs reference")
    bench.add_argument("--neurons", type=_positive_int, nargs="+", default=[100, 1000, 10000])
    bench.add_argument("--substeps", type=_positive_int, default=10)
    bench.add_argument("--seed", type=_seed, default=0)
    bench.add_argument("--out", type=Path, metavar="DIR",
                       help="write the run record of the largest compiled network here, "
                            "for `memctrl report` (a new or empty directory, or one "
                            "holding only a bench record)")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.set_defaults(run=_bench, show=_print_bench)

    report = commands.add_parser(
        "report", help="price a run on memristor hardware: report.md, report.json, plots; "
                       "or a sweep's design frontier")
    report.add_argument("--run", dest="run_dir", metavar="DIR",
                        help="run directory holding run.json (and metrics.jsonl)")
    report.add_argument("--frontier", metavar="SWEEP_DIR",
                        help="instead of one run, the design frontier of a `memctrl sweep` "
                             "directory: energy per step against learning for every design, "
                             "the Pareto front, the cheapest design that learns within the "
                             "profile's budget (frontier.md, frontier.json, a plot per task)")
    report.add_argument("--out", metavar="DIR", help="directory to write the report into")
    report.add_argument("--profile", default="coin-cell",
                        help="power-budget profile (default coin-cell; see --list-profiles)")
    report.add_argument("--hardware", metavar="NAME",
                        help="hardware preset (default: the one of the run's neuron preset; "
                             "see --list-hardware)")
    report.add_argument("--list-profiles", action="store_true",
                        help="list the power-budget profiles and exit")
    report.add_argument("--list-hardware", action="store_true",
                        help="list the hardware presets and exit")
    report.add_argument("--json", action="store_true", help="print one JSON object")
    report.set_defaults(run=_report, show=_print_report)

    train = commands.add_parser(
        "train", help="train a spiking controller online on a gymnasium environment")
    train.add_argument("--env", metavar="ID",
                       help="registered gymnasium id, e.g. CartPole-v1 (one that registers "
                       "no step limit is cut off at 1,000 steps)")
    train.add_argument("--episodes", type=_positive_int, default=300,
                       help="training episodes in all (with --resume: until this many)")
    train.add_argument("--seed", type=_seed,
                       help="seed of a new run (default 0; a resumed run keeps its own)")
    train.add_argument("--out", type=Path, metavar="DIR",
                       help="run directory to create (new or empty)")
    train.add_argument("--resume", type=Path, metavar="DIR",
                       help="continue the run in DIR from its last checkpoint")
    train.add_argument("--eval-every", type=_positive_int, default=50,
                       help="episodes between solved-checks (default 50)")
    train.add_argument("--eval-episodes", type=_positive_int, default=100,
                       help="episodes per evaluation (default 100)")
    train.add_argument("--checkpoint-every", type=_positive_int, default=10,
                       help="episodes between checkpoints (default 10)")
    train.add_argument("--config", type=Path, metavar="FILE.yaml",
                       help="controller settings (ControllerConfig fields), e.g. "
                            "config/cartpole.yaml; defaults otherwise")
    train.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    train.add_argument("--json", action="store_true", help="print one JSON object")
    train.set_defaults(run=_train, show=_print_train)

    evaluate = commands.add_parser("evaluate", help="evaluate a trained run without learning")
    evaluate.add_argument("--run", dest="run_dir", required=True, metavar="DIR",
                          help="run directory written by `memctrl train`")
    evaluate.add_argument("--episodes", type=_positive_int, default=100)
    evaluate.add_argument("--seed", type=_seed, help="first environment seed "
                          "(default: the run's evaluation seeds)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(run=_evaluate, show=_print_evaluate)

    sweep = commands.add_parser(
        "sweep", help="train over a grid of seeds, device variation and hyper-parameters, "
                      "on Ray Tune")
    sweep.add_argument("--config", type=Path, required=True, metavar="FILE.yaml",
                       help="sweep file (see config/sweep.yaml)")
    sweep.add_argument("--out", type=Path, required=True, metavar="DIR",
                       help="sweep directory; the same command again resumes an interrupted "
                            "sweep")
    sweep.add_argument("--address", metavar="ray://HOST:PORT",
                       help="join this Ray cluster (default: a local Ray on every core)")
    sweep.add_argument("--json", action="store_true", help="print one JSON object")
    sweep.set_defaults(run=_sweep, show=_print_sweep)

    demo = commands.add_parser(
        "demo", help="learn a simulated robot online over ROS 2 (DDS), then the power report")
    demo.add_argument("--episodes", type=_positive_int, default=200,
                      help="stop after this many episodes (default 200)")
    demo.add_argument("--time-limit", type=_positive_seconds, default=180.0, metavar="S",
                      help="stop after this many seconds at most (default 180)")
    demo.add_argument("--env", default="CartPole-v1", metavar="ID",
                      help="gymnasium id to simulate (default CartPole-v1)")
    demo.add_argument("--seed", type=_seed, default=0)
    demo.add_argument("--profile", default="coin-cell",
                      help="power-budget profile of the report (default coin-cell)")
    demo.add_argument("--out", type=Path, metavar="DIR",
                      help="run directory (default runs/demo-DATE-TIME)")
    demo.add_argument("--json", action="store_true", help="print one JSON object")
    demo.set_defaults(run=_demo, show=_print_demo)

    launch = commands.add_parser(
        "launch", help="start the nodes of a ROS 2 XML launch file (without the ros2 CLI)")
    launch.add_argument("file", type=Path, help="launch file, e.g. launch/sim.launch.xml")
    launch.add_argument("arguments", nargs="*", metavar="NAME:=VALUE",
                        help="launch arguments")
    launch.add_argument("--json", action="store_true", help="print one JSON object")
    launch.set_defaults(run=_launch, show=_print_launch)
    parser.commands = commands.choices      # for parse_args's unknown options
    return parser


BROKEN_PIPE_STATUS = 141
"""Exit status when the reader of stdout left: 128 + SIGPIPE, what a shell reports for a
tool that SIGPIPE ended."""


def _one_line(message: str) -> str:
    """``message`` with its line breaks (a path may hold one) written as escapes."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def main(argv: Sequence[str] | None = None) -> int:
    # This module imports the standard library only (and ``memctrl`` loads its names when
    # used): a Ctrl-C while the command's own modules load is told here, in one line.
    try:
        args = build_parser().parse_args(argv)
        from memctrl.training.loop import EnvironmentFailure
    except KeyboardInterrupt:
        print("memctrl: interrupted", file=sys.stderr)
        return 130
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    run: Callable[[argparse.Namespace], dict] = args.run
    try:
        result = run(args)
    except (ValueError, OSError, EnvironmentFailure) as error:
        # bad input, a path that cannot be written, or a task that fails
        print(f"memctrl {args.command}: {_one_line(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"memctrl {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:   # a fault of memctrl itself: one line, the trace on -v
        if args.verbose:
            traceback.print_exc()
        print(f"memctrl {args.command}: internal error, {type(error).__name__}: "
              f"{_one_line(str(error))} (memctrl -v ... shows the traceback)", file=sys.stderr)
        return 1
    try:
        if args.json:
            print(json.dumps(_json_safe(result)))
        else:
            args.show(result)
        if sys.stdout is not None:               # None: started with stdout closed (>&-)
            sys.stdout.flush()
    except OSError as error:
        # nothing more can reach stdout (and Python's own flush at exit must not fail again)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if isinstance(error, BrokenPipeError):
            return BROKEN_PIPE_STATUS        # the reader left (`| head`): quietly, as a shell tool
        print(f"memctrl {args.command}: cannot write the output ({error.strerror})",
              file=sys.stderr)
        return 2
    # a sweep reports every trial, then says in its status whether some failed
    return 1 if args.command == "sweep" and result["failed"] else 0


def _json_safe(value: object) -> object:
    """``value`` with every non-finite float as null: strict JSON (no NaN, no Infinity)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
