"""Subscription callbacks that take each message's ``MessageInfo``, on either executor.

rclpy hands a subscription callback the DDS ``MessageInfo`` of each message (source
timestamp, the publisher's id and sequence number; :mod:`memctrl.ros.arrivals` reads
them) when the callback's signature takes two arguments. ``SingleThreadedExecutor`` then
calls it with the message and the info; rclpy 9.1.2's ``EventsExecutor`` calls it with
one ``(message, info)`` tuple (its C++ ``HandleSubscriptionReady`` passes the tuple that
``take_message`` returned without unpacking it), which a two-argument function refuses
(``spin_once`` raises SystemError). :class:`WithMessageInfo` takes both forms.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Mapping


class WithMessageInfo:
    """``callback(message, info)`` as a subscription callback that either executor calls."""

    __signature__ = inspect.Signature([
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_ONLY)
        for name in ("message", "info")])
    """Two arguments, so that rclpy takes the ``MessageInfo`` with each message."""

    def __init__(self, callback: Callable[[Any, Mapping], None]) -> None:
        self.callback = callback

    def __call__(self, *taken: Any) -> None:
        message, info = taken if len(taken) == 2 else taken[0]
        self.callback(message, info)
