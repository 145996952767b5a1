"""Each component of the energy model against values worked out by hand from the cited figures."""

import dataclasses
import math

import pytest

from memctrl.energy.components import COMPONENTS, energy_breakdown
from memctrl.energy.hardware import hardware_preset
from memctrl.energy.workload import Workload

# Published figures, typed in from the references (not imported from the code under test).
ROW_DRIVER_J = 0.42e-12   # ISAAC 32 nm row driver / 1-b DAC, per drive
ADC_ISAAC_J = 1.67e-12    # ISAAC 32 nm 8 b SAR ADC, per conversion
ADC_NEURRAM_J = 0.3e-12   # NeuRRAM 130 nm ADC, per conversion
READ_PULSE_S = 5e-9       # device-model.md section 2 read-energy example
LEAK_65NM_W = 1e-9        # our documented assumption, per neuron
LEAK_3NM_W = 0.1e-9       # our documented assumption, per neuron

G_MIN, G_MAX, V_READ = 1e-6, 10e-6, 0.25
N_NEURONS, N_INPUTS, TICKS, DURATION_S = 8, 3, 100, 0.1


def workload(neuron_preset="measured", **counters) -> Workload:
    values = {"spikes": 10.0, "membrane_updates": 8000.0, "synaptic_events": 1000.0,
              "programming_pulses": 20.0, "neuron_input_energy_j": 1e-10,
              "neuron_output_energy_j": 2e-11, "synapse_read_energy_j": 3e-9,
              "programming_energy_j": 4e-11, "spike_synaptic_events": 300.0}
    values.update(counters)
    return Workload(counters=values, ticks=TICKS, duration_s=DURATION_S,
                    control_rate_hz=TICKS / DURATION_S, n_neurons=N_NEURONS,
                    n_inputs=N_INPUTS, n_recurrent_synapses=16, substeps=10, g_min_s=G_MIN,
                    g_max_s=G_MAX, v_read_v=V_READ, levels=128, neuron_preset=neuron_preset,
                    synapse_preset="taox-hfox")


def test_neuron_spikes_are_the_integrated_input_and_output_energy():
    energy = energy_breakdown(workload(), hardware_preset("measured"))["neuron_spikes"]
    assert energy.energy_j == pytest.approx(1e-10 + 2e-11, rel=1e-12)
    assert energy.energy_per_event_j == pytest.approx(1.2e-11, rel=1e-12)


def test_continuous_reads_take_the_core_integral_and_pulsed_reads_price_each_event():
    continuous = energy_breakdown(workload(), hardware_preset("measured"))
    pulsed = energy_breakdown(workload(), hardware_preset("measured-pulsed"))
    assert continuous["synaptic_reads"].energy_j == pytest.approx(3e-9, rel=1e-12)
    # one 5 ns pulse at 0.25 V across a pair: g_min idle + the other device at mid-range
    g_pair = 1e-6 + (1e-6 + 10e-6) / 2
    assert pulsed["synaptic_reads"].energy_j == pytest.approx(
        1000 * 0.25 ** 2 * g_pair * 5e-9, rel=1e-12)
    # everything else is priced the same way in both modes
    for name in COMPONENTS:
        if name != "synaptic_reads":
            assert pulsed[name].energy_j == pytest.approx(continuous[name].energy_j, rel=1e-12)


def test_weight_programming_adds_one_verify_read_per_pulse():
    energy = energy_breakdown(workload(), hardware_preset("measured"))["weight_programming"]
    verify = 20 * 0.25 ** 2 * (1e-6 + 10e-6) / 2 * READ_PULSE_S
    assert energy.energy_j == pytest.approx(4e-11 + verify, rel=1e-12)
    assert energy.events == 20


def test_peripherals_on_the_measured_and_projected_hardware():
    drives = 10 + N_INPUTS * TICKS          # one per spike, one per input channel per tick
    conversions = N_INPUTS * TICKS
    measured = energy_breakdown(workload(), hardware_preset("measured"))
    projected = energy_breakdown(workload("projected-3nm"), hardware_preset("projected-3nm"))
    assert measured["spike_drivers"].energy_j == pytest.approx(drives * ROW_DRIVER_J)
    assert measured["sensor_conversions"].energy_j == pytest.approx(conversions * ADC_ISAAC_J)
    assert measured["write_verify_circuitry"].energy_j == pytest.approx(
        20 * (ROW_DRIVER_J + ADC_ISAAC_J))
    assert projected["sensor_conversions"].energy_j == pytest.approx(
        conversions * ADC_NEURRAM_J)
    assert projected["write_verify_circuitry"].energy_j == pytest.approx(
        20 * (ROW_DRIVER_J + ADC_NEURRAM_J))


