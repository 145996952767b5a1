"""Encoders (receptive fields, grids, the adaptive frame) and action decoders."""

import warnings

import numpy as np
import pytest
from gymnasium import spaces
from hypothesis import given, settings
from hypothesis import strategies as st

from memctrl.coding import (ArgmaxDecoder, OneHotEncoder, PushPullDecoder,
                            ReceptiveFieldEncoder, make_decoder)
from memctrl.coding.frame import (DEFAULT_SCALE, SPREAD_SIGMAS, WARMUP_OBSERVATIONS,
                                  ObservationFrame)
from memctrl.coding.grid import MAX_CELLS, auto_bins

CARTPOLE_OBS = spaces.Box(np.array([-4.8, -np.inf, -0.418, -np.inf], np.float32),
                          np.array([4.8, np.inf, 0.418, np.inf], np.float32))


def test_a_value_on_a_centre_lights_that_field_most_and_its_neighbours_by_exp_half():
    encoder = ReceptiveFieldEncoder(spaces.Box(-1.0, 1.0, (1,)), per_dim=5, v_total=2.0)
    u = encoder.encode(np.array([0.5]))          # the centre of field 3 of 5 (-1 ... 1)
    fields = np.exp(-0.5 * np.array([3, 2, 1, 0, 1]) ** 2)
    np.testing.assert_allclose(u, 2.0 * fields / fields.sum())
    assert u.shape == (encoder.n_channels,) == (5,)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-3.0, 3.0), min_size=1, max_size=12), st.integers(2, 12))
def test_every_observation_puts_v_total_on_the_fields_edges_included(values, per_dim):
    space = spaces.Box(-1.0, 1.0, (len(values),))
    encoder = ReceptiveFieldEncoder(space, per_dim=per_dim, v_total=2.5)
    u = encoder.encode(np.array(values)).reshape(len(values), per_dim)
    np.testing.assert_allclose(u.sum(axis=1), 2.5 / len(values))


def test_unbounded_dimensions_start_at_the_default_scale_and_values_beyond_it_saturate():
    encoder = ReceptiveFieldEncoder(CARTPOLE_OBS, per_dim=8)
    np.testing.assert_allclose(encoder.frame.scale, [4.8, DEFAULT_SCALE, 0.418, DEFAULT_SCALE],
                               rtol=1e-6)
    far = encoder.encode(np.array([0.0, 50.0, 0.0, -50.0])).copy()
    edge = encoder.encode(np.array([0.0, 3.0, 0.0, -3.0]))
    np.testing.assert_allclose(far, edge)
    assert np.argmax(far[8:16]) == 7 and np.argmax(far[24:32]) == 0


@pytest.mark.parametrize("bad, message", [
    (np.array([0.0, np.nan, 0.0, 0.0]), "finite"),
    (np.array([0.0, 0.0, np.inf, 0.0]), "finite"),
    (np.zeros(3), "shape"),
    (np.zeros((4, 1)), "shape"),
    (np.array(["a", "b", "c", "d"]), "real numbers"),
])
def test_bad_observations_raise_value_error_naming_the_problem(bad, message):
    encoder = ReceptiveFieldEncoder(CARTPOLE_OBS)
    with pytest.raises(ValueError, match=message):
        encoder.encode(bad)


def test_argmax_breaks_ties_at_random():
    rng = np.random.default_rng(0)
    decoder = ArgmaxDecoder(3, population=8)
    assert decoder.decode(np.array([1, 5, 2]), rng) == 1
    ties = [decoder.decode(np.array([4, 1, 4]), rng) for _ in range(400)]
    assert set(ties) == {0, 2} and 150 < ties.count(0) < 250


def test_argmax_counts_discrete_actions_from_the_space_start():
    decoder = make_decoder(spaces.Discrete(3, start=-1), 8)
    rng = np.random.default_rng(0)
    assert [decoder.decode(np.array(counts), rng)
            for counts in ([5, 1, 2], [1, 5, 2], [1, 2, 5])] == [-1, 0, 1]


