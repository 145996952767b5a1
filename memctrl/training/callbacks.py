"""Callbacks of the training loop: progress bar, metrics writers, checkpoints.

A callback overrides any of ``on_start``, ``on_step`` (return False to stop),
``on_episode_end`` (return False to stop) and ``on_end``; each receives the
loop's :class:`memctrl.training.loop.TrainContext`.
"""

from __future__ import annotations

import contextlib
import sys
from collections import deque
from pathlib import Path
from typing import Callable, TextIO

from tqdm import tqdm

from memctrl.run_dir import EpisodeMetrics, MetricsFiles
from memctrl.training.loop import TrainContext


class Callback:
    """Does nothing; subclasses override what they need."""

    def on_start(self, context: TrainContext) -> None:
        pass

    def on_step(self, context: TrainContext) -> bool:
        return True

    def on_episode_end(self, context: TrainContext, metrics: EpisodeMetrics) -> bool:
        return True

    def on_end(self, context: TrainContext) -> None:
        pass


class StopAfterSteps(Callback):
    """Stops the loop once ``max_steps`` steps have run."""

    def __init__(self, max_steps: int) -> None:
        self.max_steps = max_steps

    def on_step(self, context: TrainContext) -> bool:
        return context.total_steps < self.max_steps


class ProgressBar(Callback):
    """A ``tqdm`` bar on ``stream`` (stderr) over the episodes, showing the last return,
    the running mean of the last 100, spikes per step and the energy so far. A stream
    that cannot be written (a full disk behind ``2>file``) ends the bar, not the run."""

    def __init__(self, total_episodes: int, stream: TextIO | None = None,
                 first_episode: int = 0) -> None:
        self.total = total_episodes
        self.first = first_episode
        self.stream = stream if stream is not None else sys.stderr
        self.returns: deque[float] = deque(maxlen=100)
        self.bar: tqdm | None = None

    def on_start(self, context: TrainContext) -> None:
        try:
            self.bar = tqdm(total=self.first + self.total, initial=self.first,
                            file=self.stream, unit="episode", dynamic_ncols=True,
                            mininterval=0.5)
        except OSError:
            self.bar = None

    def on_episode_end(self, context: TrainContext, metrics: EpisodeMetrics) -> bool:
        self.returns.append(metrics.episode_return)
        if self.bar is None:
            return True
        try:
            self.bar.set_postfix_str(
                f"return {metrics.episode_return:.1f} "
                f"mean100 {sum(self.returns) / len(self.returns):.1f} "
                f"spikes/step {metrics.as_row()['spikes_per_step']:.1f} "
                f"energy {context.controller.energy_j:.3g} J", refresh=False)
            self.bar.update(1)
        except OSError:
            self.bar = None
        return True

    def on_end(self, context: TrainContext) -> None:
        if self.bar is not None:
            with contextlib.suppress(OSError):
                self.bar.close()


class MetricsWriter(Callback):
    """Appends each episode's row to the metrics files of the run directory ``directory``
    (:class:`memctrl.run_dir.MetricsFiles`)."""

    def __init__(self, directory: Path) -> None:
        self.files = MetricsFiles(directory)

    def on_episode_end(self, context: TrainContext, metrics: EpisodeMetrics) -> bool:
        self.files.write(metrics)
        return True


class CheckpointCallback(Callback):
    """Calls ``save(context, episodes_done)`` whenever ``episodes_done`` is a multiple of
    ``every`` (counted from episode 0, also after a resume) and at the end."""

    def __init__(self, save: Callable[[TrainContext, int], None], every: int,
                 first_episode: int = 0) -> None:
        self.save = save
        self.every = every
        self.first = first_episode
        self._saved_at = first_episode

    def on_episode_end(self, context: TrainContext, metrics: EpisodeMetrics) -> bool:
        done = metrics.episode + 1
        if done % self.every == 0:
            self.save(context, done)
            self._saved_at = done
        return True

    def on_end(self, context: TrainContext) -> None:
        done = context.history[-1].episode + 1 if context.history else self.first
        if done != self._saved_at:
            self.save(context, done)

