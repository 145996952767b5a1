"""Build memctrl: the Python package, the compiled core memctrl._core, and the ROS 2 data files.

The compiled core is portable by default (no -march=native, robots often run
ARM64); set MEMCTRL_NATIVE=1 to tune it for the building machine.
"""

import glob
import os

import numpy
from Cython.Build import cythonize
from setuptools import Extension, find_packages, setup

PACKAGE = "memctrl"

# -fopenmp-simd honours the `#pragma omp simd` loops of the neuron kernel without
# linking an OpenMP runtime. The AVX2/AVX-512 kernels fuse a*b+c into FMA, which
# rounds differently from the baseline kernel: a seed gives the same trajectory on
# every CPU that runs the same kernel (MEMCTRL_KERNEL_ISA picks one). Forbidding the
# fusion (-ffp-contract=off) makes all kernels agree but costs about 15 % at 1,000
# neurons.
compile_args = ["-O3", "-fno-math-errno", "-fno-trapping-math", "-fopenmp-simd"]
if os.environ.get("MEMCTRL_NATIVE") == "1":
    compile_args.append("-march=native")

extensions = [
    Extension(
        "memctrl._core",
        sources=["cext/_core.pyx"],
        include_dirs=[numpy.get_include(), "cext"],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        extra_compile_args=compile_args,
    )
]

setup(
    name=PACKAGE,
    version="0.1.0",
    description="Online-learning spiking control on emulated ion-based diffusive-memristor neurons",
    license="Apache-2.0",
    packages=find_packages(include=[PACKAGE, f"{PACKAGE}.*", "sim_envs", "sim_envs.*"]),
    ext_modules=cythonize(extensions, language_level=3,
                          compiler_directives={"boundscheck": False, "wraparound": False,
                                               "cdivision": True, "initializedcheck": False}),
    python_requires=">=3.10",
    install_requires=["numpy", "gymnasium"],
    data_files=[
        ("share/ament_index/resource_index/packages", [f"resource/{PACKAGE}"]),
        (f"share/{PACKAGE}", ["package.xml"]),
        (f"share/{PACKAGE}/launch", glob.glob("launch/*.launch.xml")),
        (f"share/{PACKAGE}/config", glob.glob("config/*.yaml")),
        (f"share/{PACKAGE}/config/frontier", glob.glob("config/frontier/*")),
    ],
    entry_points={"console_scripts": ["memctrl = memctrl.cli:main",
                                      "memctrl_node = memctrl.ros.controller_node:main",
                                      "memctrl_sim = memctrl.ros.sim_node:main"]},
    zip_safe=False,
)
