"""Controller settings from a YAML file: ``memctrl train --config FILE``.

The file is a mapping of :class:`memctrl.ControllerConfig` field names to
values; lists become tuples, and ``neuron_overrides`` / ``synapse_overrides``
are mappings of device parameter to value. ``config/cartpole.yaml`` is the
annotated example. Every error (unreadable file, YAML syntax, unknown field,
value the controller refuses) is a ValueError naming the file and the key.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from memctrl.controller import ControllerConfig


def load_controller_config(path: Path) -> ControllerConfig:
    """The ControllerConfig that ``path`` describes (defaults for fields it leaves out)."""
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ValueError(f"{path}: cannot read the controller settings ({error})") from None
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a mapping of ControllerConfig fields, "
                         f"got {type(document).__name__}")
    known = [field.name for field in dataclasses.fields(ControllerConfig)]
    fields = {}
    for key, value in document.items():
        if key not in known:
            raise ValueError(f"{path}: unknown controller setting {key!r}; "
                             f"valid: {', '.join(known)}")
        fields[key] = tuple(value) if isinstance(value, list) else value
    try:
        return ControllerConfig(**fields)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path}: {error}") from None
