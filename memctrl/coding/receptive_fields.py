"""Gaussian receptive-field (population) coding of a Box observation into input voltages.

Each observation dimension ``d`` is covered by ``per_dim`` Gaussian receptive
fields with centres evenly spaced over ``[-scale_d, scale_d]`` (after
subtracting the dimension's centre) and a width equal to their spacing. Channel
``k`` of dimension ``d`` carries::

    u = v_field * exp(-((obs_d - centre_dk) / width_d)^2 / 2)     volts

Values beyond the outermost centres saturate on the edge field (the observation
is clipped to the range).

With ``pair_fields > 0``, every pair of dimensions ``(d, e)`` also gets a grid
of ``pair_fields x pair_fields`` two-dimensional Gaussian fields (conjunctive
features, like the boxes of Barto, Sutton & Anderson's cart-pole learner:
a value such as "pole falling fast to the side it leans to" is not a sum of
one-dimensional terms)::

    u = v_pair * exp(-(dist_d^2 + dist_e^2) / 2)

Each group (one per dimension, one per pair) sums to about
``v_total / n_groups``: ``v_field = v_total / (n_groups sqrt(2 pi))`` and
``v_pair = v_total / (n_groups 2 pi)``. ``v_field`` is chosen so that a whole observation puts
about ``v_total`` volts on the channels in sum (each dimension lights about
``sqrt(2 pi) = 2.5`` fields' worth), whatever the number of dimensions (see
below for pairs); the sum
hardly depends on the observation (evenly spaced Gaussians tile the range), so
uniform weights on the fields act as a bias spread over many synapses. An extra
bias channel held at ``v_bias`` volts is added (last) when ``v_bias > 0``.

Scales: see :class:`memctrl.coding.frame.ObservationFrame`.
"""

from __future__ import annotations

import math

import numpy as np
from gymnasium import spaces

from memctrl._checks import require_count, require_finite, require_positive
from memctrl.coding.frame import DEFAULT_SCALE, ObservationFrame


class ReceptiveFieldEncoder:
    """Observation (shape (n_dims,)) to input voltages (shape (n_channels,), V).

    Parameters
    ----------
    space : gymnasium.spaces.Box
        The observation space (1-D).
    per_dim : int
        Receptive fields per dimension.
    v_total : float
        About the sum of the field channels' voltages for one observation, V.
    v_bias : float
        Voltage of the bias channel, V (the last channel); 0 for none.
    scales : array_like, optional
        Half-range per dimension; derived from ``space`` by default (see module).
    pair_fields : int
        Fields per dimension of the two-dimensional grid of every pair of
        dimensions; 0 for none.
    """

    def __init__(self, space: spaces.Box, per_dim: int = 10, v_total: float = 2.5,
                 v_bias: float = 0.0, scales: np.ndarray | None = None,
                 default_scale: float = DEFAULT_SCALE, pair_fields: int = 0) -> None:
        self.frame = ObservationFrame(space, scales, default_scale)
        self.n_dims = self.frame.n_dims
        self.centre, self.scale = self.frame.centre, self.frame.scale
        self.per_dim = require_count("per_dim", per_dim, minimum=2)
        self.pair_fields = require_count("pair_fields", pair_fields, minimum=0)
        if self.pair_fields == 1:
            raise ValueError("pair_fields must be 0 (none) or >= 2, got 1")
        self.pairs = [(d, e) for d in range(self.n_dims) for e in range(d + 1, self.n_dims)] \
            if self.pair_fields else []
        groups = self.n_dims + len(self.pairs)
        v_total = require_positive("v_total", v_total)
        self.v_field = v_total / (math.sqrt(2 * math.pi) * groups)
        self.v_pair = v_total / (2 * math.pi * groups)
        self.pair_grid = np.linspace(-1.0, 1.0, max(self.pair_fields, 2))
        self.pair_width = 2.0 / (max(self.pair_fields, 2) - 1)
        self.v_bias = require_finite("v_bias", v_bias)
        if self.v_bias < 0:
            raise ValueError(f"v_bias must be >= 0, got {v_bias!r}")
        self.grid = np.linspace(-1.0, 1.0, self.per_dim)       # centres in units of scale
        self.width = 2.0 / (self.per_dim - 1)                    # spacing, in the same units
        self.n_fields = self.n_dims * self.per_dim + len(self.pairs) * self.pair_fields ** 2
        self.n_channels = self.n_fields + (1 if self.v_bias > 0 else 0)
        self._out = np.full(self.n_channels, self.v_bias)

    def validate(self, observation: object) -> np.ndarray:
        """See :meth:`memctrl.coding.frame.ObservationFrame.validate`."""
        return self.frame.validate(observation)

    def encode(self, observation: np.ndarray) -> np.ndarray:
        """Input voltages, V, shape (n_channels,); the bias channel (if any) last.

        The returned array is reused by the next call: copy it to keep it.
        """
        z = self.frame.normalize(observation)
        distance = (z[:, None] - self.grid[None, :]) / self.width
        single = self.n_dims * self.per_dim
        self._out[:single] = (self.v_field * np.exp(-0.5 * distance * distance)).ravel()
        if self.pairs:
            near = (z[:, None] - self.pair_grid[None, :]) / self.pair_width
            profile = np.exp(-0.5 * near * near)                 # (n_dims, pair_fields)
            k2 = self.pair_fields ** 2
            for index, (d, e) in enumerate(self.pairs):
                start = single + index * k2
                self._out[start:start + k2] = self.v_pair * np.outer(profile[d], profile[e]).ravel()
        return self._out