def test_push_pull_maps_the_count_difference_onto_the_bounds():
    decoder = PushPullDecoder(spaces.Box(np.array([-2.0, 0.0]), np.array([2.0, 1.0])), 10)
    action = decoder.decode(np.array([10, 0, 0, 10]), np.random.default_rng(0))
    np.testing.assert_allclose(action, [2.0, 0.0])
    action = decoder.decode(np.array([6, 1, 5, 5]), np.random.default_rng(0))
    np.testing.assert_allclose(action, [1.0, 0.5])


@pytest.mark.parametrize("space, message", [
    (spaces.MultiBinary(3), "unsupported action space"),
    (spaces.Box(-np.inf, np.inf, (2,)), "finite bounds"),
    (spaces.Box(np.array([0.0, -1.7e308]), np.array([1.0, 1.7e308]), dtype=np.float64),
     "dimension 1 has low -1.7e[+]308, high 1.7e[+]308"),   # finite, but NaN actions
    (spaces.Box(-1.0, 1.0, (0,)), "at least one dimension, got shape [(]0,[)]"),
    (spaces.Box(-1.0, 1.0, (2, 2)), "1-D"),
])
def test_unsupported_action_spaces_are_rejected(space, message):
    with pytest.raises(ValueError, match=message):
        make_decoder(space, 8)


def test_box_actions_near_the_float_range_stay_finite():
    decoder = make_decoder(spaces.Box(1.6e308, 1.7e308, (1,), dtype=np.float64), 1)
    action = decoder.decode(np.array([1, 1]), np.random.default_rng(0))   # push = pull
    assert action[0] == pytest.approx(1.65e308)   # the midpoint, not inf clipped to high


def test_adaptive_dimensions_follow_the_running_mean_and_spread_and_bounded_ones_are_fixed_once():
    frame = ObservationFrame(CARTPOLE_OBS)
    samples = np.random.default_rng(0).normal([0.5, 1.0, 0.0, -2.0], [1.0, 0.4, 0.05, 3.0],
                                              (2000, 4))
    for count, sample in enumerate(samples, start=1):
        frame.observe(sample)
        if count == WARMUP_OBSERVATIONS - 1:
            np.testing.assert_allclose(frame.scale[[0, 2]], [4.8, 0.418], rtol=1e-6)  # bounds
    np.testing.assert_allclose(frame.centre[[1, 3]], samples.mean(0)[[1, 3]])
    prefix_stds = [samples[:k].std(0) for k in range(1, len(samples) + 1)]
    np.testing.assert_allclose(frame.scale[[1, 3]],
                               SPREAD_SIGMAS * np.max(prefix_stds, axis=0)[[1, 3]])
    # the bounded ones: the reach of the warm-up's observations, about the bounds' midpoint
    warm_up = samples[:WARMUP_OBSERVATIONS]
    reach = np.abs(warm_up.mean(0)) + SPREAD_SIGMAS * warm_up.std(0)
    np.testing.assert_allclose(frame.scale[[0, 2]], reach[[0, 2]])
    assert frame.centre[0] == frame.centre[2] == 0.0


def test_a_bounded_dimension_whose_observations_fill_its_bounds_keeps_them():
    space = spaces.Box(np.array([-1.0, 0.0]), np.array([1.0, 10.0]))
    frame = ObservationFrame(space)
    rng = np.random.default_rng(2)
    for _ in range(WARMUP_OBSERVATIONS):
        frame.observe([rng.uniform(-1.0, 1.0), rng.uniform(4.0, 6.0)])
    assert frame.scale[0] == 1.0                        # 2.5 sigma of the uniform: 1.44
    assert 1.2 < frame.scale[1] < 1.7 and frame.centre[1] == 5.0    # 2.5 x 0.58


