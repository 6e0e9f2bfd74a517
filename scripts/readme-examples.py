#!/usr/bin/env python3
"""Rewrites the output of every `$ command` in README.md's console blocks
with what the command prints now (the check is tests/readme.rs).
Usage: cargo build && python3 scripts/readme-examples.py"""
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
env = dict(os.environ, NO_COLOR="1",
           PATH=os.path.join(root, "target", "debug") + os.pathsep + os.environ.get("PATH", ""))
lines = open(os.path.join(root, "README.md"), encoding="utf-8").read().split("\n")
out, in_console, skipping = [], False, False
for line in lines:
    if line.startswith("```"):
        if not in_console and line.strip() == "```console":
            in_console = True
        elif in_console and line.strip() == "```":
            in_console, skipping = False, False
        out.append(line)
        continue
    if in_console and line.startswith("$ "):
        out.append(line)
        run = subprocess.run(["sh", "-c", line[2:]], cwd=root, env=env,
                             capture_output=True, text=True)
        out.extend(run.stdout.rstrip("\n").split("\n") if run.stdout else [])
        skipping = True
        continue
    if in_console and skipping:
        continue
    out.append(line)
open(os.path.join(root, "README.md"), "w", encoding="utf-8").write("\n".join(out))
sys.exit(0)
