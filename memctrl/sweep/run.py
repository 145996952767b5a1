"""``memctrl sweep``: run every trial of a sweep file on Ray Tune, then summarize.

``OUT`` holds:

- ``sweep.json``: the checked sweep file, written once Ray has started (so a
  sweep that could not start leaves ``OUT`` free); a later run into ``OUT``
  must bring the same one (it resumes) or is refused, as is an ``OUT`` that is
  not a directory or holds other files without it;
- ``trials/NAME/``: one ``memctrl train`` run per trial (:mod:`memctrl.sweep.trial`);
- ``ray/``: Ray Tune's experiment state, from which an interrupted sweep
  resumes (``Tuner.restore``): finished and failed trials are kept, the others
  run (again, from their last checkpoint);
- ``summary.md``, ``summary.json`` and one PNG per swept factor, once every
  trial has finished or failed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

from memctrl.run_dir import hold_run_lock
from memctrl.run_record import LOCK_FILE, atomic_write_text, existing_ancestor
from memctrl.sweep.cluster import (check_local_cpus, check_shared_directory, ray_session,
                                   warn_unless_a_node_fits)
from memctrl.sweep.config import SweepConfig, Trial, load_sweep_config
from memctrl.sweep.plots import write_plots
from memctrl.sweep.summary import summarize, write_summary
from memctrl.sweep.trial import METRICS, run_trial, trial_space

logger = logging.getLogger(__name__)

SWEEP_FILE = "sweep.json"
EXPERIMENT = "ray"
TRIALS = "trials"
TUNE_ENV = {"RAY_AIR_NEW_OUTPUT": "0"}
"""Ray Tune's older output engine, the one that honours ``verbose=0``: its own
console tables would mix with ``--json`` on stdout. Set here, and on a cluster
for the head node's Tune driver too."""


def _check_out(out: Path, sweep: SweepConfig) -> None:
    """ValueError unless ``OUT`` is new, an empty directory, or a sweep directory of the
    same sweep file (it resumes): never a file, another sweep, or other files."""
    existing = existing_ancestor(out)
    if not existing.is_dir():
        raise ValueError(f"--out {out}: {existing} is not a directory")
    path = out / SWEEP_FILE
    if path.exists():
        try:
            recorded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"{path}: not readable ({error})") from None
        if recorded != sweep.as_dict():
            raise ValueError(f"{out} holds a sweep of another configuration ({path}); "
                             "resume with the same file, or choose another --out")
    elif existing == out and any(path.name != LOCK_FILE for path in out.iterdir()):
        raise ValueError(f"--out {out} holds files but no {SWEEP_FILE}: not a directory of "
                         "`memctrl sweep`; give a new or empty directory")


def _claim(out: Path, sweep: SweepConfig) -> None:
    """Record the sweep in ``OUT/sweep.json`` (once Ray has started)."""
    path = out / SWEEP_FILE
    if not path.exists():
        atomic_write_text(path, json.dumps(sweep.as_dict(), indent=2) + "\n")


def _trial_name(trial) -> str:
    """Ray Tune's trial name and directory: the sweep's own (``trial-007``)."""
    return trial.config["trial"]["name"]


def _fit(sweep: SweepConfig, trials: list[Trial], out: Path, progress: bool):
    """Ray Tune's ResultGrid of every trial: a new experiment, or the restored one.

    Ray Tune's own console output is off (:data:`TUNE_ENV`);
    :class:`SweepProgress` reports instead.
    """
    os.environ.update(TUNE_ENV)
    from ray import tune

    from memctrl.sweep.progress import SweepProgress

    trainable = tune.with_resources(run_trial, {"cpu": sweep.cpus_per_trial})
    path = out / EXPERIMENT
    # Checked here, read by Tune's driver (on a cluster, the head node): the same
    # directory, as ``out`` is on a shared file system (check_shared_directory).
    if path.exists() and not any(path.glob("experiment_state*.json")):
        # Ray started and was stopped before it recorded a trial (only its tuner.pkl):
        # nothing to restore, and restoring it fails; begin again (each trial's own
        # directory is resumed by its run where it holds one)
        shutil.rmtree(path)
    if tune.Tuner.can_restore(str(path)):
        logger.info("resuming the sweep in %s", path)
        tuner = tune.Tuner.restore(str(path), trainable, resume_unfinished=True,
                                   resume_errored=False)
    else:
        spaces = [trial_space(trial, out / TRIALS / trial.name, sweep.train_options,
                              sweep.success_return_for(trial.env)) for trial in trials]
        tuner = tune.Tuner(
            trainable, param_space={"trial": tune.grid_search(spaces)},
            # reuse_actors: a trial's worker process runs the next trial too (a new
            # one would import memctrl, gymnasium and Ray Tune again, about a second)
            tune_config=tune.TuneConfig(trial_name_creator=_trial_name,
                                        trial_dirname_creator=_trial_name, reuse_actors=True),
            run_config=tune.RunConfig(name=EXPERIMENT, storage_path=str(out), verbose=0,
                                      callbacks=[SweepProgress()] if progress else None,
                                      failure_config=tune.FailureConfig(max_failures=0)))
    return tuner.fit()


