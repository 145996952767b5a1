"""Running moments stay finite and usable whatever finite samples arrive, in any order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memctrl.running_moments import SAFE_MAGNITUDE, RunningMoments

any_finite = st.floats(allow_nan=False, allow_infinity=False)
glitches = st.floats(SAFE_MAGNITUDE, 1.7e308) | st.floats(-1.7e308, -SAFE_MAGNITUDE)


@settings(max_examples=200, deadline=None)
@given(st.lists(any_finite | glitches, max_size=30))
def test_no_sequence_of_finite_samples_leaves_the_moments_unusable(samples):
    moments = RunningMoments(1)
    for sample in samples:
        sample = np.array([sample])
        expected = moments.accepts(sample)
        assert moments.update(sample) == expected
        assert np.isfinite(moments.mean).all() and np.isfinite(moments.std).all()
    assert moments.accepts(np.array([1.0]))     # an ordinary sample is still taken
    restored = RunningMoments(1)
    restored.set_state(moments.state())         # and a checkpoint of them loads
    assert restored.state() == moments.state()


def test_a_first_sample_near_the_float_range_is_left_out_and_the_next_ones_count():
    moments = RunningMoments(2)
    assert not moments.update(np.array([0.0, 1e200]))
    for value in (1.0, 3.0):
        assert moments.update(np.array([value, value]))
    assert moments.count == 2
    np.testing.assert_allclose(moments.mean, [2.0, 2.0])
    np.testing.assert_allclose(moments.std, [1.0, 1.0])


def test_a_saved_mean_beyond_what_a_sample_can_give_is_refused():
    moments = RunningMoments(1)
    moments.update(np.array([1.0]))
    with pytest.raises(ValueError, match="mean must lie within"):
        RunningMoments(1).set_state({**moments.state(), "mean": [1e200]})
