"""The NumPy reference network: the readable spec of the compiled core.

``cext/_core.pyx`` mirrors this class name for name; tests show that both give
the same trajectories in deterministic mode and the same statistics with noise.

One control tick (:meth:`ReferenceNetwork.tick`) with input-channel voltages
``u`` (shape (n_inputs,), V, held for the whole tick):

1. ``drive = w_in @ u`` with ``w_in = (g_in_pos - g_in_neg) / span``.
2. ``substeps`` times, each of ``dt`` emulated seconds (``h = dt / time_scale``
   device seconds):

   a. ``v_in = drive + v_spike * (recurrent weights of the neurons whose output
      was high after the previous substep)``;
   b. :func:`memctrl.device.neuron.neuron_step`;
   c. counters: spikes, membrane updates, synaptic events (one per synapse read:
      every synapse of each non-zero input channel, every outgoing synapse of each
      high output; the latter also counted apart as spike synaptic events) and energies (neuron input and output stage from the neuron
      model; synaptic reads as ``V^2 (g_pos + g_neg) h``);
   d. presynaptic traces: ``trace_in <- a trace_in + (1 - a) u`` (a low-pass of
      the input voltages, V) and ``trace_pre <- a trace_pre + spikes`` with
      ``a = exp(-dt / tau_trace)``;
   e. eligibility: every trace decays by ``exp(-dt / tau_eligibility)``; at each
      postsynaptic spike of neuron i, ``elig_in[i, :] += g * trace_in`` and
      ``elig_rec[s] += g * trace_pre[pre[s]]`` for the synapses s into i, with
      ``g = eligibility_gain`` (1 by default). A read-only pass
      (``eligibility_gain = 0``) lets the traces and the eligibility decay but
      adds nothing; ``-1`` records the tick's spikes with a negative sign (an
      actor population whose action was not taken, see the controller).

Eligibility decays lazily: the arrays hold ``elig / elig_scale`` and only the
scalar ``elig_scale`` decays, so a substep costs O(spikes), not O(synapses).

:meth:`ReferenceNetwork.apply_learning` turns ``learning_rate * signal * elig``
into programming pulses (see its docstring): the three-factor rule as a chip
would apply it.
"""

from __future__ import annotations

import math

import numpy as np

from memctrl.device.neuron import NeuronState, neuron_step
from memctrl.device.synapse import depress, potentiate, verify_energy, write_energy
from memctrl.network.config import NetworkConfig
from memctrl.network.wiring import NetworkArrays, outgoing_index

COUNTER_NAMES = (
    "spikes", "membrane_updates", "synaptic_events", "programming_pulses",
    "neuron_input_energy_j", "neuron_output_energy_j", "synapse_read_energy_j",
    "programming_energy_j", "spike_synaptic_events", "weights_written",
)
"""Event counters kept by every backend, in this order. ``synaptic_events`` counts
every synapse read; ``spike_synaptic_events`` the part of them driven by a high
output through a recurrent synapse (accumulates), the rest read an input voltage
(multiply-accumulates). ``weights_written`` counts the pairs programmed (one per
synapse an update sent at least one pulse, however many it sent): the writes a
digital learner of the same rule would make."""

ADDED_COUNTERS = {"weights_written": "programming_pulses"}
"""Counters added after records and checkpoints were first written, each with the
counter a record from before it stands in with: ``weights_written`` was priced as
one per programming pulse then (an upper bound, as every pulse writes a weight)."""


def with_added_counters(counters: dict) -> dict:
    """``counters`` (a record's or a checkpoint's, name to value) with every counter
    of ``ADDED_COUNTERS`` it lacks filled in from its stand-in, when that is there."""
    filled = dict(counters)
    for added, stand_in in ADDED_COUNTERS.items():
        if added not in filled and stand_in in filled:
            filled[added] = filled[stand_in]
    return filled

ELIG_RENORMALIZE_BELOW = 1e-30
"""Fold ``elig_scale`` into the stored eligibility as soon as it decays below this
(checked every substep, so it never underflows)."""

