"""Which observations the controller node ticks on, and the count of every input that
timing touched.

Counts (:data:`COUNTS`, in ``/diagnostics`` and ``run.json``):

- ``observations_dropped``: lost before the node took them (gaps in each publisher's DDS
  sequence numbers, :class:`memctrl.ros.arrivals.SequenceGaps`);
- ``observations_skipped``: replaced by a newer one before a timer tick (timer mode);
- ``observations_before_reward``: came while the last command's reward was awaited, or
  were published before the last reward, so were not ticked on (lock-step);
- ``observations_late``: came ``late_s`` or more after the last command was answered
  (lock-step; elsewhere the watchdog and the missed ticks tell);
- ``messages_while_inactive``: observations, rewards and episode ends ignored because
  the node was not active;
- ``episode_ends_ignored``: episode ends that came while no episode ran (nothing stepped
  since the last end, reset, watchdog trip or start): no row is written, and a reward
  that came with it is dropped, not carried into the next episode;
- ``rewards_ignored``: rewards that came while no episode ran (a source that sends a
  step's episode end before its reward, or rewards between episodes): not learned, and
  not counted in the next episode's return;
- ``commands_resent``: a lock-step command published again because it had gone out
  before any reader matched (below);
- ``source_changes``: lock-step observations from a new publisher while the last
  command's reward was awaited (below): the episode ended unlearned;
- ``watchdog_trips``; and the plain counts of observations, commands, rewards, episodes;
- ``episode_rows_lost``: ended episodes whose metrics row could not be written (the run
  directory full or made read-only; the node goes on controlling);
- ``saves_failed``: ``~/save_checkpoint`` calls that could not save (the same causes; the
  last checkpoint is kept as it was).
- ``qos_incompatible``: peers on the node's topics whose QoS cannot match the node's (a
  best-effort reward publisher: none of its messages arrive).

Lock-step: a source that steps once per command and sends the step's reward (and
episode end) before its next observation, as ``memctrl_sim`` does with ``rate_hz: 0``.
An observation that comes between a command and that reward is the source sending its
observation again (it had not had the command yet) or the next observation ahead of its
reward (the topics are delivered independently); in either case the source sends it
again and nothing is lost by not ticking on it now. An observation published (DDS
source timestamp, on the source's one clock) before the last reward is a re-send that
waited in the queue while the node worked, and is not ticked on either. So no timeout changes what the
controller sees, and the run is a function of the seed.

A command published while no reader had matched the publisher yet (at start-up, when the
node's side of DDS discovery lags the source's; seen on a loaded machine) went nowhere: a
reliable message reaches only the readers matched when it is written. The source, never
stepped, sends its observation again, and the node, awaiting that command's reward, would
ignore it for ever. So a command that went out unheard is published again when an
observation comes while its reward is awaited and a reader has matched since. A command
that had a reader is never published again (it arrives, if late), so the source never
steps twice on one command.

A source that restarts (a simulation stopped or crashed and started again) heard the last
command and will never send its reward: the new one's observations come from another
publisher (DDS gives each its own id). So an observation from a publisher other than the
one the node last ticked on, while a reward is awaited, ends the episode unlearned (as a
watchdog trip does elsewhere) and is ticked on as the first of the next. Without the
publisher's id (no ``MessageInfo``) nothing tells a restart, and the node waits.

Not covered: an episode end delivered after the next episode's first observation
(it would be ticked on as the old episode's next step); ``std_msgs`` carry no step
index to tell, and no run here has shown it.
"""

from __future__ import annotations

from typing import Mapping

from memctrl.ros.arrivals import SequenceGaps, stamp_ns

COUNTS = ("observations_received", "observations_rejected", "observations_dropped",
          "observations_skipped", "observations_before_reward", "observations_late",
          "messages_while_inactive", "watchdog_trips", "commands_sent", "commands_resent",
          "source_changes", "rewards_received", "rewards_ignored",
          "rewards_rejected", "episodes", "episode_ends_ignored", "episode_rows_lost",
          "saves_failed",
          "qos_incompatible")