def test_a_constant_dimension_is_coded_at_its_value_beside_the_others():
    space = spaces.Box(np.array([0.0, 2.0]), np.array([1.0, 2.0]))   # low == high: constant
    frame = ObservationFrame(space)
    np.testing.assert_allclose(frame.normalize([1.0, 2.0]), [1.0, 0.0])
    encoder = ReceptiveFieldEncoder(space, 5, v_total=2.5)
    u = encoder.encode([0.25, 2.0]).reshape(2, 5)
    assert np.argmax(u[1]) == 2 and u[1].sum() == pytest.approx(1.25)   # the middle field


def test_the_adaptive_scale_keeps_the_widest_spread_when_observations_narrow():
    frame = ObservationFrame(CARTPOLE_OBS)
    rng = np.random.default_rng(1)
    for sample in rng.normal(0.0, [1.0, 2.0, 0.1, 3.0], (500, 4)):
        frame.observe(sample)
    wide = frame.scale.copy()
    for sample in rng.normal(0.0, [1.0, 0.1, 0.1, 0.1], (5000, 4)):   # a learned, calm policy
        frame.observe(sample)
    assert SPREAD_SIGMAS * frame.moments.std[1] < 0.5 * wide[1]        # the spread shrank...
    np.testing.assert_array_equal(frame.scale[[1, 3]], wide[[1, 3]])   # ...the scale did not
    restored = ObservationFrame(CARTPOLE_OBS)
    restored.set_state(frame.state())
    np.testing.assert_array_equal(restored.scale, frame.scale)


def test_an_observation_that_would_overflow_the_statistics_is_left_out_of_them():
    frame = ObservationFrame(CARTPOLE_OBS)
    for value in (0.5, -0.5, 1e300, -1e308, 0.25):
        frame.observe(np.array([0.0, value, 0.0, 0.0]))
    assert frame.moments.count == 3 and np.all(np.isfinite(frame.scale))   # both left out
    ObservationFrame(CARTPOLE_OBS).set_state(frame.state())     # a checkpoint still loads


def test_a_finite_reading_near_the_float_limit_normalizes_to_the_edge_without_overflow():
    frame = ObservationFrame(CARTPOLE_OBS)
    for sample in np.random.default_rng(2).normal(0.0, 0.01, (200, 4)):   # a narrow frame
        frame.observe(sample)
    assert frame.scale[1] < 1.0               # the cart velocity (unbounded) is adaptive
    with warnings.catch_warnings():
        warnings.simplefilter("error")                 # numpy's overflow warning fails it
        for edge in (1.0, -1.0):
            reading = np.array([0.0, edge * np.finfo(np.float64).max, 0.0, 0.0])
            assert frame.normalize(reading)[1] == edge


def test_bounds_at_the_float_limit_are_taken_as_unbounded_without_overflow():
    limit = np.finfo(np.float64).max
    with warnings.catch_warnings():
        warnings.simplefilter("error")                 # numpy's overflow warning fails it
        frame = ObservationFrame(spaces.Box(-limit, limit, (2,), np.float64))
    assert frame.adaptive.all()


def test_after_the_warm_up_a_finite_glitch_is_left_out_and_the_frame_keeps_its_scale():
    frame = ObservationFrame(CARTPOLE_OBS)
    rng = np.random.default_rng(0)
    for sample in rng.normal(0.0, 1.0, (WARMUP_OBSERVATIONS, 4)):
        frame.observe(sample)
    scale, count = frame.scale.copy(), frame.moments.count
    for glitch in (1e30, -1e90, 1e99):
        frame.observe(np.array([0.0, glitch, 0.0, 0.0]))
        assert frame.normalize(np.array([0.0, glitch, 0.0, 0.0]))[1] in (-1.0, 1.0)
    np.testing.assert_array_equal(frame.scale, scale)
    assert frame.moments.count == count
    frame.observe(np.array([0.0, 3.0, 0.0, 0.0]))          # an ordinary one still counts
    assert frame.moments.count == count + 1


