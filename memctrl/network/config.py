"""Static configuration of a network of 1M1T1R neurons and memristive synapses."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from memctrl._checks import check_field_types, require_count, require_positive
from memctrl.device.neuron import NeuronParams
from memctrl.network.cost import check_fits, tick_s
from memctrl.device.presets import (DEFAULT_NEURON_PRESET, DEFAULT_SYNAPSE_PRESET,
                                    neuron_preset, synapse_preset)
from memctrl.device.synapse import SynapseParams


MAX_DECAY_EXPONENT = 700.0
"""Largest ``dt / tau`` of a trace: ``exp(-dt / tau)`` stays a normal double."""

IDLE_CUTOFF = 1e-4
"""Decay at which an undriven channel's trace and eligibility are cleared (A: a
negligible remainder; see ``NetworkConfig.idle_window_ticks``)."""
MAX_IDLE_WINDOW_TICKS = 2 ** 62
MAX_PULSES_LIMIT = 1_000_000
"""Most programming pulses one synapse may be asked for in one update (a sanity bound)."""


@dataclass(frozen=True)
class NetworkConfig:
    """Sizes, time steps and learning-trace settings of a network.

    Attributes
    ----------
    n_neurons, n_inputs : int
        Neurons and input channels.
    dt : float
        Substep, emulated seconds. The default 100 us resolves the 1.6 ms filament
        and 2.5 ms gate time constants of the measured device; the gate node is
        integrated exactly, so the 10 us ON-state constant does not limit it.
    substeps : int
        Substeps per control tick (k); a tick lasts ``substeps * dt``.
    v_spike : float
        Amplitude of the spike driver that carries a neuron's output to its
        recurrent synapses, V (A: chosen to exceed the 0.8 V that fires a neuron).
    tau_trace : float
        Time constant of the presynaptic traces, s.
    tau_eligibility : float
        Time constant of the synaptic eligibility traces, s.
    max_pulses : int
        Most programming pulses one synapse receives in one learning update.
    stochastic_rounding : bool
        Round a weight change to a pulse count stochastically (unbiased for
        changes smaller than one level); off rounds to the nearest count.
    program_threshold : float
        0 (default): every update is programmed at once (rounded as above).
        Above 0: each synapse accumulates its updates in a pending change (a
        high-precision register beside the crossbar, as in Nandakumar et al.,
        Front. Neurosci. 14:406, 2020, "mixed-precision" training on memristive
        arrays) and is programmed only when the pending change reaches this
        many levels, with the nearest whole number of pulses; a verify read of
        the pair then subtracts the change actually made (energy:
        :func:`memctrl.device.synapse.verify_energy`), so write noise and the
        nonlinear pulse response are made up at later programmings instead of
        accumulating (a pending change never asks beyond the weight range
        [-1, 1]). Updates that cancel cost no pulses and no write noise.
    neuron, synapse : NeuronParams, SynapseParams
        Device parameters.
    """

    n_neurons: int
    n_inputs: int
    dt: float = 100e-6
    substeps: int = 10
    v_spike: float = 1.0
    tau_trace: float = 20e-3
    tau_eligibility: float = 200e-3
    max_pulses: int = 8
    stochastic_rounding: bool = True
    program_threshold: float = 0.0
    neuron: NeuronParams = field(default_factory=lambda: neuron_preset(DEFAULT_NEURON_PRESET))
    synapse: SynapseParams = field(default_factory=lambda: synapse_preset(DEFAULT_SYNAPSE_PRESET))

    def __post_init__(self) -> None:
        check_field_types(self)
        require_count("n_neurons", self.n_neurons)
        require_count("n_inputs", self.n_inputs)
        require_count("substeps", self.substeps)
        require_count("max_pulses", self.max_pulses)
        check_fits(self.n_neurons * self.n_inputs, tick_s(self.n_neurons, self.substeps),
                   f"a network of {self.n_neurons} neurons x {self.n_inputs} inputs x "
                   f"{self.substeps} substeps", "n_neurons, n_inputs or substeps")
        if self.max_pulses > MAX_PULSES_LIMIT:
            raise ValueError(f"max_pulses must be <= {MAX_PULSES_LIMIT}, got {self.max_pulses!r}")
        if not (math.isfinite(self.program_threshold) and self.program_threshold >= 0):
            raise ValueError(f"program_threshold must be a finite number of levels >= 0, "
                             f"got {self.program_threshold!r}")
        for name in ("dt", "v_spike", "tau_trace", "tau_eligibility"):
            require_positive(name, getattr(self, name))
        for name in ("tau_trace", "tau_eligibility"):
            if self.dt / getattr(self, name) > MAX_DECAY_EXPONENT:
                raise ValueError(f"{name} must be >= dt / {MAX_DECAY_EXPONENT:g} = "
                                 f"{self.dt / MAX_DECAY_EXPONENT:.3g} s (a trace would decay "
                                 f"to exactly 0 in one substep), got {getattr(self, name)!r}")
        if not isinstance(self.neuron, NeuronParams):
            raise ValueError(f"neuron must be NeuronParams, got {type(self.neuron).__name__}")
        if not isinstance(self.synapse, SynapseParams):
            raise ValueError(f"synapse must be SynapseParams, got {type(self.synapse).__name__}")

    @property
    def idle_window_ticks(self) -> int:
        """Ticks after which an input channel that has not been driven has its trace and
        its synapses' eligibility cleared: the slower of the two has then decayed to
        ``IDLE_CUTOFF`` (so the compiled core only visits recently driven channels)."""
        slowest = max(self.tau_trace, self.tau_eligibility)
        ticks = math.ceil(slowest * math.log(1.0 / IDLE_CUTOFF) / self.tick_duration)
        return min(ticks, MAX_IDLE_WINDOW_TICKS)

    @property
    def tick_duration(self) -> float:
        """Emulated seconds per control tick."""
        return self.dt * self.substeps

    def replace(self, **changes: object) -> "NetworkConfig":
        """Return a copy with some fields changed (validated like the original)."""
        return dataclasses.replace(self, **changes)

    @property
    def deterministic(self) -> "NetworkConfig":
        """The same network with every source of randomness switched off."""
        return self.replace(neuron=self.neuron.deterministic,
                            synapse=self.synapse.deterministic,
                            stochastic_rounding=False)
