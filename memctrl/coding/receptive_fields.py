"""Gaussian receptive-field (population) coding of a Box observation into input voltages.

Each observation dimension ``d`` is covered by ``per_dim`` Gaussian receptive
fields with centres evenly spaced over ``[-1, 1]`` of the dimension's frame
(:class:`memctrl.coding.frame.ObservationFrame`: centred and scaled) and a width
equal to their spacing. Channel ``k`` of dimension ``d`` carries::

    u = v_field * exp(-((z_d - centre_k) / width)^2 / 2)     volts

Values beyond the outermost centres saturate on the edge field (the observation
is clipped to the range). ``v_field = v_total / (n_dims sqrt(2 pi))``: each
dimension lights about ``sqrt(2 pi) = 2.5`` fields' worth, so a whole
observation puts about ``v_total`` volts on the channels in sum, whatever the
number of dimensions; the sum hardly depends on the observation (evenly spaced
Gaussians tile the range), so uniform weights on the fields act as a bias
spread over many synapses.

The controller uses these fields for observations with too many dimensions for
a grid (:func:`memctrl.coding.grid.auto_bins`): one-dimensional features only,
no conjunctions.
"""

from __future__ import annotations

import math

import numpy as np
from gymnasium import spaces

from memctrl._checks import require_count, require_positive
from memctrl.coding.frame import ObservationFrame


class ReceptiveFieldEncoder:
    """Observation (shape (n_dims,)) to input voltages (shape (n_channels,), V).

    Parameters
    ----------
    space : gymnasium.spaces.Box
        The observation space (1-D).
    per_dim : int
        Receptive fields per dimension.
    v_total : float
        About the sum of the channels' voltages for one observation, V.
    scales : array_like, optional
        Half-range per dimension (see :class:`memctrl.coding.frame.ObservationFrame`).
    """

    def __init__(self, space: spaces.Box, per_dim: int = 10, v_total: float = 2.5,
                 scales: np.ndarray | None = None) -> None:
        self.frame = ObservationFrame(space, scales)
        self.n_dims = self.frame.n_dims
        self.per_dim = require_count("per_dim", per_dim, minimum=2)
        self.v_field = require_positive("v_total", v_total) / (math.sqrt(2 * math.pi)
                                                                * self.n_dims)
        self.grid = np.linspace(-1.0, 1.0, self.per_dim)       # centres in units of scale
        self.width = 2.0 / (self.per_dim - 1)                    # spacing, in the same units
        self.n_channels = self.n_dims * self.per_dim
        self.tilings = 1

    def validate(self, observation: object) -> np.ndarray:
        """See :meth:`memctrl.coding.frame.ObservationFrame.validate`."""
        return self.frame.validate(observation)

    def encode(self, observation: np.ndarray) -> np.ndarray:
        """Input voltages, V, shape (n_channels,). The returned array is new on every call."""
        z = self.frame.normalize(observation)
        distance = (z[:, None] - self.grid[None, :]) / self.width
        return (self.v_field * np.exp(-0.5 * distance * distance)).ravel()
