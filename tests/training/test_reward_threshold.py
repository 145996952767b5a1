"""A run on an environment without a reward threshold is solved only against a given one."""

from memctrl.controller import ControllerConfig
from memctrl.training.run import read_state, train

SMALL = ControllerConfig(actor_population=4, coding="fields",
                         fields_per_dim=4)


def _train(directory, **options):
    return train("memctrl/LineFollower-v0", 2, out=directory, config=SMALL, eval_every=2,
                 eval_episodes=1, checkpoint_every=2, progress=False, **options)


def test_memctrl_environments_register_no_threshold_so_a_run_is_never_solved(tmp_path):
    summary = _train(tmp_path)
    assert (summary["reward_threshold"], summary["solved_at_episode"]) == (None, None)
    assert summary["evaluations"] == []          # nothing to evaluate against


def test_a_given_threshold_is_what_counts_as_solved(tmp_path):
    reached = _train(tmp_path / "reached", reward_threshold=-1e6)
    assert (reached["reward_threshold"], reached["solved_at_episode"]) == (-1e6, 2)
    assert read_state(tmp_path / "reached")["reward_threshold"] == -1e6
    missed = _train(tmp_path / "missed", reward_threshold=1e6)
    assert missed["solved_at_episode"] is None


def test_a_negative_threshold_near_the_training_returns_is_evaluated(tmp_path):
    # LineFollower returns are negative early on (losing the line costs 10). A mean
    # training return m < 0 lies within half the size of the threshold 1.5 m, so the
    # run is evaluated (half the threshold, 0.75 m, would wrongly skip it).
    mean = _train(tmp_path / "first")["train_mean_return_last_100"]
    assert mean < 0
    summary = _train(tmp_path / "second", reward_threshold=1.5 * mean)
    assert [item["episode"] for item in summary["evaluations"]] == [2]
