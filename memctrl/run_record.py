"""The run record: what a run of the core leaves for the power report.

A run directory holds ``run.json``::

    {"format": "memctrl-run/1",
     "source": "bench" | "characterize" | "train" | ...,
     "kernel": "reference" | the compiled kernel's instruction set,
     "network": {"n_neurons", "n_inputs", "n_recurrent_synapses", "substeps",
                 "dt_s", "program_threshold", "control_rate_hz", "neuron_preset",
                 "synapse_preset",
                 "neuron": {NeuronParams fields}, "synapse": {SynapseParams fields}},
     "ticks": int, "emulated_time_s": float,
     "counters": {name: value for name in COUNTER_NAMES}}

A controller's record adds to ``"network"`` ``neuron_ticks_per_step``,
``ticks_per_step``, ``n_sensor_channels`` (the observation's dimensions, which
the power model converts once per step), ``column_reads_per_step`` and
``shared_row_level`` (true when every driven input row carries the same voltage, as
in tile and one-hot codes). A run of ``memctrl_node`` adds ``"messages"``: the node's
message counts so far (observations received and rejected, commands sent, rewards,
episodes).

Units are SI and named in the keys that leave Python. Writes go to a temporary
file that is renamed into place, so a crash never leaves half a record.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from memctrl._checks import require_regular_file
from memctrl.network.config import NetworkConfig
from memctrl.network.network import Network
from memctrl.network.reference import COUNTER_NAMES, with_added_counters

RUN_FILE = "run.json"
PUBLIC_FILE_MODE = 0o644
"""Mode of the files written here, readable by other users as ``open`` would leave
them under the usual umask (``mkstemp`` makes them owner-only)."""
FORMAT = "memctrl-run/1"

logger = logging.getLogger(__name__)


TEMPORARY_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
"""Names of the temporary files :func:`atomic_write_bytes` makes (``mkstemp``: a dot, the
target's name, a dot, 8 random characters, ``.tmp``)."""


def remove_stale_temporaries(directory: Path) -> list[str]:
    """Delete the temporary files that an interrupted write (a crash or ``kill -9`` between
    writing and the rename) left in ``directory``: regular files named as
    :func:`atomic_write_bytes` names them, nothing else. Called where a process starts to
    own a directory (a resumed training run, a node's ``run_dir``), when nothing else
    writes there. Returns the names removed, sorted."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    removed = sorted(path.name for path in directory.iterdir()
                     if TEMPORARY_NAME.fullmatch(path.name) and path.is_file()
                     and not path.is_symlink())
    for name in removed:
        (directory / name).unlink(missing_ok=True)
    if removed:
        logger.info("removed %d stale temporary files from %s: %s", len(removed), directory,
                    ", ".join(removed))
    return removed


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed into place."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, PUBLIC_FILE_MODE)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_regular_bytes(path: Path) -> bytes:
    """The bytes of the regular file ``path``; OSError for anything else that exists
    (:func:`memctrl._checks.require_regular_file`)."""
    require_regular_file(path)
    return Path(path).read_bytes()


def existing_ancestor(path: Path) -> Path:
    """``path`` if it exists, else its nearest ancestor that does: what making ``path``
    would start from (a file there means it cannot be made)."""
    return next(item for item in (path, *path.parents) if item.exists())


def publish_files(out_dir: Path, build: Callable[[Path], list[str]]) -> list[str]:
    """Write a set of files into ``out_dir``, all of them or none.

    ``build(staging)`` writes the files into a staging directory inside ``out_dir``
    and returns their names in the order they are renamed into place (the last one, a
    JSON index with a ``"format"``, marks a complete set). Files of those names already
    in ``out_dir`` are replaced only if its index is of the same format (an earlier set
    of this kind), and that set's other files (listed under its index's ``"files"``)
    are removed; else ValueError, nothing written. On any error the staged files and
    those already moved are removed, and an ``out_dir`` this call created is removed if
    it is left empty. Returns the names.
    """
    out_dir = Path(out_dir)
    existing = existing_ancestor(out_dir)
    if not existing.is_dir():
        raise ValueError(f"{out_dir}: cannot make the output directory ({existing} is a file)")
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=".staging-"))
    moved: list[Path] = []
    try:
        names = build(staging)
        clashes = [name for name in names if (out_dir / name).exists()]
        if clashes and not _same_format(out_dir / names[-1], staging / names[-1]):
            raise ValueError(f"{out_dir / clashes[0]} exists and is not part of an earlier "
                             f"set of these files; choose another --out")
        earlier = _listed_files(out_dir / names[-1]) if clashes else set()
        for name in names:
            os.replace(staging / name, out_dir / name)
            moved.append(out_dir / name)
        for name in sorted(earlier - set(names)):     # the earlier set's, not in this one
            if (out_dir / name).is_file():
                (out_dir / name).unlink()
    except BaseException:
        for path in moved:  # a mix of new and old files would be worse than none
            path.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if created and not any(out_dir.iterdir()):
            out_dir.rmdir()
    return names


LISTED_SUFFIXES = (".png", ".md")
"""What :func:`publish_files` may remove of an earlier set: its plots and its markdown
(its JSON index is replaced; nothing else of a directory is touched)."""


def _listed_files(index: Path) -> set[str]:
    """The plain file names (no directory, not hidden, a plot or markdown) that the JSON
    index of an earlier set lists under ``"files"``; none if it cannot be read."""
    try:
        stack = [json.loads(index.read_text(encoding="utf-8")).get("files")]
    except (OSError, UnicodeDecodeError, RecursionError, ValueError, AttributeError):
        return set()
    names = set()
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif (isinstance(item, str) and item == Path(item).name and not item.startswith(".")
              and Path(item).suffix in LISTED_SUFFIXES):
            names.add(item)
    return names


def _same_format(existing: Path, staged: Path) -> bool:
    """Whether the JSON index ``existing`` has the ``"format"`` of ``staged``."""
    try:
        return json.loads(existing.read_text(encoding="utf-8"))["format"] == \
            json.loads(staged.read_text(encoding="utf-8"))["format"]
    except (OSError, UnicodeDecodeError, RecursionError, ValueError, KeyError, TypeError):
        return False


LOCK_FILE = ".memctrl.lock"
"""The lock file of the process writing a run (:func:`memctrl.run_dir.hold_run_lock`)."""


def require_new_directory(directory: Path, hint: str) -> None:
    """ValueError naming ``directory`` unless it is absent or empty (``hint``: what to
    do instead), so that a command never writes over files it did not make. A lock file
    alone counts as empty: the lock itself keeps out a run that still holds it."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(
            path.name != LOCK_FILE for path in directory.iterdir())):
        raise ValueError(f"{directory} is not an empty directory; {hint}")


