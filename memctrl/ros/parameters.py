"""The nodes' ROS 2 parameters, declared in one place.

Each :class:`ParamSpec` gives a parameter's default, unit, range or choices and
whether it may change while the node runs. :func:`declare` turns the specs into
ROS 2 declarations with descriptors (``ros2 param describe`` shows them);
:func:`check_params_file` reads a parameter file before the node starts and
refuses, naming the file and the key, an unknown name, a wrong type or a value
out of range (rclpy itself ignores unknown names and reports a malformed file
as a bare parse failure). ``config/memctrl.yaml`` and ``config/sim.yaml``
mirror these defaults; a test keeps them equal.

No rclpy import here: the specs are plain data, so the checks run (and are
tested) without a ROS 2 context.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from memctrl.controller import ControllerConfig
from memctrl.device.presets import NEURON_PRESETS, SYNAPSE_PRESETS
from memctrl.energy.hardware import HARDWARE_PRESETS
from memctrl.yaml_file import parse_yaml

JOINT_FIELDS = {"position": ("position",), "position_velocity": ("position", "velocity"),
                "position_velocity_effort": ("position", "velocity", "effort")}
"""The ``joint_state_fields`` choices: the JointState fields of each joint, in order."""
COMMAND_INTERFACES = ("position", "velocity", "effort")
"""ros2_control's standard command interfaces, each a JointState field."""

_TYPES = {bool: "bool", int: "integer", float: "double", str: "string", list: "double array"}


@dataclass(frozen=True)
class ParamSpec:
    """One parameter: its default (None: optional, no default), kind, unit and limits."""

    name: str
    default: Any
    description: str
    kind: type = float
    unit: str = ""
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    runtime: bool = False
    item: type = float
    """The entries' kind of a list: float (a double array) or str (a string array)."""

    def check(self, value: Any) -> str | None:
        """Why ``value`` is refused, or None if it is valid."""
        if self.kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if self.kind is list and self.item is str:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                return f"{self.name} must be a list of strings, got {value!r}"
            return None
        if self.kind is list:
            if not isinstance(value, list) or not all(
                    isinstance(item, (int, float)) and not isinstance(item, bool)
                    for item in value):
                return f"{self.name} must be a list of numbers, got {value!r}"
            if not all(isinstance(item, float) for item in value):
                return (f"{self.name} must be a list of decimal numbers such as -1.0, got "
                        f"{value!r} (ROS 2 reads whole numbers as an integer array)")
            if not all(math.isfinite(item) for item in value):
                return f"{self.name} must hold finite numbers, got {value!r}"
            return None
        if not isinstance(value, self.kind) or (self.kind is int and isinstance(value, bool)):
            return f"{self.name} must be a {_TYPES[self.kind]}, got {value!r}"
        if self.kind is float and not math.isfinite(value):
            return f"{self.name} must be finite, got {value!r}"
        if self.low is not None and not self.low <= value <= self.high:
            return (f"{self.name} must lie in [{self.low:g}, {self.high:g}] {self.unit}, "
                    f"got {value!r}").rstrip()
        if self.choices and value not in self.choices:
            return f"{self.name} must be one of {', '.join(self.choices)}; got {value!r}"
        return None


_CONTROLLER_DEFAULTS = ControllerConfig()

LIFECYCLE_PARAMETERS: tuple[ParamSpec, ...] = (
    ParamSpec("autostart", True,
              "configure and activate the node at start (false: leave it unconfigured "
              "for a lifecycle manager)", bool),
)
"""memctrl_node's parameters declared when it is created; the others at ``configure``."""

