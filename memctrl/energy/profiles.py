"""Power-budget profiles of the target devices (energy-and-baselines.md section 2).

A profile is a battery (J) and a power budget (W) that the controller must fit
in. Battery life is the battery divided by the controller's power: the life the
battery would have if the controller were its only load. A wearable profile
(``wearable=True``) also carries the motion sensor such a device reads, and its fit
reports the whole device beside the controller: controller, IMU and, when measured,
actuator (:mod:`memctrl.energy.wearable`).
"""

from __future__ import annotations

from dataclasses import dataclass

from memctrl._checks import require_choice
from memctrl.energy.wearable import device_budget
from memctrl.energy.constants import (
    CR2032_BUDGET_W,
    CR2032_J,
    HEARING_AID_BUDGET_W,
    HEARING_AID_J,
    IMPLANT_CONTROLLER_BUDGET_W,
    NANO_DRONE_BUDGET_W,
    NANO_DRONE_J,
    PACEMAKER_J,
    SMARTWATCH_BUDGET_W,
    SMARTWATCH_J,
    Constant,
)

SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True)
class Profile:
    """A target device: its battery and the power budget of the controller."""

    name: str
    description: str
    battery: Constant
    budget: Constant
    note: str = ""
    wearable: bool = False
    """Worn on the body and reading an IMU (the tremor task's MPU-6050)."""

    @property
    def battery_j(self) -> float:
        return self.battery.value

    @property
    def budget_w(self) -> float:
        return self.budget.value

    def as_dict(self) -> dict:
        return {"name": self.name, "description": self.description,
                "battery_j": self.battery_j, "budget_w": self.budget_w,
                "battery_source": self.battery.source, "budget_source": self.budget.source,
                "note": self.note, "wearable": self.wearable}


PROFILES: dict[str, Profile] = {
    profile.name: profile for profile in (
        Profile("coin-cell", "coin-cell wearable on a CR2032", CR2032_J, CR2032_BUDGET_W,
                "100 uW is the reference's example budget (about 280 days)", wearable=True),
        Profile("hearing-aid", "hearing aid on a zinc-air 312 cell", HEARING_AID_J,
                HEARING_AID_BUDGET_W, "the budget is the whole aid's draw"),
        Profile("implant", "implant-class device (cardiac pacemaker budget)", PACEMAKER_J,
                IMPLANT_CONTROLLER_BUDGET_W,
                "10 years on one cell; the controller gets at most half of the device's "
                "16 uW, stimulation takes the rest"),
        Profile("smartwatch", "smartwatch recharged daily", SMARTWATCH_J, SMARTWATCH_BUDGET_W,
                "the budget is the whole watch's average draw", wearable=True),
        Profile("nano-drone", "nano-drone (Crazyflie 2.x), onboard compute", NANO_DRONE_J,
                NANO_DRONE_BUDGET_W,
                "flight time is set by the 8 W of the motors; the budget is the 64 mW of "
                "onboard CNN compute"),
    )
}


def profile(name: str) -> Profile:
    """The profile ``name``; raises ValueError listing the valid names."""
    return require_choice("profile", name, PROFILES)


def battery_life_h(battery_j: float, power_w: float) -> float | None:
    """Hours the battery lasts at ``power_w``; None when nothing is drawn."""
    if power_w <= 0:
        return None
    return battery_j / power_w / SECONDS_PER_HOUR


def fit(budget: Profile, mean_power_w: float, peak_power_w: float,
        dynamic_energy_per_step_j: float, static_power_w: float,
        actuator_power_w: float | None = None) -> dict:
    """How a controller drawing these powers fits ``budget``.

    ``max_control_rate_hz`` is the rate at which the same work per step meets the
    budget: ``(budget - static) / dynamic energy per step`` (None if unlimited,
    0 if the static power alone exceeds the budget). For a wearable profile,
    ``device`` gives the controller's, the IMU's and the actuator's power (None when
    not measured), their total, its share of the budget and the battery life it
    leaves; ``device`` is None for the other profiles.
    """
    spare = budget.budget_w - static_power_w
    if dynamic_energy_per_step_j > 0:
        max_rate = max(spare, 0.0) / dynamic_energy_per_step_j
    else:
        max_rate = None
    device = None
    if budget.wearable:
        device = device_budget(mean_power_w, actuator_power_w)
        device["fraction_of_budget"] = device["total_w"] / budget.budget_w
        device["battery_life_h"] = battery_life_h(budget.battery_j, device["total_w"])
    return {
        "budget_w": budget.budget_w,
        "battery_j": budget.battery_j,
        "mean_fraction_of_budget": mean_power_w / budget.budget_w,
        "peak_fraction_of_budget": peak_power_w / budget.budget_w,
        "headroom_w": budget.budget_w - mean_power_w,
        "headroom_ratio": budget.budget_w / mean_power_w if mean_power_w > 0 else None,
        "within_budget": peak_power_w <= budget.budget_w,
        "battery_life_h": battery_life_h(budget.battery_j, mean_power_w),
        "max_control_rate_hz": max_rate,
        "device": device,
    }
