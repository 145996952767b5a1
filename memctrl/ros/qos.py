"""Quality-of-service profiles shared by the nodes (observations use ROS 2's sensor-data QoS)."""

from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy

RELIABLE = QoSProfile(depth=10, reliability=ReliabilityPolicy.RELIABLE)
"""Commands, diagnostics: every message must arrive (a command or a status is read as the
latest; ten queued is plenty)."""

REWARDS = QoSProfile(depth=1000, reliability=ReliabilityPolicy.RELIABLE)
"""Rewards and episode ends, where every message counts: a client may send a step's reward
in parts (one per reward term), and a queue of ten lost all but the last ten of a burst
while the node was busy (a probe of 2026-12-07: 114 of 200 parts, the episode's return 5.7
instead of 10.0). A publisher keeping fewer may still lose them on its side."""

EPISODE_RETURNS = QoSProfile(depth=100, reliability=ReliabilityPolicy.RELIABLE,
                             durability=DurabilityPolicy.TRANSIENT_LOCAL)
"""Episode returns: a listener that joins late still gets the last 100."""