def test_a_finite_glitch_in_the_warm_up_is_left_out_too_and_the_frame_follows_the_signal():
    frame, clean = ObservationFrame(CARTPOLE_OBS), ObservationFrame(CARTPOLE_OBS)
    samples = np.random.default_rng(2).normal(0.0, 1.0, (300, 4))
    for index, sample in enumerate(samples):
        if index == 100:
            frame.observe(np.array([0.0, 1e30, 0.0, 0.0]))      # a sensor glitch, early
        frame.observe(sample)
        clean.observe(sample)
    assert not frame.warmed_up and frame.moments.count == clean.moments.count == 300
    np.testing.assert_array_equal(frame.scale, clean.scale)
    assert frame.scale[1] < 10.0


def test_the_first_observation_sets_the_frame_however_large_and_a_ramp_is_followed():
    frame = ObservationFrame(spaces.Box(-np.inf, np.inf, (1,)))
    for ticks in np.linspace(1e5, 3e5, 500):           # a raw encoder far from 0, moving
        frame.observe(np.array([ticks]))
    assert frame.moments.count == 500
    assert 1.5e5 < frame.centre[0] < 2.5e5 and frame.scale[0] > 1e5


def test_a_robot_that_stood_still_through_the_warm_up_is_followed_once_it_moves():
    frame = ObservationFrame(CARTPOLE_OBS)
    rng = np.random.default_rng(1)
    for sample in rng.normal(0.0, 1e-6, (WARMUP_OBSERVATIONS, 4)):    # sensor noise only
        frame.observe(sample)
    for sample in rng.normal(0.0, [1.0, 50.0, 0.1, 5.0], (2000, 4)):  # then it moves
        frame.observe(sample)
    assert frame.moments.count == WARMUP_OBSERVATIONS + 2000
    assert frame.scale[1] > 50.0 and frame.scale[3] > 5.0


def test_the_frame_restores_its_statistics_and_refuses_ones_of_another_space():
    frame = ObservationFrame(CARTPOLE_OBS)
    for value in (1.0, 2.0, 4.0):
        frame.observe(np.full(4, value))
    restored = ObservationFrame(CARTPOLE_OBS)
    restored.set_state(frame.state())
    np.testing.assert_array_equal(restored.scale, frame.scale)
    np.testing.assert_array_equal(restored.centre, frame.centre)
    with pytest.raises(ValueError, match="widest_spread must be 3 finite"):
        ObservationFrame(spaces.Box(-np.inf, np.inf, (3,))).set_state(frame.state())
    with pytest.raises(ValueError, match="count"):
        restored.set_state({**frame.state(), "moments": {**frame.state()["moments"], "count": -1}})
    for widest in ([1.0, -1.0, 0.0, 0.0], [1.0, 2.0], [float("nan")] * 4):
        with pytest.raises(ValueError, match="widest_spread"):
            restored.set_state({**frame.state(), "widest_spread": widest})
    np.testing.assert_array_equal(restored.scale, frame.scale)   # nothing changed


def test_given_scales_and_dimensions_that_hardly_moved_keep_their_frames():
    given = ObservationFrame(CARTPOLE_OBS, scales=[1.0, 2.0, 0.3, 4.0])
    still = ObservationFrame(CARTPOLE_OBS)
    for _ in range(WARMUP_OBSERVATIONS):
        given.observe(np.full(4, 0.01))
        still.observe(np.zeros(4))                  # the bounded ones never left the middle
    np.testing.assert_array_equal(given.scale, [1.0, 2.0, 0.3, 4.0])
    np.testing.assert_allclose(still.scale[[0, 2]], [4.8, 0.418], rtol=1e-6)


