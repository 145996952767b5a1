"""How observations arrive: messages lost before the node took them, and their age.

DDS numbers each publisher's messages 1, 2, 3, ... (rclpy hands the number, the
publisher's id and the source timestamp to a callback that takes a
``MessageInfo``). A gap in one publisher's numbers is messages that never
reached the node's callback: dropped by the subscription's queue (the
sensor-data QoS keeps the last 5) or lost by a best-effort transport. Counting
starts at the first message taken from each publisher (messages before it may
have gone out before the node subscribed).

The age of an observation is measured from its header stamp where the message
has one (``sensor_msgs/JointState``), else from the DDS source timestamp (when
it was published); both are system time, in nanoseconds.
"""

from __future__ import annotations

from typing import Mapping


def stamp_ns(message: object, info: Mapping | None) -> int | None:
    """When ``message`` was taken (its header stamp, if set) or else published (the
    source timestamp of ``info``); None if neither is known."""
    header = getattr(message, "header", None)
    if header is not None and (header.stamp.sec or header.stamp.nanosec):
        return header.stamp.sec * 1_000_000_000 + header.stamp.nanosec
    if info is not None and info.get("source_timestamp"):
        return int(info["source_timestamp"])
    return None


class SequenceGaps:
    """Messages missing from each publisher's numbering, counted as messages are taken."""

    def __init__(self) -> None:
        self.dropped = 0
        self._last: dict[bytes, int] = {}

    def taken(self, info: Mapping | None) -> int:
        """Note a taken message; returns how many of its publisher's messages were
        skipped just before it (0 without a sequence number or publisher id)."""
        number = info.get("publication_sequence_number") if info else None
        gid = info.get("publisher_gid") if info else None
        if number is None or gid is None:
            return 0
        key = bytes(gid["data"])
        last = self._last.get(key)
        if last is None or number <= last:
            self._last.setdefault(key, number)
            return 0           # the first of this publisher's, or one taken already
        self._last[key] = number
        skipped = number - last - 1
        self.dropped += skipped
        return skipped