CONTROL_PARAMETERS: tuple[ParamSpec, ...] = (
    ParamSpec("observation_type", "float64_multi_array",
              "message type of the observation topic",
              str, choices=("float64_multi_array", "joint_state")),
    ParamSpec("joint_state_fields", "position_velocity",
              "with joint_state: the fields that form the observation, joint by joint",
              str, choices=tuple(JOINT_FIELDS)),
    ParamSpec("observation_joint_names", None,
              "with observation_type joint_state: the joints the observation is made "
              "of, found by name in each message and taken in this order (a message "
              "lacking one is refused; other joints are left out); unset: every joint "
              "in message order", list, item=str),
    ParamSpec("command_type", "float64_multi_array",
              "message type of the command topic (twist: a 2-D Box action as "
              "linear.x, angular.z; joint_state: the action on command_interface of "
              "command_joint_names, as ros2_control's topic-based hardware interface reads)",
              str, choices=("float64_multi_array", "twist", "joint_state")),
    ParamSpec("command_joint_names", None,
              "with command_type joint_state: the joints commanded, one per Box action "
              "entry (a Discrete action: one joint, given the action's index)", list, item=str),
    ParamSpec("command_interface", "effort",
              "with command_type joint_state: the JointState field the action goes into",
              str, choices=COMMAND_INTERFACES),
    ParamSpec("control_mode", "on_observation",
              "on_observation: one tick per observation; timer: one tick per period of "
              "control_rate_hz on the latest observation; lockstep: one tick per "
              "observation of a source that steps once per command and sends the step's "
              "reward before the next observation (memctrl_sim with rate_hz 0): an "
              "observation before that reward is a re-send and is not ticked on, and "
              "silence is waiting, not a stop (no watchdog)", str,
              choices=("on_observation", "timer", "lockstep")),
    ParamSpec("control_rate_hz", 100.0,
              "timer mode: the tick rate; on_observation mode: the expected sensor rate, "
              "against which missed ticks are counted", float, "Hz", 1.0, 10_000.0,
              runtime=True),
    ParamSpec("env_id", "",
              "a gymnasium id whose observation and action spaces the controller takes "
              "(empty: from the checkpoint, or observation_low/high and action_*)", str),
    ParamSpec("observation_low", None, "lower bound of each observation entry", list),
    ParamSpec("observation_high", None, "upper bound of each observation entry", list),
    ParamSpec("action_n", 0, "number of Discrete actions (0: Box actions, action_low/high)",
              int, "", 0, 1000),
    ParamSpec("action_low", None, "lower bound of each Box action entry", list),
    ParamSpec("action_high", None, "upper bound of each Box action entry", list),
    ParamSpec("seed", 0, "seeds the devices, the neurons' noise and the decoder", int, "",
              0, 2**31 - 1),
    ParamSpec("neuron_preset", _CONTROLLER_DEFAULTS.neuron_preset,
              "neuron device preset of a new controller", str,
              choices=tuple(NEURON_PRESETS)),
    ParamSpec("synapse_preset", _CONTROLLER_DEFAULTS.synapse_preset,
              "synapse device preset of a new controller", str,
              choices=tuple(SYNAPSE_PRESETS)),
    ParamSpec("actor_population", 0,
              "neurons per actor population of a new controller (one population per "
              "Discrete action, two per Box dimension; 0: chosen from the action space)",
              int, "", 0, 100_000),
    ParamSpec("controller_settings", "",
              "controller settings file of a new controller (ControllerConfig fields, e.g. "
              "config/cartpole.yaml; empty: the defaults with the presets and populations "
              "above, which the file then sets instead)", str),
    ParamSpec("checkpoint", "",
              "controller checkpoint (.npz) to load at start (empty: run_dir/controller.npz "
              "if it exists, else a new controller)", str),
    ParamSpec("run_dir", "",
              "directory the node writes: controller.npz (on request and at shutdown), "
              "run.json for memctrl report, metrics.csv/.jsonl per episode (empty: none)",
              str),
    ParamSpec("learning", True, "learn online from the reward topic", bool, runtime=True),
    ParamSpec("watchdog_timeout_s", 0.5,
              "publish a safe command and warn when no observation has been answered for "
              "this long (timer: this plus one tick period; lockstep: count such an "
              "observation as late)",
              float, "s", 0.001, 3600.0, runtime=True),
    ParamSpec("diagnostics_period_s", 1.0, "period of /diagnostics", float, "s", 0.1, 60.0),
    ParamSpec("hardware", "",
              "power-model hardware preset for the energy figures (empty: the neuron "
              "preset's own)", str, choices=("",) + tuple(HARDWARE_PRESETS)),
)

NODE_PARAMETERS = LIFECYCLE_PARAMETERS + CONTROL_PARAMETERS

SIM_PARAMETERS: tuple[ParamSpec, ...] = (
    ParamSpec("env_id", "CartPole-v1", "the gymnasium id to simulate", str),
    ParamSpec("seed", 0, "episode e resets the environment with seed * 1000003 + e",
              int, "", 0, 2**31 - 1),
    ParamSpec("rate_hz", 0.0,
              "steps per second, holding the last command between commands (0: lock-step, "
              "one step per command, as fast as the controller answers)",
              float, "Hz", 0.0, 10_000.0),
    ParamSpec("max_episodes", 0, "stop stepping after this many episodes (0: never)",
              int, "", 0, 10**9),
    ParamSpec("message_type", "float64_multi_array",
              "message type of observation and command (joint_state: as a topic-based "
              "ros2_control robot: joint_names with joint_state_fields out, "
              "command_interface in)", str, choices=("float64_multi_array", "joint_state")),
    ParamSpec("joint_names", None,
              "with joint_state: the joints; the observation is split among them, "
              "joint_state_fields entries each", list, item=str),
    ParamSpec("joint_state_fields", "position_velocity",
              "with joint_state: the fields each joint's share of the observation fills",
              str, choices=tuple(JOINT_FIELDS)),
    ParamSpec("command_joint_names", None,
              "with joint_state: the joints the action is read from, one per Box action "
              "entry (a Discrete action: one joint, its index)", list, item=str),
    ParamSpec("command_interface", "effort",
              "with joint_state: the JointState field the action is read from", str,
              choices=COMMAND_INTERFACES),
    ParamSpec("command_timeout_s", 1.0,
              "lock-step: publish the observation again when no command came for this long",
              float, "s", 0.001, 60.0),
)

