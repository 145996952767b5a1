""""Picojoule now, attojoule with scaling": spike energy of small real networks, priced.

Each network (NumPy reference backend) is driven by the paper's threshold-firing
protocol; its counters go through the run record into the energy model.
"""

import pytest

from memctrl.energy.components import energy_breakdown
from memctrl.energy.hardware import hardware_for_run
from memctrl.energy.workload import workload_from_record
from memctrl.run_record import network_record

from .conftest import run_network

PJ, AJ = 1e-12, 1e-18


def priced_spikes(preset: str):
    net, _ = run_network(preset, ticks=400, n_neurons=8, n_inputs=1)
    record = network_record(net, "test", 400, preset, "taox-hfox")
    workload = workload_from_record(record, "run.json")
    breakdown = energy_breakdown(workload, hardware_for_run(preset))
    return workload, breakdown["neuron_spikes"]


def test_the_measured_device_spends_picojoules_per_spike():
    workload, spikes = priced_spikes("measured")
    assert workload.counter("spikes") >= 8 * 10  # the drive really makes them fire
    assert 1 * PJ <= spikes.energy_per_event_j <= 100 * PJ


def test_the_3nm_projection_spends_attojoules_per_spike():
    workload, spikes = priced_spikes("projected-3nm")
    assert workload.counter("spikes") >= 8 * 10
    assert 0.5 * AJ <= spikes.energy_per_event_j <= 50 * AJ


def test_spike_energy_is_the_device_models_own_integral():
    workload, spikes = priced_spikes("measured")
    assert spikes.energy_j == pytest.approx(
        workload.counter("neuron_input_energy_j") + workload.counter("neuron_output_energy_j"),
        rel=1e-12)
