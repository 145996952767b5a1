"""The circuit behind the counts, on real networks: an undriven input line costs
nothing, and a verify read is priced once."""

import numpy as np
import pytest

from memctrl.device.presets import neuron_preset, synapse_preset
from memctrl.device.synapse import conductances_for
from memctrl.energy.components import COMPONENTS, energy_breakdown
from memctrl.energy.hardware import hardware_preset
from memctrl.energy.workload import workload_from_record
from memctrl.network.config import NetworkConfig
from memctrl.network.network import Network
from memctrl.run_record import network_record

ROW_DAC_J, ROW_HOLD_W = 1e-12, 1e-6   # constants.py: our allowances, typed in
TICKS = 30


def run(input_v: np.ndarray, w_row: np.ndarray, backend: str) -> Network:
    n_neurons = 3
    config = NetworkConfig(n_neurons=n_neurons, n_inputs=input_v.size,
                           neuron=neuron_preset("measured"))
    net = Network(config, w_in=np.tile(w_row, (n_neurons, 1)), seed=5, backend=backend)
    for _ in range(TICKS):
        net.tick(input_v)
    return net


@pytest.mark.parametrize("backend", ["reference", "compiled"])
def test_an_undriven_input_line_adds_no_read_energy_and_no_event(backend):
    driven = run(np.array([0.9, 0.9]), np.array([0.6, 0.6]), backend)
    with_idle_line = run(np.array([0.9, 0.0, 0.9]), np.array([0.6, 0.4, 0.6]), backend)
    assert with_idle_line.counters == driven.counters
    substeps = driven.config.substeps
    # two driven lines x 3 neurons per substep, no recurrent synapses
    assert driven.counters["synaptic_events"] == 2 * 3 * substeps * TICKS
    assert driven.counters["spikes"] > 0   # the comparison is not vacuous
    priced = []
    for net in (driven, with_idle_line):
        record = network_record(net, "test", TICKS, "measured", "taox-hfox")
        workload = workload_from_record(record, "run.json")
        priced.append(energy_breakdown(workload, hardware_preset("measured")))
    for name in COMPONENTS:
        if name != "sensor_conversions":   # the idle line is still a sensor channel
            assert priced[1][name].energy_j == pytest.approx(priced[0][name].energy_j,
                                                             rel=1e-12), name
    h = driven.config.dt / driven.config.neuron.time_scale
    rows = priced[1]["row_drivers"]
    assert rows.events == pytest.approx(2 * TICKS, rel=1e-12)
    assert rows.energy_j == pytest.approx(2 * TICKS * (ROW_DAC_J + substeps * h * ROW_HOLD_W),
                                          rel=1e-12)


@pytest.mark.parametrize("backend", ["reference", "compiled"])
def test_a_verify_read_is_priced_once(backend):
    """Two pulses on one synapse of a linear device, then one verify read of the pair at
    the write-pulse width (synapse.verify_energy); the power model adds no other."""
    synapse = synapse_preset("ideal")            # linear, no write noise, no spread
    config = NetworkConfig(n_neurons=1, n_inputs=1, neuron=neuron_preset("measured"),
                           synapse=synapse, program_threshold=1.0)
    g_pos, g_neg = conductances_for(np.array([[1.0]]), synapse)   # g_max and g_min
    net = Network(config, input_conductances=(g_pos, g_neg), seed=1, backend=backend)
    for _ in range(40):
        net.tick(np.array([1.2]))
    eligibility = float(net.eligibility_in()[0, 0])
    assert eligibility > 0
    before_pos, before_neg = (float(g[0, 0]) for g in net.input_conductances())
    energy_before = net.counters["programming_energy_j"]
    # lower the weight by 2.2 levels: 2 pulses, each to the device that keeps the pair
    # centred: the first raises g_neg (from g_min), the second lowers g_pos (from g_max)
    net.apply_learning(-1.0, 2.2 / (synapse.levels * eligibility))
    after_pos, after_neg = (float(g[0, 0]) for g in net.input_conductances())
    step = synapse.span / synapse.levels
    assert net.counters["programming_pulses"] == 2
    assert after_neg == pytest.approx(before_neg + step, rel=1e-9)
    assert after_pos == pytest.approx(before_pos - step, rel=1e-9)
    writes = (synapse.v_set ** 2 * before_neg + synapse.v_reset ** 2 * before_pos) \
        * synapse.t_write
    verify = synapse.v_read ** 2 * (after_pos + after_neg) * synapse.t_write
    assert net.counters["programming_energy_j"] - energy_before == pytest.approx(
        writes + verify, rel=1e-9)
    record = network_record(net, "test", 41, "measured", "ideal")
    priced = energy_breakdown(workload_from_record(record, "run.json"),
                              hardware_preset("measured"))
    assert priced["weight_programming"].energy_j == net.counters["programming_energy_j"]


@pytest.mark.parametrize("coding, shared", [("tiles", True), ("fields", False),
                                            ("one_hot", True)])
def test_a_controllers_record_says_whether_its_rows_share_one_level(coding, shared):
    """Tile and one-hot codes drive every active row at the same voltage (switched to one
    level); receptive fields drive graded levels (a DAC and hold buffer per row)."""
    from gymnasium import spaces

    from memctrl import ControllerConfig, SpikingController
    from memctrl.run_dir import controller_run_record

    if coding == "one_hot":
        space, observations = spaces.Discrete(5), [0, 3, 4, 1, 2, 2, 0]
    else:
        space = spaces.Box(-1.0, 1.0, (2,), np.float64)
        observations = [np.array([x, -x]) for x in np.linspace(-1.0, 1.0, 7)]
    controller = SpikingController(space, spaces.Discrete(2),
                                   ControllerConfig(coding=coding), seed=0)
    levels = set()
    for observation in observations:
        u = controller.encoder.encode(observation)
        levels |= set(np.round(u[u > 0], 12))
        controller.act(observation)
    assert (len(levels) == 1) == shared                   # what the flag claims, observed
    record = controller_run_record(controller, len(observations))
    workload = workload_from_record(record, "run.json")
    assert workload.shared_row_level is shared
    rows = energy_breakdown(workload, hardware_preset("measured"))["row_drivers"]
    assert ("shared level" in rows.formula) == shared
    for bad in ("yes", None, 1):
        record["network"]["shared_row_level"] = bad
        with pytest.raises(ValueError, match="shared_row_level"):
            workload_from_record(record, "run.json")
    del record["network"]["shared_row_level"]             # a record from before the field
    assert workload_from_record(record, "run.json").shared_row_level is False
