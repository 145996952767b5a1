"""Receptive-field encoder and action decoders."""

import math

import numpy as np
import pytest
from gymnasium import spaces

from memctrl.coding import ArgmaxDecoder, PushPullDecoder, ReceptiveFieldEncoder, make_decoder

CARTPOLE_OBS = spaces.Box(np.array([-4.8, -np.inf, -0.418, -np.inf], np.float32),
                          np.array([4.8, np.inf, 0.418, np.inf], np.float32))


def test_a_value_on_a_centre_lights_that_field_fully_and_its_neighbours_by_exp_half():
    encoder = ReceptiveFieldEncoder(spaces.Box(-1.0, 1.0, (1,)), per_dim=5, v_total=2.0,
                                    v_bias=1.5)
    u = encoder.encode(np.array([0.5]))          # the centre of field 3 of 5 (-1 ... 1)
    v = 2.0 / math.sqrt(2 * math.pi)
    np.testing.assert_allclose(u[:5], v * np.exp(-0.5 * np.array([3, 2, 1, 0, 1]) ** 2))
    assert u[-1] == 1.5 and u.shape == (encoder.n_channels,) == (6,)


def test_unbounded_dimensions_use_the_default_scale_and_values_beyond_it_saturate():
    encoder = ReceptiveFieldEncoder(CARTPOLE_OBS, per_dim=8)
    np.testing.assert_allclose(encoder.scale, [4.8, 3.0, 0.418, 3.0], rtol=1e-6)
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


def test_argmax_breaks_ties_at_random_and_sampling_follows_the_counts():
    rng = np.random.default_rng(0)
    decoder = ArgmaxDecoder(3, population=8)
    assert decoder.decode(np.array([1, 5, 2]), rng) == 1
    ties = [decoder.decode(np.array([4, 1, 4]), rng) for _ in range(400)]
    assert set(ties) == {0, 2} and 150 < ties.count(0) < 250
    sampler = ArgmaxDecoder(2, population=8, sample=True)
    picks = [sampler.decode(np.array([1, 3]), rng) for _ in range(4000)]
    assert abs(np.mean(picks) - 0.75) < 0.03


def test_push_pull_maps_the_count_difference_onto_the_bounds():
    decoder = PushPullDecoder(spaces.Box(np.array([-2.0, 0.0]), np.array([2.0, 1.0])), 10)
    action = decoder.decode(np.array([10, 0, 0, 10]), np.random.default_rng(0))
    np.testing.assert_allclose(action, [2.0, 0.0])
    action = decoder.decode(np.array([6, 1, 5, 5]), np.random.default_rng(0))
    np.testing.assert_allclose(action, [1.0, 0.5])


def test_unsupported_action_spaces_are_rejected():
    with pytest.raises(ValueError, match="unsupported action space"):
        make_decoder(spaces.MultiBinary(3), 8)
    with pytest.raises(ValueError, match="bounded"):
        make_decoder(spaces.Box(-np.inf, np.inf, (2,)), 8)


def test_pair_fields_are_products_of_the_one_dimensional_profiles():
    encoder = ReceptiveFieldEncoder(spaces.Box(-1.0, 1.0, (3,)), per_dim=5, v_total=3.0,
                                    pair_fields=3)
    assert encoder.pairs == [(0, 1), (0, 2), (1, 2)]
    assert encoder.n_channels == 3 * 5 + 3 * 9
    u = encoder.encode(np.array([-1.0, 0.0, 1.0]))
    grid = u[15 + 9:15 + 18].reshape(3, 3)                  # the (0, 2) pair
    assert np.argmax(grid) == 2                              # corner (-1, +1)
    assert grid[0, 2] == pytest.approx(encoder.v_pair)
    assert grid[1, 2] == pytest.approx(encoder.v_pair * math.exp(-0.5))
    fine = ReceptiveFieldEncoder(spaces.Box(-1.0, 1.0, (3,)), per_dim=9, v_total=3.0,
                                 pair_fields=9)
    u = fine.encode(np.zeros(3))
    # each of the 6 groups (3 dimensions, 3 pairs) sums to v_total / 6 away from the edges
    assert u[:27].sum() == pytest.approx(1.5, rel=1e-3)
    assert u[27:].sum() == pytest.approx(1.5, rel=1e-3)
    with pytest.raises(ValueError, match="pair_fields"):
        ReceptiveFieldEncoder(spaces.Box(-1.0, 1.0, (3,)), pair_fields=1)


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


@pytest.mark.parametrize("bins, message", [((3, 3, 6), "one count per observation dimension"),
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
