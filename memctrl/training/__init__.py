"""Training and evaluation of a :class:`memctrl.controller.SpikingController` in gymnasium.

- :mod:`memctrl.training.loop`: the episode loop with callbacks and a typed context;
- :mod:`memctrl.training.callbacks`: progress bar, metrics writers, checkpoints;
- :mod:`memctrl.training.energy_info`: a wrapper that puts the controller's energy in ``info``;
- :mod:`memctrl.training.run`: the run directory behind ``memctrl train`` / ``memctrl evaluate``.
"""

from memctrl.run_dir import EpisodeMetrics
from memctrl.training.callbacks import (Callback, CheckpointCallback, MetricsWriter,
                                        ProgressBar, StopAfterSteps)
from memctrl.training.energy_info import ControllerEnergyInfo
from memctrl.training.loop import TrainContext, evaluate, run_episodes

__all__ = ["Callback", "CheckpointCallback", "ControllerEnergyInfo", "EpisodeMetrics",
           "MetricsWriter", "ProgressBar", "StopAfterSteps", "TrainContext", "evaluate",
           "run_episodes"]
