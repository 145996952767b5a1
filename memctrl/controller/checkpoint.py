"""Controller checkpoints: one NumPy ``.npz`` holding everything a run needs to go on.

Arrays ``g_pos_K`` and ``g_neg_K`` hold the input conductances of population K
(the actor's, then the critic's column), ``pending_K`` its changes
waiting to be programmed (controllers that accumulate them), ``counters_K`` its event
counters (so that a resumed run counts on to the last digit); ``meta`` (JSON)
the format tag, seed, backend, the resolved settings, both spaces, the
counters, the step and reset counts, the learning rule's running means and
the running statistics of observations and rewards. A checkpoint is written
to a temporary file renamed into place; reading one that is truncated, foreign
or inconsistent raises ValueError naming it, and nothing is half-restored.
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from gymnasium import spaces

from memctrl._checks import (require_count, require_keys, require_number, require_setting,
                             shown)
from memctrl.controller.config import ControllerConfig
from memctrl.network.reference import COUNTER_NAMES, with_added_counters
from memctrl.run_record import atomic_write_bytes, read_regular_bytes

if TYPE_CHECKING:
    from memctrl.controller.agent import SpikingController

CHECKPOINT_FORMAT = "memctrl-controller/4"
"""/2: running observation and reward statistics; the self-configuring ControllerConfig.
/3: the critic is one read column (was two spiking populations).
/4: the observation frame keeps its widest spread; Discrete actors' presynaptic action trace;
since 2026-12-05 (session 9) also the bounded dimensions' fixed scales
(``observation_frame.bounded_scale``), which a reader of before refuses as an unexpected
key; a checkpoint without them keeps its bounds. Since 2026-12-05 (session 11) the config
holds ``critic_optimism`` (a reader of before refuses it); a checkpoint without it was made
by a critic that started at 0, which its config then says. Since 2026-12-06 (session 17)
the config holds ``control_period_s``, ``exploration_sigma`` and ``exploration_tau_s`` (a
reader of before refuses them); a checkpoint without them has no control period: no
correlated exploration, and the saved ``gamma``, ``lambda_actor`` and population stand.
Since 2026-12-07 (session 30) each population's counters (``counters_K``) beside their total
(``meta.counters``); a checkpoint without them gives its total to population 0, as readers
of before restored it, and counts on within rounding."""
META_KEYS = ("format", "seed", "backend", "config", "observation_space", "action_space",
             "counters", "steps", "resets", "rule", "observation_frame")
"""The keys of a checkpoint's ``meta``, each required."""


def save(controller: "SpikingController", path: Path) -> None:
    """Write ``controller``'s checkpoint to ``path`` (temporary file, then rename)."""
    atomic_write_bytes(path, to_bytes(controller))


def overflowed_counters(controller: "SpikingController") -> list[str]:
    """The counters of ``controller`` that are no longer finite (its device parameters
    overflow the model): none, or a checkpoint of it could not be loaded."""
    return [name for name, value in controller.counters.items() if not np.isfinite(value)]


def to_bytes(controller: "SpikingController") -> bytes:
    """The checkpoint of ``controller`` as bytes; ValueError, nothing written, if its
    counters are no longer finite (:func:`load` would refuse the checkpoint)."""
    overflowed = overflowed_counters(controller)
    if overflowed:
        raise ValueError(f"the controller's modelled counts are no longer finite "
                         f"({', '.join(overflowed)}): its device parameters overflow the "
                         "model (see neuron_overrides, synapse_overrides); no checkpoint written")
    meta = {"format": CHECKPOINT_FORMAT, "seed": controller.seed, "backend": controller.backend,
            "config": dataclasses.asdict(controller.config),
            "observation_space": _space_to_json(controller.observation_space),
            "action_space": _space_to_json(controller.action_space),
            "counters": controller.counters, "steps": controller.steps,
            "resets": controller.resets, "rule": controller.rule.state(),
            "observation_frame": controller.encoder.frame.state()}
    arrays = {"meta": np.array(json.dumps(meta))}
    for index, net in enumerate(controller.networks):
        g_pos, g_neg = net.input_conductances()
        arrays[f"g_pos_{index}"], arrays[f"g_neg_{index}"] = g_pos, g_neg
        if controller.config.program_threshold_levels > 0:   # else always zero
            arrays[f"pending_{index}"] = net.pending_updates()[0]
        arrays[f"counters_{index}"] = np.fromiter(net.counters.values(), float)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def load(path: Path, backend: str | None = None) -> "SpikingController":
    """Read a checkpoint file; ValueError names the file for a missing, truncated or
    foreign one."""
    try:
        data = read_regular_bytes(path)
    except OSError as error:
        raise ValueError(f"{path}: cannot read the checkpoint ({error.strerror})") from None
    return from_bytes(data, str(path), backend)


