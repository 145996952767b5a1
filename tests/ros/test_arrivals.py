"""Messages lost before the node took them, and the age of an observation."""

from __future__ import annotations

from builtin_interfaces.msg import Time
from hypothesis import given
from hypothesis import strategies as st
from sensor_msgs.msg import JointState
from std_msgs.msg import Float64MultiArray

from memctrl.ros.arrivals import SequenceGaps, age_ms, stamp_ns


def _info(publisher: int, number: int | None, source_ns: int = 0) -> dict:
    return {"source_timestamp": source_ns, "received_timestamp": source_ns,
            "publication_sequence_number": number, "reception_sequence_number": None,
            "publisher_gid": {"implementation_identifier": "rmw_fastrtps_cpp",
                              "data": bytes([publisher]) * 16}}


# Each publisher's messages 1..n, each kept or lost; the kept ones interleaved in any order
# across publishers (one publisher's stay in order, as DDS delivers them).
streams = st.lists(st.lists(st.booleans(), min_size=1, max_size=40), min_size=1, max_size=4)


@given(streams, st.randoms(use_true_random=False))
def test_every_message_after_the_first_taken_is_taken_or_counted_dropped(kept, rng):
    queues = [[number for number, keep in enumerate(stream, 1) if keep] for stream in kept]
    expected = sum(queue[-1] - queue[0] + 1 - len(queue) for queue in queues if queue)
    gaps, skipped = SequenceGaps(), 0
    while any(queues):
        publisher = rng.choice([index for index, queue in enumerate(queues) if queue])
        skipped += gaps.taken(_info(publisher, queues[publisher].pop(0)))
    assert gaps.dropped == skipped == expected


def test_a_message_taken_again_or_without_a_number_drops_nothing():
    gaps = SequenceGaps()
    for number in (3, 3, 2, None, 4):
        gaps.taken(_info(0, number))
    gaps.taken(None)
    assert gaps.dropped == 0
    assert gaps.taken(_info(0, 7)) == 2 and gaps.dropped == 2


@given(st.integers(0, 2**31 - 1), st.integers(0, 999_999_999), st.integers(1, 2**62))
def test_the_age_runs_from_the_header_stamp_else_from_publication(sec, nanosec, source_ns):
    stamped = JointState()
    stamped.header.stamp = Time(sec=sec, nanosec=nanosec)
    header_ns = sec * 1_000_000_000 + nanosec
    expected = (header_ns, True) if sec or nanosec else (source_ns, False)
    assert stamp_ns(stamped, _info(0, 1, source_ns)) == expected
    assert stamp_ns(Float64MultiArray(), _info(0, 1, source_ns)) == (source_ns, False)
    assert stamp_ns(Float64MultiArray(), None) is None
    assert stamp_ns(JointState(), _info(0, 1, 0)) is None


@given(st.integers(0, 2**62), st.integers(0, 2**62), st.integers(0, 2**62))
def test_an_age_is_measured_on_the_clock_of_its_stamp(stamp, ros_now, system_now):
    """A header stamp is ROS time (simulated under use_sim_time: 12 s, not 57 years, old
    against a system clock), a source timestamp system time."""
    assert age_ms((stamp, True), ros_now, system_now) == (ros_now - stamp) / 1e6
    assert age_ms((stamp, False), ros_now, system_now) == (system_now - stamp) / 1e6
    assert age_ms(None, ros_now, system_now) is None