class InputLedger:
    """The node's inputs as they come; ``lockstep``: the source is a lock-step one."""

    def __init__(self, lockstep: bool) -> None:
        self.lockstep = lockstep
        self.counts = dict.fromkeys(COUNTS, 0)
        self.last_stamp: tuple[int, bool] | None = None
        """When the last observation was taken or published (:func:`stamp_ns`)."""
        self._gaps = SequenceGaps()
        self._awaiting_reward = False
        self._rewarded_ns = 0
        """Source timestamp of the last reward or episode end (0: none, or not known)."""
        self._answered_s: float | None = None
        self._unheard = False
        """The last command went out before any reader matched (lock-step)."""
        self._source: bytes | None = None
        """The publisher id of the last observation acted on (None: not known)."""
        self.source_changed = False
        """The observation just acted on came from a new publisher while a reward was
        awaited (lock-step): the episode it ends is to be abandoned."""

    def observation(self, message: object, info: Mapping | None, active: bool, now_s: float,
                    late_s: float) -> bool:
        """Note an observation that came at ``now_s`` (monotonic); True if the node is to
        act on it (tick now, or keep it for the timer's tick)."""
        self.counts["observations_dropped"] += self._gaps.taken(info)
        self.last_stamp = stamp_ns(message, info) or self.last_stamp
        if not active:
            self.counts["messages_while_inactive"] += 1
            return False
        self.counts["observations_received"] += 1
        source = _publisher(info)
        self.source_changed = (self.lockstep and self._awaiting_reward and None not in (
            source, self._source) and source != self._source)
        if self.source_changed:
            self.counts["source_changes"] += 1
            self._awaiting_reward, self._answered_s, self._unheard = False, None, False
            self._source = source
            return True
        if self.lockstep and (self._awaiting_reward or _published_ns(info) < self._rewarded_ns):
            self.counts["observations_before_reward"] += 1
            return False
        self._source = source
        if self.lockstep and self._answered_s is not None and now_s - self._answered_s >= late_s:
            self.counts["observations_late"] += 1
        return True

    def reward_or_end(self, active: bool, info: Mapping | None = None) -> bool:
        """Note a reward or an episode end (``info``: its arrival, when known); True if the
        node is to take it."""
        if not active:
            self.counts["messages_while_inactive"] += 1
            return False
        self._awaiting_reward = self._unheard = False
        self._rewarded_ns = max(self._rewarded_ns, _published_ns(info))
        return True

    def commanded(self, heard: bool = True) -> None:
        """A command went out for an observation (``heard``: a reader had matched): its
        reward is awaited (lock-step)."""
        self._awaiting_reward = self.lockstep
        self._unheard = self.lockstep and not heard

    def command_unheard(self) -> bool:
        """Whether the command whose reward is awaited went out before any reader matched:
        to be published again once one has (see the module's docstring)."""
        return self._awaiting_reward and self._unheard

    def command_resent(self) -> None:
        """The unheard command was published again, to a matched reader."""
        self._unheard = False
        self.counts["commands_resent"] += 1

    def answered(self, now_s: float) -> None:
        """The tick that sent the command ended at ``now_s`` (monotonic)."""
        self._answered_s = now_s

    def episode_abandoned(self) -> None:
        """The episode ended without its last reward: nothing is awaited any more."""
        self._awaiting_reward, self._answered_s, self._unheard = False, None, False


def _publisher(info: Mapping | None) -> bytes | None:
    """The DDS id of a message's publisher; None if not known."""
    gid = info.get("publisher_gid") if info else None
    return None if gid is None else bytes(gid["data"])


def _published_ns(info: Mapping | None) -> int:
    """The DDS source timestamp of a message (ns, system time); 0 if not known."""
    return int(info.get("source_timestamp") or 0) if info else 0