def test_a_second_restore_starts_from_the_fresh_frame():
    frame = ObservationFrame(CARTPOLE_OBS)
    fresh = frame.state()
    for sample in np.random.default_rng(4).normal(5.0, 1.0, (WARMUP_OBSERVATIONS, 4)):
        frame.observe(sample)
    restored = ObservationFrame(CARTPOLE_OBS)
    restored.set_state(frame.state())
    restored.set_state(fresh)
    np.testing.assert_array_equal(restored.centre, ObservationFrame(CARTPOLE_OBS).centre)
    np.testing.assert_array_equal(restored.scale, ObservationFrame(CARTPOLE_OBS).scale)
    with pytest.raises(ValueError, match="observation frame must be a mapping, got None"):
        restored.set_state(None)


def test_the_frame_restores_its_fixed_bounded_scale_and_refuses_a_bad_one():
    frame = ObservationFrame(CARTPOLE_OBS)
    for sample in np.random.default_rng(3).normal(0.0, 0.5, (WARMUP_OBSERVATIONS, 4)):
        frame.observe(sample)
    state = frame.state()
    assert len(state["bounded_scale"]) == 2 and state["bounded_scale"][0] < 4.8
    restored = ObservationFrame(CARTPOLE_OBS)
    restored.set_state(state)
    np.testing.assert_array_equal(restored.scale, frame.scale)
    restored.observe(np.zeros(4))                  # fixed: later observations leave it
    assert restored.scale[0] == frame.scale[0]
    earlier = {key: value for key, value in state.items() if key != "bounded_scale"}
    restored.set_state(earlier)                    # a version before the warm-up: bounds
    np.testing.assert_allclose(restored.scale[[0, 2]], [4.8, 0.418], rtol=1e-6)
    for bad in ([1.0], [1.0, 0.0], [1.0, float("inf")], "x"):
        with pytest.raises(ValueError, match="bounded_scale"):
            restored.set_state({**state, "bounded_scale": bad})


def test_given_scales_of_the_wrong_length_are_refused_naming_the_key_and_the_space():
    with pytest.raises(ValueError, match=r"scales has 3 entries but the observation space "
                                         r"\(Box of shape \(4,\)\) has 4 dimensions"):
        ObservationFrame(CARTPOLE_OBS, scales=(1.0, 2.0, 3.0))


@pytest.mark.parametrize("n_dims, tilings, expected", [
    (1, 16, (5,)), (3, 16, (5, 5, 5)), (4, 16, (4, 4, 4, 4)), (3, 8, (5, 5, 5)),
    (4, 4, (5, 5, 5, 5)), (6, 8, (2,) * 6), (9, 8, (2,) * 9), (10, 8, None),
    (10, 4, (2,) * 10)])
def test_auto_bins_are_the_finest_equal_bins_that_fit_at_most_a_fifth_of_the_range_each(
        n_dims, tilings, expected):
    bins = auto_bins(n_dims, tilings)
    assert bins == expected
    if bins is not None:
        assert tilings * np.prod(bins) <= MAX_CELLS and max(bins) <= 5
        finer = bins[0] + 1
        assert finer > 5 or tilings * finer ** n_dims > MAX_CELLS


def test_the_grid_lights_exactly_the_cell_that_holds_the_observation():
    from memctrl.coding import GridEncoder
    encoder = GridEncoder(CARTPOLE_OBS, (3, 3, 6, 3), v_cell=2.5, scales=(2.4, 1.5, 0.21, 2.0))
    assert encoder.n_channels == 162
    # x in the middle third, x' beyond the scale (edge bin 2), theta in bin 3 of 6
    # ([0, 0.07) rad), theta' in the lowest third
    u = encoder.encode(np.array([0.3, 9.0, 0.01, -1.0]))
    expected = np.ravel_multi_index((1, 2, 3, 0), (3, 3, 6, 3))
    assert np.flatnonzero(u).tolist() == [expected] and u[expected] == 2.5
    assert encoder.cells(np.array([-0.01, 0.0, -0.01, 0.0])).tolist() == [np.ravel_multi_index(
        (1, 1, 2, 1), (3, 3, 6, 3))]


