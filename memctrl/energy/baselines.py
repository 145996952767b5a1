"""Baselines: the same work priced on an MCU and on digital neuromorphic chips.

Per-operation figures of digital chips are order-of-magnitude numbers at their
own operating points (energy-and-baselines.md section 1); the report quotes the
point next to each. Two kinds of baseline:

- **same work**: the run's counts times the platform's energy per operation,
  the algorithm in its cheapest honest form on that platform. Each baseline
  names its operations (:attr:`Baseline.operations`: counts from the run's
  counters) and their prices, so a report can be recomputed by hand.
  Ultra-low-power Cortex-M4F MCU: the network over the driven inputs only, once
  per network tick (event-driven, not a dense network of all lines times the
  substeps): one int8 MAC per synapse of a driven row per tick, one per
  recurrent synapse of a neuron that spiked, one per neuron update per tick and
  one per weight written (counter ``weights_written``: a synapse the update
  programmed, however many pulses that took). Loihi (pre-silicon estimates):
  synaptic ops, neuron updates, one synaptic update per weight written and one
  spike message per spike. TrueNorth:
  synaptic events at its whole-chip average (it has no on-chip learning, so
  weight programming is not priced on it).
- **reference point**: a chip's measured power (SynSense Xylo Audio 2, ReckOn's
  bound) times the run's duration. It is not the same work; it says where
  memctrl sits beside chips that run comparable small networks today.

``ratio_to_memctrl`` is baseline energy per step / memctrl energy per step:
above 1, memctrl draws less.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from memctrl.energy.constants import (LOIHI_J_PER_NEURON_UPDATE, LOIHI_J_PER_SPIKE_MESSAGE,
                                      LOIHI_J_PER_SYNAPTIC_UPDATE, LOIHI_J_PER_SYNOP,
                                      MCU_J_PER_MAC, RECKON_LEARNING_W,
                                      TRUENORTH_J_PER_SYNAPTIC_EVENT, XYLO_AUDIO_2_W, Constant)
from memctrl.energy.workload import Workload

ASSUMPTIONS = (
    "MCU baseline: the network over the driven inputs only, once per network tick, on an "
    "ultra-low-power Cortex-M4F (Ambiq Apollo class): input MACs = input synaptic events / "
    "substeps (every synapse of a driven row, once per tick), recurrent MACs = spikes x "
    "recurrent synapses per neuron, one MAC per neuron update per tick (membrane updates / "
    "substeps; a leaky-integrator update, the 1M1T1R equations would cost more) and one per "
    "weight written (a synapse the update programmed: a digital learner writes a changed "
    "weight once, whatever pulses the devices needed; a record from before that counter "
    "was kept prices one per programming pulse, an upper bound). The eligibility traces, "
    "the accumulated changes and the per-step scalar arithmetic (the TD error, the reward "
    "scale, a Box action's exploration offset: one Gaussian draw and one multiply-add per "
    "action dimension) are priced on neither side (the same bookkeeping on both)",
    "Loihi baseline: pre-silicon per-operation estimates (Davies et al. 2018, Table 2): one "
    "synaptic op per synaptic event, one neuron update per membrane update, one synaptic "
    "update per weight written and one within-tile spike message per spike (the low end "
    "of its routing)",
    "TrueNorth baseline: 26 pJ per synaptic event, the whole chip's average at one operating "
    "point (0.775 V, 20 Hz), not a per-event cost at other activity; no on-chip learning, so "
    "programming pulses are not priced",
    "Xylo Audio 2 and ReckOn are reference points: measured chip power x the run's "
    "duration, not the same work; ReckOn's is its bound (< 150 uW while learning)",
    "Portner et al. (Nature Machine Intelligence 2025, actor-critic TD learning on analogue "
    "memristors) is not a reference point here: its abstract gives no energy figure to "
    "price a step with",
)


@dataclass(frozen=True)
class Baseline:
    """A platform and how it prices a workload (total J over the workload)."""

    name: str
    label: str
    kind: str
    basis: str
    constants: tuple[tuple[str, Constant], ...]
    operations: Callable[[Workload], dict[str, float]]
    """Counts of the priced operations, from the run's counters and sizes, in the
    order of ``constants`` (one count per constant)."""

    def price(self, workload: Workload) -> float:
        """Total J: every operation's count times its constant."""
        counts = self.operations(workload)
        return sum(counts[role] * constant.value for role, constant in self.constants)


