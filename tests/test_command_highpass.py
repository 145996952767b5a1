"""The AC-coupled drive (``ControllerConfig.command_highpass_hz``): the filter's arithmetic,
its settings' checks, and a controller whose actor pushes steadily sending no steady push."""

from __future__ import annotations

import math

import gymnasium
import numpy as np
import pytest
from gymnasium import spaces
from hypothesis import given, strategies as st

import sim_envs  # noqa: F401  (registers memctrl/...)
from memctrl.coding.command_highpass import CommandHighPass
from memctrl.controller import ControllerConfig, SpikingController
from memctrl.controller.env_statements import env_command_highpass_hz
from memctrl.ros.controller_setup import controller_from_parameters
from memctrl.ros.parameters import NODE_PARAMETERS, unset_values

OBSERVATIONS = spaces.Box(-1.0, 1.0, (2,))
ACTIONS = spaces.Box(-2.0, 2.0, (1,))
PERIOD_S = 1e-3


def test_a_step_jumps_by_the_blend_and_decays_by_it_each_sample():
    corner_hz = 0.5
    blend = 1.0 / (1.0 + 2.0 * math.pi * corner_hz * PERIOD_S)
    drive = CommandHighPass(1, corner_hz, PERIOD_S)
    assert drive(np.array([0.3]))[0] == 0.0                     # the drive starts from rest
    outputs = [drive(np.array([0.8]))[0] for _ in range(4)]      # a step of 0.5
    assert outputs == pytest.approx([0.5 * blend ** k for k in range(1, 5)])
    drive.reset()
    assert drive(np.array([0.8]))[0] == 0.0


def test_the_tremor_band_passes_and_a_steady_part_does_not():
    drive = CommandHighPass(1, 0.5, PERIOD_S)
    t = np.arange(6000) * PERIOD_S
    commands = 0.2 + 0.5 * np.sin(2 * math.pi * 6.0 * t)
    out = np.array([drive(np.array([c]))[0] for c in commands])[3000:]
    assert abs(out.mean()) < 0.005                   # the steady 0.2 is gone
    assert out.std() * math.sqrt(2) == pytest.approx(0.5, rel=0.02)   # 6 Hz passes


@pytest.mark.parametrize("corner_hz", [0.0, -1.0, math.nan, 500.0, 800.0])
def test_a_corner_outside_zero_to_nyquist_is_refused(corner_hz):
    with pytest.raises(ValueError, match="corner_hz"):
        CommandHighPass(1, corner_hz, PERIOD_S)


@given(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)))
def test_the_setting_is_taken_off_or_below_nyquist_and_refused_by_name_otherwise(value):
    nyquist_hz = 0.5 / PERIOD_S
    try:
        config = ControllerConfig(command_highpass_hz=value, control_period_s=PERIOD_S)
        config.resolved(OBSERVATIONS, ACTIONS)
    except ValueError as error:
        assert "command_highpass_hz" in str(error)
        assert not (value is None or 0.0 <= value < nyquist_hz)
    else:
        assert value is None or 0.0 <= value < nyquist_hz


def test_it_needs_box_actions_and_a_control_period():
    with pytest.raises(ValueError, match="Box actions"):
        SpikingController(OBSERVATIONS, spaces.Discrete(2),
                          ControllerConfig(command_highpass_hz=0.5, control_period_s=PERIOD_S))
    with pytest.raises(ValueError, match="control period"):
        SpikingController(OBSERVATIONS, ACTIONS, ControllerConfig(command_highpass_hz=0.5))


def _pushing(config: ControllerConfig) -> SpikingController:
    """A controller whose push population fires at every tick and whose pull never does."""
    plain = SpikingController(OBSERVATIONS, ACTIONS, config, seed=3)
    conductances = []
    for index, net in enumerate(plain.networks):
        g_pos, g_neg = net.input_conductances()
        syn = net.config.synapse
        if index == 0:
            g_pos, g_neg = np.full_like(g_pos, syn.g_max), np.full_like(g_neg, syn.g_min)
        elif index == 1:
            g_pos, g_neg = np.full_like(g_pos, syn.g_min), np.full_like(g_neg, syn.g_max)
        conductances.append((g_pos, g_neg))
    controller = SpikingController.from_state(OBSERVATIONS, ACTIONS, plain.config, 3,
                                              "compiled", conductances)
    controller.learning = False
    return controller


def test_a_steadily_pushing_actor_sends_no_steady_push_through_the_drive():
    base = dict(control_period_s=PERIOD_S, exploration_sigma=0.0)
    observation = np.array([0.1, -0.2], dtype=np.float32)
    means = {}
    for corner_hz in (None, 0.5):
        controller = _pushing(ControllerConfig(command_highpass_hz=corner_hz, **base))
        controller.reset()
        actions = [float(controller.act(observation)[0]) for _ in range(300)]
        means[corner_hz] = np.mean(actions[50:])
    assert means[None] > 1.5                  # the actor pushes (the bound is 2)
    assert abs(means[0.5]) < 0.05             # the drive holds none of it


def test_a_checkpoint_keeps_the_drive(tmp_path):
    config = ControllerConfig(command_highpass_hz=0.5, control_period_s=PERIOD_S)
    controller = SpikingController(OBSERVATIONS, ACTIONS, config)
    controller.save(tmp_path / "c.npz")
    loaded = SpikingController.load(tmp_path / "c.npz")
    assert loaded.config.command_highpass_hz == 0.5
    assert loaded.command_filter is not None


@pytest.mark.parametrize("env_id, corner_hz", [("memctrl/TremorSuppression-v2", 0.5),
                                               ("memctrl/TremorSuppression-v1", 0.5),
                                               ("memctrl/TremorSuppression-v0", None),
                                               ("Pendulum-v1", None)])
def test_a_controller_for_an_environment_drives_as_it_states(env_id, corner_hz):
    env = gymnasium.make(env_id)
    assert env_command_highpass_hz(env) == corner_hz
    controller = SpikingController.for_env(env)
    assert controller.config.command_highpass_hz == corner_hz
    assert (controller.command_filter is None) == (corner_hz is None)
    # 0 in the settings keeps the drive off whatever the task states
    assert SpikingController.for_env(
        env, ControllerConfig(command_highpass_hz=0.0)).command_filter is None


@pytest.mark.parametrize("stated", [math.nan, -0.5, 0.0, "slow", math.inf])
def test_a_stated_corner_that_is_not_a_positive_number_counts_as_none(stated):
    class Stated(gymnasium.Env):
        observation_space, action_space = OBSERVATIONS, ACTIONS
        command_highpass_hz, dt_s = stated, PERIOD_S
    assert env_command_highpass_hz(Stated()) is None
    assert SpikingController.for_env(Stated()).command_filter is None


@pytest.mark.parametrize("settings, corner_hz", [("", 0.5), ("command_highpass_hz: 0\n", 0.0),
                                                 ("command_highpass_hz: 1.5\n", 1.5)])
def test_the_node_drives_as_its_task_states_unless_its_settings_say(tmp_path, settings, corner_hz):
    params = dict(unset_values(NODE_PARAMETERS), env_id="memctrl/TremorSuppression-v2")
    if settings:
        (tmp_path / "settings.yaml").write_text(settings)
        params["controller_settings"] = str(tmp_path / "settings.yaml")
    controller, _ = controller_from_parameters(params)
    assert controller.config.command_highpass_hz == corner_hz
    assert (controller.command_filter is None) == (corner_hz == 0.0)
