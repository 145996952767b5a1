"""Each component of the energy model against values worked out by hand from the cited figures."""

import dataclasses
import math

import pytest

from memctrl.energy.components import COMPONENTS, energy_breakdown
from memctrl.energy.hardware import hardware_preset
from memctrl.energy.workload import Workload

# Published figures and our documented allowances, typed in from the references and
# constants.py's sources (not imported from the code under test).
ROW_DRIVER_J = 0.42e-12   # ISAAC 32 nm 1-b driver, per spike or write pulse
ADC_ISAAC_J = 1.67e-12    # ISAAC 32 nm 8 b SAR ADC, per conversion
ADC_NEURRAM_J = 0.3e-12   # NeuRRAM 130 nm ADC, per conversion
READ_PULSE_S = 5e-9       # device-model.md section 2 read-energy example
LEAK_65NM_W = 25e-9       # NeuRRAM column periphery, per neuron column
LEAK_3NM_W = 2.5e-9       # our assumption: the same / 10
TIA_W = 1e-6              # our assumption: transimpedance stage per driven column
HOLD_W = 1e-6             # our assumption: hold buffer per driven column (pulsed)
SAMPLE_J = 100e-15 * 1.0 ** 2   # our assumption: 100 fF hold capacitor at 1 V
ROW_DAC_J = 1e-12         # our assumption: 8 b DAC conversion per driven row per tick
ROW_HOLD_W = 1e-6         # our assumption: row hold buffer while driven
C_FANOUT_F = 5e-15        # our assumption: one CMOS gate plus wiring

G_MIN, G_MAX, V_READ = 1e-6, 10e-6, 0.25
N_NEURONS, N_INPUTS, TICKS, DURATION_S = 8, 3, 100, 0.1
SUBSTEPS, H_S, V_DD, R_LOAD, SENSORS = 10, 1e-4, 0.5, 1e9, 2
# workload(): 1000 synaptic events, 300 of them spike-driven, over 8000 membrane updates,
# so 700 / 8000 = 0.0875 driven rows per network tick, 8.75 driven row-ticks in 100 ticks
DRIVEN_ROW_TICKS = 700 / 8000 * TICKS


def workload(neuron_preset="measured", **counters) -> Workload:
    values = {"spikes": 10.0, "membrane_updates": 8000.0, "synaptic_events": 1000.0,
              "programming_pulses": 20.0, "neuron_input_energy_j": 1e-10,
              "neuron_output_energy_j": 2e-11, "synapse_read_energy_j": 3e-9,
              "programming_energy_j": 4e-11, "spike_synaptic_events": 300.0,
              "weights_written": 6.0}
    values.update(counters)
    return Workload(counters=values, ticks=TICKS, duration_s=DURATION_S,
                    control_rate_hz=TICKS / DURATION_S, n_neurons=N_NEURONS,
                    n_inputs=N_INPUTS, n_recurrent_synapses=16, substeps=SUBSTEPS,
                    g_min_s=G_MIN, g_max_s=G_MAX, v_read_v=V_READ, levels=128,
                    neuron_preset=neuron_preset, synapse_preset="taox-hfox",
                    substep_device_s=H_S, n_sensor_channels=SENSORS, v_dd_v=V_DD,
                    r_load_ohm=R_LOAD)


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
    # the column stage: a transimpedance stage, or a sample per substep and a hold buffer
    assert continuous["column_stage"].energy_j == pytest.approx(8000 * H_S * TIA_W, rel=1e-12)
    assert pulsed["column_stage"].energy_j == pytest.approx(
        8000 * (H_S * HOLD_W + SAMPLE_J), rel=1e-12)
    # everything else is priced the same way in both modes
    for name in COMPONENTS:
        if name not in ("synaptic_reads", "column_stage"):
            assert pulsed[name].energy_j == pytest.approx(continuous[name].energy_j, rel=1e-12)


