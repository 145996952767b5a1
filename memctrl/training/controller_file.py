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

from memctrl._checks import require_known_names
from memctrl.controller import ControllerConfig
from memctrl.yaml_file import read_yaml


def load_controller_config(path: Path) -> ControllerConfig:
    """The ControllerConfig that ``path`` describes (defaults for fields it leaves out)."""
    document = read_yaml(path, "controller settings")
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a mapping of ControllerConfig fields, "
                         f"got {type(document).__name__}")
    require_known_names(str(path), "controller setting", document,
                        [field.name for field in dataclasses.fields(ControllerConfig)])
    fields = {key: tuple(value) if isinstance(value, list) else value
              for key, value in document.items()}
    try:
        return ControllerConfig(**fields)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path}: {error}") from None


def settings_with_changes(settings: str, changes: dict) -> ControllerConfig:
    """The settings file ``settings`` ("defaults": the library's defaults) with the
    fields of ``changes`` replaced (lists as tuples): the benchmarks' ``--settings``
    and ``--config`` options."""
    base = ControllerConfig() if settings == "defaults" else load_controller_config(Path(settings))
    require_known_names("--config", "controller setting", changes,
                        [field.name for field in dataclasses.fields(ControllerConfig)])
    return dataclasses.replace(base, **{name: tuple(value) if isinstance(value, list) else value
                                        for name, value in changes.items()})


def add_settings_options(parser: argparse.ArgumentParser, default: Path | None) -> None:
    """The benchmarks' ``--settings FILE.yaml|defaults`` (``default`` unless given; None:
    the library's defaults) and ``--config JSON`` options, for :func:`settings_with_changes`."""
    shown = "defaults" if default is None else f"{default.parent.name}/{default.name}"
    parser.add_argument("--settings", default="defaults" if default is None else str(default),
                        help="controller settings file, or 'defaults' for the library's "
                             f"defaults (default: {shown})")
    parser.add_argument("--config", type=json.loads, default={},
                        help="ControllerConfig fields changed from the settings, as JSON")
