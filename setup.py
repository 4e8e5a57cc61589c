"""The wheel of the Python package earshot (docs/python.md): the extension is built by the project's CMake build
(target earshot_python, the same sources and flags as `make build`) in build-wheel/ next to this file, then
packaged with python/earshot/*.py. Offline, with Debian's setuptools and pybind11:

    /usr/bin/python3 -m pip wheel --no-build-isolation --no-index --no-deps .
"""
import glob
import os
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))
# CMake builds in build-wheel/ (one level down, like build/: the ccache entries of `make build` are reused);
# setuptools' own build and egg-info directories are inside it.
SETUPTOOLS_DIR = os.path.join("build-wheel", "setuptools")
os.makedirs(os.path.join(ROOT, SETUPTOOLS_DIR), exist_ok=True)


def version():
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        return re.search(r"project\(earshot VERSION ([0-9.]+)", f.read()).group(1)


class CMakeBuild(build_ext):
    """Configures and builds earshot_python with CMake (Ninja, Release; ccache when present)."""

    def build_extension(self, ext):
        build = os.path.join(ROOT, "build-wheel")
        args = ["cmake", "-S", ROOT, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                f"-DPython3_EXECUTABLE={sys.executable}", "-DEARSHOT_BUILD_CLI=OFF", "-DEARSHOT_BUILD_TESTS=OFF",
                "-DEARSHOT_BUILD_BENCH=OFF", "-DEARSHOT_BUILD_EXAMPLES=OFF", "-DEARSHOT_BUILD_PYTHON=ON"]
        if os.environ.get("EARSHOT_ARCH") is not None:
            args.append(f"-DEARSHOT_ARCH={os.environ['EARSHOT_ARCH']}")
        if shutil.which("ccache"):
            args.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
        subprocess.check_call(args)
        subprocess.check_call(["cmake", "--build", build, "--target", "earshot_python"])
        built = glob.glob(os.path.join(build, "python", "earshot", "_earshot*.so"))
        if len(built) != 1:
            raise RuntimeError(f"earshot_python: expected one _earshot*.so in {build}/python/earshot, found {built}")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built[0], target)


setup(
    name="earshot",
    version=version(),
    description="Render sound as a listener with a hearing loss or a cochlear implant hears it",
    license="Apache-2.0",
    python_requires=">=3.9",
    install_requires=["numpy"],
    packages=["earshot"],
    package_dir={"": "python"},
    ext_modules=[Extension("earshot._earshot", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": SETUPTOOLS_DIR}, "egg_info": {"egg_base": SETUPTOOLS_DIR}},
    zip_safe=False,
)
