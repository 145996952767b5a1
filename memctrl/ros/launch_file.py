"""Read a ROS 2 XML launch file into the node processes it declares.

PyPI has no ``launch``/``launch_ros`` and no ``ros2`` command, so memctrl reads
its own launch files: ``memctrl launch FILE name:=value`` and the tests start
exactly the nodes, parameters and remappings a file declares. On a full ROS 2
install ``ros2 launch memctrl FILE`` reads the same files.

The subset understood is what memctrl's files use, and anything else is refused
by name rather than ignored: ``<launch>`` holding ``<arg name default
description>`` (each name once) and ``<node pkg exec name namespace output>`` (one of
memctrl's nodes) with ``<param name value>``, ``<param from>`` (a parameter file) and
``<remap from to>``; substitutions ``$(var NAME)``, ``$(env NAME [DEFAULT])`` and
``$(find-pkg-share memctrl)``, not nested.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

from memctrl.ros.parameters import PARAMETERS

PACKAGE = "memctrl"
_SUBSTITUTION = re.compile(r"\$\(([^)]*)\)")
NODE_EXECUTABLES = tuple(PARAMETERS)
"""The executables a launch file may start: memctrl's nodes (``setup.py``'s entry points
besides the ``memctrl`` command)."""
_ATTRIBUTES = {"launch": set(), "arg": {"name", "default", "description"},
               "node": {"pkg", "exec", "name", "namespace", "output"},
               "param": {"name", "value", "from"}, "remap": {"from", "to"}}


@dataclass
class LaunchNode:
    """One node of a launch file, with everything resolved."""

    package: str
    executable: str
    name: str | None = None
    namespace: str | None = None
    params_files: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    remaps: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The node's full name (its executable's when unnamed): unique in a launch."""
        name = self.name or self.executable
        return f"{self.namespace.strip('/')}/{name}" if self.namespace else name

    def command(self) -> list[str]:
        """The command line that starts this node."""
        line = [executable_path(self.package, self.executable), "--ros-args"]
        if self.name:
            line += ["-r", f"__node:={self.name}"]
        if self.namespace:
            line += ["-r", f"__ns:={self.namespace}"]
        for path in self.params_files:
            line += ["--params-file", path]
        for name, value in self.params.items():
            line += ["-p", f"{name}:={value}"]
        for source, target in self.remaps:
            line += ["-r", f"{source}:={target}"]
        return line


def package_share(package: str = PACKAGE) -> Path:
    """The package's share directory: an ament install first, else this source tree, else
    the environment's ``share/``."""
    if package != PACKAGE:
        raise ValueError(f"$(find-pkg-share {package}): only {PACKAGE} is known here")
    for prefix in filter(None, os.environ.get("AMENT_PREFIX_PATH", "").split(os.pathsep)):
        share = Path(prefix) / "share" / package
        if (share / "package.xml").exists():
            return share
    source = Path(__file__).resolve().parents[2]
    if (source / "package.xml").exists():
        return source
    return Path(sys.prefix) / "share" / package


def executable_path(package: str, executable: str) -> str:
    """Where ``executable`` of ``package`` is installed; ValueError if nowhere."""
    if package != PACKAGE:
        raise ValueError(f"node pkg={package!r}: only {PACKAGE} nodes can be started here")
    for folder in (Path(sys.executable).parent, package_share().parents[1] / "lib" / package):
        found = shutil.which(executable, path=str(folder))
        if found:
            return found
    raise ValueError(f"node exec={executable!r}: no such executable of {package}")


def _substitute(text: str, args: dict[str, str], where: str) -> str:
    def replace(match: re.Match) -> str:
        if "$(" in match.group(1):
            raise ValueError(f"{where}: nested substitution $({match.group(1)}) is not "
                             "supported")
        words = match.group(1).split()
        kind, operands = (words[0], words[1:]) if words else ("", [])
        if kind == "var" and len(operands) == 1:
            if operands[0] not in args:
                raise ValueError(f"{where}: $(var {operands[0]}) names no declared arg")
            return args[operands[0]]
        if kind == "env" and len(operands) in (1, 2):
            value = os.environ.get(operands[0], operands[1] if len(operands) == 2 else None)
            if value is None:
                raise ValueError(f"{where}: environment variable {operands[0]} is not set")
            return value
        if kind == "find-pkg-share" and len(operands) == 1:
            return str(package_share(operands[0]))
        raise ValueError(f"{where}: unsupported substitution $({match.group(1)})")

    return _SUBSTITUTION.sub(replace, text)


