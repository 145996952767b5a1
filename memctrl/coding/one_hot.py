"""One-hot coding of a Discrete observation: one input channel per state.

A Discrete observation space (FrozenLake's 16 squares, Taxi's 500 situations)
has no distances to generalise over: each state gets its own channel, which
carries ``v_total`` volts while the system is in that state, every other
channel 0 V. Each neuron's drive is then the weight of the state's one cell, so
actor and critic hold a table: the grid coding of :mod:`memctrl.coding.grid`
with one tiling and one cell per state.

The frame (:class:`StateFrame`) checks observations as
:class:`memctrl.coding.frame.ObservationFrame` does for a Box, and has nothing to
learn: its checkpoint state is empty.
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces

from memctrl._checks import require_keys, require_positive


class StateFrame:
    """The check of a Discrete observation: one integer state of ``space``.

    Accepted: an integer (Python or NumPy), or an array of one element holding a
    whole number (a ROS message's ``[3.0]``); ``n_dims`` is 1 (one number is sensed).
    """

    n_dims = 1

    def __init__(self, space: spaces.Discrete) -> None:
        if not isinstance(space, spaces.Discrete):
            raise ValueError(f"one-hot coding needs a Discrete observation space, got {space}")
        self.space = space
        self.start, self.n = int(space.start), int(space.n)

    def validate(self, observation: object) -> int:
        """The state's index from 0 (observation minus the space's ``start``).

        Raises ValueError naming a non-numeric or wrongly shaped observation, a
        non-finite or fractional value, or a state outside the space.
        """
        array = np.asarray(observation)
        if array.dtype.kind not in "biuf":
            raise ValueError(f"observation must be a whole number, got dtype {array.dtype}")
        if array.size != 1 or array.ndim > 1:
            raise ValueError(f"observation must be one state of {self.space}, got shape "
                             f"{array.shape}")
        value = array.reshape(()).item()
        if not np.isfinite(value) or value != int(value):
            raise ValueError(f"observation must be a whole number, got {value!r}")
        if not self.start <= int(value) < self.start + self.n:
            raise ValueError(f"observation {int(value)} is not a state of {self.space}")
        return int(value) - self.start

    def observe(self, observation: object) -> None:
        """Check ``observation`` (a Discrete frame has no statistics to gather)."""
        self.validate(observation)

    def state(self) -> dict:
        """Empty: nothing is learned."""
        return {}

    def set_state(self, state: dict) -> None:
        """Accept the empty state; ValueError for anything else."""
        require_keys("observation frame", state, ())


class OneHotEncoder:
    """Discrete observation to input voltages (shape (n,), V): the state's channel at
    ``v_total``, the others at 0 V.

    Parameters
    ----------
    space : gymnasium.spaces.Discrete
        The observation space.
    v_total : float
        Voltage of the active channel, V.
    """

    tilings = 1
    shared_row_level = True
    """The one driven channel carries ``v_total``: a row switched to a shared level."""

    def __init__(self, space: spaces.Discrete, v_total: float) -> None:
        self.frame = StateFrame(space)
        self.n_channels = self.frame.n
        self.v_total = require_positive("v_total", v_total)
        self._out = np.zeros(self.n_channels)

    def validate(self, observation: object) -> int:
        """See :meth:`StateFrame.validate`."""
        return self.frame.validate(observation)

    def encode(self, observation: object) -> np.ndarray:
        """Input voltages, V, shape (n_channels,). The returned array is reused by the next call."""
        self._out[:] = 0.0
        self._out[self.frame.validate(observation)] = self.v_total
        return self._out
