"""Conjunctive grid coding: one input channel per cell of a grid over all dimensions.

Each dimension ``d`` is cut into ``bins[d]`` equal bins over ``[-scale_d,
scale_d]`` around its centre (values beyond fall in the edge bins); the cell
that holds the observation gets ``v_cell`` volts, every other channel 0 V. This
is the "boxes" representation of Barto, Sutton & Anderson's cart-pole learner
(IEEE SMC 13:834, 1983: 3 x 3 x 6 x 3 boxes) with uniform bins: each neuron's
drive is the weight of the one active cell, so actor and critic hold a table,
and a value such as "pole falling fast to the side it leans to" is one cell
instead of a sum of one-dimensional terms. With an odd number of bins a
dimension has a bin centred on 0 (in the first tiling).

With ``tilings`` T > 1 it is tile coding (Albus's CMAC; Sutton & Barto,
*Reinforcement Learning*, 2nd ed., section 9.5.4): T such grids, tiling k
shifted by ``k (2 d + 1) / T`` of a bin along dimension d (the asymmetric
offsets the book recommends, with T a power of two so that every dimension
gets T distinct shifts), one active cell in each, and the T active cells share
``v_cell`` (``v_cell / T`` each) so that a neuron's drive spans the range of
one grid. Nearby observations share most of their cells: what is learned in
one state generalizes to its neighbours, at the resolution of ``bins * T``
inside the range (a shifted tiling's edge cells are narrower at the low end
and wider at the high end, where its cells are clipped to the range).

The code has ``T * prod(bins)`` channels: meant for a few dimensions (more than
``MAX_CELLS`` are refused). :func:`auto_bins` picks the finest equal bins that fit.
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces

from memctrl._checks import require_count, require_positive
from memctrl.coding.frame import ObservationFrame, require_per_dimension

MAX_CELLS = 4096
"""Most channels accepted (all tilings): each is a synapse per neuron of every population."""
MAX_AUTO_BINS = 5
"""Finest grid :func:`auto_bins` picks per dimension: every tile at least a fifth of the
range wide, so that what is learned in one state reaches states a fifth of the range
away (with 16 tilings, 80 steps across the range). Measured in session 24 against 8
(which gave three dimensions 6, where ``MAX_CELLS`` caps them): TremorSuppression-v3 meets
both of its targets on nine seeds of ten instead of seven (on ten evaluation episodes; on
thirty, four of ten: README), Pendulum-v1 ends better on nine of ten,
TremorSuppression-v0 and MountainCarContinuous-v0 where they were; 4 bins cost v0 13-21
points a seed (README, "The grid's resolution")."""


def auto_bins(n_dims: int, tilings: int) -> tuple[int, ...] | None:
    """Equal bins per dimension, as many as fit ``MAX_CELLS`` channels over ``tilings``
    tilings (at most ``MAX_AUTO_BINS``); None if even 2 bins per dimension do not fit.

    With 16 tilings: Pendulum-v1 (3 dimensions) 5 x 5 x 5, CartPole-v1 (4) 4 x 4 x 4 x 4,
    Acrobot-v1 (6) 2 bins each (with 8 tilings the same; with 4, CartPole 5^4).
    """
    per_dim = int((MAX_CELLS / tilings) ** (1.0 / n_dims) + 1e-9)
    if per_dim < 2:
        return None
    return (min(per_dim, MAX_AUTO_BINS),) * n_dims


class GridEncoder:
    """Observation (shape (n_dims,)) to cell voltages (shape (n_channels,), V): one active
    cell per tiling.

    Parameters
    ----------
    space : gymnasium.spaces.Box
        The observation space (1-D).
    bins : sequence of int
        Bins per dimension (>= 2 each), one entry per dimension.
    v_cell : float
        Voltage shared by the active cells (one per tiling), V.
    scales : array_like, optional
        Half-range per dimension (see :class:`memctrl.coding.frame.ObservationFrame`).
    tilings : int
        Number of offset grids: 1 (a plain grid) or a power of two.
    """

    shared_row_level = True
    """Every driven channel carries the same voltage (``v_cell / tilings``): on a chip each
    input row is switched to one shared level or left undriven (the power model's row
    drivers, :mod:`memctrl.energy.components`)."""

    def __init__(self, space: spaces.Box, bins: tuple[int, ...], v_cell: float,
                 scales: np.ndarray | None = None, tilings: int = 1) -> None:
        self.frame = ObservationFrame(space, scales)
        self.bins = tuple(require_count("grid bins", b, minimum=2) for b in bins)
        require_per_dimension("grid_bins", len(self.bins), self.frame.n_dims, space)
        self.tilings = require_count("grid tilings", tilings)
        if self.tilings & (self.tilings - 1):
            raise ValueError(f"grid tilings must be 1 or a power of two, got {tilings!r}")
        self.cells_per_tiling = int(np.prod(self.bins))
        self.n_channels = self.tilings * self.cells_per_tiling
        if self.n_channels > MAX_CELLS:
            raise ValueError(f"{self.tilings} tiling(s) of a grid of {self.bins} have "
                             f"{self.n_channels} cells, more than {MAX_CELLS}; use fewer bins, "
                             "fewer tilings or receptive fields")
        self.v_cell = require_positive("v_cell", v_cell)
        self._bins = np.array(self.bins)
        dims = np.arange(self.frame.n_dims)
        self._offsets = (np.arange(self.tilings)[:, None] * (2 * dims + 1) / self.tilings) % 1.0
        self._first_cell = np.arange(self.tilings) * self.cells_per_tiling
        self._out = np.zeros(self.n_channels)

    def validate(self, observation: object) -> np.ndarray:
        """See :meth:`memctrl.coding.frame.ObservationFrame.validate`."""
        return self.frame.validate(observation)

    def cells(self, observation: object) -> np.ndarray:
        """Channels of the cells that hold ``observation``, one per tiling (shape (tilings,))."""
        z = (self.frame.normalize(observation) + 1.0) / 2.0 * self._bins
        index = np.clip(np.floor(z + self._offsets), 0, self._bins - 1).astype(np.int64)
        return self._first_cell + np.ravel_multi_index(tuple(index.T), self.bins)

    def encode(self, observation: object) -> np.ndarray:
        """Input voltages, V, shape (n_channels,). The returned array is reused by the next call."""
        cells = self.cells(observation)
        self._out[:] = 0.0
        self._out[cells] = self.v_cell / self.tilings
        return self._out
