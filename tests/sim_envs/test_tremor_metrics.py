"""Band powers and voluntary tracking of sim_envs.tremor_metrics, on signals of known content."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim_envs.tremor_metrics import (band_limited, band_power, power_reduction,
                                     tracking_offset_rad, voluntary_power_change,
                                     voluntary_tracking_error_rad)

DT = 1e-3
TIME = np.arange(3000) * DT   # 3 s, as an episode


def sine(frequency_hz, amplitude=1.0, phase=0.0):
    return amplitude * np.sin(2 * np.pi * frequency_hz * TIME + phase)


@given(frequency=st.floats(3.0, 25.0), amplitude=st.floats(0.1, 10.0),
       phase=st.floats(0.0, 2 * np.pi))
def test_a_tremor_sine_puts_its_power_in_the_tremor_band_only(frequency, amplitude, phase):
    signal = sine(frequency, amplitude, phase)
    tremor = band_power(signal, DT, (2.5, 30.0))
    assert band_power(signal, DT, (0.0, 2.0)) < 1e-3 * tremor
    assert tremor == pytest.approx(amplitude**2 / 2, rel=0.02)   # a sine's mean square


@given(scale=st.floats(0.0, 3.0), seed=st.integers(0, 2**32 - 1))
def test_scaling_the_motion_by_c_reduces_the_power_by_1_minus_c_squared(scale, seed):
    rng = np.random.default_rng(seed)
    passive = rng.normal(size=TIME.size) + sine(5.0, 2.0)
    assert power_reduction(scale * passive, passive, DT) == pytest.approx(1 - scale**2,
                                                                          abs=1e-9)


def test_removing_the_tremor_keeps_the_voluntary_band():
    voluntary, tremor = sine(0.8, 1.0), sine(6.0, 0.5)
    assert power_reduction(voluntary, voluntary + tremor, DT) == pytest.approx(1.0, abs=1e-3)
    assert voluntary_power_change(voluntary, voluntary + tremor, DT) == pytest.approx(0, abs=1e-3)
    assert voluntary_power_change(0.5 * voluntary, voluntary, DT) == pytest.approx(-0.75)


@given(offset=st.floats(-0.5, 0.5), tremor=st.floats(0.0, 0.2))
@settings(max_examples=30)
def test_tracking_error_sees_slow_deviations_and_ignores_the_tremor(offset, tremor):
    intended = sine(0.5, 0.3)
    angle = intended + offset + sine(7.0, tremor)
    assert voluntary_tracking_error_rad(angle, intended, DT) == pytest.approx(abs(offset),
                                                                              abs=2e-3)


@given(offset=st.floats(-0.5, 0.5), frequency=st.floats(0.2, 1.9),
       amplitude=st.floats(0.0, 0.2), phase=st.floats(0.0, 2 * np.pi))
@settings(max_examples=30)
def test_the_tracking_error_splits_into_its_steady_offset_and_what_moves(offset, frequency,
                                                                          amplitude, phase):
    intended = sine(0.5, 0.3)
    angle = intended + offset + sine(frequency, amplitude, phase) + sine(7.0, 0.05)
    steady = tracking_offset_rad(angle, intended)
    moving = band_limited(angle - intended, DT, (0.0, 2.0)) - steady
    assert voluntary_tracking_error_rad(angle, intended, DT) ** 2 == pytest.approx(
        steady**2 + np.mean(moving**2), rel=1e-9, abs=1e-15)
    # over whole periods of what moves, the offset is the one added
    whole = intended + offset + sine(round(frequency * 3.0) / 3.0, amplitude, phase)
    assert tracking_offset_rad(whole, intended) == pytest.approx(offset, abs=1e-9)


@given(seed=st.integers(0, 2**32 - 1), split=st.floats(0.5, 100.0))
def test_complementary_bands_add_back_to_the_signal(seed, split):
    signal = np.random.default_rng(seed).normal(size=TIME.size)
    low = band_limited(signal, DT, (0.0, split))
    high = band_limited(signal, DT, (np.nextafter(split, np.inf), 1.0 / DT))
    np.testing.assert_allclose(low + high, signal, atol=1e-9)


def test_undefined_figures_are_refused():
    with pytest.raises(ValueError, match="no power"):
        power_reduction(sine(5.0), np.zeros(TIME.size), DT)
    with pytest.raises(ValueError, match="1-D signal"):
        band_power([1.0], DT, (0.0, 2.0))
