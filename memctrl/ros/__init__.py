"""memctrl on ROS 2: the controller node, the simulation bridge, launch files, the demo.

This package is the only place that imports rclpy. The control math lives in
:class:`memctrl.SpikingController`; the nodes only convert messages, keep time
and report.
"""
