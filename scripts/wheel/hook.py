"""Hatchling build hook for the evalgate wheel (pyproject.toml).

The wheel holds one file: the portable evalgate binary as script data (``evalgate-<v>.data/scripts/``),
so pip installs it into the environment's ``bin/``. scripts/package sets:

- ``EVALGATE_BINARY``: the stripped binary built with ``PORTABLE=1 scripts/build-release``;
- ``EVALGATE_PLATFORM``: the wheel's platform tag, ``manylinux_2_<minor>_<arch>`` from the newest
  ``GLIBC_2.<minor>`` symbol version the binary imports.
"""

import os

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class EvalgateBinaryHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if self.target_name != "wheel":
            return
        binary = os.environ.get("EVALGATE_BINARY")
        platform = os.environ.get("EVALGATE_PLATFORM")
        if not binary or not platform or not os.path.isfile(binary):
            raise RuntimeError(
                "the evalgate wheel wraps a prebuilt binary: build it with scripts/package "
                "(EVALGATE_BINARY and EVALGATE_PLATFORM are not set or name no file)"
            )
        build_data["pure_python"] = False
        build_data["tag"] = f"py3-none-{platform}"
        build_data["shared_scripts"][binary] = "evalgate"
