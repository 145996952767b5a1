"""The gymnasium episode loop: act, step, learn; callbacks see a typed context.

One step, in the fixed tick order of the design, through the shared
:class:`memctrl.controller.driver.EpisodeDriver` (as in the ROS node):
``action = driver.step(obs)`` (the learning of the previous transition, then
sense, encode, network ticks, decode), ``env.step(action)``,
``driver.add_reward(reward)``, and at the episode's end
``driver.end_episode(terminated)``. A callback's ``on_step`` or ``on_episode_end`` returning False
stops the loop after that step (the episode's metrics are still reported).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

import gymnasium
import numpy as np

from memctrl._checks import shown
from memctrl.controller.driver import EpisodeDriver
from memctrl.network.reference import COUNTER_NAMES
from memctrl.run_dir import EpisodeMetrics, env_name, episode_seed

if TYPE_CHECKING:
    from memctrl.controller import SpikingController
    from memctrl.training.callbacks import Callback

logger = logging.getLogger(__name__)


class EnvironmentFailure(RuntimeError):
    """The environment raised while the loop reset or stepped it (the cause is chained):
    a fault of the task, not of the controller, which ``memctrl`` reports in one line."""


def env_failure(env: gymnasium.Env, what: str, episode: int,
                error: Exception) -> EnvironmentFailure:
    """The task ``env`` raised ``error`` in ``what`` (``"reset"``, ``"step 3"``) of
    ``episode``: the one-line failure that names them."""
    return EnvironmentFailure(f"environment {env_name(env)} raised {type(error).__name__} "
                              f"in {what} of episode {episode}: {error}")


def checked_reward(env: gymnasium.Env, reward: object, step: int, episode: int) -> float:
    """``reward`` as a float (one real number, or an array holding one: a custom task's
    ``np.array([r])`` means ``r``); EnvironmentFailure naming the task, step and episode if
    it is none (None, a string, several numbers, NaN, beyond a float: the task's fault)."""
    value = None
    try:
        array = np.asarray(reward)
        if array.size == 1 and array.dtype.kind in "biufO" and not isinstance(reward,
                                                                           (str, bytes)):
            value = float(array.reshape(-1)[0])
    except (TypeError, ValueError, OverflowError):
        pass
    if value is None or not math.isfinite(value):
        raise EnvironmentFailure(f"environment {env_name(env)} returned the reward "
                                 f"{shown(reward)} in step {step} of episode {episode}: a "
                                 "reward must be one finite real number")
    return value


def checked_flag(env: gymnasium.Env, name: str, flag: object, step: int,
                 episode: int) -> bool:
    """``flag`` (``terminated`` or ``truncated``, ``name``) as a bool: a bool, NumPy's, or
    the integer 0 or 1 of older tasks; EnvironmentFailure naming the task, step and episode
    otherwise (the string ``"False"`` would read as true, None as false for ever)."""
    if isinstance(flag, (bool, np.bool_)) or (isinstance(flag, (int, np.integer))
                                              and flag in (0, 1)):
        return bool(flag)
    raise EnvironmentFailure(f"environment {env_name(env)} returned {name}={shown(flag)} in "
                             f"step {step} of episode {episode}: it must be True or False")


def check_observation(env: gymnasium.Env, controller: "SpikingController",
                      observation: object, where: str, episode: int) -> None:
    """EnvironmentFailure naming the task, where (``"reset"``, ``"step 3"``) and the
    episode if the controller cannot take ``observation`` (its encoder's ``validate``):
    a NaN or a wrong shape is the task's fault. Asked once the driver has refused a step
    (which validates first, changing nothing): the loop's hot path checks nothing twice."""
    try:
        controller.encoder.validate(observation)
    except ValueError as error:
        raise EnvironmentFailure(f"environment {env_name(env)} returned an observation the "
                                 f"controller cannot take in {where} of episode {episode}: "
                                 f"{error}") from None


@dataclass
class TrainContext:
    """The loop's state as callbacks see it (read it; do not change it)."""

    env: gymnasium.Env
    controller: "SpikingController"
    learning: bool
    episode: int = 0
    step_in_episode: int = 0
    total_steps: int = 0
    observation: Any = None
    action: Any = None
    reward: float = 0.0
    terminated: bool = False
    truncated: bool = False
    episode_return: float = 0.0
    history: list[EpisodeMetrics] = field(default_factory=list)


def _counter_vector(controller: "SpikingController") -> np.ndarray:
    return np.fromiter(controller.counters.values(), float, len(COUNTER_NAMES))


def run_episodes(env: gymnasium.Env, controller: "SpikingController", episodes: int,
                 callbacks: Sequence["Callback"] = (), seed: int = 0, learning: bool = True,
                 first_episode: int = 0) -> TrainContext:
    """Run ``episodes`` episodes (numbered from ``first_episode``); returns the final context.

    Episode ``e`` resets the environment with :func:`episode_seed` ``(seed, e)``.
    """
    controller.learning = learning
    driver = EpisodeDriver(controller)
    context = TrainContext(env=env, controller=controller, learning=learning)
    for callback in callbacks:
        callback.on_start(context)
    running = True
    for episode in range(first_episode, first_episode + episodes):
        context.episode = episode
        started = time.perf_counter()
        before = _counter_vector(controller)
        energy_before = controller.energy_j
        try:
            observation, _ = env.reset(seed=episode_seed(seed, episode))
        except Exception as error:   # the task's own fault, whatever its type
            raise env_failure(env, "reset", episode, error) from error
        context.episode_return, context.step_in_episode = 0.0, 0
        done = False
        while not done:
            try:
                action = driver.step(observation)
            except ValueError:
                taken = context.step_in_episode
                check_observation(env, controller, observation,
                                  f"step {taken - 1}" if taken else "reset", episode)
                raise
            step = context.step_in_episode
            try:
                observation, reward, terminated, truncated, _ = env.step(action)
            except Exception as error:
                raise env_failure(env, f"step {step}", episode, error) from error
            reward = checked_reward(env, reward, step, episode)
            terminated = checked_flag(env, "terminated", terminated, step, episode)
            truncated = checked_flag(env, "truncated", truncated, step, episode)
            driver.add_reward(reward)
            if terminated or truncated:
                driver.end_episode(bool(terminated))
            context.observation, context.action, context.reward = observation, action, reward
            context.terminated, context.truncated = bool(terminated), bool(truncated)
            context.episode_return += reward
            context.step_in_episode += 1
            context.total_steps += 1
            done = terminated or truncated
            for callback in callbacks:
                if callback.on_step(context) is False:
                    running = False
            if not running:
                break
        counters = dict(zip(COUNTER_NAMES, (_counter_vector(controller) - before).tolist()))
        metrics = EpisodeMetrics(episode, context.episode_return, context.step_in_episode,
                                 controller.energy_j - energy_before, counters,
                                 time.perf_counter() - started)
        context.history.append(metrics)
        for callback in callbacks:
            if callback.on_episode_end(context, metrics) is False:
                running = False
        if not running:
            logger.info("stopped by a callback after episode %d", episode)
            break
    for callback in callbacks:
        callback.on_end(context)
    return context


def evaluate(env: gymnasium.Env, controller: "SpikingController", episodes: int,
             seed: int = 0, callbacks: Sequence["Callback"] = ()) -> list[float]:
    """Returns of ``episodes`` episodes with learning off (the learning flag is restored)."""
    was_learning = controller.learning
    try:
        context = run_episodes(env, controller, episodes, callbacks, seed=seed, learning=False)
    finally:
        controller.learning = was_learning
    return [item.episode_return for item in context.history]
