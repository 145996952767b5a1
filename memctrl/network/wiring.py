"""Connectivity and the initial device arrays of a network.

Recurrent synapses are stored by postsynaptic neuron (CSR): the synapses into
neuron ``i`` are ``indptr[i]:indptr[i + 1]``, with presynaptic neurons ``pre``.
Propagation goes by presynaptic neuron, through :func:`outgoing_index`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memctrl.device.neuron import sample_device_mu
from memctrl.device.synapse import conductances_for, sample_device_nu
from memctrl.network.config import NetworkConfig


@dataclass(frozen=True)
class Recurrent:
    """Recurrent synapses in CSR by postsynaptic neuron, with dimensionless weights."""

    indptr: np.ndarray
    pre: np.ndarray
    weight: np.ndarray

    @classmethod
    def empty(cls, n_neurons: int) -> "Recurrent":
        return cls(np.zeros(n_neurons + 1, np.int32), np.zeros(0, np.int32), np.zeros(0))

    @classmethod
    def from_dense(cls, w: np.ndarray) -> "Recurrent":
        """Synapses where ``w[post, pre] != 0``."""
        w = np.asarray(w, dtype=np.float64)
        if w.ndim != 2 or w.shape[0] != w.shape[1]:
            raise ValueError(f"recurrent weights must be square (post, pre), got {w.shape}")
        post, pre = np.nonzero(w)
        indptr = np.zeros(w.shape[0] + 1, np.int32)
        np.cumsum(np.bincount(post, minlength=w.shape[0]), out=indptr[1:])
        return cls(indptr, pre.astype(np.int32), w[post, pre])

    def validate(self, n_neurons: int) -> None:
        """Raise ValueError unless this is a well-formed CSR over ``n_neurons`` neurons."""
        indptr, pre = np.asarray(self.indptr), np.asarray(self.pre)
        for name, array in (("indptr", indptr), ("pre", pre)):
            if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
                raise ValueError(f"recurrent {name} must be a 1-D array of integers, "
                                 f"got dtype {array.dtype} and shape {array.shape}")
        if indptr.shape != (n_neurons + 1,) or indptr[0] != 0:
            raise ValueError(f"recurrent indptr must have shape ({n_neurons + 1},) and start at 0")
        if np.any(np.diff(indptr) < 0) or indptr[-1] != pre.size:
            raise ValueError("recurrent indptr must be non-decreasing and end at len(pre)")
        if pre.size > np.iinfo(np.int32).max:
            raise ValueError(f"at most {np.iinfo(np.int32).max} recurrent synapses, got {pre.size}")
        if pre.size and (pre.min() < 0 or pre.max() >= n_neurons):
            raise ValueError(f"recurrent pre indices must lie in [0, {n_neurons})")
        if np.shape(self.weight) != pre.shape:
            raise ValueError("recurrent weight and pre must have the same length")


def random_recurrent(n_neurons: int, per_neuron: int, weight_scale: float,
                     rng: np.random.Generator) -> Recurrent:
    """Each neuron receives ``per_neuron`` synapses from distinct other neurons.

    Weights are uniform in ``[-weight_scale, weight_scale]``.
    """
    per_neuron = min(per_neuron, n_neurons - 1)
    pre = np.empty((n_neurons, per_neuron), np.int32)
    for post in range(n_neurons):
        others = rng.choice(n_neurons - 1, size=per_neuron, replace=False)
        pre[post] = np.sort(others + (others >= post))
    indptr = np.arange(n_neurons + 1, dtype=np.int32) * per_neuron
    weight = rng.uniform(-weight_scale, weight_scale, size=n_neurons * per_neuron)
    return Recurrent(indptr, pre.ravel(), weight)


def outgoing_index(indptr: np.ndarray, pre: np.ndarray,
                   n_neurons: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index the synapses by presynaptic neuron.

    Returns ``(out_indptr, out_syn, post)``: the synapses leaving neuron ``k`` are
    ``out_syn[out_indptr[k]:out_indptr[k + 1]]``; ``post[s]`` is synapse s's target.
    """
    post = np.repeat(np.arange(n_neurons, dtype=np.int32), np.diff(indptr))
    out_syn = np.argsort(pre, kind="stable").astype(np.int32)
    out_indptr = np.zeros(n_neurons + 1, np.int32)
    np.cumsum(np.bincount(pre, minlength=n_neurons), out=out_indptr[1:])
    return out_indptr, out_syn, post


@dataclass
class NetworkArrays:
    """Per-neuron and per-synapse device arrays a backend is built from."""

    mu: np.ndarray
    r_leak: np.ndarray
    g_in_pos: np.ndarray
    g_in_neg: np.ndarray
    nu_in_ltp: np.ndarray
    nu_in_ltd: np.ndarray
    rec_indptr: np.ndarray
    rec_pre: np.ndarray
    g_rec_pos: np.ndarray
    g_rec_neg: np.ndarray
    nu_rec_ltp: np.ndarray
    nu_rec_ltd: np.ndarray


def build_arrays(config: NetworkConfig, w_in: np.ndarray, recurrent: Recurrent,
                 rng: np.random.Generator, r_leak: np.ndarray | None = None) -> NetworkArrays:
    """Sample the devices (device-to-device spread) and program the initial weights.

    ``w_in`` has shape (n_neurons, n_inputs); weights lie in [-1, 1]. ``r_leak``
    overrides the leak resistor per neuron (ohm), for example to sweep it.
    """
    n, m = config.n_neurons, config.n_inputs
    w_in = np.asarray(w_in, dtype=np.float64)
    if w_in.shape != (n, m):
        raise ValueError(f"input weights must have shape ({n}, {m}), got {w_in.shape}")
    recurrent.validate(n)
    if r_leak is None:
        r_leak = np.full(n, config.neuron.r_leak)
    r_leak = np.asarray(r_leak, dtype=np.float64)
    if r_leak.shape != (n,) or not np.all(np.isfinite(r_leak)) or np.any(r_leak <= 0):
        raise ValueError(f"r_leak must be {n} finite resistances > 0 ohm")
    syn = config.synapse
    g_in_pos, g_in_neg = conductances_for(w_in, syn)
    g_rec_pos, g_rec_neg = conductances_for(recurrent.weight, syn)
    nnz = np.size(recurrent.pre)
    return NetworkArrays(
        mu=sample_device_mu(config.neuron, n, rng),
        r_leak=r_leak.copy(),
        g_in_pos=g_in_pos, g_in_neg=g_in_neg,
        nu_in_ltp=sample_device_nu(syn.nu_ltp, syn.d2d_nu_cv, n * m, rng).reshape(n, m),
        nu_in_ltd=sample_device_nu(syn.nu_ltd, syn.d2d_nu_cv, n * m, rng).reshape(n, m),
        rec_indptr=np.asarray(recurrent.indptr, np.int32),
        rec_pre=np.asarray(recurrent.pre, np.int32),
        g_rec_pos=g_rec_pos, g_rec_neg=g_rec_neg,
        nu_rec_ltp=sample_device_nu(syn.nu_ltp, syn.d2d_nu_cv, nnz, rng),
        nu_rec_ltd=sample_device_nu(syn.nu_ltd, syn.d2d_nu_cv, nnz, rng),
    )
