"""Baselines: the same work priced on an MCU and on digital neuromorphic chips.

Per-operation figures of digital chips are order-of-magnitude numbers at their
own operating points (energy-and-baselines.md section 1); the report quotes the
point next to each. Two kinds of baseline:

- **same work**: the run's counts times the platform's energy per operation.
  Cortex-M4-class MCU: the equivalent dense network computed as the core
  computes it, the input matrix once per control tick (inputs are held for the
  tick) and the recurrent matrix at every substep, each product, membrane update
  and programming pulse one int8 MAC. Loihi: synaptic ops, neuron updates and synaptic updates.
  TrueNorth: synaptic events, all-in (it has no on-chip learning, so weight
  programming is not priced on it).
- **reference point**: a chip's measured power (SynSense Xylo Audio 2, ReckOn)
  times the run's duration. It is not the same work; it says where memctrl sits
  beside chips that run comparable small networks today.

``ratio_to_memctrl`` is baseline energy per step / memctrl energy per step:
above 1, memctrl draws less.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from memctrl.energy.constants import (LOIHI_J_PER_NEURON_UPDATE, LOIHI_J_PER_SYNAPTIC_UPDATE,
                                      LOIHI_J_PER_SYNOP, MCU_J_PER_MAC, RECKON_LEARNING_W,
                                      TRUENORTH_J_PER_SYNAPTIC_EVENT, XYLO_AUDIO_2_W, Constant)
from memctrl.energy.workload import Workload

ASSUMPTIONS = (
    "MCU baseline: the equivalent dense network on a Cortex-M4, one int8 MAC per input "
    "synapse per control tick (inputs are held for the tick), per recurrent synapse per "
    "substep, per membrane update (a leaky-integrator update; the 1M1T1R equations would "
    "cost more) and per programming pulse, at 0.2 nJ per MAC",
    "Loihi baseline: one synaptic op per synaptic event, one neuron update per membrane "
    "update, one synaptic update per programming pulse (an upper bound: Loihi applies a "
    "multi-pulse change as one update)",
    "TrueNorth baseline: 26 pJ per synaptic event all-in; no on-chip learning, so "
    "programming pulses are not priced",
    "Xylo Audio 2 and ReckOn are reference points: measured chip power x the run's "
    "duration, not the same work",
)


@dataclass(frozen=True)
class Baseline:
    """A platform and how it prices a workload (total J over the workload)."""

    name: str
    label: str
    kind: str
    basis: str
    constants: tuple[tuple[str, Constant], ...]
    price: Callable[[Workload], float]


def _mcu(workload: Workload) -> float:
    input_macs = workload.ticks * workload.n_neurons * workload.n_inputs
    recurrent_macs = workload.ticks * workload.substeps * workload.n_recurrent_synapses
    macs = (input_macs + recurrent_macs + workload.counter("membrane_updates")
            + workload.counter("programming_pulses"))
    return macs * MCU_J_PER_MAC.value


def _loihi(workload: Workload) -> float:
    return (workload.counter("synaptic_events") * LOIHI_J_PER_SYNOP.value
            + workload.counter("membrane_updates") * LOIHI_J_PER_NEURON_UPDATE.value
            + workload.counter("programming_pulses") * LOIHI_J_PER_SYNAPTIC_UPDATE.value)


def _truenorth(workload: Workload) -> float:
    return workload.counter("synaptic_events") * TRUENORTH_J_PER_SYNAPTIC_EVENT.value


BASELINES: tuple[Baseline, ...] = (
    Baseline("mcu-cortex-m4", "Cortex-M4 MCU (STM32L4), dense network", "same work",
             "(ticks x n_neurons x n_inputs + ticks x substeps x n_recurrent_synapses + "
             "membrane_updates + programming_pulses) x 0.2 nJ/MAC",
             (("j_per_mac", MCU_J_PER_MAC),), _mcu),
    Baseline("loihi", "Intel Loihi", "same work",
             "synaptic_events x 23.6 pJ + membrane_updates x 52 pJ + programming_pulses x "
             "120 pJ", (("j_per_synop", LOIHI_J_PER_SYNOP),
                        ("j_per_neuron_update", LOIHI_J_PER_NEURON_UPDATE),
                        ("j_per_synaptic_update", LOIHI_J_PER_SYNAPTIC_UPDATE)), _loihi),
    Baseline("truenorth", "IBM TrueNorth (0.775 V, 20 Hz)", "same work",
             "synaptic_events x 26 pJ",
             (("j_per_synaptic_event", TRUENORTH_J_PER_SYNAPTIC_EVENT),), _truenorth),
    Baseline("xylo-audio-2", "SynSense Xylo Audio 2 (measured 291 uW)", "reference point",
             "291 uW x duration", (("power_w", XYLO_AUDIO_2_W),),
             lambda workload: XYLO_AUDIO_2_W.value * workload.duration_s),
    Baseline("reckon", "ReckOn 28 nm, learning (measured < 50 uW)", "reference point",
             "50 uW x duration", (("power_w", RECKON_LEARNING_W),),
             lambda workload: RECKON_LEARNING_W.value * workload.duration_s),
)


def price_baselines(workload: Workload, memctrl_energy_j: float) -> dict[str, dict]:
    """Every baseline on ``workload``, with its ratio to memctrl's ``memctrl_energy_j``."""
    memctrl_per_step = memctrl_energy_j / workload.ticks
    priced = {}
    for baseline in BASELINES:
        energy = baseline.price(workload)
        per_step = energy / workload.ticks
        priced[baseline.name] = {
            "label": baseline.label, "kind": baseline.kind,
            "energy_j": energy, "energy_per_step_j": per_step,
            "ratio_to_memctrl": per_step / memctrl_per_step if memctrl_per_step > 0 else None,
            "basis": baseline.basis,
            "sources": [constant.source for _, constant in baseline.constants],
        }
    return priced
