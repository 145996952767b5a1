"""The run directory that training, the ROS node and sweeps share, and what goes in it.

A run directory holds:

- ``controller.npz`` (:data:`CONTROLLER_FILE`): the controller checkpoint;
- ``run.json``: the run record of the controller's steps, for ``memctrl report``
  (:func:`controller_run_record`; the format is :mod:`memctrl.run_record`'s);
- ``metrics.csv`` and ``metrics.jsonl``: one row per episode (:class:`MetricsFiles`);
- ``state.json`` (:data:`STATE_FILE`) in a run of ``memctrl train``: its progress;
- ``.memctrl.lock`` (:data:`LOCK_FILE`): the lock of the process writing the run
  (:func:`hold_run_lock`; empty, left in place).

And the environment a run is made on: :func:`make_env` builds a gymnasium id
(memctrl's own registered), :func:`check_spaces` refuses a checkpoint made for
other spaces, and episode ``e`` of a run seeded ``s`` resets the environment
with :func:`episode_seed` ``(s, e)`` in every front-end.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import logging
import math
import numbers
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator

import gymnasium
from gymnasium import spaces
from gymnasium.wrappers import FlattenObservation, TimeLimit

from memctrl.controller import SpikingController
from memctrl.energy.episodes import METRICS_FILE
from memctrl.network.reference import ADDED_COUNTERS, COUNTER_NAMES
from memctrl.run_record import LOCK_FILE, run_record

logger = logging.getLogger(__name__)

CONTROLLER_FILE = "controller.npz"
STATE_FILE = "state.json"
METRICS_CSV_FILE = "metrics.csv"


def hold_run_lock(directory: Path) -> IO[str]:
    """Claim the run ``directory`` (made if absent) for this process while the returned
    file stays open; ValueError if it cannot be made or another process holds it (two runs
    writing one directory would interleave their files). The operating system drops the
    claim when the process ends, however it ends, so a killed run leaves no stale lock."""
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ValueError(f"{directory}: cannot make the directory ({error.strerror})") from None
    handle = open(directory / LOCK_FILE, "a", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise ValueError(f"{directory} is being written by another memctrl process") from None
    except OSError as error:    # a file system without locks (some NFS mounts): go on
        logger.warning("%s: cannot be locked (%s); nothing keeps a second process from "
                       "writing it", directory, error.strerror)
    return handle


DEFAULT_MAX_EPISODE_STEPS = 1000
"""Step limit of an environment that registers none (A: MuJoCo's customary 1,000 steps).
Without one, an episode ends only when the task does: CliffWalking-v1 ends at its goal,
and a policy that never reaches it would hold training, or an evaluation, forever."""


DEPENDENCY_IMPORT_NOISE = ("pkg_resources is deprecated as an API",)
"""Warnings the pinned dependencies give as an environment is made, which no user can act
on: pygame 2.6.1 (the Box2D tasks') imports ``pkg_resources``, which setuptools 80 deprecates
(``requirements.txt``); :func:`make_env` drops them."""


def make_env(env_id: str) -> gymnasium.Env:
    """``gymnasium.make(env_id)`` (memctrl's own ids registered), cut off after
    :data:`DEFAULT_MAX_EPISODE_STEPS` steps if it registers no limit, its observations
    flat (:func:`flat_observations`); ValueError if unknown, or if making it raises (the
    task's own code, or its module's: the task's fault, named).

    Without gymnasium's passive environment checker: the loop checks what memctrl takes
    (:mod:`memctrl.training.loop`: observations, rewards and flags named with their step
    and episode), and the checker's warnings on a bad task's first steps came before
    memctrl's one-line error."""
    import sim_envs  # noqa: F401  (registers memctrl/... ids)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            env = gymnasium.make(env_id, disable_env_checker=True)
        except gymnasium.error.Error as error:   # its warnings say what the error says
            raise ValueError(f"unknown or unavailable environment id {env_id!r} "
                             f"({error})") from None
        except ImportError as error:   # a missing module, or one gymnasium no longer ships
            raise ValueError(f"environment {env_id!r} needs a module that is not installed "
                             f"({error})") from None
        except Exception as error:   # noqa: BLE001 - the task's code (or its module's) raised
            raise ValueError(f"environment {env_id!r} raised {type(error).__name__} while "
                             f"it was made: {error}") from None
    for warning in caught:   # an environment that is made: its warnings as they came
        if not str(warning.message).startswith(DEPENDENCY_IMPORT_NOISE):
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)
    if env.spec is None or env.spec.max_episode_steps is None:
        env = TimeLimit(env, DEFAULT_MAX_EPISODE_STEPS)
    return flat_observations(env)


@contextlib.contextmanager
def closing(env: gymnasium.Env) -> Iterator[gymnasium.Env]:
    """Close ``env`` when the block ends: ValueError naming the task if its ``close``
    raises after the block went well (its fault, told in one line); after a block that
    raised, that error is the one told."""
    try:
        yield env
    except BaseException:
        with contextlib.suppress(Exception):
            env.close()
        raise
    try:
        env.close()
    except Exception as error:   # noqa: BLE001 - the task's own code
        raise ValueError(f"environment {env_name(env)} raised {type(error).__name__} when "
                         f"it was closed: {error}") from None


def env_name(env: gymnasium.Env) -> str:
    """The task's registered id (its class name if it has none), for messages."""
    return env.spec.id if env.spec is not None else type(env.unwrapped).__name__


MAX_FLAT_DIMS = 1000
"""Most dimensions a structured observation may flatten to (A: beyond it, camera images)."""


def flat_observations(env: gymnasium.Env) -> gymnasium.Env:
    """``env`` with observations the controller codes: a 1-D Box or a Discrete state as
    they are; a 2-D Box, MultiBinary, MultiDiscrete, Tuple or Dict observation of at most
    ``MAX_FLAT_DIMS`` numbers as one 1-D Box (gymnasium's ``FlattenObservation``:
    Discrete parts one-hot, e.g. Blackjack-v1's three numbers as 45 channels). Images (a
    Box of 3 or more dimensions, or larger than that) and other spaces stay as they are,
    for the controller to refuse by name."""
    space = env.observation_space
    flat = (isinstance(space, (spaces.MultiBinary, spaces.MultiDiscrete, spaces.Tuple,
                               spaces.Dict))
            or (isinstance(space, spaces.Box) and len(space.shape) == 2))
    return FlattenObservation(env) if flat and spaces.flatdim(space) <= MAX_FLAT_DIMS else env


def registered_threshold(env: gymnasium.Env) -> float | None:
    """The return that counts as solving ``env`` (its registered ``reward_threshold``), or
    None: none registered, or one that is not a finite number (NaN, inf, a string), which
    no return could be judged against."""
    threshold = env.spec.reward_threshold if env.spec is not None else None
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) \
            or not math.isfinite(threshold):
        return None
    return float(threshold)


def check_spaces(controller: SpikingController, env: gymnasium.Env, path: Path) -> None:
    """ValueError naming the checkpoint when it was trained for other spaces than ``env``'s."""
    if (controller.observation_space, controller.action_space) != (env.observation_space,
                                                                   env.action_space):
        raise ValueError(f"{path}: trained for {controller.observation_space} / "
                         f"{controller.action_space}, but {env.spec.id if env.spec else env} "
                         f"has {env.observation_space} / {env.action_space}")


def episode_seed(seed: int, episode: int) -> int:
    """The environment seed of episode ``episode`` of a run seeded ``seed``."""
    return seed * 1_000_003 + episode


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
                      n_inputs=controller.encoder.n_channels, n_recurrent_synapses=0,
                      n_sensor_channels=controller.encoder.frame.n_dims,
                      column_reads_per_step=controller.column_reads_per_step,
                      shared_row_level=controller.encoder.shared_row_level)


@dataclass
class EpisodeMetrics:
    """What one episode did: return, length and the controller's counters during it."""

    episode: int
    episode_return: float
    length: int
    energy_j: float
    counters: dict[str, float]
    wall_s: float

    def as_row(self) -> dict[str, Any]:
        """Flat record with units in the names (metrics.csv / metrics.jsonl)."""
        row = {"episode": self.episode, "return": self.episode_return, "length": self.length,
               "spikes": self.counters["spikes"],
               "synaptic_events": self.counters["synaptic_events"],
               "programming_pulses": self.counters["programming_pulses"],
               "energy_j": self.energy_j,
               "spikes_per_step": self.counters["spikes"] / max(self.length, 1),
               "wall_s": self.wall_s}
        row.update({name: self.counters[name] for name in COUNTER_NAMES})
        return row


class MetricsFiles:
    """``metrics.jsonl`` and ``metrics.csv`` in ``directory``: rows appended (and flushed)
    as episodes end, so a resumed run keeps the earlier rows."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def write(self, metrics: EpisodeMetrics) -> None:
        """Append one episode's row to both files."""
        row = metrics.as_row()
        self.directory.mkdir(parents=True, exist_ok=True)
        _append_line(self.directory / METRICS_FILE, json.dumps(row) + "\n")
        csv_path = self.directory / METRICS_CSV_FILE
        new = not csv_path.exists() or csv_path.stat().st_size == 0
        buffer = io.StringIO()
        fields = list(row) if new else _kept_columns(csv_path, row)
        writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
        if new:
            writer.writeheader()
        writer.writerow(row)
        _append_line(csv_path, buffer.getvalue())

    def rows(self) -> list[dict]:
        """The whole rows of ``metrics.jsonl`` (a row torn by a crash is skipped)."""
        path = self.directory / METRICS_FILE
        if not path.exists():
            return []
        rows = []
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict):
                rows.append(row)
        return rows


def _append_line(path: Path, text: str) -> None:
    """Append ``text`` (whole lines) to ``path``, on a line of its own: after a row that a
    full disk or a crash cut short, it starts a new line instead of running on from the
    torn one (which would spoil this row too)."""
    with open(path, "a+b") as file:
        size = file.seek(0, os.SEEK_END)
        torn = False
        if size:
            file.seek(size - 1)
            torn = file.read(1) != b"\n"
        file.write((b"\n" if torn else b"") + text.encode("utf-8"))   # appended at the end


def _kept_columns(path: Path, row: dict) -> list[str]:
    """The columns of the existing metrics.csv ``path`` when they are ``row``'s without
    counters added since (a run resumed from an older version keeps its file's), else
    ``row``'s."""
    with open(path, encoding="utf-8", errors="replace", newline="") as file:
        header = next(csv.reader(file), [])
    older = [name for name in row if name in header]
    missing = set(row) - set(header)
    return header if header == older and missing <= set(ADDED_COUNTERS) else list(row)
