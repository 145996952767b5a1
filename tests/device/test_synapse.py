"""The memristive synapse model against values worked out by hand."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from memctrl.device.presets import SYNAPSE_PRESETS, synapse_preset
from memctrl.device.synapse import (SynapseParams, conductances_for, curve_fraction,
                                    depress, potentiate, pulse_map, weight, write_energy)

IDEAL = synapse_preset("ideal")


def curved(nu: float, levels: int = 4) -> SynapseParams:
    return IDEAL.replace(levels=levels, nu_ltp=nu, nu_ltd=nu)


def one(value: float) -> np.ndarray:
    return np.array([value])


def test_linear_device_steps_by_span_over_levels():
    g = one(IDEAL.g_min)
    g = potentiate(g, one(0.0), IDEAL, one(0.0))
    assert g[0] == pytest.approx(IDEAL.g_min + IDEAL.span / IDEAL.levels, rel=1e-12)
    g = depress(g, one(0.0), IDEAL, one(0.0))
    assert g[0] == pytest.approx(IDEAL.g_min, abs=1e-18)


def test_nonlinear_first_step_matches_hand_value():
    # nu = 2, 4 levels: (1 - exp(-2 * 1/4)) / (1 - exp(-2)) of the span
    params = curved(2.0)
    expected = params.g_min + params.span * (1 - math.exp(-0.5)) / (1 - math.exp(-2.0))
    g = potentiate(one(params.g_min), one(2.0), params, one(0.0))
    assert g[0] == pytest.approx(expected, rel=1e-12)


def test_nonlinear_steps_shrink_towards_the_bound_and_end_there():
    params = curved(2.0)
    g = one(params.g_min)
    steps = []
    for _ in range(params.levels):
        g_new = potentiate(g, one(2.0), params, one(0.0))
        steps.append(g_new[0] - g[0])
        g = g_new
    assert all(a > b for a, b in zip(steps, steps[1:]))
    assert g[0] == pytest.approx(params.g_max, rel=1e-12)
    assert potentiate(g, one(2.0), params, one(0.0))[0] == pytest.approx(params.g_max)


def test_depression_mirrors_potentiation():
    params = curved(3.0)
    up = potentiate(one(params.g_min), one(3.0), params, one(0.0))[0] - params.g_min
    down = params.g_max - depress(one(params.g_max), one(3.0), params, one(0.0))[0]
    assert down == pytest.approx(up, rel=1e-12)


@pytest.mark.parametrize("nu", [0.0, 0.04, 2.4, 4.88])
def test_the_pulse_map_is_one_step_along_the_inverted_curve(nu):
    """NeuroSim's way, spelled out: invert G(p) for the pulse number, add a pulse."""
    levels, fractions, nus = 16, np.linspace(0.0, 1.0, 11), np.full(11, nu)
    if nu == 0.0:
        pulses = fractions
    else:
        pulses = np.log1p(fractions * math.expm1(-nu)) / -nu
    expected = curve_fraction(np.minimum(pulses + 1 / levels, 1.0), nus)
    a, b = pulse_map(nus, levels)
    np.testing.assert_allclose(np.minimum(a * fractions + b, 1.0), expected, atol=1e-12)


def test_write_noise_has_the_preset_spread_and_stays_in_bounds():
    params = synapse_preset("taox-hfox")
    rng = np.random.default_rng(3)
    n = 20000
    start = np.full(n, params.g_min + 0.5 * params.span)
    nu = np.full(n, params.nu_ltp)
    noiseless = potentiate(start, nu, params, np.zeros(n))
    noisy = potentiate(start, nu, params, rng.standard_normal(n))
    spread = np.std(noisy - noiseless) / params.span
    assert spread == pytest.approx(params.c2c_sigma, rel=0.05)
    at_max = potentiate(np.full(n, params.g_max), nu, params, rng.standard_normal(n))
    assert at_max.max() <= params.g_max and at_max.min() >= params.g_min


def test_write_energy_matches_the_reference_table():
    # device-model.md section 2: TaOx/HfOx at G_max, 1.6 V, 50 ns: about 1.3 pJ
    params = synapse_preset("taox-hfox")
    assert write_energy(one(params.g_max), params.v_set, params)[0] == pytest.approx(1.28e-12)
    params = synapse_preset("ag-si")  # 3.2 V, 38.5 nS, 300 us: about 118 pJ
    assert write_energy(one(params.g_max), params.v_set, params)[0] == pytest.approx(118.3e-12,
                                                                                    rel=1e-3)


def test_differential_pair_holds_signed_weights():
    w = np.array([-1.0, -0.25, 0.0, 0.6, 1.0])
    g_pos, g_neg = conductances_for(w, IDEAL)
    np.testing.assert_allclose(weight(g_pos, g_neg, IDEAL), w, atol=1e-15)
    assert np.all(g_pos >= IDEAL.g_min) and np.all(g_neg <= IDEAL.g_max)
    with pytest.raises(ValueError, match="within"):
        conductances_for(np.array([1.5]), IDEAL)


@pytest.mark.parametrize("changes, message", [
    (dict(g_min=2e-6, g_max=1e-6), "g_min < g_max"),
    (dict(levels=1), "levels"),
    (dict(t_write=0.0), "t_write"),
    (dict(c2c_sigma=-0.1), "c2c_sigma"),
    (dict(g_max=float("nan")), "g_max"),
])
def test_impossible_parameters_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        IDEAL.replace(**changes)


def test_every_preset_is_valid_and_unknown_names_list_the_valid_ones():
    assert set(SYNAPSE_PRESETS) >= {"taox-hfox", "ag-si", "alox-hfo2", "epiram", "ideal"}
    with pytest.raises(ValueError, match="taox-hfox"):
        synapse_preset("unobtainium")


@given(st.sampled_from([("g_max", 1.0), ("g_min", 1.0), ("v_set", 100.0), ("v_reset", 100.0),
                        ("v_read", 100.0), ("t_write", 1.0)]),
       st.floats(1.0, 1e300, exclude_min=True), st.sampled_from(sorted(SYNAPSE_PRESETS)))
def test_a_value_beyond_any_device_is_refused_naming_the_field(limit, factor, preset):
    name, most = limit
    with pytest.raises(ValueError, match=rf"SynapseParams\.{name} must be at most {most:g} "):
        changes = {name: most * factor}
        if name == "g_min":      # keep g_min < g_max, so that the bound is what refuses it
            changes["g_max"] = most * factor * 2
        synapse_preset(preset).replace(**changes)
