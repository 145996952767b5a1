"""SpikingController at its edges: setting types, checkpoint metadata, learn's arguments,
action spaces and sizes. Each bad input is refused with a ValueError naming it, before
anything changes."""

import dataclasses
import io
import json
import re

import numpy as np
import pytest
import yaml
from gymnasium import spaces
from hypothesis import assume, given
from hypothesis import strategies as st

from memctrl import ControllerConfig, SpikingController
from memctrl.controller.driver import EpisodeDriver
from memctrl.device.neuron import NeuronParams
from memctrl.network.config import NetworkConfig
from memctrl.network.network import Network
from memctrl.network.reference import COUNTER_NAMES

OBS = spaces.Box(-1.0, 1.0, (2,))
SMALL = dict(actor_population=4, coding="fields", fields_per_dim=4)


def small_controller(action_space=spaces.Discrete(2), **changes):
    return SpikingController(OBS, action_space, ControllerConfig(**{**SMALL, **changes}))


def stepped_controller():
    """A controller after a few learning steps (counters, statistics and pending changes)."""
    controller = small_controller()
    controller.reset()
    for step in range(5):
        controller.act(np.array([0.1 * step, -0.2]))
        controller.learn(1.0 - step)
    return controller


# -- setting types ---------------------------------------------------------------------

@pytest.mark.parametrize("items, message", [
    ({"stochastic_rounding": "false"}, "stochastic_rounding must be true or false, got 'false'"),
    ({"center_actor_signal": 0}, "center_actor_signal must be true or false"),
    ({"substeps": True}, "substeps must be an integer, got True"),
    ({"actor_population": 8.0}, "actor_population must be an integer, got 8.0"),
    ({"gamma": "0.9"}, "gamma must be a number, got '0.9'"),
    ({"coding": 1}, "coding must be a string"),
    ({"grid_bins": [3, "3"]}, "grid_bins must be a list of numbers"),
    ({"scales": 1.0}, "scales must be a list of numbers"),
    ({"neuron_overrides": {"mu": "72"}}, "neuron_overrides.mu must be a number, got '72'"),
    ({"synapse_overrides": {"levels": True}}, "synapse_overrides.levels must be a number"),
    ({"common_mode_share": 1.5}, r"common_mode_share must lie in \[0, 1\], got 1.5"),
    ({"common_mode_share": float("nan")}, "common_mode_share must be a finite number"),
    ({"critic_rate": 1}, None),                                  # an int is a number
    ({"dt_s": 1e300}, r"dt_s must lie in \[1e-09, 1\] s \(a substep\), got 1e\+300"),
    ({"dt_s": 0.5, "tau_trace_s": 1e-5}, r"tau_trace_s must be >= dt_s / 700 = 0.000714 s"),
])
def test_settings_of_the_wrong_type_are_refused_naming_the_field(items, message):
    if message is None:
        assert ControllerConfig.from_items(items).critic_rate == 1
        return
    with pytest.raises(ValueError, match=message):
        ControllerConfig.from_items(items)


def test_numpy_scalars_are_stored_as_python_numbers_and_the_checkpoint_saves(tmp_path):
    config = ControllerConfig(**{**SMALL, "actor_population": np.int64(8)},
                              gamma=np.float32(0.5), stochastic_rounding=np.bool_(False),
                              scales=np.array([1.0, 2.0]),
                              neuron_overrides={"d2d_mu_cv": np.float64(0.2)})
    assert type(config.actor_population) is int and type(config.gamma) is float
    assert config.stochastic_rounding is False and config.scales == (1.0, 2.0)
    assert type(config.neuron_overrides["d2d_mu_cv"]) is float
    controller = SpikingController(OBS, spaces.Discrete(2), config)
    controller.save(tmp_path / "controller.npz")    # JSON: no NumPy types left
    assert SpikingController.load(tmp_path / "controller.npz").config == controller.config


