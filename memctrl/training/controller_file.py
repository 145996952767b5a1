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
from pathlib import Path
from typing import Callable

import gymnasium

from memctrl.controller import ControllerConfig, SpikingController
from memctrl.yaml_file import read_yaml

OVERRIDE_FIELDS = ("neuron_overrides", "synapse_overrides")
"""The fields that hold mappings of device parameter to value."""


def load_controller_config(path: Path) -> ControllerConfig:
    """The ControllerConfig that ``path`` describes (defaults for fields it leaves out)."""
    document = read_yaml(path, "controller settings")
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a mapping of ControllerConfig fields, "
                         f"got {type(document).__name__}")
    return _config_from(str(path), document)


def _config_from(where: str, settings: dict) -> ControllerConfig:
    """``ControllerConfig.from_items``, its ValueError (unknown field, value of the wrong
    type or range; a YAML ``1e-1`` is a string, not a number) naming ``where``."""
    try:
        return ControllerConfig.from_items(settings)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


def check_controller_fits(config: ControllerConfig, env: gymnasium.Env, where: str) -> None:
    """ValueError naming ``where`` when the controller of ``config`` cannot be built for
    ``env`` as a run builds it (:meth:`SpikingController.for_env`): settings that do not fit
    its spaces, that need more than half of this machine's memory or too long a step
    (estimated before allocating, :mod:`memctrl.controller.size`), or device parameters
    that overflow the core."""
    built_controller(lambda: SpikingController.for_env(env, config), config, where)


def built_controller(build: Callable[[], SpikingController], config: ControllerConfig,
                     where: str) -> SpikingController:
    """``build()``, the controller of ``config``; its ValueError naming ``where``, and
    device parameters that overflow the core (ArithmeticError) a ValueError naming
    ``where`` and ``config``'s device overrides."""
    try:
        return build()
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
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
    if not isinstance(changes, dict):
        raise ValueError(f"--config: expected a mapping of ControllerConfig fields, "
                         f"got {type(changes).__name__}")
    return _config_from("--config", {**dataclasses.asdict(base), **changes})


def add_settings_options(parser: argparse.ArgumentParser, default: Path | None) -> None:
    """The benchmarks' ``--settings FILE.yaml|defaults`` (``default`` unless given; None:
    the library's defaults) and ``--config JSON`` options, for :func:`settings_with_changes`."""
    shown = "defaults" if default is None else f"{default.parent.name}/{default.name}"
    parser.add_argument("--settings", default="defaults" if default is None else str(default),
                        help="controller settings file, or 'defaults' for the library's "
                             f"defaults (default: {shown})")
    parser.add_argument("--config", type=json.loads, default={},
                        help="ControllerConfig fields changed from the settings, as JSON")
