"""The reference neuron step against values worked out by hand from the equations."""

import numpy as np
import pytest

from memctrl.device.neuron import (NeuronParams, NeuronState, memristor_resistance, neuron_step,
                                   sample_device_mu)
from memctrl.device.presets import NEURON_PRESETS
from memctrl.network.config import NetworkConfig

# Round numbers so that the hand calculation below stays short.
PARAMS = NeuronParams(
    mu=100.0, alpha=0.25, beta=100.0, gamma1=900.0, gamma2=10.0, lam=0.2,
    r_on=1e6, r_off=1e12, c_gate=1e-12, r_leak=1e12, v_threshold=0.2, v_dd=0.5,
    r_load=1e9, noise_sigma=0.0, d2d_mu_cv=0.0)
H = 1e-4  # s


def step(state, v_in, params=PARAMS, rng=None):
    n = state.v_gate.size
    return neuron_step(np.full(n, v_in), state, params, np.full(n, params.mu),
                       np.full(n, params.r_leak), H, rng)


def test_first_substep_from_rest_matches_hand_calculation():
    state = NeuronState.rest(1)
    result = step(state, 1.0)
    # x = 0, so R_d = R_off = 1e12 ohm; field = (1 V - 0) / (0.25 + 1) = 0.8 V.
    # dF = mu * field * h = 100 * 0.8 * 1e-4 = 8e-3; dR = beta * F * h = 0.
    assert state.filament[0] == pytest.approx(8e-3, rel=1e-12)
    assert state.residue[0] == 0.0
    # g = 1/R_off + 1/R_c = 2e-12 S; V_inf = 1 V / (1e12 * 2e-12) = 0.5 V;
    # tau = C / g = 0.5 s; V = 0.5 * (1 - exp(-1e-4 / 0.5)) = 9.9990e-5 V.
    assert state.v_gate[0] == pytest.approx(9.99900007e-5, rel=1e-8)
    # E = v_in * [(v_in - V_inf) h + V_inf tau (1 - exp(-h/tau))] / R_d
    #   = (0.5 * 1e-4 + 0.25 * 1.99980e-4) / 1e12 = 9.99950e-17 J  (about V^2 h / R = 1e-16 J)
    assert result.input_energy[0] == pytest.approx(9.9995000e-17, rel=1e-6)
    assert not result.spikes[0] and result.output_energy[0] == 0.0


def test_second_substep_without_input_decays_filament_into_residue():
    state = NeuronState.rest(1)
    step(state, 1.0)
    v_before = state.v_gate[0]
    result = step(state, 0.0)
    # v_in < V, so no field: dF = -(gamma1 + beta) F h = -1000 * 8e-3 * 1e-4 = -8e-4;
    # dR = beta F h = 100 * 8e-3 * 1e-4 = 8e-5.
    assert state.filament[0] == pytest.approx(7.2e-3, rel=1e-12)
    assert state.residue[0] == pytest.approx(8e-5, rel=1e-12)
    assert 0.0 < state.v_gate[0] < v_before  # discharges toward 0 V
    assert result.input_energy[0] == 0.0  # no energy is drawn from a 0 V input


def test_output_high_draws_supply_power_and_spikes_on_rising_edge_only():
    state = NeuronState.rest(1)
    state.v_gate[:] = 0.5  # above the 0.2 V threshold
    first = step(state, 1.0)
    second = step(state, 1.0)
    assert first.spikes[0] and not second.spikes[0]
    # V_dd^2 / R_load * h = 0.25 / 1e9 * 1e-4 = 2.5e-14 J
    assert first.output_energy[0] == pytest.approx(2.5e-14, rel=1e-12)


def test_memristor_resistance_endpoints():
    r = memristor_resistance(np.array([0.0, 1.0, -0.5, 1.5]), PARAMS)
    assert r[0] == pytest.approx(PARAMS.r_off, rel=1e-12)
    assert r[1] == pytest.approx(PARAMS.r_on, rel=1e-12)
    assert r[2] == r[0] and r[3] == r[1]  # x is clipped to [0, 1]
    middle = memristor_resistance(np.array([0.5]), PARAMS)[0]
    assert PARAMS.r_on < middle < PARAMS.r_off


@pytest.mark.parametrize("change, message", [
    (dict(c_gate=-1e-12), "c_gate"),
    (dict(r_on=1e12), "r_on < r_off"),
    (dict(r_on=2e12), "r_on < r_off"),
    (dict(time_scale=0.0), "time_scale"),
    (dict(mu=float("nan")), "mu"),
    (dict(noise_sigma=-0.1), "noise_sigma"),
    (dict(d2d_mu_cv=-1.0), "d2d_mu_cv"),
])
def test_invalid_parameters_are_rejected_with_their_name(change, message):
    with pytest.raises(ValueError, match=message):
        PARAMS.replace(**change)


@pytest.mark.parametrize("dt", [0.0, -1e-5])
def test_non_positive_substep_is_rejected(dt):
    with pytest.raises(ValueError, match="dt"):
        NetworkConfig(n_neurons=1, n_inputs=1, dt=dt)


def _trajectory(params, seed):
    rng = np.random.default_rng(seed)
    state = NeuronState.rest(4)
    mu = sample_device_mu(params, 4, rng)
    voltages = []
    for k in range(400):
        v_in = np.full(4, 1.0 if k % 20 < 10 else 0.0)
        neuron_step(v_in, state, params, mu, np.full(4, params.r_leak), 10e-6, rng)
        voltages.append(state.v_gate.copy())
    return np.array(voltages)


def test_deterministic_device_gives_identical_runs_whatever_the_seed():
    params = NEURON_PRESETS["measured"].deterministic
    np.testing.assert_array_equal(_trajectory(params, 1), _trajectory(params, 2))


def test_noisy_device_repeats_with_the_same_seed_and_differs_with_another():
    params = NEURON_PRESETS["measured"]
    np.testing.assert_array_equal(_trajectory(params, 3), _trajectory(params, 3))
    assert not np.array_equal(_trajectory(params, 3), _trajectory(params, 4))


def test_every_preset_is_valid_and_time_scaled_presets_keep_their_device_time_constants():
    for name, params in NEURON_PRESETS.items():
        assert params.deterministic.noise_sigma == 0.0, name
    projected = NEURON_PRESETS["projected-3nm"]
    # Table 8: filament decay 1/(gamma1 + beta) = 16 ns of device time, 1.6 ms emulated.
    emulated = projected.time_scale / (projected.gamma1 + projected.beta)
    assert emulated == pytest.approx(1.0 / 620.0, rel=1e-9)