def mcu_macs(workload: Workload) -> float:
    """Int8 MACs of the network over the driven inputs, once per network tick."""
    input_macs = workload.input_synaptic_events / workload.substeps
    recurrent_macs = (workload.counter("spikes") * workload.n_recurrent_synapses
                      / workload.n_neurons)
    neuron_updates = workload.counter("membrane_updates") / workload.substeps
    return (input_macs + recurrent_macs + neuron_updates
            + workload.counter("weights_written"))


def _per_duration(workload: Workload) -> dict[str, float]:
    return {"power_w": workload.duration_s}


MCU = Baseline("mcu-cortex-m4", "ultra-low-power Cortex-M4F MCU (Apollo class), driven inputs "
             "once per tick", "same work",
             "(input synaptic events / substeps + spikes x recurrent synapses per neuron + "
             "membrane_updates / substeps + weights_written) x 51 pJ/MAC",
             (("j_per_mac", MCU_J_PER_MAC),),
             lambda workload: {"j_per_mac": mcu_macs(workload)})
"""The fair digital baseline: the same network over the driven inputs, on an MCU."""

BASELINES: tuple[Baseline, ...] = (
    MCU,
    Baseline("loihi", "Intel Loihi (pre-silicon per-op estimates)", "same work",
             "synaptic_events x 23.6 pJ + membrane_updates x 52 pJ + weights_written x "
             "120 pJ + spikes x 1.7 pJ per message",
             (("j_per_synop", LOIHI_J_PER_SYNOP),
              ("j_per_neuron_update", LOIHI_J_PER_NEURON_UPDATE),
              ("j_per_synaptic_update", LOIHI_J_PER_SYNAPTIC_UPDATE),
              ("j_per_spike_message", LOIHI_J_PER_SPIKE_MESSAGE)),
             lambda workload: {"j_per_synop": workload.counter("synaptic_events"),
                               "j_per_neuron_update": workload.counter("membrane_updates"),
                               "j_per_synaptic_update": workload.counter("weights_written"),
                               "j_per_spike_message": workload.counter("spikes")}),
    Baseline("truenorth", "IBM TrueNorth (whole-chip average at 0.775 V, 20 Hz)", "same work",
             "synaptic_events x 26 pJ",
             (("j_per_synaptic_event", TRUENORTH_J_PER_SYNAPTIC_EVENT),),
             lambda workload: {"j_per_synaptic_event": workload.counter("synaptic_events")}),
    Baseline("xylo-audio-2", "SynSense Xylo Audio 2 (measured 291 uW)", "reference point",
             "291 uW x duration", (("power_w", XYLO_AUDIO_2_W),), _per_duration),
    Baseline("reckon", "ReckOn 28 nm, learning (< 150 uW, its bound)", "reference point",
             "150 uW x duration (an upper bound)", (("power_w", RECKON_LEARNING_W),),
             _per_duration),
)


def price_baselines(workload: Workload, memctrl_energy_j: float) -> dict[str, dict]:
    """Every baseline on ``workload``, with its ratio to memctrl's ``memctrl_energy_j``."""
    memctrl_per_step = memctrl_energy_j / workload.ticks
    priced = {}
    for baseline in BASELINES:
        operations = baseline.operations(workload)
        energy = baseline.price(workload)
        per_step = energy / workload.ticks
        priced[baseline.name] = {
            "label": baseline.label, "kind": baseline.kind,
            "energy_j": energy, "energy_per_step_j": per_step,
            "ratio_to_memctrl": per_step / memctrl_per_step if memctrl_per_step > 0 else None,
            "basis": baseline.basis,
            "operations": operations,
            "prices": {role: constant.value for role, constant in baseline.constants},
            "sources": [constant.source for _, constant in baseline.constants],
        }
    return priced
