"""Rollout helpers shared by the sim_envs tests."""

from __future__ import annotations

from typing import Callable

import gymnasium
import numpy as np


def rollout(env: gymnasium.Env, policy: Callable[[np.ndarray], np.ndarray], seed: int,
            steps: int | None = None, options: dict | None = None) -> dict[str, list]:
    """Run one episode (or ``steps`` steps); return observations, actions, rewards and infos."""
    observation, info = env.reset(seed=seed, options=options)
    record = {"observations": [observation], "actions": [], "rewards": [], "infos": [info],
              "terminated": False, "truncated": False}
    count = 0
    while steps is None or count < steps:
        action = policy(observation)
        record["actions"].append(np.asarray(action, dtype=np.float64))
        observation, reward, terminated, truncated, info = env.step(action)
        record["observations"].append(observation)
        record["rewards"].append(reward)
        record["infos"].append(info)
        count += 1
        if terminated or truncated:
            record["terminated"], record["truncated"] = terminated, truncated
            break
    return record


def zeros_like_action(env: gymnasium.Env) -> Callable[[np.ndarray], np.ndarray]:
    return lambda observation: np.zeros(env.action_space.shape, dtype=np.float32)


def random_actions(env: gymnasium.Env, seed: int) -> Callable[[np.ndarray], np.ndarray]:
    env.action_space.seed(seed)
    return lambda observation: env.action_space.sample()