def test_tilings_are_grids_offset_by_a_fraction_of_a_bin_sharing_the_voltage():
    from memctrl.coding import GridEncoder
    encoder = GridEncoder(spaces.Box(-1.0, 1.0, (2,)), (4, 4), v_cell=2.0, tilings=4)
    assert encoder.n_channels == 4 * 16
    # bins of width 0.5; tiling k is shifted by k/4 of a bin along x and 3k/4 (mod 1) along
    # y. x = -0.25 is 1.5 bins from the low edge: bins 1, 1, 2, 2 in tilings 0-3; y = 0.3 is
    # 2.6 bins up: 2, 3, 3, 2. Cell = 16 k + 4 bin_x + bin_y.
    observation = np.array([-0.25, 0.3])
    expected = [6, 16 + 7, 32 + 11, 48 + 10]
    assert encoder.cells(observation).tolist() == expected
    u = encoder.encode(observation)
    assert np.flatnonzero(u).tolist() == expected and np.all(u[expected] == 0.5)
    # a nearby observation shares some cells, a distant one none
    assert 0 < len(set(encoder.cells(observation + 0.1)) & set(expected)) < 4
    assert not set(encoder.cells(-observation)) & set(expected)
    with pytest.raises(ValueError, match="power of two"):
        GridEncoder(spaces.Box(-1.0, 1.0, (2,)), (4, 4), v_cell=2.0, tilings=3)


@pytest.mark.parametrize("bins, message", [((3, 3, 6), "grid_bins has 3 entries but the observation space"),
                                           ((3, 1, 6, 3), "grid bins"),
                                           ((20, 20, 20, 20), "cells, more than")])
def test_bad_grids_are_refused_naming_the_problem(bins, message):
    from memctrl.coding import GridEncoder
    with pytest.raises(ValueError, match=message):
        GridEncoder(CARTPOLE_OBS, bins, v_cell=2.5)


def test_the_grid_refuses_bad_observations_like_the_fields():
    from memctrl.coding import GridEncoder
    encoder = GridEncoder(CARTPOLE_OBS, (3, 3, 6, 3), v_cell=2.5)
    with pytest.raises(ValueError, match="finite"):
        encoder.encode(np.array([0.0, np.nan, 0.0, 0.0]))


def test_one_hot_lights_the_states_channel_at_v_total():
    encoder = OneHotEncoder(spaces.Discrete(4, start=-1), v_total=2.5)
    np.testing.assert_array_equal(encoder.encode(1), [0.0, 0.0, 2.5, 0.0])
    np.testing.assert_array_equal(encoder.encode(np.array([-1.0])), [2.5, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(encoder.encode(np.int64(2)), [0.0, 0.0, 0.0, 2.5])
    assert encoder.n_channels == 4 and encoder.tilings == 1 and encoder.frame.n_dims == 1


@pytest.mark.parametrize("bad, message", [
    (1.5, "whole number"), (float("nan"), "whole number"), (3, "not a state"),
    (-2, "not a state"), (np.zeros(2), "shape"), (np.array(["a"]), "whole number"),
    (np.zeros((1, 1)), "shape")])
def test_one_hot_refuses_what_is_not_a_state_naming_the_problem(bad, message):
    encoder = OneHotEncoder(spaces.Discrete(4, start=-1), v_total=2.5)
    with pytest.raises(ValueError, match=message):
        encoder.encode(bad)


def test_the_one_hot_frame_keeps_no_state_and_refuses_any():
    frame = OneHotEncoder(spaces.Discrete(3), v_total=1.0).frame
    assert frame.state() == {}
    frame.set_state({})
    with pytest.raises(ValueError, match="unexpected key 'moments'"):
        frame.set_state({"moments": {}})
    with pytest.raises(ValueError, match="Discrete observation space"):
        OneHotEncoder(spaces.Box(0.0, 1.0, (2,)), v_total=1.0)
