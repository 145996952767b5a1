"""``memctrl_node``: the spiking controller on ROS 2, a managed (lifecycle) node learning online.

Lifecycle (``rclpy.lifecycle``; driven through ``~/change_state`` and read through
``~/get_state``, as a lifecycle manager does):

- *unconfigured*: the lifecycle services and the parameters (``autostart``, and the
  others once a ``configure`` has declared them) exist, nothing else;
- ``configure``: reads the parameters (declaring them the first time), loads the
  checkpoint or builds the controller, creates the topics and services below. An
  error (a bad parameter, a checkpoint that cannot be read, spaces not given) is
  logged and the node stays unconfigured;
- *inactive*: nothing goes to the actuators; observations, rewards and episode ends
  are ignored; diagnostics and the services work;
- ``activate``: starts control (a tick per observation, or the tick timer) and the
  watchdog;
- ``deactivate``: publishes the safe command, stops control and the watchdog, and
  ends the episode without learning its last transition: the weights and the
  learning rule's statistics are kept as they are;
- ``cleanup`` saves (when ``run_dir`` is set; a failed save refuses the transition)
  and removes everything ``configure`` made; ``shutdown`` publishes the safe command
  and the last diagnostics and saves.

With ``autostart`` (the default) the process configures and activates the node at
start, and exits with status 2 and the reason if it cannot.

Topics (relative names, so namespaces and remappings apply):

- ``observation`` in (``std_msgs/Float64MultiArray`` or ``sensor_msgs/JointState``,
  sensor-data QoS): one controller tick per message, or per timer period;
- ``reward`` in (``std_msgs/Float64``, reliable): the reward of the last command;
  several rewards before the next observation add up;
- ``episode_end`` in (``std_msgs/Bool``, reliable): the episode ended after the last
  command; ``true``: it terminated (a terminal state), ``false``: it was cut off;
- ``command`` out (``std_msgs/Float64MultiArray`` or ``geometry_msgs/Twist``,
  reliable, a lifecycle publisher: silent unless active);
- ``/diagnostics`` out (``diagnostic_msgs/DiagnosticArray``) every
  ``diagnostics_period_s`` while configured.

Services: ``~/save_checkpoint`` and ``~/reset`` (``std_srvs/Trigger``),
``~/set_learning`` (``std_srvs/SetBool``; switching starts a new episode).

A tick, in the order of the design, through the
:class:`memctrl.controller.driver.EpisodeDriver` that the gymnasium loop uses
too: validate the observation; learn from the reward of the previous command
(if one came), or, on an episode's first observation, reset the controller;
decide (encode, the critic's reads, the actor's and the critic's updates, network
ticks, decode); publish the command; then the rest of the step's learning (the
action trace), so the command does not wait for it and the next observation finds
it done: the controller learns exactly as in the gymnasium loop. An episode ends with an
``episode_end`` message, the ``~/reset`` service, a switch of learning, the
watchdog or ``deactivate``; only the first learns from its last reward. An
observation of the wrong length or with NaN/inf is rejected with a throttled
warning, counted in the diagnostics, and answered with the safe command; the
controller and its weights are untouched. When no observation has been answered with a
command for ``watchdog_timeout_s`` (on a timer, that plus one tick period; none came, none
was usable, or, on a timer, no tick took one: simulated time stopped while the sensor went
on), the node publishes the safe command, warns, and ends the episode without learning
across the gap.

``control_mode: lockstep`` is for a source that steps once per command and sends
the step's reward (and episode end) before its next observation, as
``memctrl_sim`` does with ``rate_hz: 0``: an observation that comes while the last
command's reward is awaited is not ticked on (the source sends it again), and there
is no watchdog (the world waits for the controller; silence is not a stop), so no
timeout changes the episodes and the run is a function of the seed.

The watchdog's and the diagnostics' timers run on the steady clock, as the loop's own
timing does: with ``use_sim_time`` and no ``/clock`` simulated time stands still, and the
watchdog must not; the tick timer of timer mode keeps the node's clock (simulated time,
with ``use_sim_time``, ticks the controller).

Every input that timing touched is counted, in ``/diagnostics`` and ``run.json``
(:mod:`memctrl.ros.input_ledger`): observations dropped before the node took them,
replaced before a timer tick, ignored before their reward or answered late
(lock-step), messages ignored while inactive, watchdog trips.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np
from diagnostic_msgs.msg import DiagnosticArray
from geometry_msgs.msg import Twist
from rclpy.clock import Clock, ClockType
from rclpy.duration import Duration
from rclpy.event_handler import PublisherEventCallbacks, SubscriptionEventCallbacks
from rclpy.lifecycle import LifecycleNode, LifecycleState, TransitionCallbackReturn
from rclpy.parameter import Parameter
from rclpy.qos import qos_profile_sensor_data
from rclpy.subscription import MessageInfo
from sensor_msgs.msg import JointState
from std_msgs.msg import Bool, Float64, Float64MultiArray
from std_srvs.srv import SetBool, Trigger

from memctrl.controller.driver import EpisodeDriver
from memctrl.ros import messages
from memctrl.ros.arrivals import age_ms
from memctrl.ros.controller_setup import RUN_SOURCE, controller_from_parameters, node_run_dir
from memctrl.ros.declare import declare, runtime_check
from memctrl.ros.diagnostics import DiagnosticsWindow
from memctrl.ros.episode_log import EpisodeLog
from memctrl.ros.input_ledger import InputLedger
from memctrl.ros.loop_stats import LoopStats
from memctrl.ros.message_info import WithMessageInfo
from memctrl.ros.parameters import CONTROL_PARAMETERS, LIFECYCLE_PARAMETERS, NODE_PARAMETERS
from memctrl.ros.process import ACK_TIMEOUT_S, run_node
from memctrl.ros.qos import RELIABLE, REWARDS
from memctrl.run_dir import CONTROLLER_FILE, controller_run_record, hold_run_lock
from memctrl.run_record import remove_stale_temporaries, write_run_record

SUCCESS, FAILURE = TransitionCallbackReturn.SUCCESS, TransitionCallbackReturn.FAILURE
WARN_THROTTLE_S = 1.0
"""Throttle of the rejected-input warnings. rclpy keeps one throttle per call site and
raises if a call site's throttle changes, so each warning has its own call of
``warning()`` (never the deprecated ``warn()``, whose wrapper made every warning in
the process one call site)."""


class ControllerNode(LifecycleNode):
    """The controller node, unconfigured until ``configure``; see the module docstring."""

    def __init__(self, **node_options) -> None:
        super().__init__("memctrl_node", **node_options)
        self.autostart = declare(self, LIFECYCLE_PARAMETERS)["autostart"]
        self.controller = None
        self.active = False
        self.shutdown_error: str | None = None
        self.finalized = False
        self._undo: list[Callable[[], object]] = []

    # -- lifecycle -------------------------------------------------------------------

    def on_configure(self, state: LifecycleState) -> TransitionCallbackReturn:
        try:
            self._configure()
        except (ValueError, OSError) as error:
            self._teardown()
            self.get_logger().error(f"configure failed, still unconfigured: {error}")
            return FAILURE
        return SUCCESS

    def on_activate(self, state: LifecycleState) -> TransitionCallbackReturn:
        self._last_observation_s = time.monotonic()
        self._watchdog_tripped = False
        for timer in (self.tick_timer, self.watchdog_timer):
            if timer is not None:
                timer.reset()
        if self.inputs.lockstep:
            self.watchdog_timer.cancel()
        self.active = True
        self.get_logger().info("active: controlling")
        return super().on_activate(state)

    def on_deactivate(self, state: LifecycleState) -> TransitionCallbackReturn:
        self._stop_control()
        self.get_logger().info("inactive: safe command published, learning paused")
        return super().on_deactivate(state)

    def on_cleanup(self, state: LifecycleState) -> TransitionCallbackReturn:
        try:
            self._save_if_kept()
        except (ValueError, OSError) as error:
            self.get_logger().error(f"cleanup refused, still inactive: cannot save ({error})")
            return FAILURE
        self._teardown()
        return SUCCESS

    def on_shutdown(self, state: LifecycleState) -> TransitionCallbackReturn:
        self.finalized = True
        if self.controller is None:
            return SUCCESS
        if self.active:
            self._stop_control()
        self._publish_diagnostics()
        try:
            self._save_if_kept()
        except (ValueError, OSError) as error:
            self.shutdown_error = str(error)
            self.get_logger().error(f"at shutdown: cannot save ({error})")
        return SUCCESS

    def on_error(self, state: LifecycleState) -> TransitionCallbackReturn:
        # A transition raised: back to unconfigured, with nothing left running.
        if self.active:
            self._stop_control()
        self._teardown()
        self.get_logger().error(f"error in a transition from {state.label}: now unconfigured")
        return SUCCESS

    def bring_up(self) -> bool:
        """With ``autostart``: configure and activate; False if either failed (the
        reason is logged). Without: leave the node to a lifecycle manager."""
        if not self.autostart:
            self.get_logger().info("unconfigured: waiting for a lifecycle manager")
            return True
        return self.trigger_configure() == SUCCESS and self.trigger_activate() == SUCCESS

    def shutdown(self) -> None:
        """At the end of the process: the shutdown transition (unless a manager made it
        already); ValueError if the run could not be saved."""
        if not self.finalized:
            self.trigger_shutdown()
        if self.shutdown_error:
            raise ValueError(f"cannot save the run: {self.shutdown_error}")

    def _stop_control(self) -> None:
        """Safe command, timers stopped, episode ended unlearned (weights kept)."""
        self.command_pub.publish(self.safe_command)
        self.active = False
        for timer in (self.tick_timer, self.watchdog_timer):
            if timer is not None:
                timer.cancel()
        self._latest = None
        self._end_episode_unlearned()

    # -- configure and clean up ------------------------------------------------------

    def _own(self, entity, destroy: Callable[[object], object]):
        self._undo.append(lambda: destroy(entity))
        return entity

    def _configure(self) -> None:
        self.params = declare(self, CONTROL_PARAMETERS)
        self.run_dir = node_run_dir(self.params["run_dir"])
        self.controller, origin = controller_from_parameters(self.params)
        self.controller.learning = self.params["learning"]
        self.obs_size = int(np.prod(self.controller.observation_space.shape))
        if self.params["observation_joint_names"]:
            messages.check_observation_joints(
                self.params["observation_type"], self.params["observation_joint_names"],
                self.params["joint_state_fields"], self.obs_size)
        action_space = self.controller.action_space
        joints = self.params["command_joint_names"] or []
        messages.check_command_type(self.params["command_type"], action_space, joints)
        self._command_form = (self.params["command_type"], joints,
                              self.params["command_interface"])
        self.safe_command = messages.safe_command(action_space, *self._command_form)
        # Refuses a hardware preset that cannot price this device, before a file changes.
        self.window = DiagnosticsWindow(self.controller, self.params["hardware"] or None)
        if self.run_dir is not None:
            # made, and the node's from here: no other process writes it,
            self._own(hold_run_lock(self.run_dir), lambda lock: lock.close())
            remove_stale_temporaries(self.run_dir)   # and what an interrupted save left goes
        self.episodes = EpisodeLog(self.controller, self.run_dir)
        self.stats = LoopStats()
        self.inputs = InputLedger(lockstep=self.params["control_mode"] == "lockstep")
        self.counts = self.inputs.counts
        self.driver = EpisodeDriver(self.controller)
        self._latest = None
        self._last_command = None     # published again if it went out unheard (lock-step)
        self._watchdog_tripped = False

        command_type = {"twist": Twist, "joint_state": JointState}.get(
            self.params["command_type"], Float64MultiArray)
        self.command_pub = self._own(
            self.create_lifecycle_publisher(
                command_type, "command", RELIABLE, event_callbacks=PublisherEventCallbacks(
                    incompatible_qos=lambda info: self._on_incompatible_qos("command", info))),
            self._destroy_command_publisher)
        self.diagnostics_pub = self._own(
            self.create_publisher(DiagnosticArray, "/diagnostics", RELIABLE),
            self.destroy_publisher)
        # Reward and episode ends first: the events executor (the default) serves messages
        # in the order they came; SingleThreadedExecutor serves the subscriptions that are
        # ready in creation order, so a waiting reward goes before the next observation.
        observation_type = (JointState if self.params["observation_type"] == "joint_state"
                            else Float64MultiArray)
        for message_type, topic, callback, qos in (
                (Float64, "reward", self._on_reward, REWARDS),
                (Bool, "episode_end", self._on_episode_end, REWARDS),
                (observation_type, "observation", self._on_observation,
                 qos_profile_sensor_data)):
            events = SubscriptionEventCallbacks(
                incompatible_qos=lambda info, topic=topic: self._on_incompatible_qos(topic, info))
            self._own(self.create_subscription(message_type, topic, WithMessageInfo(callback),
                                               qos, event_callbacks=events),
                      self.destroy_subscription)
        for service_type, name, callback in ((Trigger, "~/save_checkpoint", self._on_save),
                                             (Trigger, "~/reset", self._on_reset),
                                             (SetBool, "~/set_learning", self._on_set_learning)):
            self._own(self.create_service(service_type, name, callback), self.destroy_service)
        # the watchdog and the diagnostics on the steady clock, as the loop's own timing:
        # simulated time (use_sim_time) stands still without /clock, and must not stop
        # them; the ticks keep the node's clock (simulated time ticks the controller)
        steady = Clock(clock_type=ClockType.STEADY_TIME)
        self.tick_timer = None
        if self.params["control_mode"] == "timer":
            self.tick_timer = self._own(self.create_timer(
                1.0 / self.params["control_rate_hz"], self._on_timer, autostart=False),
                self.destroy_timer)
        self.watchdog_timer = self._own(self.create_timer(
            self._watchdog_period(), self._on_watchdog, autostart=False, clock=steady),
            self.destroy_timer)
        self._own(self.create_timer(self.params["diagnostics_period_s"],
                                    self._publish_diagnostics, clock=steady),
                  self.destroy_timer)
        check = runtime_check(CONTROL_PARAMETERS, self._apply_parameter)
        self.add_on_set_parameters_callback(check)
        self._own(check, self.remove_on_set_parameters_callback)
        self.get_logger().info(
            f"configured: {origin}: {self.controller.n_neurons} neurons, observation "
            f"{self.controller.observation_space}, action {self.controller.action_space}, "
            f"learning {'on' if self.controller.learning else 'off'}")

    def _destroy_command_publisher(self, publisher) -> None:
        # The safe command of ``deactivate`` may still be on its way.
        publisher.wait_for_all_acked(Duration(seconds=ACK_TIMEOUT_S))
        self.destroy_lifecycle_publisher(publisher)

    def _teardown(self) -> None:
        """Undo what configure made, the last first."""
        while self._undo:
            self._undo.pop()()
        self.controller = None

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
            self.tick_timer.timer_period_ns = int(1e9 / value)
        elif name == "watchdog_timeout_s":
            self.watchdog_timer.timer_period_ns = int(1e9 * self._watchdog_period())

    # -- inputs ----------------------------------------------------------------------

    def _observation(self, message) -> np.ndarray:
        if self.params["observation_type"] == "joint_state":
            observation = messages.observation_from_joint_state(
                message, self.params["joint_state_fields"],
                self.params["observation_joint_names"])
        else:
            observation = messages.observation_from_array(message)
        if observation.size != self.obs_size:
            raise ValueError(f"observation has {observation.size} entries, expected "
                             f"{self.obs_size}")
        if not np.all(np.isfinite(observation)):
            raise ValueError(f"observation holds NaN or inf: {observation.tolist()}")
        return observation

    def _on_incompatible_qos(self, topic: str, info) -> None:
        """A peer on ``topic`` whose QoS cannot match the node's (a best-effort reward
        publisher, a transient-local command reader): none of its messages will pass."""
        self.counts["qos_incompatible"] += info.total_count_change
        self.get_logger().warning(
            f"{topic}: a peer's QoS is incompatible with the node's ({info.last_policy_kind.name}"
            " policy): nothing passes between them", throttle_duration_sec=WARN_THROTTLE_S)

    def _reject(self, what: str, error: ValueError) -> None:
        self.counts[f"{what}_rejected"] += 1
        self.window.rejected += 1
        self.get_logger().warning(f"rejected {what}: {error}",
                                  throttle_duration_sec=WARN_THROTTLE_S)

    def _on_reward(self, message: Float64, info: MessageInfo | None = None) -> None:
        if not self.inputs.reward_or_end(self.active, info):
            return
        if not self.driver.in_episode:     # no action to reward: the next episode's start
            self.counts["rewards_ignored"] += 1     # would drop it unlearned
            self.get_logger().warning(
                "a reward came while no episode ran (a step's reward must come before its "
                "episode end): ignored", throttle_duration_sec=WARN_THROTTLE_S)
            return
        try:
            self.driver.add_reward(message.data)
        except ValueError as error:
            self._reject("rewards", error)
            return
        self.counts["rewards_received"] += 1
        self.episodes.reward(message.data)

    def _on_episode_end(self, message: Bool, info: MessageInfo | None = None) -> None:
        if not self.inputs.reward_or_end(self.active, info):
            return
        if not self.driver.in_episode and self.episodes.length == 0:
            self.counts["episode_ends_ignored"] += 1   # nothing ran: no empty row, and no
            self._end_episode_unlearned()              # reward carried into the next one
            return
        self.driver.end_episode(terminated=message.data)
        failure = self.episodes.end()
        self.counts["episodes"] += 1
        if failure is not None:
            self.counts["episode_rows_lost"] += 1
            self.get_logger().warning(failure, throttle_duration_sec=WARN_THROTTLE_S)

    def _on_observation(self, message, info: MessageInfo | None = None) -> None:
        """An observation (``info``: what DDS says of its arrival, when known)."""
        now = time.monotonic()
        if not self.inputs.observation(message, info, self.active, now,
                                       late_s=self.params["watchdog_timeout_s"]):
            if self.inputs.command_unheard() and self.command_pub.get_subscription_count():
                self.command_pub.publish(self._last_command)
                self.inputs.command_resent()
            return
        if self.inputs.source_changed:
            self._end_episode_unlearned()
            self.get_logger().warning(
                "lock-step: an observation from a new publisher while the last command's "
                "reward was awaited (the source restarted): episode ended unlearned",
                throttle_duration_sec=WARN_THROTTLE_S)
        if self.tick_timer is None:
            self._tick(message)
        else:
            self.counts["observations_skipped"] += self._latest is not None
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
            # the protocol of the gymnasium loop; ValueError for an observation the
            # controller refuses (e.g. not a state of a Discrete space) before anything changes
            action = self.driver.decide(observation)
        except ValueError as error:
            self._reject("observations", error)
            self.command_pub.publish(self.safe_command)
            return
        self._last_command = messages.command_message(action, *self._command_form)
        self.command_pub.publish(self._last_command)
        # (asked of DDS in lock-step only, where an unheard command is sent again)
        self.inputs.commanded(heard=not self.inputs.lockstep
                              or self.command_pub.get_subscription_count() > 0)
        # The learning the command did not wait for, done before the next observation.
        self.controller.complete_step()
        self.counts["commands_sent"] += 1
        self.episodes.step()
        self.window.ticks += 1
        self.stats.tick(start, time.perf_counter() - start,
                        1.0 / self.params["control_rate_hz"], self.params["watchdog_timeout_s"])
        # Silence is counted from here: the node's own work is not a sensor outage.
        self._last_observation_s = time.monotonic()
        self.inputs.answered(self._last_observation_s)
        if self._watchdog_tripped:
            self._watchdog_tripped = False
            self.get_logger().info("observations answered again")

    def _on_watchdog(self) -> None:
        silent_s = time.monotonic() - self._last_observation_s
        # on a timer an observation waits up to a tick period to be answered
        allowed_s = self.params["watchdog_timeout_s"] + (
            0.0 if self.tick_timer is None else 1.0 / self.params["control_rate_hz"])
        if silent_s < allowed_s or self._watchdog_tripped:
            return
        self._watchdog_tripped = True
        self.counts["watchdog_trips"] += 1
        self.command_pub.publish(self.safe_command)
        self._latest = None
        self._end_episode_unlearned()
        self.get_logger().warning(f"no observation answered for {silent_s:.3f} s: "
                                  "safe command published")

    def _end_episode_unlearned(self) -> None:
        """End the episode without learning its last transition (its row is not written)."""
        self.driver.abandon()
        self.inputs.episode_abandoned()
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
                                           source=RUN_SOURCE)
            record["messages"] = dict(self.counts)
            write_run_record(self.run_dir, record)
        return path

    def _save_if_kept(self) -> None:
        if self.run_dir is not None:
            self.get_logger().info(f"saved {self.save()}")

    def _on_save(self, request: Trigger.Request, response: Trigger.Response):
        try:
            response.message = f"saved {self.save()}"
            response.success = True
        except (ValueError, OSError) as error:
            response.success, response.message = False, str(error)
            self.counts["saves_failed"] += 1
            self.get_logger().warning(f"save_checkpoint: cannot save ({error})")
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
        now = self.get_clock().now()
        array = DiagnosticArray(status=[self.window.status(
            self.get_name(), self.stats, self.counts, self._watchdog_tripped, self.active,
            age_ms(self.inputs.last_stamp, now.nanoseconds, time.time_ns()))])
        array.header.stamp = now.to_msg()
        self.diagnostics_pub.publish(array)


def main(argv: list[str] | None = None) -> int:
    """Console script ``memctrl_node``."""
    return run_node(ControllerNode, "memctrl_node", NODE_PARAMETERS,
                    sys.argv if argv is None else argv, start=ControllerNode.bring_up)


if __name__ == "__main__":
    sys.exit(main())
