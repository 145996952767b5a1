"""memctrl_sim in this process: a task that fails stops the simulation in one line naming
the task, the step and the episode, instead of a traceback or a stall."""

from __future__ import annotations

import math

import gymnasium
import numpy as np
import pytest
import rclpy
from rclpy.parameter import Parameter
from rclpy.signals import SignalHandlerOptions

from memctrl.ros.sim_node import SimBridge
from memctrl.training.loop import EnvironmentFailure

TASK = "test/FaultyCartPole-v0"


class FaultyCartPole(gymnasium.Wrapper):
    """CartPole-v1 whose steps go wrong as ``fault`` says."""

    fault: str | None = None

    def __init__(self) -> None:
        super().__init__(gymnasium.make("CartPole-v1"))

    def step(self, action):
        observation, reward, terminated, truncated, info = self.env.step(action)
        if type(self).fault == "raise":
            raise RuntimeError("the actuator driver faulted")
        if type(self).fault == "nan_observation":
            observation = np.full_like(observation, np.nan)
        if type(self).fault == "short_observation":
            observation = observation[:-1]
        if type(self).fault == "nan_reward":
            reward = math.nan
        return observation, reward, terminated, truncated, info


if TASK not in gymnasium.registry:
    gymnasium.register(TASK, entry_point=FaultyCartPole, max_episode_steps=500)


@pytest.fixture
def sim():
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    node = SimBridge(context=context, parameter_overrides=[Parameter("env_id", value=TASK)])
    yield node
    node.destroy_node()
    rclpy.try_shutdown(context=context)


@pytest.mark.parametrize("fault, message", [
    ("raise", "raised RuntimeError in step 1 of episode 0: the actuator driver faulted"),
    ("nan_observation", r"returned the observation array\(\[nan, nan, nan, nan\].* in step 1 "
                        "of episode 0: its observation space wants 4 finite numbers"),
    ("short_observation", r"returned the observation array\(.* in step 1 of episode 0: its "
                          "observation space wants 4 finite"),
    ("nan_reward", "returned the reward nan in step 1 of episode 0: a reward must be one"),
])
def test_a_task_that_fails_stops_the_sim_naming_its_step(sim, monkeypatch, fault, message):
    sim._begin_episode()
    sim._step(0)                                        # a good step first
    monkeypatch.setattr(FaultyCartPole, "fault", fault)
    with pytest.raises(EnvironmentFailure, match=f"environment {TASK} {message}"):
        sim._step(1)
    assert sim.steps == 1
