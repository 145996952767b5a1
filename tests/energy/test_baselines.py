"""Baselines price the same counts with the published per-operation figures."""

import pytest

from memctrl.energy.baselines import price_baselines

from .test_components import workload

MCU_J_PER_MAC = 0.2e-9              # Cortex-M4 (STM32L4) + CMSIS-NN, low end of 0.2-0.7 nJ
LOIHI_SYNOP, LOIHI_NEURON, LOIHI_UPDATE = 23.6e-12, 52e-12, 120e-12   # Davies et al. 2018
TRUENORTH_EVENT = 26e-12            # Merolla et al. 2014
XYLO_W, RECKON_W = 291e-6, 50e-6    # arXiv 2406.15112; Frenkel & Indiveri 2022


def test_same_work_baselines_by_hand():
    work = workload()
    priced = price_baselines(work, memctrl_energy_j=1e-6)
    # 100 ticks of 10 substeps: 8 x 3 input synapses once per tick, 16 recurrent per substep
    macs = 100 * 8 * 3 + 100 * 10 * 16
    assert priced["mcu-cortex-m4"]["energy_j"] == pytest.approx(
        (macs + 8000 + 20) * MCU_J_PER_MAC)
    assert priced["loihi"]["energy_j"] == pytest.approx(
        1000 * LOIHI_SYNOP + 8000 * LOIHI_NEURON + 20 * LOIHI_UPDATE)
    assert priced["truenorth"]["energy_j"] == pytest.approx(1000 * TRUENORTH_EVENT)


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
