"""``memctrl_node``: the spiking controller on ROS 2, learning online at sensor rate.

Topics (relative names, so namespaces and remappings apply):

- ``observation`` in (``std_msgs/Float64MultiArray`` or ``sensor_msgs/JointState``,
  sensor-data QoS): one controller tick per message, or per timer period;
- ``reward`` in (``std_msgs/Float64``, reliable): the reward of the last command;
  several rewards before the next observation add up;
- ``episode_end`` in (``std_msgs/Bool``, reliable): the episode ended after the last
  command; ``true``: it terminated (a terminal state), ``false``: it was cut off;
- ``command`` out (``std_msgs/Float64MultiArray`` or ``geometry_msgs/Twist``, reliable);
- ``/diagnostics`` out (``diagnostic_msgs/DiagnosticArray``) every
  ``diagnostics_period_s``.

Services: ``~/save_checkpoint`` and ``~/reset`` (``std_srvs/Trigger``),
``~/set_learning`` (``std_srvs/SetBool``; switching starts a new episode).

A tick, in the order of the design, through the
:class:`memctrl.controller.driver.EpisodeDriver` that the gymnasium loop uses
too: validate the observation; learn from the reward of the previous command
(if one came), or, on an episode's first observation, reset the controller;
``act`` (encode, network ticks, decode); publish the command. An episode ends with an
``episode_end`` message, the ``~/reset`` service, a switch of learning, or the
watchdog; only the first learns from its last reward. An observation of the
wrong length or with NaN/inf is rejected with a throttled warning, counted in
the diagnostics, and answered with the safe command; the controller and its
weights are untouched. When no
observation comes for ``watchdog_timeout_s`` the node publishes the safe command,
warns, and ends the episode without learning across the gap.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from diagnostic_msgs.msg import DiagnosticArray
from geometry_msgs.msg import Twist
from rclpy.node import Node
from rclpy.parameter import Parameter
from rclpy.qos import qos_profile_sensor_data
from sensor_msgs.msg import JointState
from std_msgs.msg import Bool, Float64, Float64MultiArray
from std_srvs.srv import SetBool, Trigger

from memctrl.controller.driver import EpisodeDriver
from memctrl.energy.hardware import hardware_for_run
from memctrl.energy.live import price_stretch
from memctrl.network.reference import COUNTER_NAMES
from memctrl.ros import messages
from memctrl.ros.controller_setup import controller_from_parameters
from memctrl.ros.declare import declare, runtime_check
from memctrl.ros.diagnostics import controller_status
from memctrl.ros.episode_log import EpisodeLog
from memctrl.ros.loop_stats import LoopStats
from memctrl.ros.parameters import NODE_PARAMETERS
from memctrl.ros.process import run_node
from memctrl.ros.qos import RELIABLE
from memctrl.run_record import RUN_FILE, atomic_write_text, remove_stale_temporaries
from memctrl.training.run import CONTROLLER_FILE, controller_run_record

WARN_THROTTLE_S = 1.0
"""Throttle of the rejected-input warnings. rclpy keeps one throttle per call site and
raises if a call site's throttle changes, so each warning has its own call of
``warning()`` (never the deprecated ``warn()``, whose wrapper made every warning in
the process one call site)."""


class ControllerNode(Node):
    """The controller node; raises ValueError at construction for bad parameters or a
    checkpoint that cannot be loaded."""

    def __init__(self, **node_options) -> None:
        super().__init__("memctrl_node", **node_options)
        self.params = declare(self, NODE_PARAMETERS)
        self.controller, origin = controller_from_parameters(self.params)
        self.controller.learning = self.params["learning"]
        self.obs_size = int(np.prod(self.controller.observation_space.shape))
        action_space = self.controller.action_space
        if self.params["command_type"] == "twist" and getattr(action_space, "shape", ()) != (2,):
            raise ValueError(f"command_type twist needs a 2-D Box action space, got {action_space}")
        self.safe_command = messages.safe_command(action_space, self.params["command_type"])
        # Refuse at start a hardware preset that cannot price this device (the
        # diagnostics would fail on it later).
        hardware_for_run(self.controller.config.neuron_preset, self.params["hardware"] or None)
        self.run_dir = Path(self.params["run_dir"]) if self.params["run_dir"] else None
        if self.run_dir is not None:   # what an interrupted save left behind
            remove_stale_temporaries(self.run_dir)
        self.episodes = EpisodeLog(self.controller, self.run_dir)
        self.stats = LoopStats()
        self.counts = {"observations_received": 0, "observations_rejected": 0,
                       "commands_sent": 0, "rewards_received": 0, "rewards_rejected": 0,
                       "episodes": 0}
        self.driver = EpisodeDriver(self.controller)
        self._latest = None
        self._last_observation_s = time.monotonic()
        self._watchdog_tripped = False
        self._rejected_in_window = 0
        self._window_start_s = time.monotonic()
        self._window_counters = dict(self.controller.counters)
        self._window_ticks = 0

        command_type = Twist if self.params["command_type"] == "twist" else Float64MultiArray
        self.command_pub = self.create_publisher(command_type, "command", RELIABLE)
        self.diagnostics_pub = self.create_publisher(DiagnosticArray, "/diagnostics", RELIABLE)
        # Reward and episode ends first: when they arrive with the next observation,
        # the executor serves subscriptions in creation order.
        self.create_subscription(Float64, "reward", self._on_reward, RELIABLE)
        self.create_subscription(Bool, "episode_end", self._on_episode_end, RELIABLE)
        observation_type = (JointState if self.params["observation_type"] == "joint_state"
                            else Float64MultiArray)
        self.create_subscription(observation_type, "observation", self._on_observation,
                                 qos_profile_sensor_data)
        self.create_service(Trigger, "~/save_checkpoint", self._on_save)
        self.create_service(Trigger, "~/reset", self._on_reset)
        self.create_service(SetBool, "~/set_learning", self._on_set_learning)
        self.tick_timer = None
        if self.params["control_mode"] == "timer":
            self.tick_timer = self.create_timer(1.0 / self.params["control_rate_hz"],
                                                self._on_timer)
        self.watchdog_timer = self.create_timer(self._watchdog_period(), self._on_watchdog)
        self.create_timer(self.params["diagnostics_period_s"], self._publish_diagnostics)
        self.add_on_set_parameters_callback(runtime_check(NODE_PARAMETERS, self._apply_parameter))
        self.get_logger().info(
            f"{origin}: {self.controller.n_neurons} neurons, observation "
            f"{self.controller.observation_space}, action {self.controller.action_space}, "
            f"learning {'on' if self.controller.learning else 'off'}")

    # -- parameters ------------------------------------------------------------------

    def _watchdog_period(self) -> float:
        return min(0.05, self.params["watchdog_timeout_s"] / 2)

    def _apply_parameter(self, name: str, value) -> None:
        self.params[name] = value
        if name == "learning":
            # A transition half seen with the other setting is not learned: start afresh.
            self.controller.learning = bool(value)
            self._end_episode_unlearned()
        elif name == "control_rate_hz" and self.tick_timer is not None:
            self.destroy_timer(self.tick_timer)
            self.tick_timer = self.create_timer(1.0 / value, self._on_timer)
        elif name == "watchdog_timeout_s":
            self.destroy_timer(self.watchdog_timer)
            self.watchdog_timer = self.create_timer(self._watchdog_period(), self._on_watchdog)

    # -- inputs ----------------------------------------------------------------------

    def _observation(self, message) -> np.ndarray:
        if self.params["observation_type"] == "joint_state":
            observation = messages.observation_from_joint_state(
                message, self.params["joint_state_fields"])
        else:
            observation = messages.observation_from_array(message)
        if observation.size != self.obs_size:
            raise ValueError(f"observation has {observation.size} entries, expected "
                             f"{self.obs_size}")
        if not np.all(np.isfinite(observation)):
            raise ValueError(f"observation holds NaN or inf: {observation.tolist()}")
        return observation

    def _reject(self, what: str, error: ValueError) -> None:
        self.counts[f"{what}_rejected"] += 1
        self._rejected_in_window += 1
        self.get_logger().warning(f"rejected {what}: {error}",
                                  throttle_duration_sec=WARN_THROTTLE_S)

    def _on_reward(self, message: Float64) -> None:
        try:
            self.driver.add_reward(message.data)
        except ValueError as error:
            self._reject("rewards", error)
            return
        self.counts["rewards_received"] += 1
        self.episodes.reward(message.data)

    def _on_episode_end(self, message: Bool) -> None:
        self.driver.end_episode(terminated=message.data)
        self.episodes.end()
        self.counts["episodes"] += 1

    def _on_observation(self, message) -> None:
        self.counts["observations_received"] += 1
        self._last_observation_s = time.monotonic()
        if self._watchdog_tripped:
            self._watchdog_tripped = False
            self.get_logger().info("observations resumed")
        if self.tick_timer is None:
            self._tick(message)
        else:
            self._latest = message

    def _on_timer(self) -> None:
        if self._latest is not None:
            message, self._latest = self._latest, None
            self._tick(message)

    # -- the tick --------------------------------------------------------------------

    def _tick(self, message) -> None:
        start = time.perf_counter()
        try:
            observation = self._observation(message)
        except ValueError as error:
            self._reject("observations", error)
            self.command_pub.publish(self.safe_command)
            return
        action = self.driver.step(observation)   # the protocol of the gymnasium loop
        if self.params["command_type"] == "twist":
            self.command_pub.publish(messages.command_twist(action))
        else:
            self.command_pub.publish(messages.command_array(action))
        self.counts["commands_sent"] += 1
        self.episodes.step()
        self._window_ticks += 1
        self.stats.tick(start, time.perf_counter() - start,
                        1.0 / self.params["control_rate_hz"], self.params["watchdog_timeout_s"])

    def _on_watchdog(self) -> None:
        silent_s = time.monotonic() - self._last_observation_s
        if silent_s < self.params["watchdog_timeout_s"] or self._watchdog_tripped:
            return
        self._watchdog_tripped = True
        self.command_pub.publish(self.safe_command)
        self._latest = None
        self._end_episode_unlearned()
        self.get_logger().warning(f"no observation for {silent_s:.3f} s: safe command published")

    def _end_episode_unlearned(self) -> None:
        """End the episode without learning its last transition (its row is not written)."""
        self.driver.abandon()
        self.episodes.restart()

    # -- services --------------------------------------------------------------------

    def save(self) -> Path:
        """Write the checkpoint and the run record into ``run_dir``; returns the checkpoint."""
        if self.run_dir is None:
            raise ValueError("run_dir is not set: nowhere to save")
        path = self.run_dir / CONTROLLER_FILE
        self.controller.save(path)
        if self.controller.steps > 0:
            record = controller_run_record(self.controller, self.controller.steps,
                                           source="memctrl_node")
            record["messages"] = dict(self.counts)
            atomic_write_text(self.run_dir / RUN_FILE,
                              json.dumps(record, indent=2, sort_keys=True) + "\n")
        return path

    def _on_save(self, request: Trigger.Request, response: Trigger.Response):
        try:
            response.message = f"saved {self.save()}"
            response.success = True
        except (ValueError, OSError) as error:
            response.success, response.message = False, str(error)
        return response

    def _on_reset(self, request: Trigger.Request, response: Trigger.Response):
        self._end_episode_unlearned()
        self.command_pub.publish(self.safe_command)
        response.success, response.message = True, "episode reset; safe command published"
        return response

    def _on_set_learning(self, request: SetBool.Request, response: SetBool.Response):
        result = self.set_parameters([Parameter("learning", value=bool(request.data))])[0]
        response.success = result.successful
        response.message = (f"learning {'on' if request.data else 'off'}" if result.successful
                            else result.reason)
        return response

    # -- diagnostics -----------------------------------------------------------------

    def _publish_diagnostics(self) -> None:
        now = time.monotonic()
        counters = self.controller.counters
        window = self.stats.window()
        power = None
        window["spikes_per_tick"] = window["spikes_per_s"] = "n/a"
        if self._window_ticks > 0:
            delta = {name: counters[name] - self._window_counters[name] for name in COUNTER_NAMES}
            record = controller_run_record(self.controller, self._window_ticks, delta)
            power = price_stretch(record, now - self._window_start_s,
                                  self.params["hardware"] or None)
            window["spikes_per_tick"] = delta["spikes"] / self._window_ticks
            window["spikes_per_s"] = delta["spikes"] / (now - self._window_start_s)
        status = controller_status(self.get_name(), window, power, self.counts,
                                   self.stats.total_missed_ticks, self.controller.learning,
                                   self._watchdog_tripped, self._rejected_in_window)
        array = DiagnosticArray(status=[status])
        array.header.stamp = self.get_clock().now().to_msg()
        self.diagnostics_pub.publish(array)
        self._window_start_s, self._window_counters = now, counters
        self._window_ticks, self._rejected_in_window = 0, 0

    def shutdown(self) -> None:
        """Publish the safe command and the last diagnostics, and save (when ``run_dir`` is set)."""
        self.command_pub.publish(self.safe_command)
        self._publish_diagnostics()
        if self.run_dir is not None:
            self.get_logger().info(f"saved {self.save()}")


def main(argv: list[str] | None = None) -> int:
    """Console script ``memctrl_node``."""
    return run_node(ControllerNode, "memctrl_node", NODE_PARAMETERS,
                    sys.argv if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