numbers_and_more = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers(-3, 64) | st.text(max_size=6)
    | st.sampled_from([np.int64(3), np.float32(0.5), np.bool_(True), np.float64(1e300)]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=2),
    max_leaves=8)


@given(st.dictionaries(st.sampled_from([field.name for field in dataclasses.fields(
    ControllerConfig)]), numbers_and_more, max_size=3))
def test_generated_settings_build_a_controller_that_saves_or_are_refused(items):
    try:
        controller = SpikingController(OBS, spaces.Discrete(2),
                                       ControllerConfig.from_items({**SMALL, **items}))
    except ValueError:
        return
    assert SpikingController.from_bytes(controller.to_bytes()).config == controller.config


@pytest.mark.parametrize("build, message", [
    (lambda: NeuronParams(**{**vars(NetworkConfig(1, 1).neuron), "mu": "72"}),
     "NeuronParams.mu must be a number, got '72'"),
    (lambda: NetworkConfig(1, 1, stochastic_rounding="no"), "stochastic_rounding must be true"),
    (lambda: NetworkConfig(1, True), "n_inputs must be an integer, got True"),
])
def test_device_and_network_settings_of_the_wrong_type_are_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()


# -- checkpoint metadata ---------------------------------------------------------------

def with_meta(data, change):
    """Checkpoint bytes whose meta (a dict) ``change`` has edited in place."""
    with np.load(io.BytesIO(data)) as archive:
        arrays = {key: archive[key] for key in archive.files}
    meta = json.loads(str(arrays["meta"]))
    change(meta)
    arrays["meta"] = np.array(json.dumps(meta))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def set_key(path, value):
    def change(meta):
        *parents, key = path
        for parent in parents:
            meta = meta[parent]
        if value == "delete":
            del meta[key]
        else:
            meta[key] = value
    return change


@pytest.mark.parametrize("path, value, message", [
    (["steps"], -5, "meta.steps must be an integer >= 0"),
    (["steps"], 2.5, "meta.steps must be an integer"),
    (["resets"], "3", "meta.resets must be an integer"),
    (["resets"], True, "meta.resets must be an integer"),
    (["seed"], "delete", "meta lacks the key 'seed'"),
    (["extra"], 1, "meta has an unexpected key 'extra'"),
    (["counters", "spikes"], -1.0, "meta.counters.spikes must be >= 0"),
    (["counters", "spikes"], "12", "meta.counters.spikes must be a finite"),
    (["counters", "spikes"], 10**400, "meta.counters.spikes must be a finite"),
    (["counters", "spikes"], "delete", "meta.counters lacks the key 'spikes'"),
    (["rule", "reward_mean"], "1.5", "rule.reward_mean must be a finite number"),
    (["rule", "delta_mean"], float("inf"), "rule.delta_mean must be a finite number"),
    (["rule", "delta_mean"], "delete", "rule lacks the key 'delta_mean'"),
    (["rule", "reward_mean"], 1e308, r"rule.reward_mean must lie within \+-20,"),
    (["rule", "delta_mean"], -44.0, r"rule.delta_mean must lie within \+-43,"),
    (["rule", "reward_moments", "mean"], [1e200], "running moments: mean must lie within"),
    (["rule", "reward_moments", "mean"], ["1.0"], "running moments: mean must be a list"),
    (["rule", "reward_moments", "count"], -1, "running moments: count must be an integer"),
    (["observation_frame", "moments", "sum_sq"], [True, 1.0], "running moments: sum_sq must be"),
    (["observation_frame", "widest_spread"], [0.0, -1.0, 0.0, 0.0], "widest_spread must be"),
    (["observation_frame"], None, "observation frame must be a mapping, got None"),
    (["observation_frame", "bounded_scale"], [0.0], "bounded_scale must be"),
    (["action_space", "n"], 2.0, "Discrete space n must be an integer"),
    (["action_space", "start"], 0.5, "Discrete space start must be an integer"),
    (["observation_space", "low"], "x", "Box space low must be a list of numbers"),
    (["config", "stochastic_rounding"], "false", "stochastic_rounding must be true or false"),
])
def test_bad_checkpoint_metadata_is_refused_naming_the_key(path, value, message):
    data = with_meta(stepped_controller().to_bytes(), set_key(path, value))
    with pytest.raises(ValueError, match="not a valid memctrl-controller/4 checkpoint.*"
                                         + message):
        SpikingController.from_bytes(data)


