"""Sensor encoders (observations to input voltages) and action decoders (spikes to actions)."""

from memctrl.coding.decoders import ArgmaxDecoder, PushPullDecoder, make_decoder
from memctrl.coding.grid import GridEncoder
from memctrl.coding.one_hot import OneHotEncoder
from memctrl.coding.receptive_fields import ReceptiveFieldEncoder

__all__ = ["ArgmaxDecoder", "GridEncoder", "OneHotEncoder", "PushPullDecoder",
           "ReceptiveFieldEncoder", "make_decoder"]
