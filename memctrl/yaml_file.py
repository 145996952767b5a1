"""Reading the YAML files users write (controller settings, sweep files)."""

from __future__ import annotations

from pathlib import Path

import yaml


def read_yaml(path: Path, what: str) -> object:
    """The document in ``path``; ValueError "PATH: cannot read the WHAT (why)" for a file
    that cannot be read, is not UTF-8 or is not YAML."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ValueError(f"{path}: cannot read the {what} ({error})") from None
