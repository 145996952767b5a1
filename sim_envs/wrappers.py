"""Wrappers for memctrl's environments (and any gymnasium environment with Box observations)."""

from __future__ import annotations

from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces
from numpy.typing import ArrayLike

# Appended to the spawn key of the environment's seed sequence, so the noise stream is a child of
# the environment's seed that does not advance (or depend on the use of) the environment's own.
_NOISE_STREAM_KEY = 0x5E5

__all__ = ["SensorNoise"]


class SensorNoise(gymnasium.ObservationWrapper):
    """Add seeded Gaussian noise to a Box observation, then clip it to the observation space.

    The noise generator derives from the seed the environment was reset with (a child of its
    ``np_random`` seed sequence), so ``reset(seed=s)`` reproduces the noisy observations exactly,
    and the wrapped environment's own random stream is left untouched: with ``std = 0`` the
    observations equal the unwrapped ones.

    Parameters
    ----------
    env : gymnasium.Env
        An environment whose observation space is a ``gymnasium.spaces.Box``.
    std : float or array_like
        Standard deviation of the noise, in the observation's units; a scalar or an array that
        broadcasts to the observation shape. Must be finite and >= 0.

    Examples
    --------
    >>> import gymnasium, sim_envs
    >>> env = SensorNoise(gymnasium.make("memctrl/LineFollower-v0"), std=0.05)
    """

    def __init__(self, env: gymnasium.Env, std: float | ArrayLike):
        super().__init__(env)
        if not isinstance(env.observation_space, spaces.Box):
            raise ValueError(f"SensorNoise needs a Box observation space, "
                             f"got {env.observation_space}")
        try:
            deviation = np.broadcast_to(np.asarray(std, dtype=np.float64),
                                        env.observation_space.shape).copy()
        except (TypeError, ValueError) as error:
            raise ValueError(f"std must broadcast to the observation shape "
                             f"{env.observation_space.shape}, got {std!r}") from error
        if not np.all(np.isfinite(deviation) & (deviation >= 0.0)):
            raise ValueError(f"std must be finite and >= 0, got {std!r}")
        self.std = deviation
        self._noise_rng: np.random.Generator | None = None

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        observation, info = self.env.reset(seed=seed, options=options)
        if seed is not None or self._noise_rng is None:
            self._noise_rng = _child_generator(self.env.unwrapped.np_random)
        return self.observation(observation), info

    def observation(self, observation: np.ndarray) -> np.ndarray:
        space = self.observation_space
        noisy = observation + self.std * self._noise_rng.normal(size=space.shape)
        return np.clip(noisy, space.low, space.high).astype(space.dtype)


def _child_generator(parent: np.random.Generator) -> np.random.Generator:
    """A generator seeded from ``parent``'s seed sequence without drawing from ``parent``."""
    sequence = getattr(parent.bit_generator, "seed_seq", None)
    if isinstance(sequence, np.random.SeedSequence):
        child = np.random.SeedSequence(sequence.entropy,
                                       spawn_key=(*sequence.spawn_key, _NOISE_STREAM_KEY))
        return np.random.default_rng(child)
    # A generator set without a seed sequence: fall back to an independent jumped-ahead stream.
    return np.random.Generator(parent.bit_generator.jumped())
