"""memctrl_sim in this process: a task that fails stops the simulation in one line naming
the task, the step and the episode, instead of a traceback or a stall."""

from __future__ import annotations

import contextlib
import math

import gymnasium
import numpy as np
import pytest
import rclpy
from diagnostic_msgs.msg import DiagnosticStatus
from rclpy.parameter import Parameter
from rclpy.signals import SignalHandlerOptions

from memctrl.ros.sim_node import SimBridge
from memctrl.training.loop import EnvironmentFailure

TASK = "test/FaultyCartPole-v0"
# the faulty tasks here are meant: gymnasium's checker says so too
pytestmark = pytest.mark.filterwarnings("ignore:.*WARN. The obs returned by the:UserWarning")


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


class WanderingFrozenLake(gymnasium.Wrapper):
    """FrozenLake-v1 (16 states) whose steps report ``state`` when it is set."""

    state: object = None

    def __init__(self) -> None:
        super().__init__(gymnasium.make("FrozenLake-v1"))

    def step(self, action):
        observation, reward, terminated, truncated, info = self.env.step(action)
        state = type(self).state
        return (observation if state is None else state), reward, terminated, truncated, info


STATES_TASK = "test/WanderingFrozenLake-v0"
for task, entry_point in ((TASK, FaultyCartPole), (STATES_TASK, WanderingFrozenLake)):
    if task not in gymnasium.registry:
        gymnasium.register(task, entry_point=entry_point, max_episode_steps=500)


@contextlib.contextmanager
def _sim(task: str):
    context = rclpy.Context()
    rclpy.init(context=context, signal_handler_options=SignalHandlerOptions.NO)
    node = SimBridge(context=context, parameter_overrides=[Parameter("env_id", value=task)])
    try:
        yield node
    finally:
        node.destroy_node()
        rclpy.try_shutdown(context=context)


@pytest.fixture
def sim():
    with _sim(TASK) as node:
        yield node


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
    status = sim.status()                                 # the last diagnostic says so
    assert status.level == DiagnosticStatus.ERROR
    assert status.message.startswith(f"stopped: environment {TASK} ")


@pytest.mark.parametrize("state", [16, 2.5, -1, pytest.param(10**400, id="10**400"), []])
def test_a_discrete_task_that_reports_no_state_of_its_space_stops_the_sim(monkeypatch, state):
    """The controller would refuse it, and its safe command for a Discrete action space
    steps nothing: in lock-step the sim would send it again for ever."""
    with _sim(STATES_TASK) as sim:
        sim._begin_episode()
        monkeypatch.setattr(WanderingFrozenLake, "state", state)
        with pytest.raises(EnvironmentFailure, match="in step 0 of episode 0: its observation "
                                                     "space wants one of its states, a whole "
                                                     "number from 0 to 15"):
            sim._step(0)


@pytest.mark.parametrize("state", [15, 3.0, np.int64(7)])
def test_a_discrete_tasks_states_pass(monkeypatch, state):
    with _sim(STATES_TASK) as sim:
        sim._begin_episode()
        monkeypatch.setattr(WanderingFrozenLake, "state", state)
        sim._step(0)
        assert sim.steps == 1
