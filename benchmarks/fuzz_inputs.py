"""Inputs that are wrong by construction, for ``benchmarks/fuzz.py``: each generator
takes a seeded ``numpy.random.Generator`` and returns one bad setting, vector, settings
file, checkpoint or ``state.json``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import yaml

from memctrl import ControllerConfig
from memctrl._checks import field_types
from memctrl.network.reference import ADDED_COUNTERS

# Values of the wrong type for each setting type, and out of range for some settings.
WRONG_TYPE = {
    bool: ["false", "true", 0, 1, 1.0, [True], "yes"],
    int: [True, 2.5, "3", [3], float("nan"), "", {"a": 1}],
    float: ["0.5", True, [0.5], "1e-1", float("nan"), float("inf"), -float("inf"), {}],
    str: [1, True, ["fields"], 2.5],
    list: ["1,2", 1.0, [[1.0, 2.0]], ["a", "b"], [True, 1.0], {"a": 1}],
}
OUT_OF_RANGE = {
    "coding": ["grid", ""], "actor_modulation": ["traced"], "neuron_preset": ["none"],
    "synapse_preset": ["x"], "grid_tilings": [0, -8], "fields_per_dim": [1, 0, 10**12],
    "actor_population": [0, -1, 10**10],
    "substeps": [0, -1, 2**31 - 1, 10**12], "max_pulses": [0, 10**7], "dt_s": [0.0, -5e-4],
    "tau_trace_s": [0.0, -1.0, 1e-300], "gamma": [0.0, 1.0, 2.0, -0.5],
    "lambda_actor": [0.0, 1.0, 1.5], "lambda_critic": [0.0, 1.0, -0.1],
    "actor_rate": [-0.1], "critic_rate": [-1.0], "reward_rate": [0.0, 1.5, -0.1],
    "init_weight_spread": [-0.1, 5.0], "program_threshold_levels": [-1.0],
    "v_total_v": [0.0, -2.5], "init_drive_v": [1e9, -1e9], "scales": [[1.0], [1.0, 0.0],
                                                                    [1.0, -1.0]],
    "grid_bins": [[4]], "neuron_overrides": [{"mu": -1.0}, {"nope": 1.0}, {"lam": 0.0},
                                             {"mu": "72"}, [1, 2]],
    "synapse_overrides": [{"levels": 1}, {"g_min": 1.0}, {"levels": 2.5}, "x"],
}
BAD_NUMBERS = [float("nan"), float("inf"), -float("inf")]


def bad_setting(rng: np.random.Generator) -> dict:
    """One ControllerConfig field with a bad value."""
    types = field_types(ControllerConfig)
    name = str(rng.choice(sorted(set(types) | set(OUT_OF_RANGE))))
    choices = list(OUT_OF_RANGE.get(name, []))
    if name in types:
        choices += WRONG_TYPE[types[name][0]]
    settings = {name: choices[rng.integers(len(choices))]}
    if name in ("grid_bins", "fields_per_dim"):   # settings of one coding: make it used
        settings["coding"] = "tiles" if name == "grid_bins" else "fields"
    return settings


def pick(rng: np.random.Generator, values: list):
    return values[rng.integers(len(values))]


def bad_vector(rng: np.random.Generator, length: int, limit: float | None = None) -> object:
    """A vector that must be refused: a wrong length or shape, NaN/inf, beyond ``limit``
    (if there is one) or not real numbers."""
    kind = rng.integers(5)
    good = rng.uniform(-1.0, 1.0, length)
    if kind == 0:
        return rng.uniform(-1, 1, pick(rng, [0, 1, length + 1, length * 3]))
    if kind == 1:
        good[rng.integers(length)] = pick(rng, BAD_NUMBERS)
        return good
    if kind == 2 and limit is not None:
        good[rng.integers(length)] = pick(rng, [1.5, -1e9, 1e308]) * limit
        return good
    if kind == 2:
        return good.reshape(1, -1)
    if kind == 3:
        return pick(rng, ["0.1, 0.2", None, {"x": 1}, object(), [[0.1] * length] * 2])
    return good.astype(complex) + 1j


def bad_settings_text(rng: np.random.Generator) -> str:
    """A settings file that ``memctrl train --config`` must refuse."""
    kind = rng.integers(6)
    if kind == 0:
        return yaml.safe_dump(bad_setting(rng))
    if kind == 1:   # aliases, a known key holding them
        return "a: &a [1, 1]\nscales: *a\n"
    if kind == 2:
        depth = int(rng.integers(33, 3000))
        return "grid_bins: " + "[" * depth + "]" * depth + "\n"
    if kind == 3:
        return pick(rng, ["- 1\n- 2\n", "just text\n", "{scales: [1, 2\n", "42\n",
                          "gird_bins: [3, 3]\n", "actor_rate: 1e-1\n"])
    if kind == 4:
        return "scales: [" + ", ".join(["1.0"] * int(rng.integers(200_000, 300_000))) + "]\n"
    return rng.bytes(int(rng.integers(1, 200))).decode("latin-1")


def bad_replacement(value: object, in_config: bool, key: str = "") -> list:
    """Values that cannot stand for ``value`` (at ``key``) in a checkpoint's metadata
    ("delete": the key removed; not inside the settings, where a missing field takes its
    default, nor a counter added since checkpoints were first written, which an older
    checkpoint lacks). A Discrete space's ``start`` may be any integer: -1 is not bad there."""
    delete = [] if in_config or key in ADDED_COUNTERS else ["delete"]
    if isinstance(value, bool):
        return [1, "true", [], *delete]
    if isinstance(value, int):
        negative = [] if key == "start" else [-1]
        return [*negative, 2.5, "1", None, True, [], *delete]
    if isinstance(value, float):
        return ["1.0", True, [], float("nan"), float("inf"), *delete]
    if isinstance(value, str):
        return [1, None, [], "unknown-x", *delete]
    if isinstance(value, list):
        return [[], "x", [None], [[1.0]], 1.0, *delete]
    if isinstance(value, dict):
        return [[], "x", 1, *delete]
    return ["x", -1, True]   # None: a setting that the space filled in, or no overrides


