"""Controller checkpoints: one NumPy ``.npz`` holding everything a run needs to go on.

Arrays ``g_pos_K`` and ``g_neg_K`` hold the input conductances of population K
(the actor's, then the critic's ``+`` and ``-``), ``pending_K`` its changes
waiting to be programmed (controllers that accumulate them); ``meta`` (JSON)
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

from memctrl.controller.config import ControllerConfig
from memctrl.network.reference import COUNTER_NAMES
from memctrl.run_record import atomic_write_bytes

if TYPE_CHECKING:
    from memctrl.controller.agent import SpikingController

CHECKPOINT_FORMAT = "memctrl-controller/2"
"""/2: running observation and reward statistics; the self-configuring ControllerConfig."""


def save(controller: "SpikingController", path: Path) -> None:
    """Write ``controller``'s checkpoint to ``path`` (temporary file, then rename)."""
    atomic_write_bytes(path, to_bytes(controller))


def to_bytes(controller: "SpikingController") -> bytes:
    """The checkpoint of ``controller`` as bytes."""
    meta = {"format": CHECKPOINT_FORMAT, "seed": controller.seed, "backend": controller.backend,
            "config": dataclasses.asdict(controller.config),
            "observation_space": _space_to_json(controller.observation_space),
            "action_space": _space_to_json(controller.action_space),
            "counters": controller.counters, "steps": controller.steps,
            "resets": controller.resets, "rule": controller.rule.state(),
            "observation_moments": controller.encoder.frame.state()}
    arrays = {"meta": np.array(json.dumps(meta))}
    for index, net in enumerate(controller.networks):
        g_pos, g_neg = net.input_conductances()
        arrays[f"g_pos_{index}"], arrays[f"g_neg_{index}"] = g_pos, g_neg
        if controller.config.program_threshold_levels > 0:   # else always zero
            arrays[f"pending_{index}"] = net.pending_updates()[0]
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def load(path: Path, backend: str | None = None) -> "SpikingController":
    """Read a checkpoint file; ValueError names the file for a missing, truncated or
    foreign one."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValueError(f"{path}: cannot read the checkpoint ({error})") from None
    return from_bytes(data, str(path), backend)


def from_bytes(data: bytes, name: str = "<bytes>",
               backend: str | None = None) -> "SpikingController":
    """A controller from checkpoint bytes; ValueError (naming ``name``) if they are not one."""
    from memctrl.controller.agent import SpikingController   # it imports this module
    if not data.startswith(b"PK\x03\x04"):
        raise ValueError(f"{name}: not a {CHECKPOINT_FORMAT} checkpoint (not an .npz archive)")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            meta = json.loads(str(archive["meta"]))
            if not isinstance(meta, dict) or meta.get("format") != CHECKPOINT_FORMAT:
                raise ValueError("wrong format tag")
            count = len([key for key in archive.files if key.startswith("g_pos_")])
            conductances = [(archive[f"g_pos_{i}"], archive[f"g_neg_{i}"]) for i in range(count)]
            # a checkpoint holds pending changes only if its controller accumulates
            pending = [archive[f"pending_{i}"] if f"pending_{i}" in archive.files else None
                       for i in range(count)]
        controller = SpikingController.from_state(
            _space_from_json(meta["observation_space"]), _space_from_json(meta["action_space"]),
            ControllerConfig.from_items(meta["config"]), meta["seed"],
            backend or meta["backend"], conductances)
        for net, pending_in in zip(controller.networks, pending):
            if pending_in is not None:
                net.set_pending_updates(pending_in, net.pending_updates()[1])
        controller._counter_offset = np.array(
            [float(meta["counters"][counter]) for counter in COUNTER_NAMES])
        controller.steps = int(meta["steps"])
        controller.resets = int(meta["resets"])
        controller.rule.set_state(meta["rule"])
        controller.encoder.frame.set_state(meta["observation_moments"])
    except Exception as error:  # noqa: BLE001 - any failure means: not our checkpoint
        raise ValueError(f"{name}: not a valid {CHECKPOINT_FORMAT} checkpoint "
                         f"({type(error).__name__}: {error})") from None
    return controller


def _space_to_json(space: spaces.Space) -> dict:
    if isinstance(space, spaces.Discrete):
        return {"type": "Discrete", "n": int(space.n), "start": int(space.start)}
    if isinstance(space, spaces.Box):
        return {"type": "Box", "low": np.asarray(space.low, float).tolist(),
                "high": np.asarray(space.high, float).tolist(), "dtype": str(space.dtype)}
    raise ValueError(f"unsupported space {space}")


def _space_from_json(item: dict) -> spaces.Space:
    if item["type"] == "Discrete":
        return spaces.Discrete(item["n"], start=item["start"])
    if item["type"] == "Box":
        dtype = np.dtype(item["dtype"])
        return spaces.Box(np.array(item["low"], dtype), np.array(item["high"], dtype), dtype=dtype)
    raise ValueError(f"unknown space type {item['type']!r}")
