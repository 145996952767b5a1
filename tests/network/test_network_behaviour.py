"""Behaviour of a network, the same for the compiled core and the NumPy reference."""

import math

import numpy as np
import pytest

from memctrl.device.presets import neuron_preset, synapse_preset
from memctrl.network.config import NetworkConfig
from memctrl.network.network import Network
from memctrl.network.wiring import Recurrent, random_recurrent

BACKENDS = ["compiled", "reference"]


def tick_until_spike(net: Network, input_v: np.ndarray, neuron: int = 0) -> None:
    for _ in range(1000):
        if net.tick(input_v)[neuron]:
            return
    raise AssertionError(f"neuron {neuron} did not fire within 1000 ticks")


def quiet_config(**changes) -> NetworkConfig:
    """Deterministic devices with a linear, noiseless synapse."""
    config = NetworkConfig(n_neurons=4, n_inputs=3, synapse=synapse_preset("ideal"))
    return config.deterministic.replace(**changes)


@pytest.mark.parametrize("backend", BACKENDS)
def test_silent_inputs_leave_the_network_at_rest(backend):
    config = quiet_config()
    net = Network(config, w_in=np.full((4, 3), 0.5), seed=1, backend=backend)
    for _ in range(20):
        assert not net.tick(np.zeros(3)).any()
    counters = net.counters
    assert counters["membrane_updates"] == 20 * config.substeps * 4
    assert counters["synaptic_events"] == 0
    assert counters["neuron_input_energy_j"] == 0.0
    assert counters["synapse_read_energy_j"] == 0.0
    assert np.all(net.state["v_gate"] == 0.0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_counts_one_synaptic_event_per_read(backend):
    config = quiet_config()
    net = Network(config, w_in=np.full((4, 3), 0.1), seed=1, backend=backend)
    net.tick(np.array([0.3, 0.0, -0.2]))
    # two active channels, each read by 4 neurons, in each of the 10 substeps
    assert net.counters["synaptic_events"] == 2 * 4 * config.substeps
    assert net.counters["spike_synaptic_events"] == 0
    # each substep reads V^2 * (g_pos + g_neg) of every active synapse for h seconds
    g_pos = config.synapse.g_min + 0.1 * config.synapse.span
    g_sum = 4 * (g_pos + config.synapse.g_min)
    expected = (0.3 ** 2 + 0.2 ** 2) * g_sum * config.dt * config.substeps
    assert net.counters["synapse_read_energy_j"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_strong_drive_fires_and_energy_accumulates(backend):
    config = quiet_config()
    w_in = np.zeros((4, 3))
    w_in[:, 0] = [1.0, 1.0, 0.0, 0.0]
    net = Network(config, w_in=w_in, seed=1, backend=backend)
    spikes = sum(net.tick(np.array([2.0, 0.0, 0.0])) for _ in range(100))
    assert spikes[0] > 0 and spikes[1] > 0
    assert spikes[2] == 0 and spikes[3] == 0
    assert net.counters["spikes"] == spikes.sum()
    assert net.counters["neuron_input_energy_j"] > 0
    assert net.counters["neuron_output_energy_j"] > 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_spikes_travel_through_a_recurrent_synapse(backend):
    config = quiet_config(n_neurons=2, n_inputs=1)
    w = np.zeros((2, 2))
    w[1, 0] = 1.0  # neuron 0 -> neuron 1
    net = Network(config, w_in=np.array([[1.0], [0.0]]), recurrent=Recurrent.from_dense(w),
                  seed=1, backend=backend)
    total = sum(net.tick(np.array([2.0])) for _ in range(200))
    assert total[0] > 0 and total[1] > 0
    counters = net.counters
    assert counters["spike_synaptic_events"] > 0  # neuron 0's output read by its synapse
    # the input channel is read by both neurons in every substep
    assert counters["synaptic_events"] - counters["spike_synaptic_events"] == 200 * 10 * 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_eligibility_decays_with_its_time_constant(backend):
    config = quiet_config()
    w_in = np.zeros((4, 3))
    w_in[0, 0] = 1.0
    net = Network(config, w_in=w_in, seed=1, backend=backend)
    u = np.array([2.0, 0.0, 0.0])
    tick_until_spike(net, u)
    for _ in range(5):  # let the output fall and the drive stop
        net.tick(np.zeros(3))
    before = net.eligibility_in()[0, 0]
    assert before > 0
    assert np.all(net.eligibility_in()[1:] == 0.0)
    for _ in range(50):
        assert not net.tick(np.zeros(3)).any()
    expected = before * math.exp(-50 * config.tick_duration / config.tau_eligibility)
    assert net.eligibility_in()[0, 0] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_learning_programs_pulses_in_the_direction_of_the_signal(backend):
    config = quiet_config()
    w_in = np.zeros((4, 3))
    w_in[0, 0] = 0.5
    net = Network(config, w_in=w_in, seed=1, backend=backend)
    tick_until_spike(net, np.array([2.0, 0.0, 0.0]))
    elig = net.eligibility_in()[0, 0]
    levels = config.synapse.levels
    rate = 2.4 / (levels * elig)  # asks for 2.4 levels: rounds to 2 pulses
    before = net.weights_in()
    net.apply_learning(1.0, rate)
    after = net.weights_in()
    assert after[0, 0] == pytest.approx(before[0, 0] + 2 / levels, rel=1e-12)
    np.testing.assert_array_equal(after[1:], before[1:])
    assert net.counters["programming_pulses"] == 2
    assert net.counters["weights_written"] == 1
    syn = config.synapse
    g = syn.g_min + 0.5 * syn.span
    expected = syn.v_set ** 2 * syn.t_write * (g + g + syn.span / levels)
    assert net.counters["programming_energy_j"] == pytest.approx(expected, rel=1e-12)
    net.apply_learning(-1.0, rate)
    assert net.weights_in()[0, 0] == pytest.approx(before[0, 0], rel=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_programming_keeps_pairs_centred_and_zero_mean_pulses_relax_weights_to_zero(backend):
    syn = synapse_preset("epiram").deterministic        # nonlinear (nu = 0.5), noiseless
    config = quiet_config(synapse=syn)
    net = Network(config, w_in=np.full((4, 3), 0.5), seed=1, backend=backend)
    tick_until_spike(net, np.array([2.0, 0.0, 0.0]))
    rate = 3 / (syn.levels * net.eligibility_in()[0, 0])   # three pulses per update
    for update in range(300):
        net.apply_learning(1.0 if update % 2 == 0 else -1.0, rate)
    g_pos, g_neg = (g[0, 0] for g in net.input_conductances())
    middle = (syn.g_min + syn.g_max) / 2
    assert abs((g_pos + g_neg) / 2 - middle) < 3 * syn.span / syn.levels
    # started at g_neg = g_min; potentiation alone would have pushed both to g_max
    assert 0.0 < net.weights_in()[0, 0] < 0.3


@pytest.mark.parametrize("backend", BACKENDS)
def test_reseeding_restarts_the_noise_as_a_fresh_network_of_that_seed_runs_it(backend):
    config = NetworkConfig(n_neurons=60, n_inputs=3, synapse=synapse_preset("epiram"))

    def run(net):
        spikes = [net.tick(np.full(3, 0.9)) for _ in range(30)]
        net.apply_learning(1.0, 0.3)               # stochastic rounding and write noise
        return np.array(spikes), net.weights_in()

    used = Network(config, w_in=np.full((60, 3), 0.5), seed=4, backend=backend)
    run(used)
    used.reseed(4)
    used.reset_state()
    fresh = Network(config, seed=4, backend=backend,
                    input_conductances=used.input_conductances())
    before = used.weights_in()
    spikes, weights = run(used)
    fresh_spikes, fresh_weights = run(fresh)
    assert spikes.sum() > 0 and not np.array_equal(weights, before)
    np.testing.assert_array_equal(spikes, fresh_spikes)
    np.testing.assert_array_equal(weights, fresh_weights)


@pytest.mark.parametrize("backend", BACKENDS)
def test_reset_keeps_learned_conductances(backend):
    config = NetworkConfig(n_neurons=50, n_inputs=2)
    rng = np.random.default_rng(0)
    net = Network(config, w_in=rng.uniform(0, 1, (50, 2)),
                  recurrent=random_recurrent(50, 5, 0.2, rng), seed=2, backend=backend)
    for _ in range(30):
        net.tick(np.array([1.2, 0.9]))
    net.apply_learning(1.0, 5.0)
    weights = net.weights_in()
    net.reset_state()
    np.testing.assert_array_equal(net.weights_in(), weights)
    assert np.all(net.state["v_gate"] == 0) and np.all(net.eligibility_in() == 0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("bad, message", [
    (np.array([0.1, np.nan, 0.0]), "finite"),
    (np.array([0.1, np.inf, 0.0]), "finite"),
    (np.zeros(2), "shape"),
    (np.array(["a", "b", "c"]), "real numbers"),
    (np.array([0.1, 800.0, 0.0]), "100 V"),
])
def test_bad_input_is_refused_before_any_state_changes(backend, bad, message):
    net = Network(quiet_config(), w_in=np.full((4, 3), 0.5), seed=1, backend=backend)
    net.tick(np.array([1.5, 0.0, 0.0]))
    before = net.state, net.counters
    with pytest.raises(ValueError, match=message):
        net.tick(bad)
    for name, value in before[0].items():
        np.testing.assert_array_equal(net.state[name], value)
    assert net.counters == before[1]
    with pytest.raises(ValueError, match="signal"):
        net.apply_learning(float("nan"), 1.0)


@pytest.mark.parametrize("changes, message", [
    (dict(dt=0.0), "dt"),
    (dict(dt=-1e-4), "dt"),
    (dict(substeps=0), "substeps"),
    (dict(n_neurons=2.5), "n_neurons"),
    (dict(dt=True), "dt"),
    (dict(stochastic_rounding="no"), "stochastic_rounding"),
    (dict(max_pulses=2 ** 70), "max_pulses"),
    (dict(tau_eligibility=1e-8), "tau_eligibility"),
])
def test_impossible_network_settings_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        quiet_config(**changes)


@pytest.mark.parametrize("changes, message", [
    (dict(c_gate=-1e-12), "c_gate"),
    (dict(r_on=1e12, r_off=1e6), "r_on < r_off"),
    (dict(noise_sigma=-0.1), "noise_sigma"),
    (dict(mu=float("inf")), "mu"),
    (dict(lam=1e-3), "lam"),
])
def test_impossible_neuron_parameters_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        neuron_preset("measured").replace(**changes)


@pytest.mark.parametrize("recurrent, message", [
    (Recurrent(np.array([0.0, 1.5, 2.0, 2.0]), np.array([1, 0]), np.array([0.1, 0.1])),
     "indptr must be a 1-D array of integers"),
    (Recurrent(np.array([0, 1, 2, 2]), np.array([0.9, 0.0]), np.array([0.1, 0.1])),
     "pre must be a 1-D array of integers"),
    (Recurrent(np.array([0, 1, 2, 2]), np.array([1, 5]), np.array([0.1, 0.1])), "pre indices"),
    (Recurrent(np.array([0, 2, 1, 2]), np.array([1, 0]), np.array([0.1, 0.1])),
     "non-decreasing"),
    (Recurrent(np.array([0, 1, 2, 2]), np.array([1, 0]), np.array([0.1, 2.0])), "within"),
])
def test_malformed_recurrent_wiring_is_refused(recurrent, message):
    config = quiet_config(n_neurons=3, n_inputs=1)
    with pytest.raises(ValueError, match=message):
        Network(config, recurrent=recurrent, backend="reference")


def test_unknown_backend_and_preset_names_are_refused():
    with pytest.raises(ValueError, match="reference"):
        Network(quiet_config(), backend="gpu")
    with pytest.raises(ValueError, match="measured"):
        neuron_preset("graphene")


def test_input_conductances_restore_a_checkpointed_crossbar():
    config = NetworkConfig(n_neurons=5, n_inputs=3)
    rng = np.random.default_rng(0)
    net = Network(config, w_in=rng.uniform(-0.5, 0.5, (5, 3)), seed=4)
    for _ in range(20):
        net.tick(np.full(3, 1.2))
    net.apply_learning(1.0, 0.5)
    g_pos, g_neg = net.input_conductances()
    restored = Network(config, seed=4, input_conductances=(g_pos, g_neg))
    np.testing.assert_array_equal(restored.weights_in(), net.weights_in())
    syn = config.synapse
    with pytest.raises(ValueError, match="g_in_pos must have shape"):
        Network(config, input_conductances=(g_pos[:, :2], g_neg))
    with pytest.raises(ValueError, match="g_in_neg must be finite conductances"):
        Network(config, input_conductances=(g_pos, g_neg + syn.g_max))


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_overflowing_learning_step_is_refused_before_any_pulse(backend):
    net = Network(quiet_config(), w_in=np.full((4, 3), 0.5), seed=1, backend=backend)
    tick_until_spike(net, np.array([2.0, 2.0, 2.0]))
    with pytest.raises(ValueError, match="learning_rate \\* signal"):
        net.apply_learning(1e200, 1e200)
    assert net.counters["programming_pulses"] == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_eligibility_survives_a_decay_that_underflows_within_one_tick(backend):
    # exp(-100) per substep: 100 substeps take the scale far below the smallest double
    config = quiet_config(substeps=100, tau_eligibility=1e-6)
    net = Network(config, w_in=np.full((4, 3), 0.5), seed=1, backend=backend)
    for _ in range(5):
        net.tick(np.array([2.0, 2.0, 2.0]))
    assert net.counters["spikes"] > 0
    assert np.all(np.isfinite(net.eligibility_in()))
    net.apply_learning(1.0, 1.0)
    assert np.all(np.isfinite(net.weights_in()))


def test_compiled_state_seen_from_python_cannot_change_the_core():
    net = Network(quiet_config(), w_in=np.full((4, 3), 0.5), seed=1, backend="compiled")
    core = net._core
    exposed = core.g_in_pos
    with pytest.raises(ValueError):
        exposed[0, 0] = 0.0
    exposed.flags.writeable = True   # allowed on a copy; on a view of the core it was too
    exposed[:] = core.config.synapse.g_max
    np.testing.assert_array_equal(net.weights_in(), np.full((4, 3), 0.5))
    with pytest.raises(RuntimeError, match="once"):
        core.__init__(core.config, None, 0)


def test_record_spikes_refuses_counts_of_the_wrong_shape_or_type():
    net = Network(NetworkConfig(n_neurons=4, n_inputs=2))
    for bad in (np.zeros(3, np.int32), np.zeros(4)):
        with pytest.raises(ValueError, match="spike_counts"):
            net.record_spikes(bad, 1.0)
    with pytest.raises(ValueError, match="gain"):
        net.record_spikes(np.zeros(4, np.int32), float("nan"))


def test_updates_that_cancel_cost_no_pulses_when_they_are_accumulated():
    pulses = {}
    for threshold in (0.0, 2.0):
        config = NetworkConfig(n_neurons=20, n_inputs=3, program_threshold=threshold)
        net = Network(config, w_in=np.full((20, 3), 0.6), seed=0)
        for step in range(40):
            net.reset_neurons()
            net.tick(np.full(3, 2.0))
            net.apply_learning(1.0 if step % 2 == 0 else -1.0, 0.002)
        pulses[threshold] = net.counters["programming_pulses"]
        if threshold:
            assert np.all(np.isfinite(net.pending_updates()[0]))
    assert pulses[0.0] > 50 and pulses[2.0] < pulses[0.0] / 5


def test_pending_updates_are_restored_and_bad_ones_refused():
    config = NetworkConfig(n_neurons=4, n_inputs=2, program_threshold=3.0)
    net = Network(config, seed=0)
    wanted = np.full((4, 2), 0.004)
    net.set_pending_updates(wanted, np.zeros(0))
    np.testing.assert_array_equal(net.pending_updates()[0], wanted)
    for bad in (np.zeros((2, 4)), np.full((4, 2), np.nan)):
        with pytest.raises(ValueError, match="pending_in"):
            net.set_pending_updates(bad, np.zeros(0))
    np.testing.assert_array_equal(net.pending_updates()[0], wanted)
    with pytest.raises(ValueError, match="program_threshold"):
        NetworkConfig(n_neurons=4, n_inputs=2, program_threshold=-1.0)


@pytest.mark.parametrize("backend", ["compiled", "reference"])
def test_counters_are_restored_and_bad_ones_refused(backend):
    net = Network(NetworkConfig(n_neurons=3, n_inputs=2), seed=0, backend=backend)
    net.tick(np.array([1.0, 0.5]))
    counted = np.fromiter(net.counters.values(), float)
    assert counted[0] + counted[1] > 0
    wanted = counted * 3.0 + 0.25
    net.set_counters(wanted)
    np.testing.assert_array_equal(np.fromiter(net.counters.values(), float), wanted)
    for bad in (wanted[:9], np.full(10, np.nan), -wanted):
        with pytest.raises(ValueError, match="counters must be 10 finite numbers >= 0"):
            net.set_counters(bad)
    np.testing.assert_array_equal(np.fromiter(net.counters.values(), float), wanted)
    net.tick(np.array([1.0, 0.5]))                 # counting goes on from the restored values
    assert net.counters["membrane_updates"] == wanted[1] + counted[1]


def test_a_pending_change_never_asks_beyond_the_weight_range():
    config = NetworkConfig(n_neurons=10, n_inputs=2, program_threshold=1.0, max_pulses=256)
    net = Network(config, w_in=np.full((10, 2), 0.9), seed=0)
    for _ in range(30):
        net.reset_neurons()
        net.tick(np.full(2, 2.0))
        net.apply_learning(1.0, 0.5)          # keeps pushing every weight up
    weights, pending = net.weights_in(), net.pending_updates()[0]
    assert np.any(pending > 0) and np.all(weights + pending <= 1.0 + 1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_weights_written_counts_the_pairs_programmed_not_their_pulses(backend):
    config = quiet_config(program_threshold=3.0)
    net = Network(config, w_in=np.zeros((4, 3)), seed=0, backend=backend)
    levels = config.synapse.levels
    net.record_inputs(np.array([1.0, 0.0, 0.0]), 1.0)      # every neuron, channel 0
    elig = net.eligibility_in()[0, 0]
    net.apply_learning(1.0, 5.0 / (levels * elig))          # 5 levels asked of 4 pairs
    assert net.counters["programming_pulses"] == 20 and net.counters["weights_written"] == 4
    net.apply_learning(1.0, 1.0 / (levels * elig))          # 1 level: below the threshold
    assert net.counters["programming_pulses"] == 20 and net.counters["weights_written"] == 4
    net.apply_learning(1.0, 2.6 / (levels * elig))          # 1 + 2.6 pending: 4 pulses each
    assert net.counters["programming_pulses"] == 36 and net.counters["weights_written"] == 8


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_threshold_below_the_write_noise_chases_it(backend):
    # a slow, steady change asked of 20 pairs of noisy devices (5.1 levels of noise per
    # pulse): at 3 levels (the controller's default) nearly every programming leaves the
    # pair off by more than the threshold and the next update programs it again, with new
    # noise; at twice the noise the same change costs far fewer pulses and ends less spread
    synapse = synapse_preset("epiram")
    above_noise = 2 * synapse.c2c_sigma * synapse.levels
    pulses, weights = {}, {}
    for threshold in (3.0, above_noise):
        config = NetworkConfig(n_neurons=20, n_inputs=3, program_threshold=threshold,
                               synapse=synapse, max_pulses=256)
        net = Network(config, w_in=np.zeros((20, 3)), seed=0, backend=backend)
        for _ in range(200):
            net.record_inputs(np.array([1.0, 0.0, 0.0]), 1.0)
            net.apply_learning(1.0, 2e-5)
        pulses[threshold], weights[threshold] = net.counters["programming_pulses"], net.weights_in()
    chasing, calm = weights[3.0][:, 0], weights[above_noise][:, 0]
    assert pulses[above_noise] < pulses[3.0] / 2
    assert abs(calm.mean() - chasing.mean()) < 0.05       # the same change made (about 0.3)
    assert calm.mean() > 0.2
    assert calm.std() < chasing.std()
    assert np.all(weights[3.0][:, 1:] == 0.0)              # undriven channels untouched
