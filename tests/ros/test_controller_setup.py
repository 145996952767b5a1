"""The node's spaces from its parameters: from a checkpoint, an env_id or the bounds, and
bounds given beside a checkpoint or an env_id must agree with it."""

from __future__ import annotations

import gymnasium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memctrl.controller import SpikingController
from memctrl.ros.controller_setup import controller_from_parameters
from memctrl.ros.parameters import NODE_PARAMETERS, unset_values

CARTPOLE = gymnasium.make("CartPole-v1")
CARTPOLE_LOW = [float(v) for v in CARTPOLE.observation_space.low]
CARTPOLE_HIGH = [float(v) for v in CARTPOLE.observation_space.high]


def _params(**given):
    return dict(unset_values(NODE_PARAMETERS), **given)


def test_bounds_that_agree_with_the_env_or_the_checkpoint_are_taken(tmp_path):
    controller, _ = controller_from_parameters(_params(
        env_id="CartPole-v1", observation_low=CARTPOLE_LOW, observation_high=CARTPOLE_HIGH,
        action_n=2))
    assert controller.observation_space.shape == (4,)
    path = tmp_path / "controller.npz"
    SpikingController.for_env(CARTPOLE).save(path)
    controller, origin = controller_from_parameters(_params(
        checkpoint=str(path), observation_low=CARTPOLE_LOW, observation_high=CARTPOLE_HIGH))
    assert origin == f"checkpoint {path}"


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 3), st.floats(0.5, 0.99) | st.floats(1.01, 2.0))
def test_bounds_that_disagree_with_the_env_are_refused_naming_both(entry, factor):
    high = list(CARTPOLE_HIGH)
    high[entry] = high[entry] * factor if entry in (0, 2) else 1e6
    with pytest.raises(ValueError, match="observation bounds given .* disagree with the "
                                         "observation space of the env_id CartPole-v1"):
        controller_from_parameters(_params(env_id="CartPole-v1", observation_low=CARTPOLE_LOW,
                                           observation_high=high))


@pytest.mark.parametrize("given, message", [
    (dict(env_id="CartPole-v1", action_n=3), "action bounds given"),
    (dict(env_id="CartPole-v1", action_low=[-1.0], action_high=[1.0]), "action bounds given"),
    (dict(observation_low=[-1.0], observation_high=[1.0], action_n=2, action_low=[-1.0],
          action_high=[1.0]), "given together; give one"),
    (dict(observation_low=[-1.0], observation_high=[1.0]), "missing parameters action_n"),
    (dict(action_n=2), "missing parameters observation_low"),
    (dict(observation_low=[-1.0], action_n=2), "observation_low and observation_high"),
])
def test_contradictory_or_missing_spaces_are_refused_by_name(given, message):
    with pytest.raises(ValueError, match=message):
        controller_from_parameters(_params(**given))


@pytest.mark.parametrize("settings, message", [
    ("neuron_overrides: {v_dd: 1.0e+200}\n",
     "the device parameters overflow the core .*; check neuron_overrides.v_dd"),
    ("grid_bins: [3, 3]\ngrid_tilings: 1\n", "grid_bins has 2 entries"),
])
def test_settings_a_controller_cannot_be_built_from_are_refused_naming_the_file(
        tmp_path, settings, message):
    path = tmp_path / "settings.yaml"
    path.write_text(settings)
    with pytest.raises(ValueError, match=f"controller_settings {path}: {message}"):
        controller_from_parameters(_params(env_id="CartPole-v1",
                                           controller_settings=str(path)))


def test_a_run_dirs_link_to_a_checkpoint_that_is_gone_is_refused_not_started_afresh(tmp_path):
    (tmp_path / "controller.npz").symlink_to(tmp_path / "moved-away.npz")
    with pytest.raises(ValueError, match="controller.npz"):
        controller_from_parameters(_params(env_id="CartPole-v1", run_dir=str(tmp_path)))
    assert (tmp_path / "controller.npz").is_symlink()
