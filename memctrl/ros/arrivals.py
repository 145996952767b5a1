"""How observations arrive: messages lost before the node took them, and their age.

DDS numbers each publisher's messages 1, 2, 3, ... (rclpy hands the number, the
publisher's id and the source timestamp to a callback that takes a
``MessageInfo``). A gap in one publisher's numbers is messages that never
reached the node's callback: dropped by the subscription's queue (the
sensor-data QoS keeps the last 5) or lost by a best-effort transport. Counting
starts at the first message taken from each publisher (messages before it may
have gone out before the node subscribed).

The age of an observation is measured from its header stamp where the message
has one (``sensor_msgs/JointState``), on the node's clock (the sender's ROS time:
simulated time where both run with ``use_sim_time``), else from the DDS source
timestamp (when it was published), on the system clock; in nanoseconds.
"""

from __future__ import annotations

from typing import Mapping


def stamp_ns(message: object, info: Mapping | None) -> tuple[int, bool] | None:
    """When ``message`` was taken (its header stamp, if set) or else published (the
    source timestamp of ``info``), and whether it is the header stamp (ROS time) rather
    than the source timestamp (system time); None if neither is known."""
    header = getattr(message, "header", None)
    if header is not None and (header.stamp.sec or header.stamp.nanosec):
        return header.stamp.sec * 1_000_000_000 + header.stamp.nanosec, True
    if info is not None and info.get("source_timestamp"):
        return int(info["source_timestamp"]), False
    return None


def age_ms(stamp: tuple[int, bool] | None, ros_now_ns: int, system_now_ns: int) -> float | None:
    """The age of an observation stamped ``stamp`` (:func:`stamp_ns`), ms, each stamp
    against its own clock: a header stamp against the node's ROS time (``ros_now_ns``), a
    source timestamp against system time; None without a stamp."""
    if stamp is None:
        return None
    stamp_value, on_ros_clock = stamp
    return ((ros_now_ns if on_ros_clock else system_now_ns) - stamp_value) / 1e6


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