def corrupted_meta(data: bytes, rng: np.random.Generator) -> bytes:
    """``data`` with one metadata value (at the top or nested) replaced by a bad one."""
    with np.load(io.BytesIO(data)) as archive:
        arrays = {key: archive[key] for key in archive.files}
    meta = json.loads(str(arrays["meta"]))
    parent, key, in_config = meta, pick(rng, sorted(meta)), False
    while isinstance(parent[key], dict) and parent[key] and rng.integers(3):
        in_config = in_config or (parent is meta and key == "config")
        parent = parent[key]
        key = pick(rng, sorted(parent))
    value = pick(rng, bad_replacement(parent[key], in_config, key))
    if isinstance(value, str) and value == "delete":
        del parent[key]
    else:
        parent[key] = value
    arrays["meta"] = np.array(json.dumps(meta))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def corrupted_bytes(data: bytes, rng: np.random.Generator) -> bytes:
    """``data`` truncated, extended, or with bytes flipped."""
    data = bytearray(data)
    kind = rng.integers(3)
    if kind == 0:
        return bytes(data[:rng.integers(len(data))])
    if kind == 1:
        at = int(rng.integers(len(data)))
        return bytes(data[:at] + rng.bytes(int(rng.integers(1, 64))) + data[at:])
    for _ in range(int(rng.integers(1, 8))):
        at = int(rng.integers(len(data)))
        data[at] ^= int(rng.integers(1, 256))
    return bytes(data)


BAD_COUNTS = ["-1", "0", "x", "", "1.5", "nan", "1e3", "-0"]
BAD_SEEDS = ["-1", "x", "", "1.5", "nan", "-99999999999999999999"]


BAD_STATE = {"env": [-5, None, ""], "seed": [-5, 2.5, None], "episodes_done": [-5, 2.5, None],
             "total_steps": [-5, 2.5, None], "solved_at_episode": [-5, 2.5],
             "reward_threshold": [float("nan")], "wall_s": [-5, None],
             "controller_sha256": [-5, None, "abc"],
             "evaluations": [[{"episode": -1}], "x", None, [1], {}]}
"""Bad values of each key of state.json, besides a string, a list, a mapping, a bool and
the key removed (for the keys that cannot hold them)."""


def bad_state(run: Path, rng: np.random.Generator) -> str:
    """``run``'s state.json with one key given a bad value (or removed); returns the key."""
    path = run / "state.json"
    state = json.loads(path.read_text())
    key = pick(rng, sorted(BAD_STATE))
    generic = ["3", True, "delete"] + ([[], {}] if key != "evaluations" else [])
    value = pick(rng, BAD_STATE[key] + generic[key == "env":])
    if isinstance(value, str) and value == "delete":
        del state[key]
    else:
        state[key] = value
    path.write_text(json.dumps(state))
    return key
