"""The sweep file (YAML): what to vary, checked in full before any trial starts.

A sweep is a grid: every combination of the ``grid`` lists is one trial, a
``memctrl train`` run. ``config/sweep.yaml`` is the annotated example::

    episodes: 300             # training episodes per trial
    eval_every: 50            # train()'s solved-check interval
    eval_episodes: 100        # episodes per evaluation
    checkpoint_every: 10
    cpus_per_trial: 1         # Ray resources of one trial
    success_return: 400       # optional: the return that counts as solved (one number,
                              # or one per environment: {CartPole-v1: 475, ...})
    fixed:                    # settings shared by every trial
      env: CartPole-v1
      controller.actor_population: 8
    grid:                     # the swept factors, each a non-empty list
      seed: [0, 1, 2, 3, 4]
      neuron.d2d_mu_cv: [0.0, 0.09, 0.3]

A setting is ``env`` (a registered gymnasium id), ``seed``, ``controller.NAME``
(a :class:`memctrl.ControllerConfig` field), ``neuron.NAME`` or
``synapse.NAME`` (a :class:`memctrl.NeuronParams` or
:class:`memctrl.SynapseParams` field, applied over the presets through
``ControllerConfig.neuron_overrides`` and ``synapse_overrides``). Names and
types are checked first (a seed is >= 0); then every ``env`` value must make
an environment (``memctrl.run_dir.make_env``: a registered gymnasium id, memctrl's
own included, whose modules are installed) and every trial's
:class:`memctrl.ControllerConfig` must build (known presets, values in range)
and fit its environment's spaces (``check_controller_fits``), so that a bad
value is refused before Ray starts, not by every trial.

A trial succeeds when an evaluation reaches ``success_return`` (its environment's
entry, when it maps environment ids to returns) or, without it, the environment's
``reward_threshold``; with neither (memctrl's own environments register none)
success is not judged.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gymnasium

from memctrl._checks import SETTING_TYPE_NAMES, field_types, has_setting_type, require_number
from memctrl.controller import ControllerConfig
from memctrl.device.presets import (DEFAULT_NEURON_PRESET, DEFAULT_SYNAPSE_PRESET,
                                    NEURON_PRESETS, SYNAPSE_PRESETS)
from memctrl.run_dir import make_env
from memctrl.training.controller_file import check_controller_fits
from memctrl.yaml_file import read_yaml

TRAIN_OPTIONS = {"episodes": 300, "eval_every": 50, "eval_episodes": 100,
                 "checkpoint_every": 10}
"""Options passed to :func:`memctrl.training.run.train`, with their defaults."""
MAX_TRIALS = 10_000
"""The most trials one sweep may hold (A: a thousand times the sweeps measured here, each
trial a training run; a larger grid is refused before its trials are checked one by one)."""
MIN_CPUS_PER_TRIAL = 1e-4
"""Ray keeps resources to four decimals: a smaller share fails inside Ray, after the sweep
has claimed its directory."""
TOP_LEVEL_KEYS = (*TRAIN_OPTIONS, "cpus_per_trial", "success_return", "fixed", "grid")


def _setting_types() -> dict[str, type]:
    """Every setting a sweep may fix or vary, with the type of its values.

    The types are those of the defaults: ControllerConfig's own, and the
    presets' values for the device parameters (all floats but ``levels``).
    """
    types: dict[str, type] = {"env": str, "seed": int}
    types.update({f"controller.{name}": kind for name, (kind, _) in field_types(ControllerConfig).items()})
    for kind, preset in (("neuron", NEURON_PRESETS[DEFAULT_NEURON_PRESET]),
                         ("synapse", SYNAPSE_PRESETS[DEFAULT_SYNAPSE_PRESET])):
        for field in dataclasses.fields(preset):
            types[f"{kind}.{field.name}"] = type(getattr(preset, field.name))
    return types


SETTING_TYPES = _setting_types()


@dataclass(frozen=True)
class Trial:
    """One point of the grid: its name, the swept values, and every setting."""

    name: str
    factors: dict[str, Any]
    settings: dict[str, Any]

    @property
    def env(self) -> str:
        return self.settings["env"]

    @property
    def seed(self) -> int:
        return self.settings.get("seed", 0)

    def controller_config(self) -> ControllerConfig:
        """The trial's ControllerConfig; ValueError if the controller refuses a value."""
        fields: dict[str, Any] = {}
        for key, value in self.settings.items():
            kind, _, name = key.partition(".")
            if kind == "controller":
                fields[name] = value
            elif kind in ("neuron", "synapse"):
                fields.setdefault(f"{kind}_overrides", {})[name] = value
        return ControllerConfig.from_items(fields)


