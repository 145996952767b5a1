"""The six characteristics of the paper on the default preset: trend and magnitude.

Each test checks the paper's trend and that every magnitude the reference lists
lies within a factor of 3 of the published value (issue 2). One characterization
run (compiled core, seed 0, 200 trials) serves all of them.
"""

import json

import numpy as np
import pytest

from memctrl.characterization import characterize

FACTOR = 3.0


@pytest.fixture(scope="module")
def result():
    return characterize("measured", seed=0, trials=200)


def within_factor_3(values, published):
    ratios = np.asarray(values, dtype=float) / np.asarray(published, dtype=float)
    return bool(np.all((ratios >= 1 / FACTOR) & (ratios <= FACTOR))), ratios


def test_result_is_json_serialisable_and_states_the_noise_of_each_protocol(result):
    json.loads(json.dumps(result))
    for key in ("leaky_integration", "threshold_firing", "intrinsic_plasticity", "refractory",
                "stochasticity", "cascade"):
        assert isinstance(result[key]["noise"], bool), key
    assert result["all_within_factor_3"] is True


def test_leaky_integration_needs_more_pulses_with_longer_gaps(result):
    leaky = result["leaky_integration"]
    pulses = leaky["pulses_to_fire"]
    assert np.all(np.diff(pulses) > 0), pulses
    ok, ratios = within_factor_3(pulses, leaky["paper_pulses_to_fire"])
    assert ok, ratios
    np.testing.assert_allclose(leaky["ratio_to_paper"], ratios)


def test_threshold_firing_probability_rises_with_amplitude(result):
    firing = result["threshold_firing"]
    probability = firing["fire_probability"]
    assert firing["noise"] and firing["trials_per_amplitude"] >= 200
    assert np.all(np.diff(probability) > 0), probability
    ok, ratios = within_factor_3(probability, firing["paper_fire_probability"])
    assert ok, ratios


def test_threshold_firing_pulse_train_gives_a_late_first_spike_then_discrete_spikes(result):
    firing = result["threshold_firing"]
    ok, ratio = within_factor_3([firing["first_spike_ms"]], [firing["paper_first_spike_ms"]])
    assert ok, ratio
    assert firing["discrete_spikes"] and firing["spikes_in_window"] >= 3


def test_intrinsic_plasticity_speedup_shrinks_with_the_gap(result):
    plasticity = result["intrinsic_plasticity"]
    speedup = plasticity["speedup_ms"]
    assert np.all(np.diff(speedup) < 0), speedup
    assert speedup[-1] > 0  # still a trace of the first pulse after 1 s
    ok, ratios = within_factor_3(speedup, plasticity["paper_speedup_ms"])
    assert ok, ratios
    # decay on a 0.2-0.3 s scale: after 200 ms between a quarter and three quarters is left
    assert 0.25 < speedup[3] / speedup[0] < 0.75


def test_refractory_mean_isi_grows_with_the_leak_resistor(result):
    refractory = result["refractory"]
    isi = refractory["mean_isi_ms"]
    assert np.all(np.diff(isi) > 0), isi
    ok, ratios = within_factor_3(isi, refractory["paper_mean_isi_ms"])
    assert ok, ratios


def test_stochasticity_spreads_first_spike_latency(result):
    stochastic = result["stochasticity"]
    assert stochastic["noise"]
    assert stochastic["first_spike_latency_cv"] > 0.05
    assert stochastic["first_spike_missing"] == 0
    assert stochastic["switching_delay_spread_decades"] > 0.1
    assert 0.0 < stochastic["threshold_cv_device"] < 0.2


def test_cascade_downstream_fires_from_upstream_spikes_alone(result):
    chain = result["cascade"]
    assert chain["downstream_fired"] is True
    assert 0.0 < chain["latency_ms"] < 500.0


def test_energy_per_spike_is_picojoules(result):
    assert 1e-12 <= result["energy_per_spike_j"] <= 100e-12


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="preset"):
        characterize("no-such-preset")
    with pytest.raises(ValueError, match="trials"):
        characterize(trials=1)
    with pytest.raises(ValueError, match=r"trials=1000000000 .* more than half of this "
                                         r"machine's memory .*; lower trials"):
        characterize(trials=10**9)        # refused before a byte of it is allocated
