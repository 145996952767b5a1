"""Power budgets, battery life and the choice of hardware preset."""

import pytest

from memctrl.energy.constants import Constant
from memctrl.energy.hardware import (DEFAULT_HARDWARE, HARDWARE_PRESETS, hardware_for_run,
                                     hardware_preset)
from memctrl.energy.profiles import PROFILES, battery_life_h, fit, profile


def test_coin_cell_battery_and_the_references_280_days_at_100_uw():
    coin = profile("coin-cell")
    assert coin.battery_j == pytest.approx(3.0 * 0.225 * 3600)  # 3 V x 225 mAh
    days = battery_life_h(coin.battery_j, 100e-6) / 24
    assert 270 < days < 290  # "100 uW -> about 280 days"


def test_every_profile_has_a_battery_a_budget_and_sources():
    assert set(PROFILES) == {"coin-cell", "hearing-aid", "implant", "smartwatch", "nano-drone"}
    assert profile("implant").budget_w == pytest.approx(16e-6 / 2)   # half the pacemaker
    assert profile("hearing-aid").budget_w == pytest.approx(1.4e-3)
    for item in PROFILES.values():
        assert item.battery_j > 0 and item.budget_w > 0
        assert item.battery.source and item.budget.source


def test_fit_reports_headroom_life_and_the_highest_rate_within_budget():
    result = fit(profile("coin-cell"), mean_power_w=40e-6, peak_power_w=120e-6,
                 dynamic_energy_per_step_j=30e-9, static_power_w=10e-6)
    assert result["headroom_w"] == pytest.approx(60e-6)
    assert result["mean_fraction_of_budget"] == pytest.approx(0.4)
    assert result["within_budget"] is False  # the peak exceeds 100 uW
    assert result["battery_life_h"] == pytest.approx(2430 / 40e-6 / 3600)
    assert result["max_control_rate_hz"] == pytest.approx((100e-6 - 10e-6) / 30e-9)


def test_unknown_profile_and_hardware_list_the_valid_names():
    with pytest.raises(ValueError, match="unknown profile 'watch'.*coin-cell.*smartwatch"):
        profile("watch")
    with pytest.raises(ValueError, match="unknown hardware preset 'x'.*measured-pulsed"):
        hardware_preset("x")


def test_the_default_hardware_follows_the_runs_neuron_preset():
    assert hardware_for_run("measured").name == "measured"
    assert hardware_for_run("projected-3nm").name == "projected-3nm"
    assert hardware_for_run("measured", "measured-pulsed").synaptic_reads == "pulsed"
    assert set(DEFAULT_HARDWARE.values()) <= set(HARDWARE_PRESETS)


def test_hardware_for_another_device_is_refused():
    with pytest.raises(ValueError, match="prices neurons of preset projected-3nm.*'measured'"
                                         ".*valid for this run: measured, measured-pulsed"):
        hardware_for_run("measured", "projected-3nm")
    with pytest.raises(ValueError, match="no default hardware preset for neuron preset 'new'"):
        hardware_for_run("new")


def test_every_hardware_constant_carries_a_source_and_assumptions_are_labelled():
    for preset in HARDWARE_PRESETS.values():
        for constant in preset.constants().values():
            assert isinstance(constant, Constant) and constant.source
        assert not preset.driver.is_assumption and not preset.adc.is_assumption
        # the analog-level circuits the voltage-mode drive implies have no published
        # figure: each is labelled as ours
        for constant in (preset.row_dac, preset.row_hold, preset.shared_level_hold,
                         preset.column_amplifier, preset.fanout_capacitance):
            assert constant.is_assumption
        assert "not measured" in preset.spike_energy_basis or \
            preset.spike_energy_basis.startswith(("derived", "projection"))


def test_the_measured_presets_spike_energy_is_tagged_derived():
    assert HARDWARE_PRESETS["measured"].spike_energy_basis.startswith("derived (D), not measured")


def test_a_wearable_profile_prices_the_imu_beside_the_controller():
    # MPU-6050: 3.9 mA (datasheet) at the 3.0 V we assume = 11.7 mW, a hundred times the
    # coin cell's whole 100 uW budget.
    result = fit(profile("coin-cell"), mean_power_w=40e-6, peak_power_w=40e-6,
                 dynamic_energy_per_step_j=30e-9, static_power_w=10e-6)
    device = result["device"]
    assert device["imu_w"] == pytest.approx(3.9e-3 * 3.0)
    assert device["actuator_w"] is None
    assert device["total_w"] == pytest.approx(40e-6 + 11.7e-3)
    assert device["battery_life_h"] == pytest.approx(2430 / (40e-6 + 11.7e-3) / 3600)
    assert device["fraction_of_budget"] > 100
    with_motor = fit(profile("smartwatch"), 40e-6, 40e-6, 30e-9, 10e-6, actuator_power_w=0.2)
    assert with_motor["device"]["total_w"] == pytest.approx(40e-6 + 11.7e-3 + 0.2)
    assert fit(profile("implant"), 40e-6, 40e-6, 30e-9, 10e-6)["device"] is None
