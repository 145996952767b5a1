"""A training run: what ``memctrl train`` writes and ``memctrl evaluate`` reads.

``DIR`` is a run directory (:mod:`memctrl.run_dir`) holding:

- ``controller.npz``: the controller checkpoint (:meth:`SpikingController.save`);
- ``state.json``: env id, seed, episodes and steps done, evaluations so far;
- ``metrics.csv`` and ``metrics.jsonl``: one row per training episode;
- ``run.json``: the run record (``memctrl.run_record``) so that
  ``memctrl report --run DIR`` prices the run.

Every checkpoint writes ``controller-next.npz``, then ``state.json`` naming its
hash (the commit point), then renames it to ``controller.npz``, then
``run.json``, each through a temporary file renamed into place; a crash leaves
the previous complete checkpoint, or the committed one under its next name, which
the next resume moves into place (``memctrl evaluate`` reads it there and changes no
file; the controller always matches ``state.json``; metrics rows past ``state.json``
are dropped on resume).

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
import re
import stat
import time
from pathlib import Path
from typing import Any

import numpy as np

from memctrl._checks import shown
from memctrl.controller import ControllerConfig, SpikingController, with_control_period
from memctrl.controller.checkpoint import overflowed_counters
from memctrl.energy.episodes import METRICS_FILE
from memctrl.run_dir import (CONTROLLER_FILE, METRICS_CSV_FILE, STATE_FILE, check_spaces,
                             closing, controller_run_record, hold_run_lock, make_env,
                             registered_threshold)
from memctrl.run_record import (RUN_FILE, atomic_write_bytes, atomic_write_text,
                                read_regular_bytes, remove_stale_temporaries,
                                require_new_directory, write_run_record)
from memctrl.training.callbacks import CheckpointCallback, MetricsWriter, ProgressBar
from memctrl.training.loop import TrainContext, evaluate, run_episodes

logger = logging.getLogger(__name__)

NEXT_CONTROLLER_FILE = "controller-next.npz"
STATE_FORMAT = "memctrl-train-state/1"
EVAL_SEED_OFFSET = 7_777_777
"""Evaluation episodes use environment seeds from ``seed + EVAL_SEED_OFFSET`` on."""


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _finite(value: object) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _evaluation(item: object) -> bool:
    return (isinstance(item, dict) and set(item) == {"episode", "mean_return"}
            and _count(item["episode"]) and _finite(item["mean_return"]))


STATE_KEYS = (
    ("env", lambda value: isinstance(value, str) and value != "", "an environment id"),
    ("seed", _count, "an integer >= 0"),
    ("controller_sha256",
     lambda value: isinstance(value, str) and re.fullmatch("[0-9a-f]{64}", value) is not None,
     "a sha256 hex digest"),
    ("episodes_done", _count, "an integer >= 0"),
    ("total_steps", _count, "an integer >= 0"),
    ("evaluations", lambda value: isinstance(value, list) and all(map(_evaluation, value)),
     "a list of {episode, mean_return}"),
    ("solved_at_episode", lambda value: value is None or _count(value),
     "null or an integer >= 0"),
    ("reward_threshold", lambda value: value is None or _finite(value),
     "null or a finite number"),
    ("wall_s", lambda value: _finite(value) and value >= 0, "a finite number >= 0"),
)
"""Every key of ``state.json`` besides ``format``: (key, check, what it must be)."""


def read_state(directory: Path) -> dict:
    """``DIR/state.json``, checked key by key; ValueError names the file and the key."""
    path = Path(directory) / STATE_FILE
    if not path.is_file():
        raise ValueError(f"{path}: no training state (expected a directory written by "
                         "`memctrl train`)")
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, RecursionError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: not valid JSON ({shown(error)})") from None
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
        raise ValueError(f"{path}: not a {STATE_FORMAT} file")
    for key, check, expected in STATE_KEYS:
        if key not in state:
            raise ValueError(f"{path}: missing key {key!r}")
        if not check(state[key]):
            raise ValueError(f"{path}: {key!r} must be {expected}, got {shown(state[key])}")
    return state


def _load_checkpoint(directory: Path, state: dict, backend: str | None) -> SpikingController:
    """The controller that ``state.json`` commits to, read without changing a file.

    A checkpoint writes ``controller-next.npz``, then ``state.json`` naming its hash
    (the commit), then renames it to ``controller.npz``. A crash before the commit
    leaves a stale next file; after it, a committed one (read from there; moved into
    place by :func:`_settle_checkpoint`).
    """
    path, pending = directory / CONTROLLER_FILE, directory / NEXT_CONTROLLER_FILE
    committed = state["controller_sha256"]
    # each file read once, so the controller built is the one hashed (a trainer may
    # rename the next file into place between two looks)
    try:
        data = read_regular_bytes(pending)
    except FileNotFoundError:
        data = None
    if data is not None and hashlib.sha256(data).hexdigest() == committed:
        return SpikingController.from_bytes(data, str(pending), backend)
    try:
        data = read_regular_bytes(path)
    except OSError as error:
        raise ValueError(f"{path}: cannot read the checkpoint ({error.strerror})") from None
    if hashlib.sha256(data).hexdigest() != committed:
        raise ValueError(f"{path}: not the checkpoint {directory / STATE_FILE} commits to "
                         "(sha256 differs)")
    return SpikingController.from_bytes(data, str(path), backend)


READ_ATTEMPTS = 10
"""Reads of a run's pair (state.json, checkpoint) before a mismatch is refused."""


