#!/usr/bin/env python3
"""Checks that the library's #include lines follow the layer order (docs/architecture.md, "Layers").

Each header and source file under include/earshot/<layer>/ or src/<layer>/ belongs to <layer>. A file may
include files of its own layer and of any lower layer; an include of a higher layer, or of another layer of
the same rank (hearing <-> implant, io <-> plots), is an error. Quoted includes relative to the file
("figure_file.hpp", "../core/x.hpp") are resolved and checked the same way. Front ends (cli/, python/,
plugin/, live/, web/), tests, benches, fuzzers and examples may include any layer, but no library file may
include them.

Usage: scripts/check-layers.py [REPO_ROOT]    exit 0 when clean, 1 with one line per offending include.
"""
import os
import re
import sys

# Rank of each layer, lowest first. Layers of equal rank must not include one another.
RANK = {
    "core": 0,
    "dsp": 1,
    "hearing": 2, "implant": 2, "analysis": 2,
    "listener": 3,
    "scene": 4,
    "engine": 5,
    "io": 6, "plots": 6,
}
FRONT_ENDS = ("cli", "python", "plugin", "live", "web")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_EXT = (".hpp", ".cpp", ".h", ".cc", ".ipp")


def layer_of(rel_path):
    """The layer of a repository-relative path, or None when it is not a library file."""
    parts = rel_path.replace(os.sep, "/").split("/")
    if parts == ["include", "earshot", "version.hpp"]:
        return "core"  # generated from cmake/version.hpp.in: plain constants, the lowest layer
    if len(parts) >= 3 and parts[0] == "include" and parts[1] == "earshot":
        return parts[2]
    if len(parts) >= 2 and parts[0] == "src":
        return parts[1]
    return None


def included_path(root, rel_file, bracket, target):
    """The repository-relative path an include names, or None for system and third-party headers."""
    if target.startswith("earshot/"):
        return "include/" + target
    if bracket == '"':
        here = os.path.dirname(os.path.join(root, rel_file))
        cand = os.path.normpath(os.path.join(here, target))
        if os.path.exists(cand):
            return os.path.relpath(cand, root).replace(os.sep, "/")
    return None


def check(root):
    errors = []
    for top in ("include/earshot", "src"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith(SOURCE_EXT):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                src_layer = layer_of(rel)
                if src_layer not in RANK:
                    errors.append(f"{rel}: layer '{src_layer}' is not in the layer order ({', '.join(RANK)})")
                    continue
                with open(os.path.join(root, rel), encoding="utf-8") as f:
                    for lineno, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = included_path(root, rel, m.group(1), m.group(2))
                        if target is None:
                            continue
                        first = target.split("/")[0]
                        if first in FRONT_ENDS or first in ("tests", "bench", "fuzz", "examples"):
                            errors.append(f"{rel}:{lineno}: includes {target} (a library file includes no front end)")
                            continue
                        dst_layer = layer_of(target)
                        if dst_layer is None or dst_layer == src_layer:
                            continue
                        if dst_layer not in RANK:
                            errors.append(f"{rel}:{lineno}: includes {target} of unknown layer '{dst_layer}'")
                        elif RANK[dst_layer] >= RANK[src_layer]:
                            how = "a higher layer" if RANK[dst_layer] > RANK[src_layer] else "a layer of the same rank"
                            errors.append(f"{rel}:{lineno}: {src_layer} includes {dst_layer} ({how}): {target}")
    return errors


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    errors = check(root)
    for e in errors:
        print(e)
    if errors:
        print(f"check-layers: {len(errors)} include(s) against the layer order "
              "core < dsp < hearing, implant, analysis < listener < scene < engine < io, plots")
        return 1
    print("check-layers: all includes follow the layer order")
    return 0


if __name__ == "__main__":
    sys.exit(main())
