"""Online, local learning rules: a broadcast signal times each synapse's eligibility, as pulses."""

from memctrl.learning.td_actor_critic import TDActorCritic

__all__ = ["TDActorCritic"]
