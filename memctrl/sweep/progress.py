"""The sweep's progress on stderr: a line each time a trial starts, finishes or fails.

It is a Ray Tune callback and imports Ray; :mod:`memctrl.sweep.run` imports it
only when a sweep starts. On a cluster it runs on the head node, with Ray Tune's
driver, and Ray forwards its lines to the stderr of ``memctrl sweep``. The counts
are read from the trials Ray Tune passes to every event, not kept here, because a resumed sweep restores this callback
from the pickled experiment while its finished trials send no events again.
"""

from __future__ import annotations

import logging
import sys

from ray import tune

from memctrl.sweep.summary import rank_key


class SweepProgress(tune.Callback):
    """Writes ``done/total finished, failed, running; best so far`` lines to stderr."""

    def setup(self, **info) -> None:
        # Where Ray Tune's driver runs (the head node, on a cluster): a failed trial
        # is reported here and in the summary; Ray Tune would also log its traceback.
        logging.getLogger("ray.tune").setLevel(logging.CRITICAL)

    def on_trial_start(self, iteration, trials, trial, **info) -> None:
        self._write(trials, trial, "RUNNING", "started")

    def on_trial_complete(self, iteration, trials, trial, **info) -> None:
        self._write(trials, trial, "TERMINATED", "finished")

    def on_trial_error(self, iteration, trials, trial, **info) -> None:
        self._write(trials, trial, "ERROR", "failed")

    @staticmethod
    def _write(trials, current, current_status: str, event: str) -> None:
        """One line; ``current`` counts as ``current_status`` (Ray Tune calls back
        before it updates the trial's own status)."""
        statuses = [current_status if trial is current else trial.status for trial in trials]
        finished = [trial for trial, status in zip(trials, statuses)
                    if status == "TERMINATED" and trial.last_result]
        failed, running = statuses.count("ERROR"), statuses.count("RUNNING")
        line = (f"sweep: {current} {event}; {len(finished) + failed}/{len(trials)} done "
                f"({failed} failed), {running} running")
        if finished:
            best = max(finished, key=lambda trial: rank_key(trial.last_result))
            result = best.last_result
            solved = result.get("solved_at_episode")
            line += (f"; best so far {best}: "
                     + (f"solved at episode {solved}, " if solved is not None else "unsolved, ")
                     + f"final return {result['final_eval_mean_return']:.1f}")
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
