"""The control period: read from an environment or the node's rate, and the defaults that
span a time where it is known."""

from __future__ import annotations

import math

import gymnasium
import pytest
from gymnasium import spaces
from hypothesis import given, strategies as st

import sim_envs  # noqa: F401  (registers memctrl/...)
from memctrl.controller import ControllerConfig, SpikingController, with_control_period
from memctrl.controller.config import MIN_HORIZON_S
from memctrl.controller.control_period import env_control_period_s
from memctrl.ros.controller_setup import controller_from_parameters
from memctrl.ros.parameters import NODE_PARAMETERS, unset_values

BOX = spaces.Box(-1.0, 1.0, (2,))


class _Stated(gymnasium.Env):
    observation_space = BOX
    action_space = spaces.Box(-1.0, 1.0, (1,))

    def __init__(self, **attributes):
        self.__dict__.update(attributes)


@pytest.mark.parametrize("env_id, period", [("Pendulum-v1", 0.05),
                                            ("memctrl/TremorSuppression-v2", 1e-3),
                                            ("memctrl/LineFollower-v0", 0.02),
                                            ("CartPole-v1", None),
                                            ("MountainCarContinuous-v0", None)])
def test_the_period_is_read_where_the_environment_states_it(env_id, period):
    env = gymnasium.make(env_id)
    assert env_control_period_s(env) == period
    assert SpikingController.for_env(env).config.control_period_s == period


@pytest.mark.parametrize("attributes", [{"dt": math.nan}, {"dt": -0.01}, {"dt": 0.0},
                                        {"dt": "fast"}, {"dt_s": math.inf, "dt": 0.01}])
def test_a_stated_period_that_is_not_a_positive_number_counts_as_unknown(attributes):
    assert env_control_period_s(_Stated(**attributes)) is None


def test_a_period_the_settings_give_is_kept():
    env = gymnasium.make("Pendulum-v1")
    assert with_control_period(ControllerConfig(control_period_s=0.2), env).control_period_s == 0.2


def _resolved(**fields) -> ControllerConfig:
    return ControllerConfig(**fields).resolved(BOX, spaces.Box(-1.0, 1.0, (1,)))


@given(st.floats(1e-5, 10.0))
def test_the_horizons_span_a_time_at_fast_rates_and_keep_their_steps_at_slow_ones(period):
    config = _resolved(control_period_s=period)
    assert config.gamma == max(0.95, math.exp(-period / MIN_HORIZON_S))
    assert config.lambda_actor == max(0.8, math.exp(-period / 0.02))
    assert 0.0 < config.gamma < 1.0 and 0.0 < config.lambda_actor < 1.0
    # the horizon 1 / (1 - gamma) covers half a second (to first order) or 20 steps
    assert 1.0 / (1.0 - config.gamma) >= min(20.0, 0.99 * MIN_HORIZON_S / period)


def test_without_a_period_and_with_given_values_the_per_step_settings_stand():
    assert (_resolved().gamma, _resolved().lambda_actor) == (0.95, 0.8)
    given_values = _resolved(control_period_s=1e-3, gamma=0.9, lambda_actor=0.5)
    assert (given_values.gamma, given_values.lambda_actor) == (0.9, 0.5)


@pytest.mark.parametrize("field, value", [("control_period_s", 0.0), ("control_period_s", -1.0),
                                          ("control_period_s", math.nan), ("control_period_s", 1e-300),
                                          ("control_period_s", math.inf), ("gamma", 1.0),
                                          ("gamma", 0.0), ("exploration_sigma", -0.1),
                                          ("exploration_tau_s", 0.0), ("dt_s", 1e-300)])
def test_bad_values_are_refused_by_name(field, value):
    with pytest.raises(ValueError, match=field):
        ControllerConfig(**{field: value})


@pytest.mark.parametrize("mode, env_id, rate, period", [
    ("lockstep", "Pendulum-v1", 100.0, 0.05),
    ("lockstep", "CartPole-v1", 100.0, None),
    ("timer", "Pendulum-v1", 200.0, 0.005),
    ("on_observation", "Pendulum-v1", 1000.0, 0.001)])
def test_the_node_takes_the_simulated_period_in_lockstep_else_its_rate(mode, env_id, rate, period):
    params = dict(unset_values(NODE_PARAMETERS), control_mode=mode, env_id=env_id,
                  control_rate_hz=rate)
    controller, _ = controller_from_parameters(params)
    assert controller.config.control_period_s == period


def test_a_lockstep_node_without_a_simulation_knows_no_period():
    params = dict(unset_values(NODE_PARAMETERS), control_mode="lockstep", control_rate_hz=100.0,
                  observation_low=[-1.0, -1.0], observation_high=[1.0, 1.0],
                  action_low=[-1.0], action_high=[1.0])
    controller, _ = controller_from_parameters(params)
    assert controller.config.control_period_s is None and controller.exploration is None


def test_the_node_keeps_a_period_its_settings_file_gives(tmp_path):
    settings = tmp_path / "settings.yaml"
    settings.write_text("control_period_s: 0.002\n")
    params = dict(unset_values(NODE_PARAMETERS), env_id="Pendulum-v1",
                  controller_settings=str(settings))
    controller, _ = controller_from_parameters(params)
    assert controller.config.control_period_s == 0.002
