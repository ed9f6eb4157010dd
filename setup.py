# `pip install --no-build-isolation .` builds tensorgraph._core from the C++ sources with
# Debian's setuptools and pybind11 (no download); metadata is in pyproject.toml.
from glob import glob

from pybind11.setup_helpers import ParallelCompile, Pybind11Extension, build_ext
from setuptools import setup

ParallelCompile("TG_BUILD_JOBS", default=0).install()

sources = sorted(glob("src/**/*.cpp", recursive=True)) + sorted(glob("python/src/*.cpp"))
core = Pybind11Extension("tensorgraph._core", sources, include_dirs=["include", "src"], cxx_std=20,
                         libraries=["z"], extra_compile_args=["-O3"])
setup(ext_modules=[core], cmdclass={"build_ext": build_ext})
