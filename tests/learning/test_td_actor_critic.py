"""The TD error with reward centering, worked out by hand."""

import pytest

from memctrl.learning import TDActorCritic


def test_td_error_is_normalized_by_the_horizon_and_centred_on_the_mean_reward():
    td = TDActorCritic(gamma=0.9, reward_rate=0.5)     # horizon 10
    td.observe_reward(1.0)                             # r_bar = 1 (first reward taken as is)
    # values are the readouts (n+ - n-) / population; V = 10 (readout + r_bar)
    assert td.delta(1.0, value=0.0, next_value=0.0) == pytest.approx(0.1 + 0.9 - 1.0)
    assert td.delta(1.0, value=-0.2, next_value=0.1) == pytest.approx(0.1 + 0.9 * 1.1 - 0.8)
    # terminal: the next state is worth 0, not 10 r_bar: a strong negative surprise
    assert td.delta(1.0, value=0.0, next_value=None) == pytest.approx(0.1 - 1.0)
    td.observe_reward(3.0)
    assert td.reward_mean == pytest.approx(2.0)


def test_the_actor_signal_removes_the_running_mean_of_delta():
    td = TDActorCritic(gamma=0.9, reward_rate=0.5)
    assert td.actor_signal(0.4) == pytest.approx(0.4)
    assert td.delta_mean == pytest.approx(0.2)
    assert td.actor_signal(0.4) == pytest.approx(0.2)


@pytest.mark.parametrize("gamma, rate", [(1.0, 0.1), (0.0, 0.1), (0.9, 0.0), (0.9, 1.5)])
def test_out_of_range_parameters_are_rejected(gamma, rate):
    with pytest.raises(ValueError):
        TDActorCritic(gamma, rate)
