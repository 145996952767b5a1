"""The node's inputs: which observations it acts on, and the counts of what timing did."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from std_msgs.msg import Float64MultiArray

from memctrl.ros.input_ledger import InputLedger

OBSERVATION = Float64MultiArray(data=[0.0])
events = st.lists(st.sampled_from(["observation", "queued_resend", "reward", "episode_end",
                                   "abandon", "inactive_observation"]), max_size=40)


def _published(ns: int) -> dict:
    return {"source_timestamp": ns, "publication_sequence_number": None, "publisher_gid": None}


@given(events)
def test_in_lockstep_only_an_observation_after_the_last_commands_reward_is_acted_on(sequence):
    """Whatever the order messages come in, an observation is acted on exactly when no
    command since the last reward, episode end or abandoned episode awaits its reward and
    it was published after the last reward; every other observation is counted and
    ignored. (Messages are published at 10, 20, ...; a queued re-send was published
    just before the last reward.)"""
    ledger = InputLedger(lockstep=True)
    awaiting, rewarded_ns, acted, ignored, inactive = False, 0, 0, 0, 0
    for index, kind in enumerate(sequence, 1):
        now_ns = 10 * index
        if kind in ("observation", "queued_resend"):
            published = now_ns if kind == "observation" else rewarded_ns - 1
            act = ledger.observation(OBSERVATION, _published(published), True, 0.0, late_s=1.0)
            assert act == (not awaiting and published >= rewarded_ns)
            if act:
                ledger.commanded()
                awaiting = True
            acted += act
            ignored += not act
        elif kind == "inactive_observation":
            assert not ledger.observation(OBSERVATION, None, False, 0.0, late_s=1.0)
            inactive += 1
        elif kind == "abandon":
            ledger.episode_abandoned()
            awaiting = False
        else:
            assert ledger.reward_or_end(True, _published(now_ns))
            awaiting, rewarded_ns = False, now_ns
    assert ledger.counts["observations_received"] == acted + ignored
    assert ledger.counts["observations_before_reward"] == ignored
    assert ledger.counts["messages_while_inactive"] == inactive


def _from(publisher: int, ns: int = 0) -> dict:
    return {"source_timestamp": ns, "publication_sequence_number": None,
            "publisher_gid": {"implementation_identifier": "rmw_fastrtps_cpp",
                              "data": bytes([publisher]) * 24}}


def test_in_lockstep_a_new_publisher_while_a_reward_is_awaited_starts_over():
    """A source that restarted heard the last command and will never send its reward: an
    observation from another publisher is acted on (the episode to be abandoned), one from
    the same publisher, or of unknown origin, is still a re-send."""
    ledger = InputLedger(lockstep=True)
    assert ledger.observation(OBSERVATION, _from(1), True, 0.0, late_s=1.0)
    assert not ledger.source_changed
    ledger.commanded()
    assert not ledger.observation(OBSERVATION, _from(1), True, 0.0, late_s=1.0)
    assert not ledger.observation(OBSERVATION, None, True, 0.0, late_s=1.0)
    assert ledger.observation(OBSERVATION, _from(2), True, 0.0, late_s=1.0)   # restarted
    assert ledger.source_changed and ledger.counts["source_changes"] == 1
    ledger.commanded()
    assert not ledger.observation(OBSERVATION, _from(2), True, 0.0, late_s=1.0)
    assert not ledger.source_changed
    ledger.reward_or_end(True)
    assert ledger.observation(OBSERVATION, _from(3), True, 0.0, late_s=1.0)   # between steps
    assert not ledger.source_changed and ledger.counts["source_changes"] == 1
    assert ledger.counts["observations_before_reward"] == 3


def test_without_lockstep_every_observation_is_acted_on():
    ledger = InputLedger(lockstep=False)
    for _ in range(3):
        assert ledger.observation(OBSERVATION, None, True, 0.0, late_s=1.0)
        ledger.commanded()
    assert ledger.counts["observations_received"] == 3
    assert ledger.counts["observations_before_reward"] == 0


def test_a_lockstep_observation_late_after_the_answer_is_counted_and_acted_on():
    ledger = InputLedger(lockstep=True)
    assert ledger.observation(OBSERVATION, None, True, 10.0, late_s=0.5)
    ledger.commanded()
    ledger.answered(10.1)
    ledger.reward_or_end(True)
    assert ledger.observation(OBSERVATION, None, True, 10.4, late_s=0.5)   # 0.3 s: on time
    ledger.commanded()
    ledger.answered(10.5)
    ledger.reward_or_end(True)
    assert ledger.observation(OBSERVATION, None, True, 11.2, late_s=0.5)   # 0.7 s: late
    assert ledger.counts["observations_late"] == 1


def test_in_lockstep_a_resent_observation_that_waited_in_the_queue_is_not_acted_on():
    """The node stalls after taking observation t; the source sends t again (published
    at 2), then the command goes out, the reward comes (published at 3), and the node
    finds the re-send still queued: it was published before the reward, so it is stale;
    the next observation (published at 4) is the one to act on."""
    ledger = InputLedger(lockstep=True)
    assert ledger.observation(OBSERVATION, _published(1), True, 0.0, late_s=1.0)
    ledger.commanded()
    assert ledger.reward_or_end(True, _published(3))
    assert not ledger.observation(OBSERVATION, _published(2), True, 0.0, late_s=1.0)
    assert ledger.observation(OBSERVATION, _published(4), True, 0.0, late_s=1.0)
    assert ledger.counts["observations_before_reward"] == 1


@given(st.lists(st.sampled_from(["heard", "unheard", "observation", "resent", "reward",
                                 "abandon"]), max_size=40))
def test_a_command_is_published_again_only_if_it_went_out_unheard_and_is_still_awaited(
        sequence):
    """In lock-step, ``command_unheard`` holds exactly while the reward of a command that
    went out before any reader matched is awaited and it has not been sent again: a
    command that had a reader is never sent twice (the source would step twice)."""
    ledger = InputLedger(lockstep=True)
    awaiting, unheard, resent = False, False, 0
    for kind in sequence:
        if kind in ("heard", "unheard"):
            ledger.commanded(heard=kind == "heard")
            awaiting, unheard = True, kind == "unheard"
        elif kind == "observation":
            ledger.observation(OBSERVATION, None, True, 0.0, late_s=1.0)
        elif kind == "resent" and ledger.command_unheard():
            ledger.command_resent()
            unheard, resent = False, resent + 1
        elif kind == "reward":
            ledger.reward_or_end(True)
            awaiting = unheard = False
        elif kind == "abandon":
            ledger.episode_abandoned()
            awaiting = unheard = False
        assert ledger.command_unheard() == (awaiting and unheard)
    assert ledger.counts["commands_resent"] == resent
    assert not InputLedger(lockstep=False).command_unheard()
