"""Gaussian receptive-field (population) coding of a Box observation into input voltages.

Each observation dimension ``d`` is covered by ``per_dim`` Gaussian receptive
fields with centres evenly spaced over ``[-1, 1]`` of the dimension's frame
(:class:`memctrl.coding.frame.ObservationFrame`: centred and scaled) and a width
equal to their spacing. Channel ``k`` of dimension ``d`` carries::

    f_k = exp(-((z_d - centre_k) / width)^2 / 2)
    u_k = (v_total / n_dims) * f_k / sum_j f_j        volts

Values beyond the outermost centres saturate on the edge field (the observation
is clipped to the range). Each dimension's fields carry ``v_total / n_dims``
volts in sum, so a whole observation puts ``v_total`` on
the channels whatever the number of dimensions and wherever the values lie, and
uniform weights on the fields act as a bias spread over many synapses. (Unscaled,
a value at the edge of its range lights only one side of the fields, 0.70 of what
a value inside lights: an observation of binary features, all at their edges, such
as Blackjack-v1's one-hot numbers, drove every neuron 30 % below its intended
initial drive, and the Discrete actor fired about one spike per step in 32 neurons.)

The controller uses these fields for observations with too many dimensions for
a grid (:func:`memctrl.coding.grid.auto_bins`): one-dimensional features only,
no conjunctions.
"""

from __future__ import annotations

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

    shared_row_level = False
    """Graded voltages: each driven row needs its own analog level (a DAC and a hold
    buffer in the power model)."""

    def __init__(self, space: spaces.Box, per_dim: int = 10, v_total: float = 2.5,
                 scales: np.ndarray | None = None) -> None:
        self.frame = ObservationFrame(space, scales)
        self.n_dims = self.frame.n_dims
        self.per_dim = require_count("per_dim", per_dim, minimum=2)
        self.v_dim = require_positive("v_total", v_total) / self.n_dims
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
        fields = np.exp(-0.5 * distance * distance)
        return (self.v_dim * fields / fields.sum(axis=1, keepdims=True)).ravel()
