"""What a network costs before it is built: memory and the time of one tick.

Estimated from the sizes alone, so that settings far too large for this machine
(a population of 10**9 neurons, ``substeps = 2**31 - 1``) are refused at once
with a message naming them, instead of exhausting memory or running for hours.
The constants were measured on one core of the development machine (x86-64,
``benchmarks``-style loop of 200 ticks after ``reset_neurons``): 8 us per tick,
158 us per tick of 1 neuron x 1,000 substeps, 62 us for 256 x 20, 0.99 ms for
1,000 x 100; building a network of 16 neurons took 0.44 ms.
"""

from __future__ import annotations

import os

BYTES_PER_SYNAPSE = 128
"""Memory per input synapse, with a margin: about 100 B measured (tracemalloc peak while
constructing CartPole-v1 controllers of 44 thousand to 1.6 million synapses)."""

TICK_S = 8e-6
"""Fixed cost of one tick (checks, the call into the core), s (measured)."""
SUBSTEP_S = 1.5e-7
"""Cost of one substep besides its neurons, s (measured: 1 neuron x 1,000 substeps)."""
NEURON_SUBSTEP_S = 1e-8
"""Cost of one neuron in one substep, s (measured: 256 x 20 and 1,000 x 100)."""

MAX_STEP_S = 10.0
"""Longest estimated time of one tick of a network, or of one control step of a
controller, s: a controller that slow controls nothing (robots here run at 10 Hz
to 1 kHz), and its construction would take about as long per population."""


def tick_s(n_neurons: int, substeps: int) -> float:
    """Estimated time of one tick of ``n_neurons`` neurons, s."""
    return TICK_S + substeps * (SUBSTEP_S + n_neurons * NEURON_SUBSTEP_S)


def memory_limit_bytes() -> int:
    """The most memory one network or controller may need: half of this machine's."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2


def check_fits(synapses: int, step_s: float, where: str, knobs: str) -> None:
    """ValueError, naming ``where`` and the settings ``knobs`` to lower, when ``synapses``
    input synapses need more than :func:`memory_limit_bytes` or one step is estimated to
    take longer than ``MAX_STEP_S``."""
    need, limit = BYTES_PER_SYNAPSE * synapses, memory_limit_bytes()
    if need > limit:
        raise ValueError(f"{where} needs about {need / 2**30:.3g} GiB, more than half of this "
                         f"machine's memory ({limit / 2**30:.3g} GiB); lower {knobs}")
    if step_s > MAX_STEP_S:
        raise ValueError(f"{where} would take about {step_s:.3g} s per step, more than "
                         f"{MAX_STEP_S:g} s; lower {knobs}")
