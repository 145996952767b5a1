"""Published energy and power figures, each with its source and a provenance tag.

Tags as in ``shared/reference/device-model.md``: M measured in a paper, D our
arithmetic from cited numbers, P a projection, A our own assumption (no
published value; chosen by us and labelled as such in every report).

Every number the energy model multiplies by comes from this module, so a
reviewer can trace each joule of a report back to one line here.
"""

from __future__ import annotations

from dataclasses import dataclass

TAGS = {"M": "measured", "D": "derived", "P": "projection", "A": "assumption"}


@dataclass(frozen=True)
class Constant:
    """One figure of the energy model.

    Attributes
    ----------
    value : float
        In SI units (J, W, s, V, S).
    unit : str
        The unit of ``value``, for reports.
    source : str
        Paper, data sheet or reasoning the value comes from.
    tag : str
        One of ``TAGS``; ``"A"`` marks a value we chose ourselves.
    """

    value: float
    unit: str
    source: str
    tag: str

    def __post_init__(self) -> None:
        if self.tag not in TAGS:
            raise ValueError(f"Constant tag must be one of {sorted(TAGS)}, got {self.tag!r}")

    @property
    def is_assumption(self) -> bool:
        return self.tag == "A"

    def as_dict(self) -> dict:
        return {"value": self.value, "unit": self.unit, "source": self.source,
                "tag": self.tag, "kind": TAGS[self.tag]}


# -- peripherals (device-model.md section 3) -------------------------------------------

ROW_DRIVER_J = Constant(
    0.42e-12, "J per drive",
    "row driver / 1-b DAC, 32 nm, ISAAC (Shafiee et al., ISCA 2016; Accelergy "
    "hwcomponents-library library/isaac.py): a design-study estimate, not measured silicon",
    "P")
ADC_ISAAC_J = Constant(
    1.67e-12, "J per conversion",
    "SAR ADC 8 b, 32 nm, ISAAC (Shafiee et al., ISCA 2016; Accelergy hwcomponents-library "
    "library/isaac.py): a design-study estimate, not measured silicon", "P")
ADC_NEURRAM_J = Constant(
    0.3e-12, "J per conversion",
    "ADC of NeuRRAM, 130 nm, Wan et al., Nature 608:504 (2022)", "M")

# -- synaptic reads (device-model.md section 2) ------------------------------------------

SHORT_READ_PULSE_S = Constant(
    5e-9, "s",
    "our choice: the read pulse width of the read-energy example V_r^2 G t_r = 0.25 V^2 x "
    "10 uS x 5 ns (device-model.md section 2); short enough for any of the synapse presets",
    "A")
VERIFY_READ_PULSE_S = Constant(
    5e-9, "s",
    "our choice: the 5 ns of the read-energy example of device-model.md section 2; no "
    "published verify-read width for these devices", "A")

# -- static leakage: no published figure for a 1M1T1R array --------------------------------

LEAKAGE_65NM_W_PER_NEURON = Constant(
    1e-9, "W per neuron",
    "our allowance for the off-state leakage of a neuron's transistor, its row driver and "
    "its share of bias circuitry in a 65 nm-class process; no published figure", "A")
LEAKAGE_3NM_W_PER_NEURON = Constant(
    0.1e-9, "W per neuron",
    "our allowance for the same at the 3 nm projection (smaller devices, power-gated "
    "periphery); no published figure", "A")

# -- baselines (energy-and-baselines.md section 1) ---------------------------------------

MCU_J_PER_MAC = Constant(
    0.2e-9, "J per int8 MAC, whole MCU",
    "Cortex-M4 (STM32L4), 120 uA/MHz at 3 V with CMSIS-NN (Lai et al., arXiv 1801.06601): "
    "0.2-0.7 nJ/MAC (D); the low end, which favours the MCU", "D")
LOIHI_J_PER_SYNOP = Constant(
    23.6e-12, "J per synaptic op",
    "Intel Loihi, Davies et al., IEEE Micro 2018, doi:10.1109/MM.2018.112130359", "M")
LOIHI_J_PER_SYNAPTIC_UPDATE = Constant(
    120e-12, "J per synaptic update",
    "Intel Loihi, Davies et al., IEEE Micro 2018, doi:10.1109/MM.2018.112130359", "M")
LOIHI_J_PER_NEURON_UPDATE = Constant(
    52e-12, "J per neuron update",
    "Intel Loihi, Davies et al., IEEE Micro 2018 (52-81 pJ; the low end, which favours "
    "Loihi)", "M")
TRUENORTH_J_PER_SYNAPTIC_EVENT = Constant(
    26e-12, "J per synaptic event, all-in",
    "IBM TrueNorth at 0.775 V, 20 Hz, Merolla et al., Science 2014, "
    "doi:10.1126/science.1254642", "M")
