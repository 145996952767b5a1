"""``memctrl_sim``: any gymnasium environment as a robot on ROS 2.

Publishes ``observation`` (``std_msgs/Float64MultiArray``, sensor-data QoS),
``reward`` (``std_msgs/Float64``), ``episode_end`` (``std_msgs/Bool``: true when
the episode terminated, false when it was cut off) and ``episode_return``
(``std_msgs/Float64``, transient-local, so a late listener gets the last 100);
applies the actions it receives on ``command`` (``std_msgs/Float64MultiArray``:
a Discrete action as its index, a Box action's entries, clipped to the bounds;
an empty command, the safe command of a Discrete space, is not an action; the
all-zero safe command of a Box space is one, so in lock-step the controller's
watchdog or shutdown command steps the simulation once).

With ``message_type: joint_state`` it is a topic-based ros2_control robot instead:
observations go out as ``sensor_msgs/JointState`` (the observation split among
``joint_names``, ``joint_state_fields`` entries each) and commands come in as
``sensor_msgs/JointState`` (the action in the field ``command_interface``, taken by
joint name from ``command_joint_names``; a Discrete action as its index, for one
joint).

Each step publishes the reward, then the episode end if any, then the next
observation (the controller learns from the reward before it acts on the
observation). Episode ``e`` resets the environment with seed
``seed * 1000003 + e``, as ``memctrl train`` does, so both paths see the same
episodes.

With ``rate_hz = 0`` the simulation runs in lock-step: one step per command, as
fast as the controller answers (the observation is sent again if no command
comes within ``command_timeout_s``; a controller with ``control_mode: lockstep``
then does not tick on it twice, however slowly it answered). With ``rate_hz > 0`` it steps at that rate
and holds the last command, as an actuator would; until the first command
arrives the world waits. The first observation goes out ``SETTLE_S`` after the
controller's subscriptions and command publisher are matched.

``/diagnostics`` (every ``DIAGNOSTICS_PERIOD_S`` and at shutdown) carries the
counts of what the loop's timing did to the simulation: observations sent
again, steps on a held command, commands rejected, besides steps and episodes.
"""

from __future__ import annotations

import functools
import sys
import time
from typing import Callable

import numpy as np
from diagnostic_msgs.msg import DiagnosticArray, DiagnosticStatus, KeyValue
from gymnasium import spaces
from rclpy.node import Node
from rclpy.qos import qos_profile_sensor_data
from sensor_msgs.msg import JointState
from std_msgs.msg import Bool, Float64, Float64MultiArray

from memctrl.ros.declare import declare
from memctrl.ros import messages
from memctrl.ros.parameters import JOINT_FIELDS
from memctrl.ros.parameters import SIM_PARAMETERS
from memctrl.ros.process import run_node
from memctrl.ros.qos import EPISODE_RETURNS, RELIABLE, REWARDS
from memctrl._checks import shown
from memctrl.coding.one_hot import StateFrame
from memctrl.run_dir import env_name, episode_seed, make_env
from memctrl.training.loop import EnvironmentFailure, checked_reward, env_failure

CONNECT_POLL_S = 0.05
DIAGNOSTICS_PERIOD_S = 1.0
SETTLE_S = 0.3
"""Time between seeing the controller matched and the first observation."""


def _records_failure(method: Callable) -> Callable:
    """A :class:`SimBridge` method whose EnvironmentFailure is kept for the last diagnostics
    before it ends the process."""
    @functools.wraps(method)
    def recorded(self, *args):
        try:
            return method(self, *args)
        except EnvironmentFailure as failure:
            self.failure = str(failure)
            raise
    return recorded


