"""Conjunctive grid coding: one input channel per cell of a grid over all dimensions.

Each dimension ``d`` is cut into ``bins[d]`` equal bins over ``[-scale_d,
scale_d]`` around its centre (values beyond fall in the edge bins); the cell
that holds the observation gets ``v_cell`` volts, every other channel 0 V. This
is the "boxes" representation of Barto, Sutton & Anderson's cart-pole learner
(IEEE SMC 13:834, 1983: 3 x 3 x 6 x 3 boxes) with uniform bins: each neuron's
drive is the weight of the one active cell, so actor and critic hold a table,
and a value such as "pole falling fast to the side it leans to" is one cell
instead of a sum of one-dimensional terms. With an odd number of bins a
dimension has a bin centred on 0.

The grid has ``prod(bins)`` channels: meant for a few dimensions (more than
``MAX_CELLS`` are refused).
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces

from memctrl._checks import require_count, require_positive
from memctrl.coding.frame import ObservationFrame

MAX_CELLS = 4096
"""Largest grid accepted: each cell is a synapse per neuron of every population."""


class GridEncoder:
    """Observation (shape (n_dims,)) to a one-hot vector of cell voltages (shape (n_cells,), V).

    Parameters
    ----------
    space : gymnasium.spaces.Box
        The observation space (1-D).
    bins : sequence of int
        Bins per dimension (>= 2 each), one entry per dimension.
    v_cell : float
        Voltage of the active cell's channel, V.
    scales : array_like, optional
        Half-range per dimension (see :class:`memctrl.coding.frame.ObservationFrame`).
    """

    v_bias = 0.0
    """No bias channel: every cell is a field."""

    def __init__(self, space: spaces.Box, bins: tuple[int, ...], v_cell: float,
                 scales: np.ndarray | None = None) -> None:
        self.frame = ObservationFrame(space, scales)
        self.bins = tuple(require_count("grid bins", b, minimum=2) for b in bins)
        if len(self.bins) != self.frame.n_dims:
            raise ValueError(f"grid bins must give one count per observation dimension "
                             f"({self.frame.n_dims}), got {len(self.bins)}: {bins!r}")
        self.n_channels = self.n_fields = int(np.prod(self.bins))
        if self.n_channels > MAX_CELLS:
            raise ValueError(f"a grid of {self.bins} has {self.n_channels} cells, more than "
                             f"{MAX_CELLS}; use fewer bins or receptive fields")
        self.v_cell = require_positive("v_cell", v_cell)
        self._bins = np.array(self.bins)
        self._out = np.zeros(self.n_channels)

    def validate(self, observation: object) -> np.ndarray:
        """See :meth:`memctrl.coding.frame.ObservationFrame.validate`."""
        return self.frame.validate(observation)

    def cell(self, observation: object) -> int:
        """Index of the cell (channel) that ``observation`` falls in."""
        z = self.frame.normalize(observation)
        index = np.minimum((z + 1.0) / 2.0 * self._bins, self._bins - 1).astype(np.int64)
        return int(np.ravel_multi_index(tuple(index), self.bins))

    def encode(self, observation: object) -> np.ndarray:
        """Input voltages, V, shape (n_cells,). The returned array is reused by the next call."""
        cell = self.cell(observation)
        self._out[:] = 0.0
        self._out[cell] = self.v_cell
        return self._out
