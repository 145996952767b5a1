"""The node's controller from its parameters: loaded from a checkpoint, or new.

The spaces come, in this order, from the checkpoint (``checkpoint``, else
``run_dir/controller.npz`` when it exists), from a gymnasium id (``env_id``),
or from the bounds ``observation_low/high`` and ``action_n`` or
``action_low/high``. A checkpoint and an ``env_id`` given together must agree.
A new controller's settings come from ``controller_settings`` (a file, as for
``memctrl train --config``) or from the preset and population parameters.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import numpy as np
from gymnasium import spaces

from memctrl.controller import ControllerConfig, SpikingController
from memctrl.controller.control_period import env_control_period_s
from memctrl.training.controller_file import built_controller, load_controller_config
from memctrl.run_dir import CONTROLLER_FILE, STATE_FILE, check_spaces, make_env
from memctrl.run_record import existing_ancestor, require_own_run

RUN_SOURCE = "memctrl_node"
"""The source of the node's run records: the node carries on only runs of its own."""

SETTINGS_FROM_PARAMETERS = ("neuron_preset", "synapse_preset", "actor_population")
"""Node parameters that set a new controller's ControllerConfig field of the same name."""


def _box(low: list[float] | None, high: list[float] | None, what: str) -> spaces.Box:
    if low is None or high is None:
        raise ValueError(f"missing parameters {what}_low and {what}_high (needed without "
                         "env_id or a checkpoint)")
    low_array, high_array = np.asarray(low, np.float64), np.asarray(high, np.float64)
    if low_array.size == 0 or low_array.shape != high_array.shape:
        raise ValueError(f"{what}_low and {what}_high must have the same, non-zero length; "
                         f"got {low_array.size} and {high_array.size}")
    if not np.all(low_array < high_array):
        raise ValueError(f"{what}_low must lie below {what}_high entry by entry")
    return spaces.Box(low_array, high_array, dtype=np.float64)


def _given_spaces(params: dict[str, Any]) -> tuple[spaces.Space | None, spaces.Space | None]:
    """The spaces the bound parameters give (None where they give none); ValueError for
    Discrete and Box actions given together, or half a pair of bounds."""
    observation = action = None
    if params["observation_low"] is not None or params["observation_high"] is not None:
        observation = _box(params["observation_low"], params["observation_high"], "observation")
    box_action = params["action_low"] is not None or params["action_high"] is not None
    if params["action_n"] > 0 and box_action:
        raise ValueError("action_n (Discrete actions) and action_low/action_high (Box "
                         "actions) given together; give one")
    if params["action_n"] > 0:
        action = spaces.Discrete(params["action_n"])
    elif box_action:
        action = _box(params["action_low"], params["action_high"], "action")
    return observation, action


def _same_space(given: spaces.Space, actual: spaces.Space) -> bool:
    if isinstance(given, spaces.Discrete):
        return isinstance(actual, spaces.Discrete) and (actual.n, actual.start) == (given.n, 0)
    return (isinstance(actual, spaces.Box) and actual.shape == given.shape
            and np.allclose(actual.low, given.low, rtol=1e-6, atol=0.0)
            and np.allclose(actual.high, given.high, rtol=1e-6, atol=0.0))


def _check_given_spaces(params: dict[str, Any], controller: SpikingController,
                        origin: str) -> None:
    """ValueError if the bound parameters disagree with the spaces the controller took
    from ``origin`` (a checkpoint or ``env_id``): both given, they must agree."""
    for name, given, actual in zip(("observation", "action"), _given_spaces(params),
                                   (controller.observation_space, controller.action_space)):
        if given is not None and not _same_space(given, actual):
            raise ValueError(f"the {name} bounds given ({given}) disagree with the {name} "
                             f"space of the {origin} ({actual})")


def _spaces_of(params: dict[str, Any]) -> tuple[spaces.Space, spaces.Space, float | None]:
    """The observation and action spaces, and the control period ``env_id`` states (None
    without one: :func:`env_control_period_s`)."""
    if params["env_id"]:
        env = make_env(params["env_id"])
        try:
            return env.observation_space, env.action_space, env_control_period_s(env)
        finally:
            env.close()
    observation, action = _given_spaces(params)
    if observation is None:
        raise ValueError("missing parameters observation_low and observation_high (needed "
                         "without env_id or a checkpoint)")
    if action is None:
        raise ValueError("missing parameters action_n, or action_low and action_high "
                         "(needed without env_id or a checkpoint)")
    return observation, action, None


