"""Per-episode metrics of the node, in the layout of ``memctrl train``.

Each ended episode appends one row (return, length, the controller's counters
during it, energy) to ``metrics.csv`` and ``metrics.jsonl`` in the run
directory, so ``memctrl report --run DIR`` prices the episodes. Episodes are
numbered on from the rows already there.
"""

from __future__ import annotations

import time
from pathlib import Path

from memctrl.controller import SpikingController
from memctrl.network.reference import COUNTER_NAMES
from memctrl.run_dir import EpisodeMetrics, MetricsFiles


class EpisodeLog:
    """Follows the current episode; writes its row when it ends (if there is a directory)."""

    def __init__(self, controller: SpikingController, directory: Path | None) -> None:
        self.controller = controller
        self.files = MetricsFiles(directory) if directory is not None else None
        self.episode = len(self.files.rows()) if self.files is not None else 0
        self.restart()

    def restart(self) -> None:
        """Start counting a new episode from here (the running one is dropped)."""
        self.episode_return, self.length = 0.0, 0
        self._counters = self.controller.counters
        self._energy_j = self.controller.energy_j
        self._started_s = time.perf_counter()

    def reward(self, value: float) -> None:
        self.episode_return += value

    def step(self) -> None:
        self.length += 1

    def end(self) -> str | None:
        """Close the episode: write its row and start the next. Returns why the row could
        not be written (a full disk, a directory made read-only: the episode still counts
        and the node goes on controlling), else None."""
        counters = self.controller.counters
        metrics = EpisodeMetrics(self.episode, self.episode_return, self.length,
                                 self.controller.energy_j - self._energy_j,
                                 {name: counters[name] - self._counters[name]
                                  for name in COUNTER_NAMES},
                                 time.perf_counter() - self._started_s)
        failure = None
        if self.files is not None:
            try:
                self.files.write(metrics)
            except OSError as error:
                failure = (f"episode {self.episode}'s row not written in "
                           f"{self.files.directory}: {error}")
        self.episode += 1
        self.restart()
        return failure