def test_a_controller_drives_its_input_rows_once_per_network_tick():
    """Read tick and plastic tick of the critic: rows driven twice per control step;
    the sensor is converted once."""
    controller = dataclasses.replace(workload(), ticks_per_step=2)
    priced = energy_breakdown(controller, hardware_preset("measured"))
    assert priced["spike_drivers"].energy_j == pytest.approx(
        (10 + 2 * N_INPUTS * TICKS) * ROW_DRIVER_J)
    assert priced["sensor_conversions"].energy_j == pytest.approx(
        N_INPUTS * TICKS * ADC_ISAAC_J)


def test_static_leakage_is_power_times_time():
    measured = energy_breakdown(workload(), hardware_preset("measured"))["static_leakage"]
    projected = energy_breakdown(workload("projected-3nm"),
                                 hardware_preset("projected-3nm"))["static_leakage"]
    assert measured.energy_j == pytest.approx(N_NEURONS * LEAK_65NM_W * DURATION_S)
    assert projected.energy_j == pytest.approx(N_NEURONS * LEAK_3NM_W * DURATION_S)
    assert not measured.dynamic


@pytest.mark.parametrize("hardware", ["measured", "measured-pulsed", "energy-65nm"])
def test_components_add_up_to_the_total(hardware):
    preset = hardware_preset(hardware)
    breakdown = energy_breakdown(workload(preset.neuron_presets[0]), preset)
    assert [c.name for c in breakdown.components] == list(COMPONENTS)
    assert breakdown.total_j == pytest.approx(math.fsum(breakdown.energies().values()))
    assert breakdown.total_j == pytest.approx(breakdown.dynamic_j + breakdown.static_j)
    assert breakdown.static_j == breakdown["static_leakage"].energy_j


@pytest.mark.parametrize("hardware", ["measured", "projected-3nm-pulsed"])
def test_doubling_the_events_doubles_the_dynamic_energy_only(hardware):
    preset = hardware_preset(hardware)
    base = workload(preset.neuron_presets[0])
    doubled = base.replace(counters={k: 2 * v for k, v in base.counters.items()},
                           ticks=2 * base.ticks)  # same duration: twice the work per second
    one, two = energy_breakdown(base, preset), energy_breakdown(doubled, preset)
    assert two.dynamic_j == pytest.approx(2 * one.dynamic_j, rel=1e-12)
    for name in COMPONENTS:
        if name != "static_leakage":
            assert two[name].energy_j == pytest.approx(2 * one[name].energy_j, rel=1e-12)
    assert two.static_j == pytest.approx(one.static_j, rel=1e-12)


def test_static_energy_scales_with_time_only():
    preset = hardware_preset("measured")
    base = workload()
    longer = base.replace(duration_s=3 * base.duration_s)
    one, three = energy_breakdown(base, preset), energy_breakdown(longer, preset)
    assert three.static_j == pytest.approx(3 * one.static_j, rel=1e-12)
    assert three.dynamic_j == pytest.approx(one.dynamic_j, rel=1e-12)


def test_the_control_rate_sweep_is_dynamic_energy_per_step_times_rate_plus_static():
    preset = hardware_preset("measured")
    base = workload()
    dynamic_per_step = energy_breakdown(base, preset).dynamic_j / TICKS
    for rate in (1.0, 50.0, 5000.0):
        at_rate = base.at_control_rate(rate)
        power = energy_breakdown(at_rate, preset).total_j / at_rate.duration_s
        assert power == pytest.approx(dynamic_per_step * rate + N_NEURONS * LEAK_65NM_W)


def test_a_silent_run_costs_only_its_inputs_and_leakage():
    silent = workload(spikes=0.0, synaptic_events=0.0, programming_pulses=0.0,
                      neuron_input_energy_j=0.0, neuron_output_energy_j=0.0,
                      synapse_read_energy_j=0.0, programming_energy_j=0.0)
    breakdown = energy_breakdown(silent, hardware_preset("measured"))
    expected = (N_INPUTS * TICKS * (ROW_DRIVER_J + ADC_ISAAC_J)
                + N_NEURONS * LEAK_65NM_W * DURATION_S)
    assert breakdown.total_j == pytest.approx(expected)
    assert breakdown["neuron_spikes"].energy_per_event_j is None
