"""Learning suite: the library defaults of the spiking controller on fifteen tasks, one table.

Each task is one ``memctrl sweep`` (Ray Tune) over the seeds, in ``OUT/TASK``
(``/`` in an id becomes ``-``): the controller's library defaults (no settings
file; the devices keep their default non-idealities), ``episodes`` training
episodes, a 100-episode evaluation every 25 episodes whose last 20 training
returns average at least the solved line less half its size, and one after the
last episode (``memctrl train``'s rule). The table gives, per task and seed:
the first evaluation at or above the solved line ("solved at"), the final
evaluation mean, the random policy's mean return, the constant action's (a
controller that ignores its sensors: for Box actions the zero command, what a
controller earns by learning only to stop wasting effort; for Discrete actions the
best single action held throughout), the solved line, the gap
closed ``(final - random) / (solved line - random)``, the hand-written
baseline's mean return (memctrl's own tasks), the modelled device energy per
training step and the trial's wall time. On CartPole-v1 it adds the 1983
ASE/ACE learner (``benchmarks/ase_ace.py``) on the same seeds, budget and
evaluation episodes. The table is printed as text and as Markdown, which is
also written to ``OUT/suite.md``.

The random policy (``env.action_space.sample()``, its generator seeded 0), the constant
action and the hand-written baselines play the 100 evaluation episodes of seed 0 (environment
seeds ``episode_seed(EVAL_SEED_OFFSET, k)``), measured in the suite's run and
kept in ``OUT/TASK/references.json``.

| task | episodes | solved line |
|---|---|---|
| CartPole-v1 | 300 | 475 (registered) |
| Pendulum-v1 | 200 | -400 (stated: the project's target; none registered) |
| memctrl/TremorSuppression-v0 | 200 | 2950 (stated: the damping baseline's mean return) |
| memctrl/LineFollower-v0 | 200 | 670 (stated: the proportional baseline's mean return) |
| Acrobot-v1 | 300 | -100 (registered) |
| MountainCar-v0 | 300 | -110 (registered) |
| MountainCarContinuous-v0 | 300 | 90 (registered) |
| LunarLander-v3 | 1000 | 200 (registered; Box2D) |
| LunarLanderContinuous-v3 | 1000 | 200 (registered; Box2D) |
| InvertedPendulum-v5 | 1000 | 950 (registered; MuJoCo) |
| Reacher-v5 | 300 | -3.75 (registered; MuJoCo) |
| Pusher-v5 | 300 | 0 (registered; MuJoCo) |
| Taxi-v4 | 1000 | 8 (registered; Discrete observations) |
| FrozenLake-v1 | 2000 | 0.7 (registered; Discrete observations) |
| CliffWalking-v1 | 500 | -13 (stated: the shortest path; Sutton & Barto 2018, Ex. 6.6) |

The stated lines of memctrl's own tasks, which register none, are the
hand-written baselines' mean returns on the reference episodes, rounded to 10
(2950.2 for :class:`sim_envs.baselines.TremorDampingController`, 671.3 for
:class:`sim_envs.baselines.LineCentroidController`): "solved" there means "as
good as the hand-written controller". The tremor task's own metric, the tremor
reduction, is not among what a sweep reports; ``benchmarks/learning_tremor.py``
measures it. Box2D and MuJoCo are pinned in ``requirements.txt``; a task whose
package is missing all the same is skipped with a printed line.

    .venv/bin/python benchmarks/learning_suite.py --out runs/suite [--tasks ID ...]
        [--seeds 0 1 ... 9] [--episodes N] [--address ray://HOST:PORT]

``--episodes`` replaces every task's budget (for smoke runs). The same command
into the same ``--out`` resumes an interrupted suite: a finished task is read
back from its ``summary.json``, an unfinished one is resumed by its sweep, the
references and the ASE/ACE seeds are read back. A task directory belongs to
one choice of seeds and budget; another choice needs another ``--out``.
``--address`` runs the trials on a Ray cluster (``--out`` then on a file system
that the cluster shares, as for ``memctrl sweep``); the references and the
ASE/ACE run here.

Why each budget, and every run of the suite measured since session 1 (each change to the
defaults across the tasks, kept or not), are in ``benchmarks/notes/learning_suite.md``; the
README's "What the defaults learn" has the current table.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol

import gymnasium
import numpy as np
import yaml

import sim_envs  # noqa: F401  (registers the memctrl/... ids)
from ase_ace import episodes_to_solve
from memctrl.run_record import atomic_write_text
from memctrl.sweep import parse_sweep_config, run_sweep
from memctrl.sweep.cluster import local_cpus
from memctrl.sweep.run import SWEEP_FILE
from memctrl.run_dir import episode_seed, make_env
from memctrl.training.run import EVAL_SEED_OFFSET
from sim_envs.baselines import LineCentroidController, TremorDampingController

EVAL_EVERY = 25
EVAL_EPISODES = 100
CHECKPOINT_EVERY = 25
REFERENCE_SEED = 0
"""The random policy's generator seed, and the run seed whose evaluation episodes the
reference policies play."""
REFERENCES_FILE = "references.json"
ASE_ACE_DIRECTORY = "ase-ace"


class Policy(Protocol):
    """A fixed policy: ``reset()`` at each episode start, then ``policy(observation)``."""

    def reset(self) -> None: ...

    def __call__(self, observation: np.ndarray) -> Any: ...


@dataclass(frozen=True)
class Task:
    """One task of the suite: its training budget and the return that counts as solved.

    ``stated_threshold`` replaces the environment's registered reward threshold (it is
    the sweep's ``success_return``); ``baseline`` builds the hand-written controller.
    """

    env_id: str
    episodes: int
    stated_threshold: float | None = None
    baseline: Callable[[gymnasium.Env], Policy] | None = None

    @property
    def threshold(self) -> float:
        if self.stated_threshold is not None:
            return self.stated_threshold
        return float(gymnasium.spec(self.env_id).reward_threshold)

    @property
    def directory_name(self) -> str:
        return self.env_id.replace("/", "-")


TASKS = (
    Task("CartPole-v1", 300),
    Task("Pendulum-v1", 200, stated_threshold=-400.0),
    Task("memctrl/TremorSuppression-v0", 200, stated_threshold=2950.0,
         baseline=TremorDampingController.for_env),
    Task("memctrl/LineFollower-v0", 200, stated_threshold=670.0,
         baseline=lambda env: LineCentroidController(lateral_m=env.unwrapped.sensors.lateral_m)),
    Task("Acrobot-v1", 300),
    Task("MountainCar-v0", 300),
    Task("MountainCarContinuous-v0", 300),
    Task("LunarLander-v3", 1000),
    Task("LunarLanderContinuous-v3", 1000),
    Task("InvertedPendulum-v5", 1000),
    Task("Reacher-v5", 300),
    Task("Pusher-v5", 300),
    Task("Taxi-v4", 1000),
    Task("FrozenLake-v1", 2000),
    Task("CliffWalking-v1", 500, stated_threshold=-13.0),
)
ASE_ACE_TASK = "CartPole-v1"


class ConstantActionPolicy:
    """One action held throughout, whatever the observations: a controller that ignores its
    sensors (:func:`constant_action_return`)."""

    def __init__(self, action: Any):
        self.action = action

    def reset(self) -> None:
        pass

    def __call__(self, observation: np.ndarray) -> Any:
        return self.action


def constant_action_return(env: gymnasium.Env) -> float:
    """The mean return of holding one action on the evaluation episodes: for a Box space
    the zero command (clipped into its bounds; standing still, what a controller earns by
    learning only to stop wasting effort), for a Discrete space the best of its actions
    (LunarLander-v3's is "do nothing")."""
    space = env.action_space
    if isinstance(space, gymnasium.spaces.Box):
        zero = np.clip(np.zeros(space.shape, space.dtype), space.low, space.high)
        return mean_return(env, ConstantActionPolicy(zero), EVAL_EPISODES, REFERENCE_SEED)
    return max(mean_return(env, ConstantActionPolicy(space.start + k), EVAL_EPISODES,
                           REFERENCE_SEED) for k in range(int(space.n)))


class RandomPolicy:
    """``env.action_space.sample()``, its generator seeded once."""

    def __init__(self, env: gymnasium.Env, seed: int):
        self.space = env.action_space
        self.space.seed(seed)

    def reset(self) -> None:
        pass

    def __call__(self, observation: np.ndarray) -> Any:
        return self.space.sample()


def missing_dependency(env_id: str) -> str | None:
    """Why ``env_id`` cannot be made here (a package missing), or None."""
    try:
        env = gymnasium.make(env_id)
    except (gymnasium.error.DependencyNotInstalled, ImportError) as error:
        return str(error)
    env.close()
    return None


def mean_return(env: gymnasium.Env, policy: Policy, episodes: int, seed: int) -> float:
    """Mean return of ``policy`` over the evaluation episodes of a run seeded ``seed``."""
    returns = []
    for k in range(episodes):
        observation, _ = env.reset(seed=episode_seed(seed + EVAL_SEED_OFFSET, k))
        policy.reset()
        episode_return, done = 0.0, False
        while not done:
            observation, reward, terminated, truncated, _ = env.step(policy(observation))
            episode_return += float(reward)
            done = terminated or truncated
        returns.append(episode_return)
    return float(np.mean(returns))


def references(task: Task, directory: Path) -> dict[str, float | None]:
    """The random policy's, the baseline's and the constant action's mean returns
    (:func:`constant_action_return`), measured once and kept in
    ``directory/references.json``."""
    path = directory / REFERENCES_FILE
    if path.exists():
        kept = json.loads(path.read_text(encoding="utf-8"))
        if "constant_action_mean_return" in kept:
            return kept
    env = make_env(task.env_id)       # as the trials make it (a step limit if none)
    try:
        measured = {"random_mean_return": mean_return(env, RandomPolicy(env, REFERENCE_SEED),
                                                      EVAL_EPISODES, REFERENCE_SEED),
                    "baseline_mean_return": None if task.baseline is None else mean_return(
                        env, task.baseline(env), EVAL_EPISODES, REFERENCE_SEED),
                    "constant_action_mean_return": constant_action_return(env)}
    finally:
        env.close()
    atomic_write_text(path, json.dumps(measured, indent=2) + "\n")
    return measured


def sweep_document(task: Task, seeds: list[int], episodes: int) -> dict[str, Any]:
    """The task's sweep file: the library defaults (no controller settings), one trial a seed."""
    document: dict[str, Any] = {"episodes": episodes, "eval_every": EVAL_EVERY,
                                "eval_episodes": EVAL_EPISODES,
                                "checkpoint_every": CHECKPOINT_EVERY,
                                "fixed": {"env": task.env_id}, "grid": {"seed": seeds}}
    if task.stated_threshold is not None:
        document["success_return"] = task.stated_threshold
    return document


def sweep_records(task: Task, seeds: list[int], episodes: int, directory: Path,
                  address: str | None) -> list[dict] | None:
    """The task's trial records (:mod:`memctrl.sweep.summary`), one per seed; None if the
    sweep was interrupted. A finished sweep is read back; ValueError if ``directory``
    holds a sweep of other seeds or another budget."""
    document = sweep_document(task, seeds, episodes)
    expected = parse_sweep_config(document).as_dict()
    summary_path, recorded = directory / "summary.json", directory / SWEEP_FILE
    if recorded.exists():
        if json.loads(recorded.read_text(encoding="utf-8")) != expected:
            raise ValueError(f"{directory} holds a sweep of other seeds or another budget; "
                             "give the same --seeds and --episodes to resume it, or another "
                             "--out")
        if summary_path.exists():
            return json.loads(summary_path.read_text(encoding="utf-8"))["trials"]
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "sweep.yaml"
        config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        result = run_sweep(config, directory, address=address)
    if result["interrupted"]:
        return None
    return json.loads(summary_path.read_text(encoding="utf-8"))["trials"]


def _ase_ace_seed(args: tuple[int, int, Path]) -> dict[str, Any]:
    """One ASE/ACE seed, trained (or read back from ``path``)."""
    seed, episodes, path = args
    if path.exists():
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept["episodes"] == episodes:
            return kept
    started = time.perf_counter()
    result = episodes_to_solve(seed, episodes, EVAL_EVERY, EVAL_EPISODES)
    record = {"seed": seed, "episodes": episodes, **result._asdict(),
              "wall_s": time.perf_counter() - started}
    atomic_write_text(path, json.dumps(record, indent=2) + "\n")
    return record


def ase_ace_records(seeds: list[int], episodes: int, directory: Path) -> list[dict[str, Any]]:
    """The ASE/ACE baseline on CartPole-v1, one record per seed, kept in ``directory``."""
    jobs = [(seed, episodes, directory / f"seed-{seed}.json") for seed in seeds]
    directory.mkdir(parents=True, exist_ok=True)
    with multiprocessing.Pool(min(local_cpus(), len(jobs))) as pool:
        return pool.map(_ase_ace_seed, jobs)


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def gap_closed(final: float | None, random_return: float, threshold: float) -> float | None:
    """``(final - random) / (threshold - random)``: 0 at the random policy, 1 at the line."""
    return None if final is None else (final - random_return) / (threshold - random_return)


HEADER = ("task", "controller", "seed", "solved at", "final eval", "random", "constant action",
          "solved line", "gap closed", "hand-written", "energy/step (nJ)", "wall (s)")


def table_row(task: Task, controller: str, seed: int, solved_at: int | None | str,
              final: float | None, refs: dict, energy_per_step_j: float | None,
              wall_s: float | None) -> list[str]:
    """One row of :data:`HEADER`, formatted."""
    gap = gap_closed(final, refs["random_mean_return"], task.threshold)
    return [task.env_id, controller, str(seed), "–" if solved_at is None else str(solved_at),
            _number(final), _number(refs["random_mean_return"]),
            _number(refs["constant_action_mean_return"]), f"{task.threshold:g}",
            "–" if gap is None else f"{gap:.0%}", _number(refs["baseline_mean_return"]),
            _number(None if energy_per_step_j is None else energy_per_step_j * 1e9, 0),
            _number(wall_s, 0)]


def trial_row(task: Task, record: dict, refs: dict) -> list[str]:
    """The row of one sweep trial (a failed or unfinished one has no numbers)."""
    seed = record["factors"]["seed"]
    metrics = record["metrics"]
    if metrics is None:
        return table_row(task, "defaults", seed, record["status"], None, refs, None, None)
    return table_row(task, "defaults", seed, metrics["solved_at_episode"],
                     metrics["final_eval_mean_return"], refs,
                     metrics["energy_j"] / max(metrics["total_steps"], 1), metrics["wall_s"])


def text_table(rows: list[list[str]]) -> str:
    """:data:`HEADER` and ``rows`` as right-aligned plain-text columns."""
    widths = [max(len(row[column]) for row in [list(HEADER), *rows])
              for column in range(len(HEADER))]
    return "\n".join("  ".join(cell.rjust(width) for cell, width in zip(row, widths))
                     for row in [list(HEADER), *rows])


def markdown_table(rows: list[list[str]]) -> str:
    """:data:`HEADER` and ``rows`` as a Markdown table."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def run_task(task: Task, seeds: list[int], episodes: int, out: Path,
             address: str | None) -> list[list[str]] | None:
    """The task's rows (sweep, then ASE/ACE on CartPole-v1); None if interrupted."""
    directory = out / task.directory_name
    records = sweep_records(task, seeds, episodes, directory, address)
    if records is None:
        return None
    refs = references(task, directory)
    rows = [trial_row(task, record, refs) for record in records]
    for record in records:
        if record["status"] == "failed":
            print(f"{task.env_id} seed {record['factors']['seed']} failed: {record['error']}")
    if task.env_id == ASE_ACE_TASK:
        rows += [table_row(task, "ASE/ACE 1983", item["seed"], item["solved_at_episode"],
                           item["final_eval_mean_return"], refs, None, item["wall_s"])
                 for item in ase_ace_records(seeds, episodes, directory / ASE_ACE_DIRECTORY)]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="suite directory; the same command again resumes")
    parser.add_argument("--tasks", nargs="+", default=[task.env_id for task in TASKS],
                        choices=[task.env_id for task in TASKS], metavar="ID")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(range(10)))
    parser.add_argument("--episodes", type=int,
                        help="training episodes of every task (default: each task's own)")
    parser.add_argument("--address", metavar="ray://HOST:PORT",
                        help="run the trials on this Ray cluster (default: a local Ray)")
    args = parser.parse_args(argv)
    rows: list[list[str]] = []
    for task in (task for task in TASKS if task.env_id in args.tasks):
        missing = missing_dependency(task.env_id)
        if missing is not None:
            print(f"skipping {task.env_id}: {missing}")
            continue
        try:
            task_rows = run_task(task, args.seeds, args.episodes or task.episodes,
                                 args.out.resolve(), args.address)
        except (ValueError, OSError) as error:
            print(f"learning_suite: {task.env_id}: {error}", file=sys.stderr)
            return 2
        if task_rows is None:
            print(f"learning_suite: {task.env_id} interrupted; run the same command again "
                  "to resume", file=sys.stderr)
            return 130
        rows += task_rows
    if not rows:
        print("no task ran")
        return 0
    print(text_table(rows))
    print()
    print(markdown_table(rows))
    atomic_write_text(args.out / "suite.md", markdown_table(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