def _read_committed(directory: Path, backend: str | None) -> tuple[dict, SpikingController]:
    """``state.json`` and the controller it commits to, read without changing a file (an
    evaluation never writes the run: its trainer may be running). A run being trained
    commits a new pair between the two reads now and then, so a pair that does not match
    is read again, up to :data:`READ_ATTEMPTS` times, before it is refused."""
    for _ in range(READ_ATTEMPTS - 1):
        state = read_state(directory)
        try:
            return state, _load_checkpoint(directory, state, backend)
        except ValueError:
            time.sleep(0.05)
    state = read_state(directory)
    return state, _load_checkpoint(directory, state, backend)


def _settle_checkpoint(directory: Path, state: dict) -> None:
    """Finish what a crash inside a checkpoint left: move a committed next file into
    place, drop a stale one."""
    pending = directory / NEXT_CONTROLLER_FILE
    if pending.exists():
        if _sha256(pending) == state["controller_sha256"]:
            os.replace(pending, directory / CONTROLLER_FILE)
        else:
            pending.unlink()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refuse_a_run(directory: Path) -> None:
    if (directory / STATE_FILE).exists():
        raise ValueError(f"{directory} already holds a run; use --resume {directory} "
                         "or another --out")


def require_new_run_directory(directory: Path) -> None:
    """ValueError unless ``directory`` can take a new run: absent or empty (a training
    run in it is continued with ``--resume``, and other files are not ours to replace)."""
    _refuse_a_run(directory)
    require_new_directory(directory, "choose a new --out (--resume continues only a run "
                                     "of `memctrl train`)")


def _kept_metrics(directory: Path, episodes_done: int) -> dict[Path, str]:
    """The metrics files' text with only the rows of the episodes the last checkpoint
    holds: rows of later episodes, and a row a crash left half-written, are dropped.
    All are read before any is written; ValueError names a file that is not text."""
    kept = {}
    for name, keep in ((METRICS_FILE, _kept_jsonl), (METRICS_CSV_FILE, _kept_csv)):
        path = directory / name
        if path.exists():
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except UnicodeDecodeError:
                raise ValueError(f"{path}: not UTF-8 text") from None
            kept[path] = "".join(line + "\n" for line in keep(lines, episodes_done))
    return kept


def _kept_jsonl(lines: list[str], episodes_done: int) -> list[str]:
    return [line for line in lines if _jsonl_episode(line) < episodes_done]


def _kept_csv(lines: list[str], episodes_done: int) -> list[str]:
    header, *rows = lines or [""]
    return [header, *(row for row in rows if row.count(",") == header.count(",")
                      and _csv_episode(row) < episodes_done)]


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


def _returns_in(jsonl: str) -> list[float]:
    """The episode returns of metrics.jsonl text (rows of other versions without one
    are skipped)."""
    rows = (json.loads(line) for line in jsonl.splitlines() if line.strip())
    return [float(row["return"]) for row in rows
            if isinstance(row, dict) and _finite(row.get("return"))]


def _evaluate_copy(env_id: str, controller: SpikingController, episodes: int,
                   seed: int) -> float:
    with closing(make_env(env_id)) as env:
        returns = evaluate(env, controller.copy(), episodes, seed=seed + EVAL_SEED_OFFSET)
    return float(np.mean(returns))