def require_own_run(directory: Path, source: str, hint: str) -> None:
    """ValueError naming ``directory`` if it is not a directory, or holds a run another
    command made (a run record whose source is not ``source``; ``hint``: what to do
    instead), or a run record that cannot be read (not a file, not JSON), so that a
    command never carries on a run it did not create."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ValueError(f"{directory} is not a directory; {hint}")
    path = directory / RUN_FILE
    if path.exists() or path.is_symlink():
        try:
            record = json.loads(read_regular_bytes(path).decode("utf-8"))
        except (OSError, ValueError, RecursionError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not readable JSON"
            raise ValueError(f"{path}: cannot read the run record ({reason}); {hint}") from None
        made_by = record.get("source") if isinstance(record, dict) else None
        if made_by != source:
            raise ValueError(f"{directory} holds a run of {made_by or 'unknown origin'}, "
                             f"not of {source}; {hint}")


def run_record(source: str, kernel: str, config: NetworkConfig, neuron_preset: str,
               synapse_preset: str, ticks: int, step_s: float, counters: dict[str, float],
               **sizes: float | bool) -> dict:
    """A run record: ``ticks`` control steps of ``step_s`` emulated seconds each.

    ``config`` gives the substep and the devices; ``sizes`` are the network's sizes
    (``n_neurons``, ``n_inputs``, ``n_recurrent_synapses``, and for a controller
    ``neuron_ticks_per_step``, ``ticks_per_step``, ``n_sensor_channels``,
    ``column_reads_per_step`` and the flag ``shared_row_level``).
    """
    return {
        "format": FORMAT,
        "source": source,
        "kernel": kernel,
        "network": {
            **sizes,
            "substeps": config.substeps,
            "dt_s": config.dt,
            "program_threshold": config.program_threshold,
            "control_rate_hz": 1.0 / step_s,
            "neuron_preset": neuron_preset,
            "synapse_preset": synapse_preset,
            "neuron": dataclasses.asdict(config.neuron),
            "synapse": dataclasses.asdict(config.synapse),
        },
        "ticks": int(ticks),
        "emulated_time_s": ticks * step_s,
        "counters": counters,
    }


def network_record(network: Network, source: str, ticks: int, neuron_preset: str,
                   synapse_preset: str) -> dict:
    """The run record of ``network`` after ``ticks`` control ticks."""
    config = network.config
    return run_record(source, network.kernel, config, neuron_preset, synapse_preset, ticks,
                      config.tick_duration, network.counters, n_neurons=config.n_neurons,
                      n_inputs=config.n_inputs,
                      n_recurrent_synapses=int(network.weights_rec().size))


def write_run_record(directory: Path, record: dict) -> Path:
    """Write ``record`` as ``directory/run.json``; returns the path."""
    path = Path(directory) / RUN_FILE
    atomic_write_text(path, json.dumps(record, indent=2, sort_keys=True) + "\n")
    return path


def read_run_record(directory: Path) -> dict:
    """Read and check ``directory/run.json``; ValueError names the file and the problem."""
    path = Path(directory) / RUN_FILE
    if not path.is_file():
        if (Path(directory) / LOCK_FILE).is_file():
            raise ValueError(f"{path}: no run record yet: the run in {directory} has saved no "
                             "control step (the record is written with the first checkpoint "
                             "that follows one)")
        raise ValueError(f"{path}: no run record (expected a directory written by memctrl)")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as error:   # not UTF-8, not JSON, a 5,000-digit number
        raise ValueError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise ValueError(f"{path}: not a {FORMAT} record")
    counters = record.get("counters")
    if not isinstance(counters, dict):
        raise ValueError(f"{path}: missing 'counters'")
    counters = record["counters"] = with_added_counters(counters)
    for name in COUNTER_NAMES:
        value = counters.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value) or value < 0:
            raise ValueError(f"{path}: counter {name!r} must be a finite number >= 0, "
                             f"got {value!r}")
    for key in ("ticks", "emulated_time_s"):
        value = record.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError(f"{path}: {key!r} must be a number > 0, got {value!r}")
    if not isinstance(record.get("network"), dict):
        raise ValueError(f"{path}: missing 'network'")
    rate = record["network"].get("control_rate_hz")
    if (isinstance(rate, (int, float)) and not isinstance(rate, bool) and 0 < rate < math.inf
            and not math.isclose(record["ticks"] / rate, record["emulated_time_s"],
                                 rel_tol=1e-6)):
        raise ValueError(f"{path}: contradicts itself: 'ticks' ({record['ticks']!r}) at "
                         f"'network.control_rate_hz' ({rate!r} Hz) are not "
                         f"'emulated_time_s' ({record['emulated_time_s']!r} s)")
    return record
