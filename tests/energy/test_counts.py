"""NeuroBench counts derived from counters and network sizes, worked out by hand."""

import pytest

from memctrl.energy.counts import neurobench_counts

from .test_components import workload


def test_dense_and_effective_synaptic_operations():
    counts = neurobench_counts(workload())
    # 100 ticks x 10 substeps x (8 neurons x 3 inputs + 16 recurrent synapses)
    assert counts["dense_synops"] == 100 * 10 * (8 * 3 + 16)
    assert counts["effective_synops"] == 1000
    assert counts["synaptic_activity"] == pytest.approx(1000 / 40000)


def test_spike_driven_reads_are_acs_and_the_other_reads_macs():
    counts = neurobench_counts(workload())  # 1000 reads, 300 of them driven by spikes
    assert counts["effective_macs"] == 700 and counts["effective_acs"] == 300
    silent = neurobench_counts(workload(spike_synaptic_events=0.0))
    assert silent["effective_macs"] == 1000 and silent["effective_acs"] == 0


def test_activation_and_connection_sparsity():
    counts = neurobench_counts(workload())
    assert counts["activation_sparsity"] == pytest.approx(1 - 10 / 8000)
    # 8 x (3 + 8) matrix holds 24 input + 16 recurrent entries
    assert counts["connection_sparsity"] == pytest.approx(1 - 40 / 88)


def test_footprint_of_weights_and_state():
    foot = neurobench_counts(workload())["footprint"]
    synapses = 8 * 3 + 16
    assert foot["weight_bytes"] == synapses * 2 * 8 + (16 + 8 + 1) * 4
    assert foot["state_bytes"] == 8 * (3 * 8 + 1) + synapses * 8 + (3 + 8) * 8
    assert foot["weight_bits_on_chip"] == synapses * 2 * 7  # 128 levels = 7 bits per device
