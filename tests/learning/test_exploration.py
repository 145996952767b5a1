"""Box actions' correlated exploration: an Ornstein-Uhlenbeck offset while learning, recorded
as the action's noise, absent in evaluation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from gymnasium import spaces

from memctrl.controller import ControllerConfig, SpikingController
from memctrl.learning.exploration import CorrelatedExploration

OBSERVATIONS = spaces.Box(-1.0, 1.0, (2,))
ACTIONS = spaces.Box(-2.0, 2.0, (1,))


def _offsets(exploration: CorrelatedExploration, steps: int) -> np.ndarray:
    return np.array([exploration.perturb(np.zeros(1))[0] for _ in range(steps)])


def test_the_offset_has_the_stationary_spread_and_the_step_correlation_asked_for():
    exploration = CorrelatedExploration(1, sigma=0.2, decay=0.9, rng=np.random.default_rng(5))
    offsets = _offsets(exploration, 60_000)[1_000:]      # past the start at 0
    assert offsets.std() == pytest.approx(0.2, rel=0.05)
    assert np.corrcoef(offsets[:-1], offsets[1:])[0, 1] == pytest.approx(0.9, abs=0.01)


def test_reset_starts_the_offset_at_zero_and_the_draws_from_the_generator_given():
    exploration = CorrelatedExploration(1, sigma=0.3, decay=0.99, rng=np.random.default_rng(1))
    first = _offsets(exploration, 50)
    exploration.reset(np.random.default_rng(1))
    assert exploration.offset[0] == 0.0
    np.testing.assert_array_equal(_offsets(exploration, 50), first)


def test_the_offset_returned_is_what_the_action_got_inside_its_bounds():
    exploration = CorrelatedExploration(3, sigma=2.0, decay=0.5, rng=np.random.default_rng(2))
    action = np.array([0.9, -0.9, 0.0])
    for _ in range(200):
        applied = exploration.perturb(action)
        assert np.all(np.abs(action + applied) <= 1.0)
        inside = np.abs(action + exploration.offset) <= 1.0
        np.testing.assert_allclose(applied[inside], exploration.offset[inside])


@pytest.mark.parametrize("decay", [-0.1, 1.0, np.nan])
def test_a_decay_outside_0_to_1_is_refused(decay):
    with pytest.raises(ValueError, match="decay"):
        CorrelatedExploration(1, sigma=0.3, decay=decay, rng=np.random.default_rng(0))


def _pair(config: ControllerConfig = ControllerConfig(),
          backend: str = "compiled") -> tuple[SpikingController, ...]:
    """Two controllers alike but for the control period: the first explores, the second not
    (both with the populations of 4 neurons the first gets by default)."""
    config = dataclasses.replace(config, actor_population=4)
    exploring = SpikingController(OBSERVATIONS, ACTIONS,
                                  dataclasses.replace(config, control_period_s=0.05), seed=4,
                                  backend=backend)
    plain = SpikingController(OBSERVATIONS, ACTIONS, config, seed=4, backend=backend)
    for controller in (exploring, plain):
        controller.reset()
    return exploring, plain


@pytest.mark.parametrize("backend", ["compiled", "reference"])
@pytest.mark.parametrize("share", [0.0, 1.0])
def test_the_offset_is_recorded_in_the_pair_difference_as_the_actions_noise(backend, share):
    exploring, plain = _pair(ControllerConfig(common_mode_share=share), backend)
    assert exploring.config.gamma == plain.config.gamma == 0.95   # 50 ms: the same horizons
    assert exploring.exploration is not None and plain.exploration is None
    observation = np.array([0.4, -0.2])
    moved = (exploring.act(observation) - plain.act(observation))[0] / 2.0  # half-ranges
    assert moved != 0.0
    u = exploring.encoder.encode(observation)
    push, pull = ([a.eligibility_in() - b.eligibility_in()
                   for a, b in zip(exploring.actor[k::2], plain.actor[k::2])][0] for k in (0, 1))
    np.testing.assert_allclose(pull, -push, atol=1e-12)
    # +moved/2 times the presynaptic traces, which follow the input: proportional to it
    ratio = push[:, u > 0] / (moved / 2 * u[u > 0])      # every neuron of the population
    assert np.all(ratio > 0.0) and np.all(ratio <= 1.0 + 1e-9)
    np.testing.assert_allclose(ratio, ratio[0, 0], rtol=1e-6)
    assert np.all(push[:, u == 0] == 0.0)


def test_with_learning_off_the_controller_acts_without_the_offset():
    exploring, plain = _pair()
    rng = np.random.default_rng(0)
    observations = rng.uniform(-1.0, 1.0, (40, 2))
    # no rewards: nothing is learned, the weights stay alike while the actions differ
    learned = [exploring.act(o)[0] for o in observations]
    assert learned != [plain.act(o)[0] for o in observations]
    for controller in (exploring, plain):
        controller.learning = False
        controller.reset(seed=11)
    assert ([exploring.act(o)[0] for o in observations]
            == [plain.act(o)[0] for o in observations])


def test_discrete_actions_and_an_unknown_period_do_not_explore_with_an_offset():
    assert SpikingController(OBSERVATIONS, spaces.Discrete(2),
                             ControllerConfig(control_period_s=0.001)).exploration is None
    assert SpikingController(OBSERVATIONS, ACTIONS).exploration is None
    assert SpikingController(OBSERVATIONS, ACTIONS, ControllerConfig(
        control_period_s=0.001, exploration_sigma=0.0)).exploration is None
