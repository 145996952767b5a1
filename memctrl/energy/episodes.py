"""Per-episode counters of a training run (``metrics.jsonl``), when a run has them.

A training run directory may hold ``metrics.jsonl``: one JSON object per line
and episode with at least ``episode``, ``energy_j`` and the core's counters
(``COUNTER_NAMES``, at the top level or under ``"counters"``). The counters of
a line are read as that episode's own counts; if instead they never decrease
and the last line equals the run totals of ``run.json`` (while the lines do not
add up to them), they are read as running totals and differenced.

An episode's length in ticks comes from its counters: the core adds
``membrane_updates_per_step`` membrane updates (``n_neurons x substeps`` for a
plain network), so ``steps = membrane_updates / membrane_updates_per_step``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from memctrl.energy.workload import Workload
from memctrl.network.reference import COUNTER_NAMES, with_added_counters

METRICS_FILE = "metrics.jsonl"
_REL_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Episode:
    """One episode: its number, the energy the training loop recorded, its work."""

    episode: int
    recorded_energy_j: float
    workload: Workload


def _finite(path: Path, line: int, key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or value < 0:
        raise ValueError(f"{path}: line {line}: {key!r} must be a finite number >= 0, "
                         f"got {value!r}")
    return float(value)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_REL_TOLERANCE, abs_tol=1e-300)


def _parse(path: Path) -> list[tuple[int, float, dict[str, float]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: cannot be read ({error})") from None
    rows = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError) as error:   # not JSON, a 5,000-digit number
            if number == len(lines) and not text.endswith("\n"):
                break        # a last line cut short by a crash mid-write: that episode's row
            raise ValueError(f"{path}: line {number}: not valid JSON ({error})") from None
        if not isinstance(item, dict):
            raise ValueError(f"{path}: line {number}: expected a JSON object")
        episode = item.get("episode")
        if isinstance(episode, bool) or not isinstance(episode, int):
            raise ValueError(f"{path}: line {number}: 'episode' must be an integer, "
                             f"got {episode!r}")
        energy = _finite(path, number, "energy_j", item.get("energy_j"))
        source = item.get("counters", item)
        if not isinstance(source, dict):
            raise ValueError(f"{path}: line {number}: 'counters' must be an object")
        source = with_added_counters(source)
        counters = {name: _finite(path, number, name, source.get(name))
                    for name in COUNTER_NAMES}
        rows.append((episode, energy, counters))
    if not rows:
        raise ValueError(f"{path}: no episodes")
    return rows


def _are_running_totals(rows: list, totals: dict[str, float]) -> bool:
    if len(rows) < 2:
        return False
    for name in COUNTER_NAMES:
        values = [counters[name] for _, _, counters in rows]
        if any(later < earlier for earlier, later in zip(values, values[1:])):
            return False
    last_matches = all(_close(rows[-1][2][name], totals[name]) for name in COUNTER_NAMES)
    sums_match = all(_close(sum(counters[name] for _, _, counters in rows), totals[name])
                     for name in COUNTER_NAMES)
    return last_matches and not sums_match


def read_episodes(directory: Path, run: Workload) -> tuple[list[Episode], str] | None:
    """The episodes of ``directory/metrics.jsonl`` as workloads of ``run``'s network.

    Returns None when the file does not exist, else ``(episodes, how the counters
    were read)``. Raises ValueError naming the file and line of a bad entry.
    """
    path = Path(directory) / METRICS_FILE
    if not path.exists():
        return None
    rows = _parse(path)
    reading = "per-episode counters"
    if _are_running_totals(rows, dict(run.counters)):
        reading = "running totals, differenced per episode"
        previous = {name: 0.0 for name in COUNTER_NAMES}
        differenced = []
        for episode, energy, counters in rows:
            differenced.append((episode, energy,
                                {name: counters[name] - previous[name] for name in COUNTER_NAMES}))
            previous = counters
        rows = differenced
    per_step = run.membrane_updates_per_step
    episodes = [Episode(episode, energy,
                        run.with_counters(counters, counters["membrane_updates"] / per_step))
                for episode, energy, counters in rows]
    # A run stopped between an episode's row and its checkpoint, or a node restarted from
    # an earlier save, leaves rows the run record does not cover; which ones cannot be told
    # from the rows, so all are kept and the excess is said.
    steps = math.fsum(episode.workload.ticks for episode in episodes)
    if steps > run.ticks * (1 + 1e-9):
        reading += (f"; the rows hold {steps:g} steps, {steps - run.ticks:g} more than the "
                    f"run record's {run.ticks:g} (rows written after its last checkpoint, or "
                    "before a restart from an earlier one); the run's totals are the record's")
    return episodes, reading
