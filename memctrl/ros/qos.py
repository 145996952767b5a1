"""Quality-of-service profiles shared by the nodes (observations use ROS 2's sensor-data QoS)."""

from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy

RELIABLE = QoSProfile(depth=10, reliability=ReliabilityPolicy.RELIABLE)
"""Commands, rewards, episode ends, diagnostics: every message must arrive."""

EPISODE_RETURNS = QoSProfile(depth=100, reliability=ReliabilityPolicy.RELIABLE,
                             durability=DurabilityPolicy.TRANSIENT_LOCAL)
"""Episode returns: a listener that joins late still gets the last 100."""