def _check_attributes(element: ElementTree.Element, where: str) -> None:
    if element.tag not in _ATTRIBUTES:
        raise ValueError(f"{where}: unsupported element <{element.tag}>")
    unknown = set(element.attrib) - _ATTRIBUTES[element.tag]
    if unknown:
        raise ValueError(f"{where}: <{element.tag}> has unsupported attributes "
                         f"{', '.join(sorted(unknown))}")


def _required(element: ElementTree.Element, name: str, where: str) -> str:
    value = element.get(name)
    if value is None:
        raise ValueError(f"{where}: <{element.tag}> needs the attribute {name!r}")
    return value


def _node(element: ElementTree.Element, args: dict[str, str], where: str) -> LaunchNode:
    def value(item: ElementTree.Element, name: str) -> str:
        return _substitute(_required(item, name, where), args, where)

    node = LaunchNode(value(element, "pkg"), value(element, "exec"),
                      _substitute(element.get("name", ""), args, where) or None,
                      _substitute(element.get("namespace", ""), args, where) or None)
    if node.package != PACKAGE:
        raise ValueError(f"{where}: only {PACKAGE} nodes can be started here")
    if node.executable not in NODE_EXECUTABLES:
        raise ValueError(f"{where}: exec must be one of {PACKAGE}'s nodes, "
                         f"{', '.join(NODE_EXECUTABLES)}")
    for child in element:
        _check_attributes(child, where)
        if child.tag == "param" and "from" in child.attrib:
            node.params_files.append(value(child, "from"))
        elif child.tag == "param":
            text = value(child, "value")
            if text == "":
                # ros2 launch reads a value as YAML, and an empty one is no value at all.
                raise ValueError(f"{where}: parameter {child.get('name')!r} has an empty "
                                 "value (write value=\"''\" for an empty string)")
            node.params[value(child, "name")] = text
        elif child.tag == "remap":
            node.remaps.append((value(child, "from"), value(child, "to")))
        else:
            raise ValueError(f"{where}: <{child.tag}> is not allowed inside <node>")
    return node


def parse_launch(path: Path | str, overrides: dict[str, str] | None = None) -> list[LaunchNode]:
    """The nodes of the launch file ``path`` with its args set from ``overrides``.

    Raises ValueError naming the file for malformed XML, an unsupported element,
    attribute or substitution, an arg without a value, an override of no arg, or a file
    that declares no node.
    """
    path = Path(path)
    overrides = dict(overrides or {})
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as error:
        raise ValueError(f"{path}: cannot be read as a launch file ({error})") from None
    if root.tag != "launch":
        raise ValueError(f"{path}: the root element must be <launch>, got <{root.tag}>")
    args: dict[str, str] = {}
    nodes = []
    for element in root:
        attributes = " ".join(f"{key}={value!r}" for key, value in element.attrib.items())
        where = f"{path}: <{element.tag} {attributes}>"
        _check_attributes(element, where)
        if element.tag == "arg":
            name = _required(element, "name", where)
            if name in args:
                raise ValueError(f"{where}: launch argument {name!r} is declared twice")
            if name in overrides:
                args[name] = overrides.pop(name)
            elif "default" in element.attrib:
                args[name] = _substitute(element.get("default"), args, where)
            else:
                raise ValueError(f"{path}: launch argument {name!r} needs a value "
                                 f"({name}:=VALUE)")
        elif element.tag == "node":
            nodes.append(_node(element, args, where))
            if [node.label for node in nodes].count(nodes[-1].label) > 1:
                raise ValueError(f"{where}: a second node named {nodes[-1].label!r}")
        else:
            raise ValueError(f"{where}: <{element.tag}> is not allowed inside <launch>")
    if overrides:
        raise ValueError(f"{path}: no launch argument named {', '.join(sorted(overrides))} "
                         f"(arguments: {', '.join(args) or 'none'})")
    if not nodes:
        raise ValueError(f"{path}: declares no <node>: nothing to launch")
    return nodes
