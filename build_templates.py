"""The wheel's build step that compiles the report templates (setuptools' ``build_py``, named in
pyproject.toml's ``[tool.setuptools.cmdclass]``): after the package files are copied, the report
templates are compiled into ``harmonize/templates/_compiled/`` of the build, so ``pip install`` ships
them beside the templates, as it ships compiled Python beside the modules (harmonize.reporting.compiled).

An editable install (``make``) gets them from the Makefile instead, in the checkout's
``templates/_compiled/``. When they cannot be made here (no Jinja in the build environment), the wheel
is built without them and harmonize compiles the templates in memory on every run, as before.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the Makefile compiles into the checkout's templates/
        out = Path(self.build_lib) / "harmonize" / "templates" / "_compiled"
        # a separate process, importing harmonize from this source tree: the build's own imports stay clean
        done = subprocess.run([sys.executable, "-m", "harmonize.reporting.precompile", str(out)], cwd=HERE,
                              env={"PYTHONPATH": str(HERE), "PATH": ""}, capture_output=True, text=True)
        if done.returncode == 0:
            print(done.stdout.strip())
        else:
            print("harmonize: report templates not compiled at install (compiled on each run instead):\n"
                  + done.stderr.strip()[-2000:], file=sys.stderr)