@pytest.mark.parametrize("hardware", ["measured", "measured-pulsed", "projected-3nm"])
def test_a_verify_read_is_priced_once_by_the_core(hardware):
    """The core's programming_energy_j already holds the verify read of each programmed
    pair; the energy model adds none, only the write driver per pulse and the sense
    conversion per pair verified (20 pulses wrote 6 weights)."""
    preset = hardware_preset(hardware)
    adc = ADC_NEURRAM_J if hardware.startswith("projected") else ADC_ISAAC_J
    priced = energy_breakdown(workload(preset.neuron_presets[0]), preset)
    assert priced["weight_programming"].energy_j == 4e-11
    assert priced["weight_programming"].events == 20
    assert priced["write_verify_circuitry"].energy_j == pytest.approx(
        20 * ROW_DRIVER_J + 6 * adc, rel=1e-12)
    unverified = energy_breakdown(workload(preset.neuron_presets[0]).replace(
        verifies_writes=False), preset)
    assert unverified["weight_programming"].energy_j == 4e-11
    assert unverified["write_verify_circuitry"].energy_j == pytest.approx(
        20 * ROW_DRIVER_J, rel=1e-12)


def test_peripherals_on_the_measured_and_projected_hardware():
    conversions = SENSORS * TICKS         # raw sensor channels, once per control step
    measured = energy_breakdown(workload(), hardware_preset("measured"))
    projected = energy_breakdown(workload("projected-3nm"), hardware_preset("projected-3nm"))
    assert measured["spike_drivers"].energy_j == pytest.approx(10 * ROW_DRIVER_J)
    assert measured["sensor_conversions"].energy_j == pytest.approx(conversions * ADC_ISAAC_J)
    assert measured["row_drivers"].energy_j == pytest.approx(
        DRIVEN_ROW_TICKS * (ROW_DAC_J + SUBSTEPS * H_S * ROW_HOLD_W), rel=1e-12)
    assert measured["row_drivers"].events == pytest.approx(DRIVEN_ROW_TICKS, rel=1e-12)
    assert projected["sensor_conversions"].energy_j == pytest.approx(
        conversions * ADC_NEURRAM_J)


def test_rows_at_one_shared_level_are_switched_to_it_not_each_held_by_a_buffer():
    """Tile and one-hot codes: a 1-b switch per driven row-tick, and one level buffer per
    network tick that drives a row (8.75 row-ticks over 100 ticks: at most 8.75 such
    ticks, the bound priced)."""
    shared = energy_breakdown(workload().replace(shared_row_level=True),
                              hardware_preset("measured"))["row_drivers"]
    assert shared.energy_j == pytest.approx(
        DRIVEN_ROW_TICKS * ROW_DRIVER_J + DRIVEN_ROW_TICKS * SUBSTEPS * H_S * 1e-6, rel=1e-12)
    busy = workload(synaptic_events=16 * 8000.0 + 300.0).replace(shared_row_level=True)
    assert busy.driven_row_ticks == pytest.approx(16 * TICKS)      # 16 rows in every tick
    rows = energy_breakdown(busy, hardware_preset("measured"))["row_drivers"]
    assert rows.energy_j == pytest.approx(
        16 * TICKS * ROW_DRIVER_J + TICKS * SUBSTEPS * H_S * 1e-6, rel=1e-12)
    graded = energy_breakdown(busy.replace(shared_row_level=False),
                              hardware_preset("measured"))["row_drivers"]
    assert graded.energy_j == pytest.approx(
        16 * TICKS * (ROW_DAC_J + SUBSTEPS * H_S * ROW_HOLD_W), rel=1e-12)


def test_sensor_conversions_fall_back_to_the_input_channels_when_not_recorded():
    priced = energy_breakdown(workload().replace(n_sensor_channels=None),
                              hardware_preset("measured"))
    assert priced["sensor_conversions"].energy_j == pytest.approx(
        N_INPUTS * TICKS * ADC_ISAAC_J)