BALANCED_WITHIN = 1e-9
"""A pair whose summed conductance is within this fraction of the span of
``g_min + g_max`` counts as centred (see ``ReferenceNetwork.apply_learning``).
Pairs are programmed symmetrically about mid-range, so a fresh pair sits exactly
on the tie up to rounding; an exact comparison would send its first pulse to one
device or the other depending on the last bit of the initial conductances."""


class ReferenceNetwork:
    """Pure NumPy network; see the module docstring for the tick."""

    def __init__(self, config: NetworkConfig, arrays: NetworkArrays, seed: int) -> None:
        self.config = config
        self.rng = np.random.default_rng(seed)
        n, m = config.n_neurons, config.n_inputs
        self.mu = arrays.mu.copy()
        self.r_leak = arrays.r_leak.copy()
        self.g_in_pos = arrays.g_in_pos.copy()
        self.g_in_neg = arrays.g_in_neg.copy()
        self.nu_in_ltp = arrays.nu_in_ltp.copy()
        self.nu_in_ltd = arrays.nu_in_ltd.copy()
        self.rec_indptr = arrays.rec_indptr.copy()
        self.rec_pre = arrays.rec_pre.copy()
        self.g_rec_pos = arrays.g_rec_pos.copy()
        self.g_rec_neg = arrays.g_rec_neg.copy()
        self.nu_rec_ltp = arrays.nu_rec_ltp.copy()
        self.nu_rec_ltd = arrays.nu_rec_ltd.copy()
        self.out_indptr, self.out_syn, self.rec_post = outgoing_index(
            self.rec_indptr, self.rec_pre, n)
        self.elig_in = np.zeros((n, m))
        self.elig_rec = np.zeros(self.rec_pre.size)
        self.pending_in = np.zeros((n, m))          # see NetworkConfig.program_threshold
        self.pending_rec = np.zeros(self.rec_pre.size)
        self.counters = np.zeros(len(COUNTER_NAMES))
        self.eligibility_gain = 1.0
        self.tick_count = 0
        self.reset_state()

    # -- state ---------------------------------------------------------------------

    def reseed(self, seed: int) -> None:
        """Restart the network's own randomness (neuron noise, stochastic rounding,
        write noise) from ``seed``; devices, state and counters are kept."""
        self.rng = np.random.default_rng(seed)

    def reset_neurons(self) -> None:
        """Neurons to rest; traces, eligibility, conductances and counters are kept."""
        state = NeuronState.rest(self.config.n_neurons)
        self.filament, self.residue = state.filament, state.residue
        self.v_gate, self.output = state.v_gate, state.output

    def reset_state(self) -> None:
        """Neurons to rest and traces to zero; conductances and counters are kept."""
        n, m = self.config.n_neurons, self.config.n_inputs
        self.reset_neurons()
        self.trace_in = np.zeros(m)
        self.trace_pre = np.zeros(n)
        self.elig_in[:] = 0.0
        self.elig_rec[:] = 0.0
        self.elig_scale = 1.0
        self.last_driven = np.full(m, -1, dtype=np.int64)   # tick; -1: not since the reset

    def eligibility_in(self) -> np.ndarray:
        """Eligibility of the input synapses, shape (n_neurons, n_inputs)."""
        return self.elig_in * self.elig_scale

    def eligibility_rec(self) -> np.ndarray:
        """Eligibility of the recurrent synapses, shape (n_synapses,)."""
        return self.elig_rec * self.elig_scale

    def _renormalize_eligibility(self) -> None:
        self.elig_in *= self.elig_scale
        self.elig_rec *= self.elig_scale
        self.elig_scale = 1.0

    # -- one control tick ----------------------------------------------------------

    def tick(self, input_v: np.ndarray, spike_counts: np.ndarray) -> None:
        """Advance one control tick; ``spike_counts`` (int32, (n,)) receives the spikes."""
        cfg, syn, neuron = self.config, self.config.synapse, self.config.neuron
        h = cfg.dt / neuron.time_scale
        w_rec = (self.g_rec_pos - self.g_rec_neg) / syn.span
        drive, read_power_in = self._input_drive(input_v)
        self._clear_idle_channels(input_v)
        active_channels = np.count_nonzero(input_v)
        g_rec_sum = self.g_rec_pos + self.g_rec_neg
        trace_decay = math.exp(-cfg.dt / cfg.tau_trace)
        elig_decay = math.exp(-cfg.dt / cfg.tau_eligibility)
        state = NeuronState(self.filament, self.residue, self.v_gate, self.output)
        spike_counts[:] = 0

        for _ in range(cfg.substeps):
            high = np.flatnonzero(state.output)
            synapses = np.concatenate([self.out_syn[self.out_indptr[k]:self.out_indptr[k + 1]]
                                       for k in high]) if high.size else np.zeros(0, np.int32)
            rec_drive = np.zeros(cfg.n_neurons)
            np.add.at(rec_drive, self.rec_post[synapses], w_rec[synapses])
            v_in = drive + cfg.v_spike * rec_drive

            result = neuron_step(v_in, state, neuron, self.mu, self.r_leak, cfg.dt, self.rng)

            self.counters[0] += np.count_nonzero(result.spikes)
            self.counters[1] += cfg.n_neurons
            self.counters[2] += active_channels * cfg.n_neurons + synapses.size
            self.counters[8] += synapses.size
            self.counters[4] += result.input_energy.sum()
            self.counters[5] += result.output_energy.sum()
            read_power = read_power_in + cfg.v_spike ** 2 * g_rec_sum[synapses].sum()
            self.counters[6] += read_power * h

            self.trace_in = trace_decay * self.trace_in + (1.0 - trace_decay) * input_v
            self.trace_pre = trace_decay * self.trace_pre + result.spikes
            self.elig_scale *= elig_decay
            if self.elig_scale < ELIG_RENORMALIZE_BELOW:
                self._renormalize_eligibility()
            gain = self.eligibility_gain / self.elig_scale
            for i in np.flatnonzero(result.spikes) if gain != 0.0 else ():
                self.elig_in[i] += gain * self.trace_in
                into = slice(self.rec_indptr[i], self.rec_indptr[i + 1])
                self.elig_rec[into] += gain * self.trace_pre[self.rec_pre[into]]
            spike_counts += result.spikes

        self.filament, self.residue = state.filament, state.residue
        self.v_gate, self.output = state.v_gate, state.output

    def _input_drive(self, input_v: np.ndarray) -> tuple[np.ndarray, float]:
        """``drive = w_in @ input_v`` and the read power of the input synapses, W."""
        w_in = (self.g_in_pos - self.g_in_neg) / self.config.synapse.span
        read_power = float(np.sum(input_v ** 2 * np.sum(self.g_in_pos + self.g_in_neg, axis=0)))
        return w_in @ input_v, read_power

    def _clear_idle_channels(self, input_v: np.ndarray) -> None:
        """Note the channels driven in this tick; clear the trace and the eligibility of
        those left undriven for longer than ``config.idle_window_ticks``."""
        self.tick_count += 1
        self.last_driven[input_v != 0.0] = self.tick_count
        idle = (self.last_driven >= 0) & (
            self.tick_count - self.last_driven > self.config.idle_window_ticks)
        self.trace_in[idle] = 0.0
        self.elig_in[:, idle] = 0.0
        self.last_driven[idle] = -1

    # -- column reads (no neurons) ---------------------------------------------------

    def read_drive(self, input_v: np.ndarray, drive: np.ndarray) -> None:
        """One read of the columns without ticking the neurons: ``drive`` ((n,), V)
        receives ``w_in @ input_v``, the column currents as a transimpedance stage
        reads them (a crossbar's dot product).

        The read lasts one write-pulse width, as a verify read does (``t_write``,
        :func:`memctrl.device.synapse.verify_energy`): it counts every synapse of a
        driven channel as a synaptic event and ``input_v^2 (g_pos + g_neg) t_write``
        as read energy. Neurons, traces and eligibility do not change.
        """
        drive[:], read_power = self._input_drive(input_v)
        self.counters[2] += np.count_nonzero(input_v) * self.config.n_neurons
        self.counters[6] += read_power * self.config.synapse.t_write

    def record_inputs(self, input_v: np.ndarray, gain: float) -> None:
        """Presynaptic eligibility: every input synapse of every neuron adds
        ``gain * input_v[j]`` to its eligibility, whether the neuron fires or not (the
        eligibility of a linear readout, Barto, Sutton & Anderson's ACE, 1983).

        It counts as one tick for the eligibility: first the eligibility decays as
        over one tick (``exp(-dt / tau_eligibility) ** substeps``) and the idle
        channels are cleared (:meth:`_clear_idle_channels`). Neurons do not change.
        """
        cfg = self.config
        self._clear_idle_channels(input_v)
        self.elig_scale *= math.exp(-cfg.dt / cfg.tau_eligibility) ** cfg.substeps
        if self.elig_scale < ELIG_RENORMALIZE_BELOW:
            self._renormalize_eligibility()
        self.elig_in += (gain / self.elig_scale) * input_v

    def set_counters(self, values: np.ndarray) -> None:
        """Overwrite the counters (in ``COUNTER_NAMES`` order): a restored network's
        counts go on from where its checkpoint left them."""
        self.counters[...] = np.asarray(values, dtype=np.float64).reshape(self.counters.shape)

    # -- learning ------------------------------------------------------------------

    def set_pending(self, pending_in: np.ndarray, pending_rec: np.ndarray) -> None:
        """Overwrite the pending (accumulated, not yet programmed) weight changes."""
        self.pending_in[...] = np.asarray(pending_in, dtype=np.float64).reshape(
            self.pending_in.shape)
        self.pending_rec[...] = np.asarray(pending_rec, dtype=np.float64).reshape(
            self.pending_rec.shape)

    def record_spikes(self, spike_counts: np.ndarray, gain: float) -> None:
        """Add the spikes of a past tick to the eligibility, with ``gain``.

        For every neuron i with ``spike_counts[i] > 0``: ``elig_in[i] += gain *
        count_i * trace_in`` and ``elig_rec[into i] += gain * count_i *
        trace_pre[pre]``, with the traces as they are now. After a read-only
        tick (``eligibility_gain = 0``) with slowly varying inputs this records
        the tick's spikes as a plastic tick would have, with a gain chosen once
        the tick's outcome is known: an actor population adds its decision
        spikes with +1 if its action was taken, else with a negative gain.
        """
        gain = gain / self.elig_scale
        for i in np.flatnonzero(spike_counts):
            self.elig_in[i] += gain * spike_counts[i] * self.trace_in
            into = slice(self.rec_indptr[i], self.rec_indptr[i + 1])
            self.elig_rec[into] += gain * spike_counts[i] * self.trace_pre[self.rec_pre[into]]

    def apply_learning(self, signal: float, learning_rate: float) -> None:
        """Program every synapse by ``learning_rate * signal * eligibility``.

        A weight change ``dw`` (dimensionless, span = 1) becomes
        ``n = floor(|dw| * levels + u)`` pulses, ``u ~ U(0, 1)`` with stochastic
        rounding, else ``u = 0.5``; at most ``max_pulses``. Each pulse goes to the
        device of the pair that keeps the pair centred: with the pair's sum
        ``g_pos + g_neg`` at or below ``g_min + g_max`` (see ``BALANCED_WITHIN``),
        a raising pulse potentiates ``g_pos`` and a lowering one ``g_neg``; above
        it, a raising pulse depresses ``g_neg`` and a lowering one ``g_pos``. So
        the pair's mean stays within about one step of mid-range, the devices
        sit near ``mid +- w span / 2``, no device is pinned at a bound and every
        weight in [-1, 1] stays reachable. Programming by potentiation alone
        (until a device saturates) would instead ratchet both devices of every
        pair up towards ``g_max`` (higher read energy, and a weight then moves
        through one device only). With a nonlinear pulse response the two
        directions are equal only at ``w = 0``: elsewhere the step towards 0 is
        the larger (the device it moves sits on the steeper part of its curve),
        so a zero-mean train of pulses relaxes a weight towards 0.
        Every pulse is counted and its energy ``V^2 G t_write`` (at the
        conductance before the pulse) added; every synapse that got a pulse counts
        one weight written.

        With ``config.program_threshold > 0`` the changes are accumulated instead
        (``pending_in``, ``pending_rec``): a synapse whose pending change reaches
        the threshold (in levels) gets the nearest whole number of pulses, as
        above, and then a verify read of its pair: the change actually made is
        subtracted from the pending one, which is then clipped so that weight +
        pending stays within [-1, 1]. No stochastic rounding is needed (the
        remainder waits), and write noise and the nonlinear response are made up
        at the next programming instead of adding up. A synapse without
        eligibility is left alone, pending change and all, until an update
        reaches it (so the compiled core visits only the input channels driven
        since :meth:`reset_state`, whatever the size of the code). The verify read's energy
        (:func:`memctrl.device.synapse.verify_energy`) goes to the programming
        energy.
        """
        self._renormalize_eligibility()
        for g_pos, g_neg, nu_ltp, nu_ltd, elig, pending in (
                (self.g_in_pos, self.g_in_neg, self.nu_in_ltp, self.nu_in_ltd, self.elig_in,
                 self.pending_in),
                (self.g_rec_pos, self.g_rec_neg, self.nu_rec_ltp, self.nu_rec_ltd, self.elig_rec,
                 self.pending_rec)):
            self._program(g_pos.reshape(-1), g_neg.reshape(-1), nu_ltp.reshape(-1),
                          nu_ltd.reshape(-1), learning_rate * signal * elig.reshape(-1),
                          pending.reshape(-1))

    def _program(self, g_pos: np.ndarray, g_neg: np.ndarray, nu_ltp: np.ndarray,
                 nu_ltd: np.ndarray, dw: np.ndarray, pending: np.ndarray) -> None:
        cfg, syn = self.config, self.config.synapse
        size = dw.size
        if cfg.program_threshold > 0:
            # accumulate; program the nearest whole number of pulses once the
            # pending change reaches the threshold, and keep the remainder
            pending += dw
            wanted = np.abs(pending) * syn.levels
            pulses = np.where((dw != 0) & (wanted >= cfg.program_threshold),
                              np.minimum(np.floor(wanted + 0.5), cfg.max_pulses), 0.0)
            up = pending > 0
            weight_before = (g_pos - g_neg) / syn.span
        else:
            rounding = self.rng.random(size) if cfg.stochastic_rounding else np.full(size, 0.5)
            pulses = np.minimum(np.floor(np.abs(dw) * syn.levels + rounding), cfg.max_pulses)
            up = dw > 0
        centred_sum = syn.g_min + syn.g_max + BALANCED_WITHIN * syn.span
        for p in range(int(pulses.max(initial=0))):
            hit = pulses > p
            below = g_pos + g_neg <= centred_sum
            raise_pos = hit & up & below
            lower_neg = hit & up & ~below
            raise_neg = hit & ~up & below
            lower_pos = hit & ~up & ~below
            noise = self.rng.standard_normal(size) if syn.c2c_sigma > 0 else np.zeros(size)
            energy = (write_energy(g_pos[raise_pos], syn.v_set, syn).sum()
                      + write_energy(g_neg[raise_neg], syn.v_set, syn).sum()
                      + write_energy(g_pos[lower_pos], syn.v_reset, syn).sum()
                      + write_energy(g_neg[lower_neg], syn.v_reset, syn).sum())
            g_pos[raise_pos] = potentiate(g_pos[raise_pos], nu_ltp[raise_pos], syn, noise[raise_pos])
            g_pos[lower_pos] = depress(g_pos[lower_pos], nu_ltd[lower_pos], syn, noise[lower_pos])
            g_neg[raise_neg] = potentiate(g_neg[raise_neg], nu_ltp[raise_neg], syn, noise[raise_neg])
            g_neg[lower_neg] = depress(g_neg[lower_neg], nu_ltd[lower_neg], syn, noise[lower_neg])
            self.counters[3] += np.count_nonzero(hit)
            self.counters[7] += energy
        self.counters[9] += np.count_nonzero(pulses)
        if cfg.program_threshold > 0:
            # verify: read each programmed pair and keep what it still lacks (write
            # noise and the nonlinear response are corrected at later programmings),
            # but never more than the weight range [-1, 1] leaves
            done = pulses > 0
            weight = (g_pos[done] - g_neg[done]) / syn.span
            lacking = pending[done] - (weight - weight_before[done])
            pending[done] = np.clip(lacking, -1.0 - weight, 1.0 - weight)
            self.counters[7] += verify_energy(g_pos[done] + g_neg[done], syn).sum()
