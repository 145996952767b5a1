"""Reading the YAML files users write (controller settings, sweep files, ROS 2
parameter files).

These files are small mappings written by hand, so anything else is refused before
it can cost time or memory: files over ``MAX_BYTES``, nesting deeper than
``MAX_DEPTH``, anchors and aliases (``&name``, ``*name``: nine levels of
aliases in a few hundred bytes expand to billions of values), and a key given twice
in one mapping.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import yaml

from memctrl._checks import require_regular_file

MAX_BYTES = 1 << 20
"""The largest YAML file read: 1 MiB (the shipped ones are under 2 kB)."""
MAX_DEPTH = 32
"""The deepest nesting of lists and mappings accepted."""


class _PlainLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` without anchors or aliases or a key given twice in one mapping
    (the last one would win unseen), and with a nesting limit."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not accepted",
                event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)  # merge keys (<<) first, as the base class does
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                continue            # the base class refuses it by name
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def parse_yaml(path: Path) -> object:
    """The document in ``path``; ValueError with a one-line reason (not naming the
    file) for a file that cannot be read (or is not a regular file: a named pipe would
    block the reader), is not UTF-8, is too large, or is not plain YAML."""
    try:
        require_regular_file(path)
    except OSError as error:
        raise ValueError(error.strerror) from None
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValueError(f"larger than {MAX_BYTES} bytes")
        return yaml.load(data.decode("utf-8"), Loader=_PlainLoader)
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(str(error)) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ValueError(f"{error.problem or error.context}{where}") from None
    except yaml.YAMLError as error:
        raise ValueError(str(error).replace("\n", " ")) from None


def read_yaml(path: Path, what: str) -> object:
    """The document in ``path``; ValueError "PATH: cannot read the WHAT (why)" for a file
    that cannot be read, is not UTF-8, is too large or is not plain YAML."""
    try:
        return parse_yaml(path)
    except ValueError as error:
        raise ValueError(f"{path}: cannot read the {what} ({error})") from None