class SimBridge(Node):
    """The simulation bridge; ValueError at construction for an unusable environment."""

    def __init__(self, **node_options) -> None:
        super().__init__("memctrl_sim", **node_options)
        self.params = declare(self, SIM_PARAMETERS)
        self.env = make_env(self.params["env_id"])
        if not isinstance(self.env.observation_space, (spaces.Box, spaces.Discrete)):
            raise ValueError(f"{self.params['env_id']}: observations must be a Box or "
                             f"Discrete, got {self.env.observation_space}")
        self.joint_state = self.params["message_type"] == "joint_state"
        if self.joint_state:
            self._check_joints()
        message_type = JointState if self.joint_state else Float64MultiArray
        self.observation_pub = self.create_publisher(message_type, "observation",
                                                     qos_profile_sensor_data)
        self.reward_pub = self.create_publisher(Float64, "reward", REWARDS)
        self.episode_end_pub = self.create_publisher(Bool, "episode_end", REWARDS)
        self.return_pub = self.create_publisher(Float64, "episode_return", EPISODE_RETURNS)
        self.command_sub = self.create_subscription(message_type, "command",
                                                    self._on_command, RELIABLE)
        self.diagnostics_pub = self.create_publisher(DiagnosticArray, "/diagnostics", RELIABLE)
        self.episode = 0
        self.steps = 0
        self.episode_return, self.episode_steps = 0.0, 0
        self.republished = 0
        self.stale_steps = 0
        self.rejected = 0
        self.finished = False
        self.failure: str | None = None
        """Why the task stopped the simulation (:class:`EnvironmentFailure`), if it did."""
        self._observation: np.ndarray | None = None
        self._action = None
        self._fresh = False
        self._published_s = 0.0
        self.lockstep = self.params["rate_hz"] == 0.0
        self._connected_since: float | None = None
        self._connect_timer = self.create_timer(CONNECT_POLL_S, self._on_connect_poll)
        self.create_timer(DIAGNOSTICS_PERIOD_S, self._publish_diagnostics)
        pace = "lock-step" if self.lockstep else f"{self.params['rate_hz']:g} Hz"
        self.get_logger().info(f"{self.params['env_id']}: {pace}, waiting for a controller")

    def _check_joints(self) -> None:
        size = int(np.prod(self.env.observation_space.shape))
        joints = self.params["joint_names"] or []
        per_joint = len(JOINT_FIELDS[self.params["joint_state_fields"]])
        if len(joints) * per_joint != size:
            raise ValueError(f"joint_names: {len(joints)} joints with "
                             f"{self.params['joint_state_fields']} cannot carry the "
                             f"{size} entries of an observation of {self.params['env_id']}")
        messages.check_command_type("joint_state", self.env.action_space,
                                    self.params["command_joint_names"] or [])

    # -- start -----------------------------------------------------------------------

    def _connected(self) -> bool:
        return (self.observation_pub.get_subscription_count() > 0
                and self.reward_pub.get_subscription_count() > 0
                and self.episode_end_pub.get_subscription_count() > 0
                and self.command_sub.get_publisher_count() > 0)

    def _on_connect_poll(self) -> None:
        if not self._connected():
            self._connected_since = None
            return
        # Matching shows on our side first; the controller's side follows within a
        # moment. A best-effort observation sent before that would be lost.
        now = time.monotonic()
        self._connected_since = self._connected_since or now
        if now - self._connected_since < SETTLE_S:
            return
        self.destroy_timer(self._connect_timer)
        self.get_logger().info("controller connected")
        self._begin_episode()
        if self.lockstep:
            self.create_timer(self.params["command_timeout_s"], self._on_timeout)
        else:
            self.create_timer(1.0 / self.params["rate_hz"], self._on_rate_tick)

    # -- stepping --------------------------------------------------------------------

    def _publish_observation(self) -> None:
        observation = np.asarray(self._observation, np.float64).ravel()
        if self.joint_state:
            message = messages.joint_state_from_observation(
                observation, self.params["joint_names"], self.params["joint_state_fields"])
            message.header.stamp = self.get_clock().now().to_msg()
        else:
            message = Float64MultiArray(data=observation.tolist())
        self.observation_pub.publish(message)
        self._published_s = time.monotonic()

    @_records_failure
    def _begin_episode(self) -> None:
        try:
            observation, _ = self.env.reset(seed=episode_seed(self.params["seed"],
                                                              self.episode))
        except Exception as error:   # the task's own fault, whatever its type
            raise env_failure(self.env, "reset", self.episode, error) from error
        self._observation = self._checked_observation(observation, "reset")
        self.episode_return, self.episode_steps = 0.0, 0
        self._publish_observation()

    @_records_failure
    def _step(self, action) -> None:
        what = f"step {self.episode_steps}"
        try:
            observation, reward, terminated, truncated, _ = self.env.step(action)
        except Exception as error:
            raise env_failure(self.env, what, self.episode, error) from error
        self._observation = self._checked_observation(observation, what)
        reward = checked_reward(self.env, reward, self.episode_steps, self.episode)
        self.steps += 1
        self.episode_steps += 1
        self.episode_return += reward
        self.reward_pub.publish(Float64(data=reward))
        if not (terminated or truncated):
            self._publish_observation()
            return
        self.episode_end_pub.publish(Bool(data=bool(terminated)))
        self.return_pub.publish(Float64(data=self.episode_return))
        self.get_logger().info(f"episode {self.episode}: return {self.episode_return:g}")
        self.episode += 1
        if 0 < self.params["max_episodes"] <= self.episode:
            self.finished = True
            self.get_logger().info(f"{self.episode} episodes done; stopped stepping")
            return
        self._begin_episode()

    def _checked_observation(self, observation, what: str) -> np.ndarray:
        """The task's observation as its space's count of finite numbers; EnvironmentFailure
        naming the task, ``what`` and the episode otherwise (a controller would refuse it,
        and on a Discrete action space its safe command cannot step the task: the run would
        stall)."""
        space = self.env.observation_space
        size = int(np.prod(space.shape))
        try:
            values = np.asarray(observation, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            values = np.array([np.nan])
        good = values.size == size and bool(np.all(np.isfinite(values)))
        wants = f"{size} finite numbers"
        if isinstance(space, spaces.Discrete):
            try:
                StateFrame(space).validate(observation)   # the controller's test of a state
            except ValueError:
                good = False
            wants = (f"one of its states, a whole number from {space.start} to "
                     f"{space.start + space.n - 1}")
        if not good:
            raise EnvironmentFailure(
                f"environment {env_name(self.env)} returned the observation "
                f"{shown(observation)} in {what} of episode {self.episode}: its observation "
                f"space wants {wants}")
        return values

    def _on_command(self, message: Float64MultiArray | JointState) -> None:
        if self._observation is None or self.finished:
            return
        try:
            if self.joint_state:
                action = messages.action_from_joint_state(
                    message, self.params["command_joint_names"],
                    self.params["command_interface"], self.env.action_space)
            else:
                action = messages.action_from_command(message, self.env.action_space)
        except ValueError as error:
            self.rejected += 1
            self.get_logger().warning(f"rejected command: {error}", throttle_duration_sec=1.0)
            return
        if action is None:
            return
        if self.lockstep:
            self._step(action)
        else:
            self._action, self._fresh = action, True

    def _on_timeout(self) -> None:
        silent_s = time.monotonic() - self._published_s
        if not self.finished and silent_s >= self.params["command_timeout_s"]:
            self.republished += 1
            self._publish_observation()

    def _on_rate_tick(self) -> None:
        if self.finished:
            return
        if self._action is None:
            self._publish_observation()
            return
        self.stale_steps += not self._fresh
        self._fresh = False
        self._step(self._action)

    def counts(self) -> dict[str, int]:
        """What was simulated, and what the loop's timing did to it."""
        return {"episodes": self.episode, "steps": self.steps,
                "observations_sent_again": self.republished,
                "steps_on_held_command": self.stale_steps, "commands_rejected": self.rejected}

    def status(self) -> DiagnosticStatus:
        """The simulation's diagnostic: ERROR once the task has stopped it."""
        counts = self.counts()
        return DiagnosticStatus(
            level=DiagnosticStatus.ERROR if self.failure else DiagnosticStatus.OK,
            name=f"{self.get_name()}: simulation",
            message=(f"stopped: {self.failure}" if self.failure
                     else "finished" if self.finished else "running"),
            hardware_id=self.params["env_id"],
            values=[KeyValue(key=key, value=str(value)) for key, value in counts.items()])

    def _publish_diagnostics(self) -> None:
        array = DiagnosticArray(status=[self.status()])
        array.header.stamp = self.get_clock().now().to_msg()
        self.diagnostics_pub.publish(array)

    def shutdown(self) -> None:
        """Publish the last diagnostics, log what was simulated and close the environment."""
        self._publish_diagnostics()
        self.get_logger().info(f"{self.episode} episodes, {self.steps} steps, "
                               f"{self.republished} observations sent again, "
                               f"{self.stale_steps} steps on a held command")
        self.env.close()


def main(argv: list[str] | None = None) -> int:
    """Console script ``memctrl_sim``."""
    return run_node(SimBridge, "memctrl_sim", SIM_PARAMETERS, sys.argv if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
