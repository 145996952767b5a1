"""Operation counts in NeuroBench's vocabulary, derived from a run record.

NeuroBench (Yik et al., arXiv 2304.04640) reports counts beside the joules so
anyone can re-price a run with another table. From the counters (see
``memctrl.network.reference``) and the network sizes of a :class:`Workload`:

- **dense synaptic operations**: every stored synapse (``n_neurons x n_inputs``
  input synapses plus the recurrent ones) multiplied by its activation at every
  substep, whether the activation is zero or not:
  ``membrane_updates x n_inputs + ticks x ticks_per_step x substeps x
  n_recurrent_synapses`` (for a plain network, ``ticks x substeps x
  (n_neurons x n_inputs + n_recurrent_synapses)``).
- **effective synaptic operations**: ``synaptic_events``, the reads the core did
  (every synapse of a non-zero input channel, every outgoing synapse of a high
  output, per substep). Reads of an analog input voltage are **MACs**; reads
  driven by a spike are **ACs**: the core counts the latter apart
  (``spike_synaptic_events``), so ACs = spike synaptic events and MACs = the rest.
- **activation sparsity**: ``1 - spikes / membrane_updates``; a spike is an
  output rising edge, so an output held high for several substeps counts once.
- **membrane updates**: the counter (neurons x substeps).
- **connection sparsity**: zero entries of the ``n_neurons x (n_inputs +
  n_neurons)`` weight matrix (the input matrix is dense; the recurrent one holds
  ``n_recurrent_synapses`` entries).
- **footprint**: bytes the emulator holds for the weights (two float64
  conductances per synapse, plus the recurrent CSR indices as int32) and the
  state (F, R, V as float64 and an output flag per neuron; one float64
  eligibility per synapse; float64 presynaptic traces per input and per
  neuron); and the information a chip stores, ``2 ceil(log2(levels))`` bits per
  synapse.
"""

from __future__ import annotations

import math

from memctrl.energy.workload import Workload

FLOAT64_BYTES = 8
INT32_BYTES = 4


def dense_synaptic_operations(workload: Workload) -> float:
    """Every membrane update reads its neuron's input synapses; every substep of
    every tick reads the recurrent ones."""
    recurrent_reads = workload.ticks * workload.ticks_per_step * workload.substeps
    return (workload.counter("membrane_updates") * workload.n_inputs
            + recurrent_reads * workload.n_recurrent_synapses)


def mac_ac_split(workload: Workload) -> tuple[float, float]:
    """(effective MACs, effective ACs): input-voltage reads and spike-driven reads."""
    acs = workload.counter("spike_synaptic_events")
    return workload.counter("synaptic_events") - acs, acs


def footprint(workload: Workload) -> dict[str, float]:
    """Bytes of weights and state (module docstring), and bits a chip stores."""
    n, m, nnz = workload.n_neurons, workload.n_inputs, workload.n_recurrent_synapses
    synapses = workload.n_synapses
    weight_bytes = synapses * 2 * FLOAT64_BYTES + (nnz + n + 1) * INT32_BYTES
    state_bytes = (n * (3 * FLOAT64_BYTES + 1) + synapses * FLOAT64_BYTES
                   + (m + n) * FLOAT64_BYTES)
    return {"weight_bytes": weight_bytes, "state_bytes": state_bytes,
            "total_bytes": weight_bytes + state_bytes,
            "weight_bits_on_chip": synapses * 2 * math.ceil(math.log2(workload.levels))}


def neurobench_counts(workload: Workload) -> dict:
    """Every count of the module docstring, as a JSON-ready dict."""
    spikes = workload.counter("spikes")
    updates = workload.counter("membrane_updates")
    events = workload.counter("synaptic_events")
    dense = dense_synaptic_operations(workload)
    macs, acs = mac_ac_split(workload)
    n, m = workload.n_neurons, workload.n_inputs
    return {
        "spikes": spikes,
        "synaptic_events": events,
        "programming_pulses": workload.counter("programming_pulses"),
        "weights_written": workload.counter("weights_written"),
        "membrane_updates": updates,
        "dense_synops": dense,
        "effective_synops": events,
        "effective_macs": macs,
        "effective_acs": acs,
        "activation_sparsity": 1.0 - spikes / updates if updates > 0 else None,
        "synaptic_activity": events / dense if dense > 0 else None,
        "connection_sparsity": 1.0 - workload.n_synapses / (n * (m + n)),
        "footprint": footprint(workload),
        "ticks": workload.ticks,
    }
