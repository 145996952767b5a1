"""Published energy and power figures, each with its source and a provenance tag.

Tags as in ``shared/reference/device-model.md``: M measured in a paper, D our
arithmetic from cited numbers, P a projection, A our own assumption (no
published value; chosen by us and labelled as such in every report).

Every number the energy model multiplies by comes from this module, so a
reviewer can trace each joule of a report back to one line here. Two figures
live with the device models instead, because the core prices them as it runs:
the neuron's V*I (``memctrl.device.neuron``; derived from the compact model,
not a measured energy) and the write pulses with their verify read
(``memctrl.device.synapse.write_energy`` and ``verify_energy``: the verify read
of a programmed pair at the write-pulse width, an assumption there, and priced
nowhere else).
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
    "hwcomponents-library library/isaac.py): a design-study estimate, not measured silicon; "
    "prices binary drives only (a spike into its row, a write pulse), not analog levels",
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

# -- the circuit the voltage-mode emulation implies ------------------------------------------
# The network computes drive = w_in @ u and applies it as the neuron's input voltage: each
# neuron's column is held at virtual ground and its current turned into a voltage (a
# transimpedance stage, continuous reads), or, with 5 ns read pulses, sampled and held by a
# buffer for the ms the drive lasts (-pulsed presets). Each input row carries an analog level
# for the whole drive: a multi-bit DAC sets it and a buffer holds it.

COLUMN_TIA_W = Constant(
    1e-6, "W per column while driven",
    "our allowance for a transimpedance amplifier holding one neuron column at virtual ground "
    "and turning its current into the neuron's input voltage: a uA-class bias at about 1 V "
    "suffices for ms-long drive (kHz bandwidth); no published figure for this circuit; powered "
    "only while the drive lasts (power-gated between ticks)", "A")
COLUMN_HOLD_BUFFER_W = Constant(
    1e-6, "W per column while driven",
    "our allowance for the buffer that holds a sampled 5 ns column read as the neuron's input "
    "voltage for the ms the drive lasts (-pulsed presets): the same uA-class amplifier as the "
    "transimpedance stage; no published figure; powered only while the drive lasts", "A")
SAMPLE_HOLD_J = Constant(
    0.1e-12, "J per sample",
    "one sample of a column read onto a 100 fF hold capacitor at 1 V, C V^2 (our choice of "
    "capacitor and swing; -pulsed presets, one sample per column per substep)", "A")
ROW_DAC_J = Constant(
    1e-12, "J per conversion",
    "our allowance for one multi-bit (8 b) DAC conversion that sets an input row's analog "
    "level once per network tick; ISAAC's 0.42 pJ is a 1-b driver pulsed at GHz rates and "
    "does not set analog levels; no published figure for this periphery", "A")
ROW_HOLD_BUFFER_W = Constant(
    1e-6, "W per row while driven",
    "our allowance for the buffer that holds a driven row's analog level for the whole drive "
    "(uA-class bias at about 1 V; the row current itself is priced as synaptic reads); no "
    "published figure; undriven rows are off", "A")
SHARED_LEVEL_BUFFER_W = Constant(
    1e-6, "W, while a network tick drives a row",
    "our allowance for the one buffer that holds the shared input level of a code whose "
    "driven rows all carry the same voltage (tile and one-hot codes): each driven row is "
    "switched to it by a 1-b driver, with no DAC or hold buffer of its own; the same "
    "uA-class amplifier as a row's hold buffer (the row currents are priced as synaptic "
    "reads); no published figure", "A")
FANOUT_CAPACITANCE_F = Constant(
    5e-15, "F",
    "our allowance for what a neuron's output drives: one CMOS gate input (the spike driver "
    "of its recurrent row, or the decoder's spike counter) plus local wiring; the output "
    "stage's resistive load must charge it within a substep", "A")
RISE_TIME_PER_RC = Constant(
    2.2, "RC time constants",
    "10-90 % rise time of an RC node, ln(9) = 2.2 time constants (D, circuit theory)", "D")

# -- static power of the periphery ------------------------------------------------------------

LEAKAGE_65NM_W_PER_NEURON = Constant(
    25e-9, "W per neuron",
    "periphery of one neuron column kept powered: about 25 nW per column of ADC, sampler "
    "and integrator in NeuRRAM's 130 nm model (Wan et al., Nature 608:504, 2022, as quoted by "
    "issue 15's review; not re-read from the paper for this figure) (D)", "D")
LEAKAGE_3NM_W_PER_NEURON = Constant(
    2.5e-9, "W per neuron",
    "our allowance for the same column periphery at the 3 nm projection: NeuRRAM's 25 nW "
    "per column divided by 10 for smaller, power-gated circuits; no published figure", "A")

# -- baselines (energy-and-baselines.md section 1) ---------------------------------------

MCU_J_PER_MAC = Constant(
    51e-12, "J per int8 MAC, whole MCU",
    "ultra-low-power Cortex-M4F (Ambiq Apollo class), 34 uA/MHz x 3.0 V (coin cell) = "
    "102 pJ per cycle, x 0.5 cycle per int8 MAC (CMSIS-NN's SMLAD does two 16-bit MACs per "
    "cycle; Lai et al., arXiv 1801.06601) (D); 34 uA/MHz is the Apollo-class figure of issue "
    "15's review, not found in the stored pages by this change's search; at 1.8 V it would "
    "be 31 pJ, with more overhead 60 pJ", "D")
LOIHI_J_PER_SYNOP = Constant(
    23.6e-12, "J per synaptic op",
    "Intel Loihi, Davies et al., IEEE Micro 2018, Table 2, doi:10.1109/MM.2018.112130359: a "
    "pre-silicon estimate (circuit simulation), not measured silicon", "P")
LOIHI_J_PER_SYNAPTIC_UPDATE = Constant(
    120e-12, "J per synaptic update",
    "Intel Loihi, Davies et al., IEEE Micro 2018, Table 2: a pre-silicon estimate (circuit "
    "simulation), not measured silicon", "P")
LOIHI_J_PER_NEURON_UPDATE = Constant(
    52e-12, "J per neuron update",
    "Intel Loihi, Davies et al., IEEE Micro 2018, Table 2 (52 pJ inactive, 81 pJ active; the "
    "low end, which favours Loihi): a pre-silicon estimate, not measured silicon", "P")
LOIHI_J_PER_SPIKE_MESSAGE = Constant(
    1.7e-12, "J per spike message",
    "Intel Loihi, Davies et al., IEEE Micro 2018, Table 2: within-tile spike energy 1.7 pJ "
    "(3.0-4.0 pJ more per tile hop; one message per spike within a tile, the low end): a "
    "pre-silicon estimate, not measured silicon", "P")
TRUENORTH_J_PER_SYNAPTIC_EVENT = Constant(
    26e-12, "J per synaptic event, whole-chip average",
    "IBM TrueNorth, Merolla et al., Science 2014, doi:10.1126/science.1254642: the whole "
    "chip's power divided by its synaptic events at one operating point (0.775 V, 20 Hz "
    "mean firing), not a per-event cost at other activity", "M")
XYLO_AUDIO_2_W = Constant(
    291e-6, "W",
    "SynSense Xylo Audio 2, measured power, arXiv 2406.15112", "M")
RECKON_LEARNING_W = Constant(
    150e-6, "W, upper bound",
    "ReckOn, 28 nm, on-chip e-prop learning power 20-150 uW (< 50 uW typical), Frenkel & "
    "Indiveri, ISSCC 2022, arXiv 2208.09759: quoted as its bound, < 150 uW", "M")

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
IMPLANT_CONTROLLER_BUDGET_W = Constant(
    0.5 * PACEMAKER_BUDGET_W.value, "W",
    "half of the pacemaker's 16 uW average (D): stimulation takes the rest, so the "
    "controller's budget is at most half of the device's (A: the split)", "A")
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