def _error_message(error: BaseException) -> str:
    """The trial's own exception (Ray wraps it), as ``Type: message``."""
    cause = getattr(error, "cause", None) or error
    return f"{type(cause).__name__}: {cause}"


def _records(trials: list[Trial], results) -> list[dict[str, Any]]:
    """One record per trial, in sweep order: finished, failed (with its error) or unfinished."""
    # A trial's directory is named after it (``_trial_name``); its config is not
    # always there: a restored experiment gives none for its failed trials.
    by_name = {Path(result.path).name: result for result in results}
    records = []
    for trial in trials:
        record = {"name": trial.name, "factors": trial.factors, "status": "unfinished",
                  "error": None, "metrics": None}
        result = by_name.get(trial.name)
        if result is not None and result.error is not None:
            record.update(status="failed", error=_error_message(result.error))
        elif result is not None and all(name in (result.metrics or {}) for name in METRICS):
            record.update(status="finished",
                          metrics={name: result.metrics[name] for name in METRICS})
        records.append(record)
    return records


def run_sweep(config_path: Path, out: Path, address: str | None = None,
              progress: bool = True) -> dict[str, Any]:
    """Run (or resume) the sweep of ``config_path`` into ``out``; returns a short summary.

    The sweep file, ``out`` and (on a local Ray) ``cpus_per_trial`` are checked before
    Ray starts (ValueError naming the key). An unreachable ``address`` raises
    ConnectionError within seconds; on a cluster, an ``out`` that its nodes do not
    see raises OSError. If the sweep was interrupted, the result has
    ``interrupted: True`` and no summary is written. Trials that failed are counted
    in ``failed`` and their errors are in ``failures``.
    """
    started = time.perf_counter()
    sweep = load_sweep_config(config_path)
    out = Path(out).resolve()
    _check_out(out, sweep)
    if address is None:
        check_local_cpus(sweep.cpus_per_trial)
    # held to the end: a second sweep into OUT meanwhile (which would clear this one's
    # Ray directory as never started, and write its summary over this one's) is refused
    with hold_run_lock(out):
        _check_out(out, sweep)                # as another process may have left it
        return _run_claimed(sweep, out, address, progress, started)


def _run_claimed(sweep: SweepConfig, out: Path, address: str | None, progress: bool,
                 started: float) -> dict[str, Any]:
    """:func:`run_sweep` once it holds ``out``: Ray, the trials, the summary."""
    trials = sweep.trials()
    with ray_session(address, env_vars=TUNE_ENV):
        if address is not None:
            warn_unless_a_node_fits(sweep.cpus_per_trial)
            check_shared_directory(out)   # Tune's driver and the trials write there
        _claim(out, sweep)
        records = _records(trials, _fit(sweep, trials, out, progress))
    counts = {status: sum(record["status"] == status for record in records)
              for status in ("finished", "failed", "unfinished")}
    result: dict[str, Any] = {"out": str(out), "trials": len(records), **counts,
                              "interrupted": counts["unfinished"] > 0,
                              "wall_s": time.perf_counter() - started}
    if result["interrupted"]:
        return result
    summary = summarize(sweep.as_dict(), records)
    plots = write_plots(out, summary)
    write_summary(out, summary, plots)
    result.update(success_rate=summary["overall"]["success_rate"], best=summary["best"],
                  files=["summary.md", "summary.json", *plots.values()],
                  failures={record["name"]: record["error"] for record in records
                            if record["status"] == "failed"})
    return result
