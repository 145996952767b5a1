"""A controller's size, checked before anything is allocated.

:func:`check_size` estimates the memory of every population's input synapses and the
time of one control step (:mod:`memctrl.network.cost`) from the resolved settings and
the spaces, and refuses settings that this machine cannot hold or run, such as
``Discrete(10**7)`` actions, ``substeps = 2**31 - 1`` or a population of 10**8 neurons.
"""

from __future__ import annotations

import math

from gymnasium import spaces

from memctrl.controller.config import ControllerConfig
from memctrl.network.cost import check_fits, tick_s

KNOBS = ("actor_population, substeps, the input channels (grid_bins, "
         "grid_tilings, fields_per_dim) or the number of actions")
"""The settings a refusal asks to lower."""


def input_channels(config: ControllerConfig, observation_space: spaces.Space) -> int:
    """Input channels of the resolved ``config`` on the observation space, as the
    encoders count them: a Discrete space's states, a 1-D Box's cells or fields (0 for
    another space or an empty Box: the encoders refuse them)."""
    if isinstance(observation_space, spaces.Discrete):
        return int(observation_space.n)
    if not (isinstance(observation_space, spaces.Box) and len(observation_space.shape) == 1):
        return 0
    if config.coding == "tiles":
        return math.prod(config.grid_bins or (0,)) * config.grid_tilings
    return int(observation_space.shape[0]) * config.fields_per_dim


def check_size(config: ControllerConfig, observation_space: spaces.Space,
               actor_populations: int, actor_ticks_per_step: int) -> None:
    """ValueError naming the settings when the controller of the resolved ``config`` would
    need more than half of this machine's memory or take longer than
    ``memctrl.network.cost.MAX_STEP_S`` per step."""
    channels = input_channels(config, observation_space)
    actor_neurons = actor_populations * config.actor_population
    step_s = (actor_populations * actor_ticks_per_step
              * tick_s(config.actor_population, config.substeps))
    check_fits(channels * (actor_neurons + 1), step_s,   # + the critic's column
               f"a controller of {actor_populations} actor populations of "
               f"{config.actor_population}, {channels} input channels and "
               f"{config.substeps} substeps", KNOBS)