PARAMETERS = {"memctrl_node": NODE_PARAMETERS, "memctrl_sim": SIM_PARAMETERS}


def unset_values(specs: tuple[ParamSpec, ...]) -> dict[str, Any]:
    """Every parameter as :func:`memctrl.ros.declare.declare` gives it when none is set:
    its default, None for an optional one."""
    return {spec.name: spec.default for spec in specs}


def check_params_file(path: Path | str, node_name: str,
                      specs: tuple[ParamSpec, ...]) -> dict[str, Any]:
    """The parameters ``path`` sets for ``node_name``; ValueError names the file and key.

    The file has ROS 2's layout: ``{node or /**: {ros__parameters: {name: value}}}``.
    Sections for other nodes are skipped; in ours, every name must be a declared
    parameter with a valid value, or one of :data:`ROS_OWN_PARAMETERS` (a bool, left to
    rclpy and not returned), as a launch file's global ``use_sim_time`` writes it.
    """
    path = Path(path)
    try:
        document = parse_yaml(path)
    except ValueError as error:
        raise ValueError(f"parameter file {path}: cannot be read as YAML ({error})") from None
    if not isinstance(document, dict):
        raise ValueError(f"parameter file {path}: must map node names to "
                         "'ros__parameters' sections")
    by_name = {spec.name: spec for spec in specs}
    found: dict[str, Any] = {}
    for node_key, section in document.items():
        if str(node_key).rsplit("/", 1)[-1] not in (node_name, "**"):
            continue   # another node's section (``/ns/name``, ``/**/name`` and ``/**`` are ours)
        if not isinstance(section, dict) or not isinstance(section.get("ros__parameters"), dict):
            raise ValueError(f"parameter file {path}: section {node_key!r} needs a "
                             "'ros__parameters' mapping")
        for name, value in section["ros__parameters"].items():
            if name in ROS_OWN_PARAMETERS:   # rclpy's own, which rclpy reads from the file
                if not isinstance(value, bool):
                    raise ValueError(f"parameter file {path}: {name} must be true or false, "
                                     f"got {value!r}")
                continue
            if name not in by_name:
                raise ValueError(f"parameter file {path}: unknown parameter {name!r} for "
                                 f"{node_name} (known: {', '.join(sorted(by_name))})")
            reason = by_name[name].check(value)
            if reason:
                raise ValueError(f"parameter file {path}: {reason}")
            found[name] = value
    return found


def params_files(argv: list[str]) -> list[str]:
    """The ``--params-file`` arguments of a ROS 2 command line."""
    return [argv[i + 1] for i, item in enumerate(argv[:-1]) if item == "--params-file"]


ROS_OWN_PARAMETERS = ("use_sim_time",)
"""Parameters every rclpy node declares itself, which a command line may set (bools)."""
ROS_BOOL_SPELLINGS = tuple(f(word) for word in ("true", "false", "yes", "no", "on", "off")
                           for f in (str.lower, str.capitalize, str.upper))
"""What a ROS 2 command line's ``NAME:=VALUE`` reads as a bool (YAML 1.1's words, as rcl
reads them; ``1`` is an integer, which rclpy refuses for a bool with a traceback)."""


def check_command_line_params(argv: list[str], node_name: str,
                              specs: tuple[ParamSpec, ...]) -> None:
    """ValueError naming a ``-p NAME:=VALUE`` (or ``--param``, or ``-p NODE:NAME:=VALUE``
    for this node) of a ROS 2 command line that sets no parameter of ``specs`` (ROS 2
    keeps such a value unseen, as a parameter file's unknown key is refused), or sets one
    of :data:`ROS_OWN_PARAMETERS` to what ROS 2 does not read as a bool."""
    known = {spec.name for spec in specs} | set(ROS_OWN_PARAMETERS)
    for flag, item in zip(argv, argv[1:]):
        if flag not in ("-p", "--param") or ":=" not in item:
            continue
        setting, value = item.split(":=", 1)
        target, _, name = setting.rpartition(":")
        if target not in ("", node_name):
            continue
        if name not in known:
            raise ValueError(f"unknown parameter {name!r} on the command line for "
                             f"{node_name} (known: {', '.join(sorted(known))})")
        if name in ROS_OWN_PARAMETERS and value not in ROS_BOOL_SPELLINGS:
            raise ValueError(f"{name} must be true or false on the command line, "
                             f"got {value!r}")