@dataclass(frozen=True)
class SweepConfig:
    """A validated sweep: training options, resources, fixed settings, grid."""

    episodes: int
    eval_every: int
    eval_episodes: int
    checkpoint_every: int
    cpus_per_trial: float
    fixed: dict[str, Any]
    grid: dict[str, list]
    success_return: float | dict[str, float] | None = None

    def success_return_for(self, env_id: str) -> float | None:
        """The return that counts as solving ``env_id`` (None: the environment's threshold)."""
        if isinstance(self.success_return, dict):
            return self.success_return.get(env_id)
        return self.success_return

    @property
    def train_options(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in TRAIN_OPTIONS}

    def trials(self) -> list[Trial]:
        """Every combination of the grid's values, in file order (the last factor fastest)."""
        names = list(self.grid)
        trials = []
        for index, values in enumerate(itertools.product(*self.grid.values())):
            factors = dict(zip(names, values))
            trials.append(Trial(f"trial-{index:03d}", factors, {**self.fixed, **factors}))
        return trials

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def load_sweep_config(path: Path) -> SweepConfig:
    """Read and check a sweep file; ValueError names the file and the bad key."""
    document = read_yaml(path, "sweep file")
    try:
        return parse_sweep_config(document)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


def parse_sweep_config(document: object) -> SweepConfig:
    """Check a sweep document (the parsed YAML); ValueError names the bad key."""
    if not isinstance(document, dict):
        raise ValueError("a sweep file is a mapping with the keys "
                         f"{', '.join(TOP_LEVEL_KEYS)}")
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            raise ValueError(f"unknown key {key!r}; valid: {', '.join(TOP_LEVEL_KEYS)}")
    options = {}
    for name, default in TRAIN_OPTIONS.items():
        value = document.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
        options[name] = value
    cpus = document.get("cpus_per_trial", 1)
    if (isinstance(cpus, bool) or not isinstance(cpus, (int, float))
            or not MIN_CPUS_PER_TRIAL <= cpus < math.inf):
        raise ValueError(f"cpus_per_trial must be a number from {MIN_CPUS_PER_TRIAL} (Ray's "
                         f"smallest share of a CPU), got {cpus!r}")
    success_return = _success_return(document.get("success_return"))
    fixed = _mapping(document, "fixed")
    grid = _mapping(document, "grid")
    if not grid:
        raise ValueError("grid: empty search space; give at least one setting with a list "
                         "of values, e.g. `seed: [0, 1, 2]`")
    for key, value in fixed.items():
        _check_value(f"fixed.{key}", key, value)
    for key, values in grid.items():
        if key in fixed:
            raise ValueError(f"grid.{key} is also in fixed; a setting is either fixed or swept")
        if not isinstance(values, list):
            raise ValueError(f"grid.{key} must be a list of values, got {values!r}")
        if not values:
            raise ValueError(f"grid.{key}: empty list of values (empty search space)")
    trials = math.prod(len(values) for values in grid.values())
    if trials > MAX_TRIALS:
        raise ValueError(f"grid: {trials} trials, more than {MAX_TRIALS}; split the sweep")
    for key, values in grid.items():
        for index, value in enumerate(values):
            _check_value(f"grid.{key}", key, value)
            if value in values[:index]:
                raise ValueError(f"grid.{key}: {value!r} is listed twice")
    if "env" not in fixed and "env" not in grid:
        raise ValueError("no environment: set fixed.env (e.g. CartPole-v1) or grid.env")
    sweep = SweepConfig(**options, cpus_per_trial=float(cpus), fixed=fixed, grid=grid,
                        success_return=success_return)
    environments = _envs(fixed, grid)
    if isinstance(success_return, dict):
        for env_id in success_return:
            if env_id not in environments:
                raise ValueError(f"success_return.{env_id}: not an environment of this sweep "
                                 f"({', '.join(map(str, environments))})")
    _check_controller_configs(sweep, environments)
    return sweep


