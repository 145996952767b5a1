"""What the device would need: the split of a run's energy by device figure, and the
figures that meet a target, checked by pricing the run again at them."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memctrl.energy.break_even import (FIGURES, balanced_factors, break_even, energy_parts,
                                       factor_alone, repriced_per_step)
from memctrl.energy.components import energy_breakdown
from memctrl.energy.hardware import hardware_preset
from tests.energy.test_components import (DRIVEN_ROW_TICKS, H_S, LEAK_65NM_W, N_NEURONS,
                                          ROW_HOLD_W, SUBSTEPS, TIA_W, TICKS, DURATION_S,
                                          workload)

parts_strategy = st.fixed_dictionaries({
    name: st.floats(0.0, 1e-6, allow_nan=False) for name in (*FIGURES, "fixed")})


def test_the_speed_part_is_what_lasts_as_long_as_the_drive_worked_by_hand():
    parts = energy_parts(workload(), hardware_preset("measured"))
    reads = 3e-9                                      # the core's continuous read integral
    column = 8000 * H_S * TIA_W                       # membrane updates x h x stage power
    rows = DRIVEN_ROW_TICKS * SUBSTEPS * H_S * ROW_HOLD_W
    output = 2e-11                                    # V_dd^2 / R_load while high
    assert parts["device_speed"] == pytest.approx((reads + column + rows + output) / TICKS,
                                                  rel=1e-9)
    assert parts["programming"] == pytest.approx(4e-11 / TICKS, rel=1e-12)
    assert parts["leakage"] == pytest.approx(N_NEURONS * LEAK_65NM_W * DURATION_S / TICKS,
                                             rel=1e-12)
    total = energy_breakdown(workload(), hardware_preset("measured")).total_j / TICKS
    assert sum(parts.values()) == pytest.approx(total, rel=1e-12)


def test_a_column_read_lasts_a_write_pulse_and_stays_out_of_the_speed_part():
    """A critic's read column: 2 reads per step of the 0.0875 rows driven per tick, each
    lasting t_write = 1 ms against the ticking reads' 700 events of 100 us: the read energy
    is shared 70,000 : 17,500 (events x duration)."""
    hardware = hardware_preset("measured")
    plain = energy_parts(workload(), hardware)
    critic = workload().replace(column_reads_per_step=2.0, column_read_s=1e-3)
    column_events = 2.0 * TICKS * (DRIVEN_ROW_TICKS / TICKS)          # 17.5
    ticking = (700 - column_events) * H_S
    share = ticking / (ticking + column_events * 1e-3)
    parts = energy_parts(critic, hardware)
    assert plain["device_speed"] - parts["device_speed"] == pytest.approx(
        3e-9 * (1 - share) / TICKS, rel=1e-9)


def test_pulsed_reads_do_not_scale_with_the_substep():
    continuous = energy_parts(workload(), hardware_preset("measured"))
    pulsed = energy_parts(workload(), hardware_preset("measured-pulsed"))
    # pulsed: the column's hold buffer and the row holds only; the 5 ns reads are fixed
    assert pulsed["device_speed"] < continuous["device_speed"] - 2.9e-9 / TICKS
    assert pulsed["fixed"] > continuous["fixed"]


def test_balanced_figures_meet_the_target_when_the_run_is_priced_again():
    run, hardware = workload(), hardware_preset("measured")
    total = energy_breakdown(run, hardware).total_j / TICKS
    result = break_even(run, hardware, mcu_per_step_j=total / 7.0)
    for target in result["targets"]:
        factors = target["balanced_factors"]
        assert factors is not None and not target["met"]
        assert repriced_per_step(run, hardware, factors) == pytest.approx(
            target["energy_per_step_j"], rel=1e-5)
        assert target["balanced_figures"]["device_speed"] == pytest.approx(
            H_S * factors["device_speed"], rel=1e-12)
        assert all(0.0 < factor <= 1.0 for factor in factors.values())


def test_a_shorter_substep_than_the_output_stage_can_charge_is_priced_and_still_met():
    """A 1 GOhm load charges 5 fF in 11 us: at a shorter substep the stage needs a lower
    load, whose energy per high substep does not shrink with it; the balanced point pays
    for it and still meets the target when priced again."""
    run = workload(neuron_output_energy_j=2e-7)
    hardware = hardware_preset("measured")
    total = energy_breakdown(run, hardware).total_j / TICKS
    target = break_even(run, hardware, mcu_per_step_j=total / 20.0)["targets"][0]
    factors = target["balanced_factors"]
    assert H_S * factors["device_speed"] < 2.2 * 1e9 * 5e-15
    linear = sum(factors.get(name, 1.0) * part
                 for name, part in energy_parts(run, hardware).items())
    assert linear < 0.99 * target["energy_per_step_j"]       # the stage's surplus is paid for
    assert target["balanced_repriced_per_step_j"] == pytest.approx(
        target["energy_per_step_j"], rel=1e-5)


def test_an_output_stage_that_costs_more_than_the_target_leaves_is_unreachable():
    """At any substep below 11 us the output stage costs at least 0.11 of its energy at
    100 us (2.2 R_load C_fanout / h): 1.1 nJ per step here, above a target of ~0.4 nJ."""
    run = workload(neuron_output_energy_j=1e-6)
    hardware = hardware_preset("measured")
    total = energy_breakdown(run, hardware).total_j / TICKS
    target = break_even(run, hardware, mcu_per_step_j=total / 50.0)["targets"][0]
    assert energy_parts(run, hardware)["fixed"] < target["energy_per_step_j"]
    assert target["balanced_factors"] is None
    assert "output stage" in target["balanced_unreachable_because"]


def test_an_inference_run_needs_no_write_figure():
    run = workload(programming_pulses=0.0, programming_energy_j=0.0)
    hardware = hardware_preset("measured")
    total = energy_breakdown(run, hardware).total_j / TICKS
    target = break_even(run, hardware, total / 5.0)["targets"][0]
    assert target["balanced_factors"]["programming"] == 1.0
    assert target["balanced_figures"]["programming"] is None
    assert target["presets_with_figure"]["programming"] is None
    assert target["balanced_repriced_per_step_j"] == pytest.approx(total / 5.0, rel=1e-5)


def test_pulsed_hardware_meets_its_target_when_priced_again():
    run, hardware = workload(), hardware_preset("measured-pulsed")
    total = energy_breakdown(run, hardware).total_j / TICKS
    target = break_even(run, hardware, total / 10.0)["targets"][0]
    assert target["balanced_repriced_per_step_j"] == pytest.approx(total / 10.0, rel=1e-5)


def test_a_run_below_the_target_is_met_and_a_fixed_part_above_it_is_unreachable():
    run, hardware = workload(), hardware_preset("measured")
    parts = energy_parts(run, hardware)
    total = sum(parts.values())
    assert all(t["met"] for t in break_even(run, hardware, 20 * total)["targets"])
    hopeless = break_even(run, hardware, 0.5 * parts["fixed"])["targets"][0]
    assert hopeless["balanced_factors"] is None and hopeless["presets_with_figure"] is None
    assert "rest of the run" in hopeless["balanced_unreachable_because"]
    assert all(factor is None for factor in hopeless["alone_factors"].values())


def test_presets_named_have_the_figure():
    """Device time: the 3 nm projection's substep is the run's dt / 1e5. Writes: each
    preset's bound V^2 G_max t_write scaled as this run's pulse is to its own preset's
    (TaOx/HfOx 1.6^2 x 10 uS x 50 ns = 1.28 pJ; the run's 2 pJ per pulse on it)."""
    run, hardware = workload(neuron_output_energy_j=0.0), hardware_preset("measured")
    total = energy_breakdown(run, hardware).total_j / TICKS
    target = break_even(run, hardware, total / 300.0)["targets"][0]
    presets = target["presets_with_figure"]
    assert presets["device_speed"] == ["projected-3nm"]
    assert target["balanced_factors"]["programming"] == 1.0
    assert "taox-hfox" in presets["programming"]        # the run's own preset, as it is
    assert "ideal" not in presets["programming"]        # not a device
    ratio = 2e-12 / (1.6 ** 2 * 10e-6 * 50e-9)
    ag_si = 3.2 ** 2 * 38.5e-9 * 300e-6 * ratio         # 185 pJ at the run's ratio
    assert ("ag-si" in presets["programming"]) == (
        ag_si <= target["balanced_figures"]["programming"])
    assert "epiram" not in presets["programming"]


@settings(max_examples=200, deadline=None)
@given(parts=parts_strategy, fraction=st.floats(0.01, 2.0))
def test_balanced_factors_spend_exactly_what_the_fixed_part_leaves(parts, fraction):
    target = fraction * sum(parts.values()) + 1e-15
    factors = balanced_factors(parts, target)
    if parts["fixed"] >= target:
        assert factors is None
        return
    assert all(0.0 < factor for factor in factors.values())
    spent = parts["fixed"] + sum(factors[f] * parts[f] for f in FIGURES)
    if sum(parts.values()) <= target:
        assert all(factor == 1.0 for factor in factors.values())
    else:
        assert spent == pytest.approx(target, rel=1e-9)
        assert all(factor <= 1.0 + 1e-12 for factor in factors.values())


@settings(max_examples=200, deadline=None)
@given(parts=parts_strategy, fraction=st.floats(0.01, 2.0),
       figure=st.sampled_from(FIGURES))
def test_one_figure_alone_meets_the_target_or_says_it_cannot(parts, fraction, figure):
    target = fraction * sum(parts.values()) + 1e-15
    factor = factor_alone(parts, target, figure)
    others = sum(value for name, value in parts.items() if name != figure)
    if factor is None:
        assert others >= target or parts[figure] == 0
    else:
        assert others + factor * parts[figure] <= target * (1 + 1e-9) + 1e-30
        assert 0.0 < factor <= 1.0 and math.isfinite(factor)