def test_a_checkpoint_from_before_the_critics_optimism_loads_as_one_that_started_at_zero():
    controller = SpikingController(spaces.Discrete(6), spaces.Discrete(2), seed=2)
    controller.reset()
    for step in range(20):
        controller.act(step % 6)
        controller.learn(-1.0)
    assert controller.config.critic_optimism == 0.25
    old = with_meta(controller.to_bytes(), set_key(["config", "critic_optimism"], "delete"))
    loaded = SpikingController.from_bytes(old)
    assert loaded.config.critic_optimism == 0.0
    np.testing.assert_array_equal(loaded.critic.weights_in(), controller.critic.weights_in())


def with_arrays(data, change):
    """Checkpoint bytes with their arrays (name -> array) passed through ``change``."""
    with np.load(io.BytesIO(data)) as archive:
        arrays = change({key: archive[key] for key in archive.files})
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def without_population_counters(arrays):
    """A checkpoint's arrays as written before session 30 (the counters' total only)."""
    return {key: value for key, value in arrays.items() if not key.startswith("counters_")}


def test_a_checkpoint_from_before_weights_were_counted_takes_its_pulses_as_writes():
    controller = stepped_controller()
    counters = controller.counters
    assert 0 < counters["weights_written"] < counters["programming_pulses"]
    old = with_meta(with_arrays(controller.to_bytes(), without_population_counters),
                    set_key(["counters", "weights_written"], "delete"))
    loaded = SpikingController.from_bytes(old)
    assert loaded.counters["weights_written"] == counters["programming_pulses"]
    assert loaded.counters["spikes"] == counters["spikes"]


@pytest.mark.parametrize("settings, shown", [
    ({"init_weight_spread": 1e300}, r"\(1.3 / 2.5\) \+ init_weight_spread \(1e\+300\)"),
    ({"init_drive_v": 3.0}, r"\(3.0 / 2.5\) \+ init_weight_spread \(0.05\)"),
])
def test_initial_weights_beyond_a_synapses_range_are_refused_naming_the_settings(settings,
                                                                                shown):
    with pytest.raises(ValueError, match=r"beyond \+-1 \(a synapse's range\): init_drive_v / "
                                         f"v_total_v {shown}; lower them, or raise v_total_v"):
        SpikingController(spaces.Box(-1, 1, (2,)), spaces.Box(-1, 1, (1,)),
                          ControllerConfig(**settings))


def test_a_controller_whose_counts_overflowed_writes_no_checkpoint_over_the_last(tmp_path):
    controller = SpikingController(spaces.Box(-1, 1, (2,)), spaces.Discrete(2), ControllerConfig(
        neuron_overrides={"noise_sigma": 1e160}), seed=1)
    path = tmp_path / "controller.npz"
    controller.save(path)
    saved = path.read_bytes()
    controller.reset()
    controller.act(np.zeros(2))            # the first tick's input energy overflows
    with pytest.raises(ValueError, match="neuron_input_energy_j.*no checkpoint written"):
        controller.save(path)
    assert path.read_bytes() == saved and list(tmp_path.iterdir()) == [path]
    assert SpikingController.load(path).steps == 0


def test_a_checkpoint_without_its_pending_changes_is_refused():
    data = with_arrays(stepped_controller().to_bytes(),
                       lambda arrays: {k: v for k, v in arrays.items() if k != "pending_1"})
    with pytest.raises(ValueError, match="pending_1 must be present"):
        SpikingController.from_bytes(data)