def _success_return(value: object) -> float | dict[str, float] | None:
    """``success_return``: None, a finite number, or a mapping of env id -> finite number."""
    if value is None:
        return None
    if isinstance(value, dict):
        if not value:
            raise ValueError("success_return: empty mapping; give env id: return pairs")
        return {str(env_id): require_number(f"success_return.{env_id}", item)
                for env_id, item in value.items()}
    return require_number("success_return", value)


def _envs(fixed: dict, grid: dict) -> dict[str, gymnasium.Env]:
    """Each ``env`` value's environment (closed: its spaces and control period are what the
    checks read); ValueError naming the key for an id that is unknown or needs a module that
    is not installed."""
    where, values = (("fixed.env", [fixed["env"]]) if "env" in fixed
                     else ("grid.env", grid["env"]))
    envs = {}
    for env_id in values:
        try:
            env = make_env(env_id)
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
        env.close()
        envs[env_id] = env
    return envs


def _check_controller_configs(sweep: SweepConfig, envs: dict[str, gymnasium.Env]) -> None:
    """ValueError naming the key (or the trial) whose values the controller refuses.

    Each fixed or swept value is tried alone first, so that the message names its
    key; then every trial's whole configuration, for values that clash, and its
    controller for its environment (each environment and configuration once: the seed
    does not change them).
    """
    settings = [(f"fixed.{key}", key, value) for key, value in sweep.fixed.items()]
    settings += [(f"grid.{key}", key, value) for key, values in sweep.grid.items()
                 for value in values]
    for where, key, value in settings:
        try:
            Trial("check", {}, {key: value}).controller_config()
        except ValueError as error:
            raise ValueError(f"{where}: {value!r} refused by the controller ({error})") from None
    built = set()   # (env id, config as sorted JSON): ControllerConfig holds dicts
    for trial in sweep.trials():
        try:
            config = trial.controller_config()
        except ValueError as error:
            factors = ", ".join(f"{key}={value}" for key, value in trial.factors.items())
            raise ValueError(f"grid: the controller refuses {trial.name} ({factors}): "
                             f"{error}") from None
        key = (trial.env, json.dumps(dataclasses.asdict(config), sort_keys=True))
        if key not in built:
            try:
                check_controller_fits(config, envs[trial.env], trial.name)
            except ValueError:
                _explain_misfit(sweep, trial, envs[trial.env])
            built.add(key)


def _explain_misfit(sweep: SweepConfig, trial: Trial, env: gymnasium.Env) -> None:
    """ValueError for a trial whose controller does not fit its environment, naming
    the environment if it refuses the fixed settings alone, else the first swept value
    that it refuses over them, else the trial."""
    env_key = "grid.env" if "env" in sweep.grid else "fixed.env"
    factors = ", ".join(f"{key}={value}" for key, value in trial.factors.items())
    suspects = [(f"{env_key}: {trial.env!r}", {})]
    suspects += [(f"grid.{key}: {value!r} on {trial.env}", {key: value})
                 for key, value in trial.factors.items() if key not in ("env", "seed")]
    suspects.append((f"grid: {trial.name} ({factors}) on {trial.env}", trial.factors))
    for where, change in suspects:
        try:
            config = Trial(trial.name, change, {**sweep.fixed, **change}).controller_config()
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
        check_controller_fits(config, env, where)


def _mapping(document: dict, key: str) -> dict:
    value = document.get(key) or {}
    if not isinstance(value, dict):
        raise ValueError(f"{key} must be a mapping of setting -> value, got {value!r}")
    return value


def _check_value(where: str, key: object, value: object) -> None:
    """ValueError naming ``where`` for an unknown setting or a value of the wrong type."""
    expected = SETTING_TYPES.get(key) if isinstance(key, str) else None
    if expected is None:
        kind = key.partition(".")[0] if isinstance(key, str) else ""
        valid = sorted(name for name in SETTING_TYPES if name.startswith(f"{kind}."))
        hint = (f"valid {kind} settings: {', '.join(valid)}" if valid
                else "a setting is env, seed, controller.NAME, neuron.NAME or synapse.NAME")
        raise ValueError(f"{where}: unknown setting {key!r}; {hint}")
    if not has_setting_type(value, expected):
        raise ValueError(f"{where} must be {SETTING_TYPE_NAMES[expected]}, got {value!r}")
    if key == "seed" and value < 0:
        raise ValueError(f"{where}: {value!r} is negative; a seed is an integer >= 0")
