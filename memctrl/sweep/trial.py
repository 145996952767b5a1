"""One trial of a sweep: a ``memctrl train`` run in its own directory, on a Ray worker.

The trial's directory is ``OUT/trials/NAME``: ``trial.json`` (the swept values
and every setting) beside what ``memctrl train`` writes (metrics, checkpoint,
``run.json`` with the energy counters), and once the trial has finished
``result.json`` (:data:`METRICS`, what it reports to Ray Tune; the design frontier
reads it, :mod:`memctrl.sweep.frontier`). A trial that was interrupted while it
ran continues from its last checkpoint when the sweep resumes; one that had
finished reports its ``result.json`` again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from memctrl.run_dir import STATE_FILE
from memctrl.run_record import atomic_write_text
from memctrl.sweep.config import Trial
from memctrl.training.run import train

TRIAL_FILE = "trial.json"
RESULT_FILE = "result.json"
METRICS = ("solved", "solved_at_episode", "reward_threshold", "final_eval_mean_return",
           "energy_j", "wall_s", "total_steps", "train_mean_return_last_100")
"""What a finished trial reports to Ray Tune (and the summary reads back);
``reward_threshold`` is the return that counted as solved, None if there was none."""


def trial_space(trial: Trial, directory: Path, train_options: dict[str, int],
                success_return: float | None = None) -> dict[str, Any]:
    """The trial as a plain dict, the value of ``config["trial"]`` in :func:`run_trial`.

    ``success_return`` (the sweep file's) replaces the environment's reward threshold.
    """
    return {"name": trial.name, "factors": trial.factors, "settings": trial.settings,
            "directory": str(directory), "train": train_options,
            "success_return": success_return}


def run_trial(config: dict[str, Any]) -> None:
    """Ray Tune's trainable: train the trial ``config["trial"]`` and report its metrics.

    An exception (say, an environment whose spaces the controller does not
    support) fails this trial only; Ray Tune records it and the sweep goes on.
    """
    from ray import tune

    space = config["trial"]
    trial = Trial(space["name"], space["factors"], space["settings"])
    directory = Path(space["directory"])
    options = space["train"]
    success_return = space["success_return"]
    if (directory / RESULT_FILE).exists():
        # it finished, but the sweep was interrupted before Ray Tune recorded that
        tune.report(json.loads((directory / RESULT_FILE).read_text(encoding="utf-8")))
        return
    atomic_write_text(directory / TRIAL_FILE,
                      json.dumps({"name": trial.name, "factors": trial.factors,
                                  "settings": trial.settings, "train": options,
                                  "success_return": success_return}, indent=2) + "\n")
    common = dict(eval_every=options["eval_every"], eval_episodes=options["eval_episodes"],
                  checkpoint_every=options["checkpoint_every"],
                  reward_threshold=success_return, progress=False)
    if (directory / STATE_FILE).exists():
        summary = train(None, options["episodes"], resume=directory, **common)
    else:
        summary = train(trial.env, options["episodes"], seed=trial.seed, out=directory,
                        config=trial.controller_config(), **common)
    summary["solved"] = summary["solved_at_episode"] is not None
    result = {name: summary[name] for name in METRICS}
    atomic_write_text(directory / RESULT_FILE, json.dumps(result, indent=2) + "\n")
    tune.report(result)