def test_each_population_counts_on_from_its_checkpoint_to_the_last_digit():
    controller = stepped_controller()
    loaded = SpikingController.from_bytes(controller.to_bytes())
    for saved, restored in zip(controller.networks, loaded.networks):
        assert restored.counters == saved.counters
    for twin in (controller, loaded):      # a reset reseeds both alike (a run's next episode)
        twin.reset()
        twin.act(np.array([0.3, 0.1]))
        twin.learn(0.5)
    assert loaded.counters == controller.counters and loaded.energy_j == controller.energy_j
    loaded.reset_counters()
    assert set(loaded.counters.values()) == {0.0}


def test_a_checkpoint_from_before_population_counters_gives_its_total_to_the_first():
    controller = stepped_controller()
    old = with_arrays(controller.to_bytes(), without_population_counters)
    loaded = SpikingController.from_bytes(old)
    assert loaded.counters == pytest.approx(controller.counters, rel=1e-12)
    assert loaded.networks[0].counters == pytest.approx(controller.counters, rel=1e-12)
    assert set(loaded.networks[1].counters.values()) == {0.0}


_STEPPED = stepped_controller().to_bytes()


@given(st.lists(st.lists(st.one_of(st.floats(min_value=-1e300, max_value=1e300),
                                   st.sampled_from([np.nan, np.inf, -np.inf])),
                         min_size=10, max_size=10), min_size=3, max_size=3))
def test_population_counters_load_as_saved_or_are_refused_naming_them(populations):
    """Any three arrays of counters, with a total that adds them up: loaded as they are
    when every value is a finite number >= 0, refused naming the arrays (or the total)
    otherwise."""
    values = [np.array(counts) for counts in populations]
    total = np.zeros(10)
    with np.errstate(invalid="ignore"):        # inf - inf: a NaN total, refused as well
        for counts in values:
            total += counts
    data = with_arrays(_STEPPED, lambda arrays: {
        **arrays, **{f"counters_{k}": counts for k, counts in enumerate(values)}})
    data = with_meta(data, set_key(["counters"], dict(zip(COUNTER_NAMES, total.tolist()))))
    if all(np.all(np.isfinite(counts) & (counts >= 0)) for counts in values):
        loaded = SpikingController.from_bytes(data)
        for net, counts in zip(loaded.networks, values):
            np.testing.assert_array_equal(np.fromiter(net.counters.values(), float), counts)
        assert list(loaded.counters.values()) == total.tolist()
    else:
        with pytest.raises(ValueError, match=r"counters(_\d|\.)"):
            SpikingController.from_bytes(data)


def _scaled(name, factor):
    return lambda arrays: {**arrays, name: arrays[name] * factor}


@pytest.mark.parametrize("change, message", [
    (_scaled("counters_1", np.nan), "counters_1: counters must be 10 finite numbers >= 0"),
    (_scaled("counters_0", -1.0), "counters_0: counters must be 10 finite numbers >= 0"),
    (lambda arrays: {**arrays, "counters_0": arrays["counters_0"][:4]},
     r"counters_0: counters must be 10 finite numbers >= 0, got shape \(4,\)"),
    (lambda arrays: {k: v for k, v in arrays.items() if k != "counters_1"},
     "counters_K: 2 arrays for 3 populations"),
    (_scaled("counters_0", 2.0), "counters_K do not add up to meta.counters"),
])
def test_population_counters_that_are_bad_or_do_not_add_up_are_refused(change, message):
    data = with_arrays(stepped_controller().to_bytes(), change)
    with pytest.raises(ValueError, match=message):
        SpikingController.from_bytes(data)


# -- learn's arguments -----------------------------------------------------------------

@pytest.mark.parametrize("flags, message", [
    (dict(terminated="no"), "terminated must be True or False, got 'no'"),
    (dict(truncated=1), "truncated must be True or False, got 1"),
    (dict(terminated=None), "terminated must be True or False"),
])
def test_learn_refuses_flags_that_are_not_bools_before_anything_changes(flags, message):
    controller = stepped_controller()
    controller.act(np.zeros(2))
    before = controller.to_bytes()
    with pytest.raises(ValueError, match=message):
        controller.learn(1.0, **flags)
    assert controller.to_bytes() == before
    controller.learn(1.0, terminated=np.bool_(True))   # NumPy's bool is a bool
    assert controller.rule._value is None                # the episode ended


