"""Characterization of the emulated 1M1T1R neuron against the paper's six characteristics.

One protocol per module (leaky integration, threshold firing, intrinsic
plasticity, refractory period, stochasticity, cascaded connection), the
published targets in :mod:`memctrl.characterization.paper`, and
:func:`characterize`, which runs them all on one preset.
"""

from memctrl.characterization.characterize import characterize

__all__ = ["characterize"]
