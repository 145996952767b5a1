"""Keep DDS traffic of the test run on this machine, in a domain of its own."""

import os

os.environ["ROS_AUTOMATIC_DISCOVERY_RANGE"] = "LOCALHOST"
os.environ.setdefault("ROS_DOMAIN_ID", str(1 + os.getpid() % 100))

# Property-based tests: a bounded, reproducible number of generated cases per test in
# the suite (benchmarks may search wider), and no time limit per case.
from hypothesis import settings  # noqa: E402

settings.register_profile("suite", max_examples=50, deadline=None, derandomize=True,
                          database=None)
settings.load_profile("suite")
