"""Baselines price the same counts with the published per-operation figures."""

import pytest

from memctrl.energy.baselines import price_baselines

from .test_components import workload

# Published figures, typed in from the references (not imported from the code under test).
MCU_J_PER_MAC = 34e-6 / 1e6 * 3.0 * 0.5   # Apollo-class 34 uA/MHz x 3 V x 0.5 cycle/MAC
LOIHI_SYNOP, LOIHI_NEURON, LOIHI_UPDATE = 23.6e-12, 52e-12, 120e-12   # Davies et al. 2018
LOIHI_MESSAGE = 1.7e-12             # Davies et al. 2018, Table 2, within-tile spike energy
TRUENORTH_EVENT = 26e-12            # Merolla et al. 2014
XYLO_W, RECKON_W = 291e-6, 150e-6   # arXiv 2406.15112; Frenkel & Indiveri 2022 (bound)


def test_the_mcu_computes_the_driven_inputs_once_per_tick():
    # workload(): 1000 synaptic events, 300 of them spike-driven, 10 substeps, 8000
    # membrane updates, 10 spikes, 16 recurrent synapses over 8 neurons, 20 pulses that
    # wrote 6 weights (a digital learner writes each changed weight once)
    priced = price_baselines(workload(), memctrl_energy_j=1e-6)
    macs = (1000 - 300) / 10 + 10 * 16 / 8 + 8000 / 10 + 6
    assert priced["mcu-cortex-m4"]["energy_j"] == pytest.approx(macs * MCU_J_PER_MAC,
                                                                rel=1e-12)
    assert MCU_J_PER_MAC == pytest.approx(51e-12)


def test_an_undriven_input_line_costs_the_mcu_nothing():
    """More lines, none of them driven: the same synaptic events, so the same MACs."""
    one = price_baselines(workload(), memctrl_energy_j=1e-6)["mcu-cortex-m4"]
    wider = price_baselines(workload().replace(n_inputs=3000),
                            memctrl_energy_j=1e-6)["mcu-cortex-m4"]
    assert wider["energy_j"] == pytest.approx(one["energy_j"], rel=1e-12)


def test_loihi_and_truenorth_by_hand():
    priced = price_baselines(workload(), memctrl_energy_j=1e-6)
    assert priced["loihi"]["energy_j"] == pytest.approx(
        1000 * LOIHI_SYNOP + 8000 * LOIHI_NEURON + 6 * LOIHI_UPDATE + 10 * LOIHI_MESSAGE,
        rel=1e-12)
    assert priced["truenorth"]["energy_j"] == pytest.approx(1000 * TRUENORTH_EVENT, rel=1e-12)


def test_reference_points_are_measured_power_times_duration():
    priced = price_baselines(workload(), memctrl_energy_j=1e-6)
    assert priced["xylo-audio-2"]["energy_per_step_j"] == pytest.approx(XYLO_W * 0.1 / 100)
    assert priced["reckon"]["energy_per_step_j"] == pytest.approx(RECKON_W * 0.1 / 100)
    assert priced["reckon"]["kind"] == "reference point"


def test_ratio_is_baseline_over_memctrl_per_step():
    priced = price_baselines(workload(), memctrl_energy_j=2e-8)
    assert priced["truenorth"]["ratio_to_memctrl"] == pytest.approx(
        (1000 * TRUENORTH_EVENT / 100) / (2e-8 / 100))
    for item in priced.values():
        assert item["sources"] and all(item["sources"])


def test_every_baseline_lists_operations_that_add_up_to_its_energy():
    for name, item in price_baselines(workload(), memctrl_energy_j=1e-6).items():
        assert set(item["operations"]) == set(item["prices"]), name
        total = sum(item["operations"][op] * item["prices"][op] for op in item["operations"])
        assert item["energy_j"] == pytest.approx(total, rel=1e-12), name
