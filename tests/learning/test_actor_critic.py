"""The actor-critic rule's Discrete action trace: presynaptic, and normalised while a state is held."""

from __future__ import annotations

import numpy as np
import pytest
from gymnasium import spaces

from memctrl.controller import ControllerConfig, SpikingController

OBSERVATIONS = spaces.Box(-1.0, 1.0, (2,))


def _controller(actions: int = 3) -> SpikingController:
    return SpikingController(OBSERVATIONS, spaces.Discrete(actions), ControllerConfig(), seed=3)


def test_every_synapse_of_each_population_records_its_input_signed_by_the_action():
    controller = _controller(actions=3)
    observation = np.array([0.3, -0.6])
    action = controller.act(observation)
    u = controller.encoder.encode(observation)
    for k, net in enumerate(controller.actor):
        gain = 1.0 if k == action else -0.5
        # every neuron's row, whether it fired in the decision tick or not
        np.testing.assert_allclose(net.eligibility_in(), np.tile(gain * u, (net.config.n_neurons, 1)),
                                   rtol=1e-9, atol=1e-12)


def test_the_actor_step_shrinks_while_a_state_is_held_and_is_whole_on_a_first_visit():
    controller = _controller()
    rate = controller.config.actor_rate * controller.config.grid_tilings
    observation = np.array([0.1, 0.2])
    controller.act(observation)
    assert controller.rule.actor_step == pytest.approx(rate)          # nothing held yet
    for _ in range(60):                                               # hold the state
        controller.learn(0.0)
        controller.act(observation)
    held = 1.0 / (1.0 - controller.config.lambda_critic)
    assert controller.rule.actor_step == pytest.approx(rate / held, rel=1e-3)
    controller.learn(0.0)
    controller.act(np.array([-0.9, 0.9]))                             # a state not in the trace
    assert controller.rule.actor_step == pytest.approx(rate, rel=1e-3)