XYLO_AUDIO_2_W = Constant(
    291e-6, "W",
    "SynSense Xylo Audio 2, measured power, arXiv 2406.15112", "M")
RECKON_LEARNING_W = Constant(
    50e-6, "W",
    "ReckOn, 28 nm, on-chip e-prop learning power < 50 uW (20-150 uW), Frenkel & "
    "Indiveri, ISSCC 2022, arXiv 2208.09759", "M")

# -- power budgets (energy-and-baselines.md section 2) -------------------------------------

CR2032_J = Constant(
    3.0 * 0.225 * 3600.0, "J",
    "CR2032 coin cell, 3.0 V x 225 mAh = 2.43 kJ (data sheets; D)", "D")
CR2032_BUDGET_W = Constant(
    100e-6, "W",
    "the reference's coin-cell example, 100 uW -> about 280 days on a CR2032 "
    "(energy-and-baselines.md section 2)", "D")
HEARING_AID_J = Constant(
    1.4 * 0.160 * 3600.0, "J",
    "zinc-air 312 cell, 1.4 V x 160 mAh (the low end of 160-180 mAh; Hearing Review) (D)",
    "D")
HEARING_AID_BUDGET_W = Constant(
    1.4e-3, "W",
    "whole hearing aid, about 1 mA at 1.4 V (Hearing Review, rechargeable batteries in "
    "hearing aids)", "M")
PACEMAKER_BUDGET_W = Constant(
    16e-6, "W",
    "cardiac pacemaker, about 16 uW average over 10 years (PMC1502062 and vendor cell "
    "sizes; D)", "D")
PACEMAKER_J = Constant(
    16e-6 * 10 * 365.25 * 86400.0, "J",
    "16 uW for 10 years = 5.05 kJ, the cell the pacemaker budget implies (D)", "D")
SMARTWATCH_BUDGET_W = Constant(
    43e-3, "W",
    "smartwatch, 0.78-1.1 Wh per day, about 43 mW average (Apple Watch 2015 teardown "
    "figures; D)", "D")
SMARTWATCH_J = Constant(
    0.78 * 3600.0, "J",
    "0.78 Wh, the low end of the daily energy of the Apple Watch 2015 teardown figures "
    "(38 mm model); 43 mW drains it in 18 h, the watch's all-day rating (D)", "D")
NANO_DRONE_BUDGET_W = Constant(
    64e-3, "W",
    "Crazyflie 2.x onboard CNN compute, 64 mW (arXiv 1805.01831); the whole vehicle "
    "draws about 8 W (arXiv 1905.04166)", "M")
NANO_DRONE_J = Constant(
    3.7 * 0.250 * 3600.0, "J",
    "Crazyflie 2.1 battery, 250 mAh LiPo at 3.7 V nominal = 3.33 kJ (Bitcraze product "
    "data; not in the project's reference table; D)", "D")
NANO_DRONE_TOTAL_W = Constant(
    8.0, "W", "Crazyflie 2.x total power in flight (arXiv 1905.04166)", "M")

# -- the rest of a wearable: its IMU and its actuator ---------------------------------------

IMU_SUPPLY_CURRENT_A = Constant(
    3.9e-3, "A",
    "TDK InvenSense MPU-6050, normal operating current with gyroscope, accelerometer and DMP "
    "on (Product Specification PS-MPU-6000A-00 rev. 3.4, section 6.3; 3.8 mA with the DMP "
    "off)", "M")
IMU_SUPPLY_VOLTAGE_V = Constant(
    3.0, "V",
    "our choice within the MPU-6050's 2.375-3.46 V VDD range (datasheet section 6.3), the "
    "nominal voltage of a CR2032", "A")
MOTOR_TORQUE_CONSTANT_N_M_PER_A = Constant(
    0.01, "N m/A",
    "our choice: a 16 mm-class brushed DC motor (order of 10 mN m/A); no particular "
    "orthosis's motor", "A")
MOTOR_RESISTANCE_OHM = Constant(
    2.0, "ohm", "our choice: terminal resistance of such a motor (order of ohms)", "A")
GEAR_RATIO = Constant(
    50.0, "1",
    "our choice: a gearhead giving 0.5 N m at the wrist from tens of mN m at the motor; with a "
    "1.2e-7 kg m^2 rotor it reflects the 3e-4 kg m^2 of sim_envs.orthosis", "A")
GEAR_EFFICIENCY = Constant(
    0.7, "1", "our choice: a two- or three-stage planetary gearhead (typically 0.6-0.8)", "A")
