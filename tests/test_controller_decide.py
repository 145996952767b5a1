"""SpikingController.decide + complete_step (the node sends the action in between) learn
exactly as act: same actions, same weights and statistics."""

from __future__ import annotations

import numpy as np
import pytest

from memctrl import SpikingController
from memctrl.controller import ControllerConfig
from memctrl.controller.driver import EpisodeDriver
from memctrl.run_dir import make_env


@pytest.mark.parametrize("env_id, modulation", [("CartPole-v1", "action_trace"),
                                                ("Pendulum-v1", "action_trace"),
                                                ("CartPole-v1", "signed")])
def test_decide_then_complete_step_learns_as_step(env_id, modulation):
    env = make_env(env_id)
    config = ControllerConfig(actor_modulation=modulation)
    drivers = [EpisodeDriver(SpikingController(env.observation_space, env.action_space,
                                               config, seed=2)) for _ in range(2)]
    rng = np.random.default_rng(0)
    actions: list[list] = [[], []]
    for step in range(60):
        observation = env.observation_space.sample() * 0.1 if step % 20 else np.clip(
            rng.normal(size=env.observation_space.shape), -1, 1)
        actions[0].append(np.asarray(drivers[0].step(observation)).tolist())
        actions[1].append(np.asarray(drivers[1].decide(observation)).tolist())
        if step % 2:            # else the next call completes the step itself
            drivers[1].controller.complete_step()
        reward = float(rng.normal())
        for driver in drivers:
            driver.add_reward(reward)
            if step % 20 == 19:
                driver.end_episode(terminated=step % 40 == 19)
    assert actions[0] == actions[1]
    assert drivers[0].controller.last_delta is not None
    assert drivers[0].controller.to_bytes() == drivers[1].controller.to_bytes()
