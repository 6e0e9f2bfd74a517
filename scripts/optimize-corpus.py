#!/usr/bin/env python3
"""How often the verified optimizations would try on a corpus of
Dockerfiles, and why they decline elsewhere: runs
`dockerfix check --unsafe-fixes --select multi-stage,slim-base --format json`
over the corpus and counts, per rule, the findings with a fix (what
`fix --verified` would build and try) by what they do, and those without a
fix by their reason (image names, tags and paths folded, so that reasons
group).

Usage: scripts/optimize-corpus.py [DOCKERFIX] [CORPUS]
  (defaults target/release/dockerfix, /work/shared/corpus/files)
"""
import collections
import json
import re
import subprocess
import sys

RULES = ["multi-stage", "slim-base"]


def fold(reason: str) -> str:
    """A reason with its particulars folded: `python:3-alpine` → IMAGE."""
    reason = re.sub(r"`[^`]*`", "`…`", reason)
    reason = re.sub(r"\([^()]*,[^()]*\)", "(…)", reason)
    reason = re.sub(r"\b[\w.+-]+-dev\b", "X-dev", reason)
    reason = re.sub(r"\b[\w.-]+(/[\w.-]+)*:[\w.-]+\b", "IMAGE", reason)
    reason = re.sub(r"(?<![\w`])/[\w./-]+", "PATH", reason)
    return reason


def main() -> None:
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/dockerfix"
    corpus = sys.argv[2] if len(sys.argv) > 2 else "/work/shared/corpus/files"
    run = subprocess.run(
        [binary, "check", "--unsafe-fixes", "--select", ",".join(RULES), "--format", "json", corpus],
        capture_output=True,
        text=True,
    )
    report = json.loads(run.stdout)
    files = report["files"]
    print(f"{len(files)} files")
    for rule in RULES:
        tried = collections.Counter()
        declined = collections.Counter()
        tried_files = set()
        declined_files = set()
        for file in files:
            for finding in file["findings"]:
                if finding["rule"] != rule:
                    continue
                message = finding["message"]
                if finding["fixable"] or finding["fixable_with"]:
                    tried_files.add(file["path"])
                    what = message.split(" build in the shipped image")[0] if rule == "multi-stage" else "slim variant"
                    if rule == "slim-base":
                        what = message.split(" has a smaller variant")[0].split(":")[0]
                    tried[what] += 1
                else:
                    declined_files.add(file["path"])
                    reason = message.split(", but ", 1)[-1] if ", but " in message else message
                    declined[fold(reason)] += 1
        print(f"\n{rule}: would try {len(tried_files)} files, declines {len(declined_files)}")
        for what, n in tried.most_common():
            print(f"  try     {n:4}  {what}")
        for reason, n in declined.most_common():
            print(f"  decline {n:4}  {reason}")


if __name__ == "__main__":
    main()