def node_run_dir(value: str) -> Path | None:
    """The node's run directory (None for ``""``: nothing kept), checked as the node starts,
    so that what it learns is not lost at its first save; it is made where the node takes
    its lock (:func:`memctrl.run_dir.hold_run_lock`), once every other check has passed.
    ValueError naming it for a file, a run another command made (its controller is started
    from with ``checkpoint``), or a directory that cannot be made or written."""
    if not value:
        return None
    directory = Path(value)
    hint = (f"give the node a new run_dir (checkpoint:={directory / CONTROLLER_FILE} "
            "starts from that run's controller)")
    if (directory / STATE_FILE).exists():
        raise ValueError(f"{directory} holds a run of memctrl train; {hint}")
    require_own_run(directory, RUN_SOURCE, hint)
    existing = existing_ancestor(directory)
    if not existing.is_dir():
        raise ValueError(f"run_dir {directory}: cannot make it ({existing} is not a directory)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(f"run_dir {directory}: {existing} is not writable")
    return directory


def checkpoint_path(params: dict[str, Any]) -> Path | None:
    """The checkpoint the node starts from, if any."""
    if params["checkpoint"]:
        return Path(params["checkpoint"])
    saved = Path(params["run_dir"]) / CONTROLLER_FILE if params["run_dir"] else None
    # a link to a checkpoint that is gone is a checkpoint that cannot be read, not none
    if saved is not None and (saved.exists() or saved.is_symlink()):
        return saved
    return None


def _new_config(params: dict[str, Any], env_period_s: float | None) -> ControllerConfig:
    """A new controller's settings: the ``controller_settings`` file, or the defaults with
    the preset and population parameters (given together with a file they are refused:
    the file says them); the control period, unless the file gives one, from
    :func:`_control_period_s`."""
    named = {name: params[name] for name in SETTINGS_FROM_PARAMETERS}
    named["actor_population"] = named["actor_population"] or None   # 0: from the space
    if not params["controller_settings"]:
        config = ControllerConfig(**named)
    else:
        defaults = ControllerConfig()
        changed = [name for name, value in named.items() if value != getattr(defaults, name)]
        if changed:
            raise ValueError(f"controller_settings {params['controller_settings']} and "
                             f"{', '.join(changed)} given together; set them in the file")
        config = load_controller_config(Path(params["controller_settings"]))
    if config.control_period_s is not None:
        return config
    return dataclasses.replace(config,
                               control_period_s=_control_period_s(params, env_period_s))


def _control_period_s(params: dict[str, Any], env_period_s: float | None) -> float | None:
    """The time between the node's actions, s: in lockstep the simulated ``env_id``'s
    (``env_period_s``; None without one: a lockstep source sets the pace), else the period
    of ``control_rate_hz`` (the timer's, or the expected sensor rate's), as the node starts."""
    if params["control_mode"] == "lockstep":
        return env_period_s
    return 1.0 / params["control_rate_hz"]


def controller_from_parameters(params: dict[str, Any]) -> tuple[SpikingController, str]:
    """The controller and where it came from; ValueError names what is wrong.

    A checkpoint that cannot be read is refused (and left as it is).
    """
    path = checkpoint_path(params)
    if path is not None:
        controller = SpikingController.load(path)
        if params["env_id"]:
            env = make_env(params["env_id"])
            try:
                check_spaces(controller, env, path)
            finally:
                env.close()
        _check_given_spaces(params, controller, f"checkpoint {path}")
        return controller, f"checkpoint {path}"
    observation, action, env_period_s = _spaces_of(params)   # the controller refuses others
    config = _new_config(params, env_period_s)
    where = (f"controller_settings {params['controller_settings']}"
             if params["controller_settings"] else "the controller's parameters")
    controller = built_controller(
        lambda: SpikingController(observation, action, config, seed=params["seed"]), config,
        where)
    if params["env_id"]:
        _check_given_spaces(params, controller, f"env_id {params['env_id']}")
    return controller, f"new controller (seed {params['seed']})"
