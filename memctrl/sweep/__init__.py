"""Sweeps of training runs across seeds, device variation and hyper-parameters, on Ray Tune.

``config`` checks the sweep file and expands its grid into trials; ``cluster``
starts or joins Ray; ``trial`` is one training run on a Ray worker; ``progress``
reports on stderr; ``run`` drives Ray Tune (and its resume); ``summary`` and
``plots`` write what the sweep found; ``frontier`` and ``frontier_report`` price
its designs (``memctrl report --frontier``). Ray is imported only once a sweep runs.
"""

from memctrl.sweep.config import SweepConfig, Trial, load_sweep_config, parse_sweep_config
from memctrl.sweep.run import run_sweep

__all__ = ["SweepConfig", "Trial", "load_sweep_config", "parse_sweep_config", "run_sweep"]
