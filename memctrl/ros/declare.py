"""Declare a node's parameters from their specs and validate runtime changes."""

from __future__ import annotations

from typing import Any, Callable

from rcl_interfaces.msg import (FloatingPointRange, IntegerRange, ParameterDescriptor,
                                SetParametersResult)
from rclpy.exceptions import ParameterUninitializedException
from rclpy.node import Node
from rclpy.parameter import Parameter

from memctrl.ros.parameters import ParamSpec

_UNSET_TYPES = {float: Parameter.Type.DOUBLE_ARRAY, str: Parameter.Type.STRING_ARRAY}
"""The type of an unset list parameter, by the kind of its entries."""


def _descriptor(spec: ParamSpec) -> ParameterDescriptor:
    unit = f" [{spec.unit}]" if spec.unit else ""
    # A double parameter takes an integer too (``rate_hz:=50``, ``rate_hz: 50`` in YAML,
    # as launch files type their values): rclpy refuses that unless typing is dynamic,
    # so the type and range checks are ParamSpec.check's.
    descriptor = ParameterDescriptor(name=spec.name, description=spec.description + unit,
                                     read_only=not spec.runtime,
                                     dynamic_typing=spec.kind is float)
    if spec.choices:
        descriptor.additional_constraints = "one of: " + ", ".join(
            repr(choice) for choice in spec.choices)
    if spec.low is not None and spec.kind is float:
        descriptor.floating_point_range = [FloatingPointRange(
            from_value=float(spec.low), to_value=float(spec.high), step=0.0)]
    elif spec.low is not None and spec.kind is int:
        descriptor.integer_range = [IntegerRange(
            from_value=int(spec.low), to_value=int(spec.high), step=1)]
    return descriptor


def _declared_value(node: Node, spec: ParamSpec) -> Any:
    if node.has_parameter(spec.name):       # declared before (a lifecycle node's configure)
        return node.get_parameter(spec.name).value
    default = spec.default if spec.default is not None else _UNSET_TYPES[spec.item]
    return node.declare_parameter(spec.name, default, _descriptor(spec)).value


def declare(node: Node, specs: tuple[ParamSpec, ...]) -> dict[str, Any]:
    """Declare ``specs`` on ``node``; returns the values (None for an unset optional one).

    A parameter declared already (by an earlier call) keeps its value, which is read.

    Raises ValueError naming the parameter when a value given at start (a
    parameter file or ``-p``) is out of range, of the wrong type or not a choice.
    """
    values: dict[str, Any] = {}
    for spec in specs:
        try:
            value = _declared_value(node, spec)
        except ParameterUninitializedException:
            value = None
        except Exception as error:  # noqa: BLE001 - rclpy raises several kinds here
            raise ValueError(f"parameter {spec.name}: {error}") from None
        if value is not None:
            if spec.kind is list:
                value = list(value)
            reason = spec.check(value)
            if reason:
                raise ValueError(f"parameter {reason}")
            value = spec.kind(value)
        values[spec.name] = value
    return values


def runtime_check(specs: tuple[ParamSpec, ...],
                  apply: Callable[[str, Any], None]) -> Callable[[list[Parameter]],
                                                                 SetParametersResult]:
    """A parameter callback: refuse an invalid change with its reason, else ``apply`` it.

    rclpy refuses read-only parameters and out-of-range numbers before calling it.
    """
    by_name = {spec.name: spec for spec in specs}

    def callback(parameters: list[Parameter]) -> SetParametersResult:
        for parameter in parameters:
            spec = by_name.get(parameter.name)
            if spec is None:
                continue
            reason = spec.check(parameter.value)
            if reason:
                return SetParametersResult(successful=False, reason=reason)
        for parameter in parameters:
            if parameter.name in by_name:
                apply(parameter.name, by_name[parameter.name].kind(parameter.value))
        return SetParametersResult(successful=True)

    return callback