def from_bytes(data: bytes, name: str = "<bytes>",
               backend: str | None = None) -> "SpikingController":
    """A controller from checkpoint bytes; ValueError (naming ``name``) if they are not one."""
    from memctrl.controller.agent import SpikingController   # it imports this module
    if not data.startswith(b"PK\x03\x04"):
        raise ValueError(f"{name}: not a {CHECKPOINT_FORMAT} checkpoint (not an .npz archive)")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            meta = _checked_meta(json.loads(str(archive["meta"])))
            count = len([key for key in archive.files if key.startswith("g_pos_")])
            conductances = [(archive[f"g_pos_{i}"], archive[f"g_neg_{i}"]) for i in range(count)]
            pending = [archive[f"pending_{i}"] if f"pending_{i}" in archive.files else None
                       for i in range(count)]
            counters = [archive[f"counters_{i}"] for i in range(count)
                        if f"counters_{i}" in archive.files]
        controller = SpikingController.from_state(
            _space_from_json(meta["observation_space"]), _space_from_json(meta["action_space"]),
            ControllerConfig.from_items({"critic_optimism": 0.0, **meta["config"]}),
            meta["seed"], backend or meta["backend"], conductances)
        # a checkpoint holds pending changes if and only if its controller accumulates them
        accumulates = controller.config.program_threshold_levels > 0
        for index, (net, pending_in) in enumerate(zip(controller.networks, pending)):
            if (pending_in is not None) != accumulates:
                raise ValueError(f"pending_{index} must be present if and only if "
                                 "program_threshold_levels > 0")
            if pending_in is not None:
                net.set_pending_updates(pending_in, net.pending_updates()[1])
        _restore_counters(controller, counters, meta["counters"])
        controller.steps, controller.resets = meta["steps"], meta["resets"]
        controller.rule.set_state(meta["rule"])
        controller.encoder.frame.set_state(meta["observation_frame"])
    except Exception as error:  # noqa: BLE001 - any failure means: not our checkpoint
        raise ValueError(f"{name}: not a valid {CHECKPOINT_FORMAT} checkpoint "
                         f"({type(error).__name__}: {error})") from None
    return controller


def _restore_counters(controller: "SpikingController", counters: list[np.ndarray],
                      total: dict[str, float]) -> None:
    """Each population's saved counters into its network; ValueError unless there is
    one array per population whose sum is ``total``. Without them (a checkpoint of
    before session 30) population 0 takes the whole ``total``."""
    networks = controller.networks
    if not counters:
        counters = [np.array([total[name] for name in COUNTER_NAMES])]
        counters += [np.zeros(len(COUNTER_NAMES))] * (len(networks) - 1)
    if len(counters) != len(networks):
        raise ValueError(f"counters_K: {len(counters)} arrays for {len(networks)} populations")
    for index, (net, values) in enumerate(zip(networks, counters)):
        try:
            net.set_counters(values)
        except ValueError as error:
            raise ValueError(f"counters_{index}: {error}") from None
    summed = controller.counters
    if not all(np.isclose(summed[name], total[name], rtol=1e-12, atol=0.0)
               for name in COUNTER_NAMES):
        raise ValueError("counters_K do not add up to meta.counters")


def _checked_meta(meta: object) -> dict:
    """``meta`` if it has every key and the format tag, counts that are integers >= 0 and
    counters that are finite numbers >= 0 (the rule's and the observations' statistics
    are checked where they are restored); ValueError naming the key otherwise."""
    require_keys("meta", meta, META_KEYS)
    if meta["format"] != CHECKPOINT_FORMAT:
        raise ValueError(f"meta.format is {shown(meta['format'])}, not {CHECKPOINT_FORMAT}")
    for key in ("seed", "steps", "resets"):
        require_count(f"meta.{key}", meta[key], minimum=0)
    if isinstance(meta["counters"], dict):
        meta["counters"] = with_added_counters(meta["counters"])
    require_keys("meta.counters", meta["counters"], COUNTER_NAMES)
    for counter, value in meta["counters"].items():
        if require_number(f"meta.counters.{counter}", value) < 0:
            raise ValueError(f"meta.counters.{counter} must be >= 0, got {value!r}")
    return meta


def _space_to_json(space: spaces.Space) -> dict:
    if isinstance(space, spaces.Discrete):
        return {"type": "Discrete", "n": int(space.n), "start": int(space.start)}
    if isinstance(space, spaces.Box):
        return {"type": "Box", "low": np.asarray(space.low, float).tolist(),
                "high": np.asarray(space.high, float).tolist(), "dtype": str(space.dtype)}
    raise ValueError(f"unsupported space {space}")


def _space_from_json(item: object) -> spaces.Space:
    """The space ``_space_to_json`` wrote; ValueError naming a missing key or a value of
    the wrong type."""
    if not isinstance(item, dict):
        raise ValueError(f"a space must be a mapping, got {shown(item)}")
    kind = item.get("type")
    if kind == "Discrete":
        require_keys("Discrete space", item, ("type", "n", "start"))
        return spaces.Discrete(require_count("Discrete space n", item["n"]),
                               start=require_setting("Discrete space start", item["start"], int))
    if kind == "Box":
        require_keys("Box space", item, ("type", "low", "high", "dtype"))
        low, high = (require_setting(f"Box space {key}", item[key], list)
                     for key in ("low", "high"))
        dtype = np.dtype(require_setting("Box space dtype", item["dtype"], str))
        return spaces.Box(np.array(low, dtype), np.array(high, dtype), dtype=dtype)
    raise ValueError(f"unknown space type {shown(kind)}")
