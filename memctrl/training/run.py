"""A training run directory: what ``memctrl train`` writes and ``memctrl evaluate`` reads.

``DIR`` holds:

- ``controller.npz``: the controller checkpoint (:meth:`SpikingController.save`);
- ``state.json``: env id, seed, episodes and steps done, evaluations so far;
- ``metrics.csv`` and ``metrics.jsonl``: one row per training episode;
- ``run.json``: the run record (``memctrl.run_record``) so that
  ``memctrl report --run DIR`` prices the run.

Every checkpoint writes ``controller-next.npz``, then ``state.json`` naming its
hash (the commit point), then renames it to ``controller.npz``, then
``run.json``, each through a temporary file renamed into place; a crash leaves
the previous complete checkpoint, or completes the committed one on the next
resume or evaluate (the controller always matches ``state.json``; metrics rows
past ``state.json`` are dropped on resume).

Solved. ``solved_at_episode`` is the first checkpoint episode ``e`` (every
``eval_every`` episodes, and the last) after which the mean return of
``eval_episodes`` evaluation episodes (learning off, on a copy of the
controller, environment seeds apart from the training ones) reaches the
environment's ``reward_threshold`` (or the ``reward_threshold`` given to
:func:`train`). To keep it cheap, a checkpoint whose last 20 training returns
average below the threshold less half its size is not evaluated (it could
hardly pass). The evaluation's energy is not counted in the run's energy.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import time
from pathlib import Path
from typing import Any

import gymnasium
import numpy as np

from memctrl.controller import ControllerConfig, SpikingController
from memctrl.run_record import RUN_FILE, atomic_write_bytes, atomic_write_text, run_record
from memctrl.training.callbacks import CheckpointCallback, MetricsWriter, ProgressBar
from memctrl.training.loop import TrainContext, evaluate, run_episodes

logger = logging.getLogger(__name__)

CONTROLLER_FILE = "controller.npz"
NEXT_CONTROLLER_FILE = "controller-next.npz"
STATE_FILE = "state.json"
STATE_FORMAT = "memctrl-train-state/1"
EVAL_SEED_OFFSET = 7_777_777
"""Evaluation episodes use environment seeds from ``seed + EVAL_SEED_OFFSET`` on."""


def make_env(env_id: str) -> gymnasium.Env:
    """``gymnasium.make(env_id)`` (memctrl's own ids registered); ValueError if unknown."""
    import sim_envs  # noqa: F401  (registers memctrl/... ids)
    try:
        return gymnasium.make(env_id)
    except gymnasium.error.Error as error:
        raise ValueError(f"unknown or unavailable environment id {env_id!r} ({error})") from None
    except ModuleNotFoundError as error:
        raise ValueError(f"environment {env_id!r} needs a missing module ({error})") from None


def controller_run_record(controller: SpikingController, total_steps: int,
                          counters: dict[str, float] | None = None,
                          source: str = "train") -> dict:
    """The run record of ``total_steps`` control steps of ``controller`` (for the power
    model); ``counters`` default to the controller's totals."""
    config = controller.config
    duration = controller.step_duration_s
    return run_record(source, controller.actor[0].kernel, controller.actor[0].config,
                      config.neuron_preset, config.synapse_preset, total_steps, duration,
                      controller.counters if counters is None else counters,
                      n_neurons=controller.n_neurons,
                      neuron_ticks_per_step=controller.neuron_evaluations_per_step,
                      ticks_per_step=round(duration / (config.dt_s * config.substeps)),
                      n_inputs=controller.encoder.n_channels, n_recurrent_synapses=0)


def read_state(directory: Path) -> dict:
    """``DIR/state.json``; ValueError names the file and the problem."""
    path = Path(directory) / STATE_FILE
    if not path.is_file():
        raise ValueError(f"{path}: no training state (expected a directory written by "
                         "`memctrl train`)")
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
        raise ValueError(f"{path}: not a {STATE_FORMAT} file")
    return state


def _load_checkpoint(directory: Path, state: dict, backend: str | None) -> SpikingController:
    """The controller that ``state.json`` commits to.

    A checkpoint writes ``controller-next.npz``, then ``state.json`` naming its hash
    (the commit), then renames it to ``controller.npz``. A crash before the commit
    leaves a stale next file (dropped); after it, a committed one (moved into place).
    """
    path, pending = directory / CONTROLLER_FILE, directory / NEXT_CONTROLLER_FILE
    committed = state.get("controller_sha256")
    if pending.exists():
        if committed and _sha256(pending) == committed:
            os.replace(pending, path)
        else:
            pending.unlink()
    if committed and path.exists() and _sha256(path) != committed:
        raise ValueError(f"{path}: not the checkpoint {directory / STATE_FILE} commits to "
                         "(sha256 differs)")
    return SpikingController.load(path, backend)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_spaces(controller: SpikingController, env: gymnasium.Env, path: Path) -> None:
    """ValueError naming the checkpoint when it was trained for other spaces than ``env``'s."""
    if (controller.observation_space, controller.action_space) != (env.observation_space,
                                                                   env.action_space):
        raise ValueError(f"{path}: trained for {controller.observation_space} / "
                         f"{controller.action_space}, but {env.spec.id if env.spec else env} "
                         f"has {env.observation_space} / {env.action_space}")


def _truncate_metrics(directory: Path, episodes_done: int) -> None:
    """Keep the metrics rows of the episodes the last checkpoint holds.

    Rows of later episodes, and a row a crash left half-written, are dropped.
    """
    jsonl = directory / "metrics.jsonl"
    if jsonl.exists():
        rows = [line for line in jsonl.read_text(encoding="utf-8").splitlines()
                if _jsonl_episode(line) < episodes_done]
        atomic_write_text(jsonl, "".join(row + "\n" for row in rows))
    csv_path = directory / "metrics.csv"
    if csv_path.exists():
        header, *lines = csv_path.read_text(encoding="utf-8").splitlines() or [""]
        fields = header.count(",")
        kept = [line for line in lines
                if line.count(",") == fields and _csv_episode(line) < episodes_done]
        atomic_write_text(csv_path, "".join(line + "\n" for line in [header, *kept]))


def _jsonl_episode(line: str) -> float:
    """The episode of a metrics.jsonl row; infinity for a torn or foreign line."""
    try:
        episode = json.loads(line)["episode"]
    except (json.JSONDecodeError, TypeError, KeyError):
        return math.inf
    return episode if isinstance(episode, int) else math.inf


def _csv_episode(line: str) -> float:
    """The episode of a metrics.csv row (its first field); infinity if it is not one."""
    try:
        return int(line.split(",", 1)[0])
    except ValueError:
        return math.inf


def _evaluate_copy(env_id: str, controller: SpikingController, episodes: int,
                   seed: int) -> float:
    env = make_env(env_id)
    try:
        returns = evaluate(env, controller.copy(), episodes, seed=seed + EVAL_SEED_OFFSET)
    finally:
        env.close()
    return float(np.mean(returns))


def train(env_id: str | None, episodes: int, seed: int | None = None, out: Path | None = None,
          resume: Path | None = None, config: ControllerConfig | None = None,
          eval_every: int = 50, eval_episodes: int = 100, checkpoint_every: int = 10,
          progress: bool = True, backend: str = "compiled",
          reward_threshold: float | None = None) -> dict[str, Any]:
    """Train online on ``env_id`` up to ``episodes`` episodes in all; returns the summary.

    With ``resume`` (a run directory), training continues from its last checkpoint
    until ``episodes`` episodes are done in all (``env_id``, ``seed`` and
    ``config`` come from the directory; given ones must agree). A new run's seed
    is 0 unless given. Raises ValueError for an unknown id, an unsupported space,
    a directory that is not a run, or a resume that contradicts its run.
    ``reward_threshold`` is the mean evaluation return that counts as solved;
    by default the environment's (None for an environment that registers none:
    the run is then never solved).
    """
    started = time.perf_counter()
    if resume is not None:
        directory = Path(resume)
        state = read_state(directory)
        for flag, given, recorded in (("--env", env_id, state["env"]),
                                      ("--seed", seed, int(state["seed"]))):
            if given is not None and given != recorded:
                raise ValueError(f"{directory} is a run with {flag} {recorded}, not {given}")
        env_id, seed = state["env"], int(state["seed"])
        controller = _load_checkpoint(directory, state, backend)
        if config is not None and config != controller.config:
            raise ValueError(f"{directory} is a run with other controller settings; "
                             "resume it without --config")
        done, total_steps = int(state["episodes_done"]), int(state["total_steps"])
        evaluations = list(state.get("evaluations", []))
        solved_at = state.get("solved_at_episode")
        wall_before = float(state.get("wall_s", 0.0))
        _truncate_metrics(directory, done)
        env = make_env(env_id)
        check_spaces(controller, env, directory / CONTROLLER_FILE)
    else:
        if out is None:
            raise ValueError("--out DIR is required (or --resume DIR)")
        directory = Path(out)
        if (directory / STATE_FILE).exists():
            raise ValueError(f"{directory} already holds a run; use --resume {directory} "
                             "or another --out")
        seed = 0 if seed is None else seed
        env = make_env(env_id)
        controller = SpikingController(env.observation_space, env.action_space, config,
                                       seed=seed, backend=backend)
        done, total_steps, evaluations, solved_at, wall_before = 0, 0, [], None, 0.0
        for name in ("metrics.jsonl", "metrics.csv"):
            (directory / name).unlink(missing_ok=True)
    if reward_threshold is not None:
        threshold = float(reward_threshold)
    else:
        threshold = env.spec.reward_threshold if env.spec is not None else None
    steps_before = total_steps
    summary: dict[str, Any] = {}

    def save(context: TrainContext, episodes_done: int) -> None:
        nonlocal solved_at
        steps = steps_before + context.total_steps
        recent = [item.episode_return for item in context.history[-20:]]
        worth = (threshold is not None and recent
                 and np.mean(recent) >= threshold - abs(threshold) / 2)
        if worth and (episodes_done % eval_every == 0 or episodes_done == episodes):
            mean = _evaluate_copy(env_id, controller, eval_episodes, seed)
            evaluations.append({"episode": episodes_done, "mean_return": mean})
            logger.info("evaluation after episode %d: mean return %.1f", episodes_done, mean)
            if solved_at is None and mean >= threshold:
                solved_at = episodes_done
        checkpoint = controller.to_bytes()
        atomic_write_bytes(directory / NEXT_CONTROLLER_FILE, checkpoint)
        state = {"format": STATE_FORMAT, "env": env_id, "seed": seed,
                 "controller_sha256": hashlib.sha256(checkpoint).hexdigest(),
                 "episodes_done": episodes_done, "total_steps": steps,
                 "evaluations": evaluations, "solved_at_episode": solved_at,
                 "reward_threshold": threshold,
                 "wall_s": wall_before + time.perf_counter() - started}
        atomic_write_text(directory / STATE_FILE, json.dumps(state, indent=2) + "\n")
        os.replace(directory / NEXT_CONTROLLER_FILE, directory / CONTROLLER_FILE)
        if steps > 0:
            atomic_write_text(directory / RUN_FILE,
                              json.dumps(controller_run_record(controller, steps), indent=2,
                                         sort_keys=True) + "\n")

    callbacks = [MetricsWriter(directory),
                 # every evaluation episode is a checkpoint episode too
                 CheckpointCallback(save, math.gcd(checkpoint_every, eval_every),
                                    first_episode=done)]
    if progress:
        callbacks.insert(0, ProgressBar(max(episodes - done, 0), first_episode=done))
    try:
        context = run_episodes(env, controller, max(episodes - done, 0), callbacks,
                               seed=seed, learning=True, first_episode=done)
    finally:
        env.close()
    total_steps = steps_before + context.total_steps
    final = [item for item in evaluations if item["episode"] == episodes]
    if final:
        final_mean = final[-1]["mean_return"]
    else:
        final_mean = _evaluate_copy(env_id, controller, eval_episodes, seed)
    summary.update({
        "env": env_id, "episodes": episodes, "total_steps": total_steps,
        "solved_at_episode": solved_at, "final_eval_mean_return": final_mean,
        "energy_j": controller.energy_j,
        "wall_s": wall_before + time.perf_counter() - started,
        "reward_threshold": threshold, "evaluations": evaluations, "out": str(directory),
        "train_mean_return_last_100": float(np.mean(
            [item.episode_return for item in context.history[-100:]]))
        if context.history else None,
    })
    return summary


def evaluate_run(directory: Path, episodes: int = 100, seed: int | None = None,
                 backend: str | None = None) -> dict[str, Any]:
    """Evaluate the run's controller without learning; returns the summary."""
    directory = Path(directory)
    state = read_state(directory)
    controller = _load_checkpoint(directory, state, backend)
    controller._counter_offset[:] = 0.0
    env = make_env(state["env"])
    check_spaces(controller, env, directory / CONTROLLER_FILE)
    eval_seed = int(state["seed"]) + EVAL_SEED_OFFSET if seed is None else seed
    started = time.perf_counter()
    try:
        context = run_episodes(env, controller, episodes, seed=eval_seed, learning=False)
    finally:
        env.close()
    returns = [item.episode_return for item in context.history]
    steps = max(context.total_steps, 1)
    return {"env": state["env"], "run": str(directory), "episodes": episodes,
            "episodes_trained": state["episodes_done"],
            "mean_return": float(np.mean(returns)), "std_return": float(np.std(returns)),
            "min_return": float(np.min(returns)), "max_return": float(np.max(returns)),
            "reward_threshold": state.get("reward_threshold"),
            "solved": (state.get("reward_threshold") is not None
                       and float(np.mean(returns)) >= state["reward_threshold"]),
            "energy_j": controller.energy_j, "energy_per_step_j": controller.energy_j / steps,
            "wall_s": time.perf_counter() - started}


__all__ = ["evaluate_run", "make_env", "read_state", "train"]