@pytest.mark.parametrize("reward", ["1.0", b"1", True, None, [1.0]])
def test_learn_refuses_a_reward_that_is_not_a_number(reward):
    controller = stepped_controller()
    controller.act(np.zeros(2))
    before = controller.to_bytes()
    with pytest.raises(ValueError, match="reward must be a finite number"):
        controller.learn(reward)
    assert controller.to_bytes() == before


def test_a_reward_too_large_for_the_statistics_is_refused_and_the_means_stay_finite():
    controller = stepped_controller()
    controller.act(np.zeros(2))
    before = controller.rule.state()
    for reward in (1e300, -1e300, 1.7e308):
        with pytest.raises(ValueError, match="too large for the running reward statistics"):
            controller.learn(reward)
        assert controller.rule.state() == before
    controller.learn(1e6)                               # large, but it scales
    controller.act(np.zeros(2))
    assert np.isfinite(controller.rule.td.reward_mean) and np.isfinite(controller.last_delta)


# -- action spaces and sizes -----------------------------------------------------------

@pytest.mark.parametrize("action_space, message", [
    (spaces.Box(-np.inf, np.inf, (1,)), "finite bounds"),
    (spaces.Box(-1.0, 1.0, (0,)), "at least one dimension"),
])
def test_box_action_spaces_without_finite_bounds_or_dimensions_are_refused(action_space,
                                                                           message):
    with pytest.raises(ValueError, match=message):
        small_controller(action_space)


@pytest.mark.parametrize("action_space, changes, message", [
    (spaces.Discrete(10**7), {}, "10000000 actor populations"),
    (spaces.Discrete(2), {"substeps": 2**31 - 1}, "2147483647 substeps .* s per step"),
    (spaces.Discrete(2), {"actor_population": 10**9}, "actor populations of 1000000000, .*GiB"),
    (spaces.Discrete(2), {"fields_per_dim": 10**10}, "20000000000 input channels .*GiB"),
])
def test_controllers_too_large_for_this_machine_are_refused_before_allocating(
        action_space, changes, message):
    with pytest.raises(ValueError, match=message):
        small_controller(action_space, **changes)


def test_networks_too_large_or_too_slow_are_refused():
    with pytest.raises(ValueError, match="2147483647 substeps would take about .* s per step"):
        NetworkConfig(1, 1, substeps=2**31 - 1)
    with pytest.raises(ValueError, match="GiB"):
        Network(NetworkConfig(10**6, 10**6))


def test_the_episode_driver_refuses_a_reward_the_controller_could_not_learn():
    driver = EpisodeDriver(stepped_controller())
    driver.step(np.zeros(2))
    driver.add_reward(1.0)
    with pytest.raises(ValueError, match="too large for the running reward statistics"):
        driver.add_reward(1e300)
    assert driver._reward == 1.0
    driver.step(np.zeros(2))            # learns the kept reward
    driver.end_episode(terminated=True)
    assert np.isfinite(driver.controller.last_delta)


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["e", "E"]))
def test_a_number_yaml_read_as_text_is_refused_with_a_spelling_yaml_reads_as_it(x, e):
    text = f"{x:e}".replace("e+", e)          # e.g. 1.5e10: text to YAML 1.1
    loaded = yaml.safe_load(f"v: {text}")["v"]
    assume(isinstance(loaded, str))
    with pytest.raises(ValueError, match="v_total_v must be a number") as error:
        ControllerConfig(v_total_v=loaded)
    spelling = re.search(r"as text: write (\S+), with", str(error.value)).group(1)
    assert yaml.safe_load(f"v: {spelling}")["v"] == float(text)
