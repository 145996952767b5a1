"""ControllerConfig's device overrides: applied over the presets, checked, kept in checkpoints."""

import gymnasium
import pytest

from memctrl import ControllerConfig, SpikingController, neuron_preset, synapse_preset


def test_overrides_change_only_the_named_device_parameters():
    config = ControllerConfig(neuron_overrides={"d2d_mu_cv": 0.3},
                              synapse_overrides={"levels": 32, "c2c_sigma": 0.05})
    network = config.network_config(8, 4, 1, 0.5)
    assert network.neuron == neuron_preset("measured").replace(d2d_mu_cv=0.3)
    assert network.synapse == synapse_preset("epiram").replace(levels=32, c2c_sigma=0.05)


@pytest.mark.parametrize("field, overrides, message", [
    ("neuron_overrides", {"d2d_spread": 0.1}, "unknown neuron parameter 'd2d_spread'"),
    ("synapse_overrides", {"write_noise": 0.1}, "unknown synapse parameter 'write_noise'"),
    ("synapse_overrides", {"levels": 1}, "SynapseParams.levels must be an integer >= 2"),
    ("neuron_overrides", {"noise_sigma": -0.1}, "NeuronParams.noise_sigma must be >= 0"),
    ("neuron_overrides", [("mu", 1.0)], "neuron_overrides must be a mapping"),
])
def test_a_bad_override_is_refused_naming_it(field, overrides, message):
    with pytest.raises(ValueError, match=message):
        ControllerConfig(**{field: overrides})


def test_overrides_survive_the_checkpoint_round_trip():
    env = gymnasium.make("CartPole-v1")
    config = ControllerConfig(actor_population=4, coding="fields",
                              fields_per_dim=4,
                              neuron_overrides={"d2d_mu_cv": 0.25},
                              synapse_overrides={"levels": 64})
    controller = SpikingController(env.observation_space, env.action_space, config, seed=3)
    restored = SpikingController.from_bytes(controller.to_bytes())
    assert restored.config == controller.config == config.resolved(env.observation_space,
                                                                   env.action_space)
    assert restored.actor[0].config.synapse.levels == 64