def test_spikes_without_recurrent_rows_need_no_spike_driver():
    priced = energy_breakdown(workload().replace(n_recurrent_synapses=0),
                              hardware_preset("measured"))
    assert priced["spike_drivers"].energy_j == 0.0


def test_an_undriven_input_line_adds_no_row_drive_and_no_read():
    """Three thousand lines instead of three, the extra ones never driven: the same
    synaptic events, so the same reads, row drives and column stage."""
    preset = hardware_preset("measured")
    narrow = energy_breakdown(workload(), preset)
    wide = energy_breakdown(workload().replace(n_inputs=3000), preset)
    for name in COMPONENTS:
        assert wide[name].energy_j == pytest.approx(narrow[name].energy_j, rel=1e-12), name


def test_a_controller_drives_its_input_rows_once_per_network_tick():
    """Read tick and plastic tick of the critic: rows driven twice per control step;
    the sensor is converted once."""
    controller = dataclasses.replace(workload(), ticks_per_step=2)
    priced = energy_breakdown(controller, hardware_preset("measured"))
    assert priced["row_drivers"].events == pytest.approx(2 * DRIVEN_ROW_TICKS, rel=1e-12)
    assert priced["sensor_conversions"].energy_j == pytest.approx(
        SENSORS * TICKS * ADC_ISAAC_J)


def test_the_output_stage_is_priced_at_the_load_the_fanout_needs():
    preset = hardware_preset("measured")
    # 1 GOhm charges 5 fF in 2.2 x 5 us, well within a 100 us substep: only C V^2 per spike
    slow = energy_breakdown(workload(), preset)["output_fanout"]
    assert slow.energy_j == pytest.approx(10 * C_FANOUT_F * V_DD ** 2, rel=1e-12)
    # a 1 ns substep needs R <= 1 ns / (2.2 x 5 fF) = 90.9 kOhm: 11,000 x the output power
    fast = energy_breakdown(workload().replace(substep_device_s=1e-9), preset)["output_fanout"]
    r_need = 1e-9 / (2.2 * C_FANOUT_F)
    assert fast.energy_j == pytest.approx(
        10 * C_FANOUT_F * V_DD ** 2 + 2e-11 * (R_LOAD / r_need - 1.0), rel=1e-12)


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


def test_a_silent_run_costs_its_sensors_columns_and_leakage():
    """No input driven and no spike: no row drive, no read; the sensors are still
    converted and the columns' stages stay on through the ticks."""
    silent = workload(spikes=0.0, synaptic_events=0.0, programming_pulses=0.0,
                      neuron_input_energy_j=0.0, neuron_output_energy_j=0.0,
                      synapse_read_energy_j=0.0, programming_energy_j=0.0,
                      spike_synaptic_events=0.0, weights_written=0.0)
    breakdown = energy_breakdown(silent, hardware_preset("measured"))
    expected = (SENSORS * TICKS * ADC_ISAAC_J + 8000 * H_S * TIA_W
                + N_NEURONS * LEAK_65NM_W * DURATION_S)
    assert breakdown.total_j == pytest.approx(expected)
    assert breakdown["row_drivers"].energy_j == 0.0
    assert breakdown["neuron_spikes"].energy_per_event_j is None


def test_column_reads_take_a_transimpedance_stage_for_the_read_and_one_conversion():
    """The critic's column, read without neuron ticks: 2 reads per step of one write-pulse
    width (5 us here) each, priced as the column's stage for that long plus an ADC
    conversion; a run without such reads has none."""
    reads = dataclasses.replace(workload(), column_reads_per_step=2.0, column_read_s=5e-6)
    priced = energy_breakdown(reads, hardware_preset("measured"))["column_reads"]
    assert priced.events == 2 * TICKS
    assert priced.energy_j == pytest.approx(2 * TICKS * (5e-6 * TIA_W + ADC_ISAAC_J))
    assert energy_breakdown(workload(), hardware_preset("measured"))["column_reads"].energy_j == 0