def _require_writable_run_files(directory: Path) -> None:
    """ValueError naming a file of the run that going on would write but must not, before
    anything trains: not a regular file (a directory named ``run.json`` failed only after
    the training, which had moved the run on), or write-protected (its owner's write bit
    off: the user's protection, which a rename into place would pass over)."""
    for name in (STATE_FILE, CONTROLLER_FILE, RUN_FILE, METRICS_FILE, METRICS_CSV_FILE):
        path = directory / name
        if not (path.exists() or path.is_symlink()):
            continue
        if not path.is_file():
            raise ValueError(f"{path} is not a regular file: the run cannot be written")
        if not path.stat().st_mode & stat.S_IWUSR:
            raise ValueError(f"{path} is write-protected: make it writable to go on with "
                             "the run")


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
                                      ("--seed", seed, state["seed"])):
            if given is not None and given != recorded:
                raise ValueError(f"{directory} is a run with {flag} {recorded}, not {given}")
        env_id, seed = state["env"], state["seed"]
        _require_writable_run_files(directory)
        controller = _load_checkpoint(directory, state, backend)
        done, total_steps = state["episodes_done"], state["total_steps"]
        if episodes < done:
            raise ValueError(f"{directory} has trained {done} episodes; --episodes is the "
                             f"total to reach, at least {done}")
        evaluations, solved_at = list(state["evaluations"]), state["solved_at_episode"]
        wall_before = float(state["wall_s"])
        metrics = _kept_metrics(directory, done)
        returns_before = _returns_in(metrics.get(directory / METRICS_FILE, ""))
        env = make_env(env_id)
        check_spaces(controller, env, directory / CONTROLLER_FILE)
        if config is not None:
            # a run saved before the control period was read has none: compare as it was made
            made = (config if controller.config.control_period_s is None
                    else with_control_period(config, env))
            if made.resolved(controller.observation_space,
                             controller.action_space) != controller.config:
                raise ValueError(f"{directory} is a run with other controller settings; "
                                 "resume it without --config")
    else:
        if out is None:
            raise ValueError("--out DIR is required (or --resume DIR)")
        directory = Path(out)
        _refuse_a_run(directory)
        seed = 0 if seed is None else seed
        env = make_env(env_id)
        controller = SpikingController.for_env(env, config, seed=seed, backend=backend)
        done, total_steps, evaluations, solved_at, wall_before = 0, 0, [], None, 0.0
        returns_before = []
    # All checked: only now, holding the run (no other process writes it), does a file change.
    with hold_run_lock(directory):
        if resume is not None:
            if read_state(directory) != state:
                raise ValueError(f"{directory} changed while it was being checked (another "
                                 "process?); try again")
            remove_stale_temporaries(directory)
            _settle_checkpoint(directory, state)
            for path, text in metrics.items():
                atomic_write_text(path, text)
        else:
            _refuse_a_run(directory)            # one another process wrote meanwhile
            for name in (METRICS_FILE, METRICS_CSV_FILE):
                (directory / name).unlink(missing_ok=True)
        if reward_threshold is not None:
            threshold = float(reward_threshold)
        else:
            threshold = registered_threshold(env)
        steps_before = total_steps
        summary: dict[str, Any] = {}

        def save(context: TrainContext, episodes_done: int) -> None:
            nonlocal solved_at
            if overflowed_counters(controller):
                raise ValueError(
                    f"the controller's modelled energy or counts are no longer finite after "
                    f"episode {episodes_done}: its device parameters overflow the model (see "
                    f"neuron_overrides, synapse_overrides); {directory} keeps the last checkpoint")
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
                write_run_record(directory, controller_run_record(controller, steps))

        if resume is None:
            # a checkpoint before the first episode: a run stopped early is resumed, not lost
            save(TrainContext(env=env, controller=controller, learning=True), 0)
        callbacks = [MetricsWriter(directory),
                     # every evaluation episode is a checkpoint episode too
                     CheckpointCallback(save, math.gcd(checkpoint_every, eval_every),
                                        first_episode=done)]
        if progress:
            callbacks.insert(0, ProgressBar(max(episodes - done, 0), first_episode=done))
        with closing(env):
            context = run_episodes(env, controller, max(episodes - done, 0), callbacks,
                                   seed=seed, learning=True, first_episode=done)
        total_steps = steps_before + context.total_steps
        recent = (returns_before + [item.episode_return for item in context.history])[-100:]
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
            "train_mean_return_last_100": float(np.mean(recent)) if recent else None,
        })
        return summary


def evaluate_run(directory: Path, episodes: int = 100, seed: int | None = None,
                 backend: str | None = None) -> dict[str, Any]:
    """Evaluate the run's controller without learning; returns the summary."""
    directory = Path(directory)
    state, controller = _read_committed(directory, backend)
    controller.reset_counters()
    env = make_env(state["env"])
    check_spaces(controller, env, directory / CONTROLLER_FILE)
    eval_seed = state["seed"] + EVAL_SEED_OFFSET if seed is None else seed
    started = time.perf_counter()
    with closing(env):
        context = run_episodes(env, controller, episodes, seed=eval_seed, learning=False)
    returns = [item.episode_return for item in context.history]
    steps = max(context.total_steps, 1)
    return {"env": state["env"], "run": str(directory), "episodes": episodes,
            "episodes_trained": state["episodes_done"],
            "mean_return": float(np.mean(returns)), "std_return": float(np.std(returns)),
            "min_return": float(np.min(returns)), "max_return": float(np.max(returns)),
            "reward_threshold": state["reward_threshold"],
            "solved": (state["reward_threshold"] is not None
                       and float(np.mean(returns)) >= state["reward_threshold"]),
            "energy_j": controller.energy_j, "energy_per_step_j": controller.energy_j / steps,
            "wall_s": time.perf_counter() - started}


__all__ = ["evaluate_run", "read_state", "train"]
