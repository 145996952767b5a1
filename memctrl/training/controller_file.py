"""Controller settings from a YAML file: ``memctrl train --config FILE``.

The file is a mapping of :class:`memctrl.ControllerConfig` field names to
values; lists become tuples, and ``neuron_overrides`` / ``synapse_overrides``
are mappings of device parameter to value. ``config/cartpole.yaml`` and
``config/tremor.yaml`` are annotated examples. Every error (unreadable file,
YAML syntax, unknown field, value the controller refuses) is a ValueError naming
the file and the key.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
from pathlib import Path

import numpy as np
from gymnasium import spaces

from memctrl._checks import SETTING_TYPE_NAMES, has_setting_type, require_known_names, shown
from memctrl.coding.decoders import make_decoder
from memctrl.controller import ControllerConfig, SpikingController
from memctrl.yaml_file import read_yaml

OVERRIDE_FIELDS = ("neuron_overrides", "synapse_overrides")
"""The fields that hold mappings of device parameter to value."""

BYTES_PER_SYNAPSE = 128
"""Memory of a controller per input synapse, with a margin: about 100 B measured
(tracemalloc peak while constructing CartPole-v1 controllers of 44 thousand to 1.6
million synapses)."""


def _controller_setting_types() -> dict[str, tuple[type, bool]]:
    """ControllerConfig field -> (the type of its value in a settings file, whether null
    is allowed): from the field's annotation (list for the tuples); the device override
    mappings left out."""
    types = {"int": int, "float": float, "bool": bool, "str": str}
    kinds = {}
    for field in dataclasses.fields(ControllerConfig):
        if field.name in OVERRIDE_FIELDS:
            continue
        base, *rest = (part.strip() for part in str(field.type).split("|"))
        kinds[field.name] = (list if base.startswith("tuple") else types[base], "None" in rest)
    return kinds


CONTROLLER_SETTING_TYPES = _controller_setting_types()


def _check_settings(where: str, settings: dict) -> None:
    """ValueError naming ``where`` and the key for an unknown field or a value of the
    wrong type (a YAML ``1e-1`` is a string, not a number)."""
    require_known_names(where, "controller setting", settings,
                        [field.name for field in dataclasses.fields(ControllerConfig)])
    for key, value in settings.items():
        if key in CONTROLLER_SETTING_TYPES:
            expected, optional = CONTROLLER_SETTING_TYPES[key]
            if not (optional and value is None) and not has_setting_type(value, expected):
                raise ValueError(f"{where}: {key} must be {SETTING_TYPE_NAMES[expected]}, "
                                 f"got {shown(value)}")
        elif value is not None:   # a device override mapping
            if not isinstance(value, dict):
                raise ValueError(f"{where}: {key} must be a mapping of device parameter "
                                 f"to number, got {shown(value)}")
            for name, number in value.items():
                if not has_setting_type(number, float):
                    raise ValueError(f"{where}: {key}.{name} must be a number, "
                                     f"got {shown(number)}")


def load_controller_config(path: Path) -> ControllerConfig:
    """The ControllerConfig that ``path`` describes (defaults for fields it leaves out)."""
    document = read_yaml(path, "controller settings")
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a mapping of ControllerConfig fields, "
                         f"got {type(document).__name__}")
    _check_settings(str(path), document)
    try:
        return ControllerConfig.from_items(document)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path}: {error}") from None


def input_synapses(config: ControllerConfig, observation_space: spaces.Box,
                   action_space: spaces.Space) -> int:
    """How many input synapses the controller of ``config`` has on these spaces, counted
    before anything is allocated: input channels (as the encoders count them) times the
    neurons of the actor and the two critic populations."""
    config = config.resolved(observation_space, action_space)
    if config.coding == "tiles":
        channels = math.prod(config.grid_bins) * config.grid_tilings
    else:
        channels = int(np.prod(observation_space.shape)) * config.fields_per_dim
    populations = make_decoder(action_space, config.actor_population).n_populations
    return channels * (populations * config.actor_population + 2 * config.critic_population)


def check_controller_fits(config: ControllerConfig, observation_space: spaces.Space,
                          action_space: spaces.Space, where: str) -> None:
    """ValueError naming ``where`` when the controller of ``config`` would need more than
    half of this machine's memory (estimated before allocating), or its device
    parameters overflow the core."""
    try:
        need = BYTES_PER_SYNAPSE * input_synapses(config, observation_space, action_space)
    except ValueError as error:   # settings that do not fit the spaces
        raise ValueError(f"{where}: {error}") from None
    limit = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    if need > limit:
        raise ValueError(f"{where}: these settings need about {need / 2**30:.3g} GiB, more "
                         f"than half of this machine's memory ({limit / 2**30:.3g} GiB); use "
                         "smaller populations or fewer fields")
    try:
        SpikingController(observation_space, action_space, config)
    except ArithmeticError as error:
        overrides = ", ".join(f"{key}.{name}" for key in OVERRIDE_FIELDS
                              for name in (getattr(config, key) or {}))
        raise ValueError(f"{where}: the device parameters overflow the core "
                         f"({error.args[-1]}); check {overrides or 'the device presets'}"
                         ) from None


def settings_with_changes(settings: str, changes: dict) -> ControllerConfig:
    """The settings file ``settings`` ("defaults": the library's defaults) with the
    fields of ``changes`` replaced (lists as tuples): the benchmarks' ``--settings``
    and ``--config`` options."""
    base = ControllerConfig() if settings == "defaults" else load_controller_config(Path(settings))
    _check_settings("--config", changes)
    return ControllerConfig.from_items({**dataclasses.asdict(base), **changes})


def add_settings_options(parser: argparse.ArgumentParser, default: Path | None) -> None:
    """The benchmarks' ``--settings FILE.yaml|defaults`` (``default`` unless given; None:
    the library's defaults) and ``--config JSON`` options, for :func:`settings_with_changes`."""
    shown = "defaults" if default is None else f"{default.parent.name}/{default.name}"
    parser.add_argument("--settings", default="defaults" if default is None else str(default),
                        help="controller settings file, or 'defaults' for the library's "
                             f"defaults (default: {shown})")
    parser.add_argument("--config", type=json.loads, default={},
                        help="ControllerConfig fields changed from the settings, as JSON")
