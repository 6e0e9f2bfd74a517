"""Compares hadolint's findings before and after `dockerfix fix` (see oracle.sh).

Reads, from the folder given as the only argument: before/ and after/ (the
corpus copies), hadolint-before.json, hadolint-after.json,
check-before.txt, check-after.txt (`dockerfix check --unsafe-fixes`) and
rules.txt (`dockerfix rules`). Prints the table and exits 1 when a target
is missed.
"""

import collections
import difflib
import json
import os
import re
import sys

DROP_TARGET = 0.95


def rule_codes(path):
    """rule id -> the hadolint codes it answers."""
    codes = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                codes[parts[0]] = [c for c in parts[1].split(",") if re.fullmatch(r"DL\d{4}", c)]
    return codes


def hadolint(path):
    """(file name, line) of every finding, by code."""
    with open(path, encoding="utf-8") as f:
        text = f.read().strip() or "[]"
    found = collections.defaultdict(list)
    for item in json.loads(text):
        found[item["code"]].append((os.path.basename(item["file"]), item["line"]))
    return found


CHECK_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<rule>[a-z-]+) (?P<msg>.*)$")


def dockerfix_findings(path):
    """(file name, line, rule, fixable) of every `dockerfix check` finding."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = CHECK_LINE.match(line.rstrip("\n"))
            if m:
                out.append((os.path.basename(m["file"]), int(m["line"]), m["rule"], m["msg"].endswith("[*]")))
    return out


def explanations(path):
    """(code, file name) -> why a finding the rule does not report stays;
    code -> the rules whose fixes let hadolint see more of that code."""
    explained, rises = {}, collections.defaultdict(set)
    if not os.path.exists(path):
        return explained, rises
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            first, second, third = line.rstrip("\n").split("\t")[:3]
            if first == "rise":
                rises[second].add(third)
            else:
                explained[(first, second)] = third
    return explained, rises


def read_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    return text.lstrip("\ufeff").split("\n")


def instruction_starts(lines):
    """1-based line -> 1-based first line of the instruction holding it
    (continuation lines, comment lines inside them, heredoc bodies)."""
    escape = "\\"
    for line in lines[:5]:
        m = re.match(r"^#\s*escape\s*=\s*(\S)", line)
        if m:
            escape = m.group(1)
    start_of = {}
    i = 0
    while i < len(lines):
        start = i
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            start_of[i + 1] = i + 1
            i += 1
            continue
        logical = ""
        while True:
            body = lines[i].rstrip(" \t\r")
            if body.endswith(escape) and i + 1 < len(lines):
                logical += body[:-1]
                i += 1
                while i < len(lines) and (not lines[i].strip() or lines[i].strip().startswith("#")):
                    i += 1
                if i >= len(lines):
                    break
                continue
            logical += body
            break
        for strip, delim in re.findall(r"<<(-?)\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?", logical):
            while i + 1 < len(lines):
                i += 1
                line = lines[i].rstrip("\r")
                if (line.lstrip("\t") if strip else line) == delim:
                    break
        for k in range(start, min(i, len(lines) - 1) + 1):
            start_of[k + 1] = start + 1
        i += 1
    return start_of


def line_map(before, after):
    """1-based line of `before` -> 1-based line of `after` holding it (or
    what replaced it)."""
    mapping = {}
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for i in range(i1, i2):
            if tag == "equal":
                j = j1 + (i - i1)
            else:
                j = j1 + min(i - i1, max(j2 - j1 - 1, 0))
            mapping[i + 1] = j + 1
    return mapping


def main(work, explained_path):
    codes_of = rule_codes(os.path.join(work, "rules.txt"))
    explained, rise_rules = explanations(explained_path)
    used_explanations = set()
    rules_of_code = collections.defaultdict(list)
    for rule, codes in codes_of.items():
        for code in codes:
            rules_of_code[code].append(rule)
    before = hadolint(os.path.join(work, "hadolint-before.json"))
    after = hadolint(os.path.join(work, "hadolint-after.json"))

    starts = {}

    def start(side, name, line):
        key = (side, name)
        if key not in starts:
            starts[key] = instruction_starts(read_lines(os.path.join(work, side, name)))
        return starts[key].get(line, line)

    maps = {}

    def to_after(name, line):
        if name not in maps:
            maps[name] = line_map(read_lines(os.path.join(work, "before", name)), read_lines(os.path.join(work, "after", name)))
        return maps[name].get(line, line)

    # Instructions (after the fix) that a rule fixed, and those where it
    # reports and declines to fix.
    fixed = collections.defaultdict(set)
    rules_fixing_file = collections.defaultdict(set)
    for name, line, rule, fixable in dockerfix_findings(os.path.join(work, "check-before.txt")):
        if fixable:
            rules_fixing_file[name].add(rule)
            at = start("after", name, to_after(name, start("before", name, line)))
            fixed[(name, at)].add(rule)
    declined = collections.defaultdict(set)
    for name, line, rule, fixable in dockerfix_findings(os.path.join(work, "check-after.txt")):
        if not fixable:
            declined[(name, start("after", name, line))].add(rule)

    failures = []
    rows = []
    for code in sorted(rules_of_code):
        rules = rules_of_code[code]
        n_before = len(before.get(code, []))
        declined_here, explained_here, missed, on_fixed = [], [], [], []
        for name, line in after.get(code, []):
            at = start("after", name, line)
            if set(rules) & declined[(name, at)]:
                declined_here.append((name, line))
            elif set(rules) & fixed[(name, at)]:
                on_fixed.append((name, line))
            elif (code, name) in explained:
                used_explanations.add((code, name))
                explained_here.append((name, line))
            else:
                missed.append((name, line))
        n_after = len(after.get(code, []))
        unexplained = len(missed) + len(on_fixed)
        drop = 1 - unexplained / n_before if n_before else 1.0
        rows.append((code, ",".join(rules), n_before, n_after, len(declined_here), len(explained_here), len(missed), len(on_fixed), drop))
        if on_fixed:
            failures.append(f"{code}: still on {len(on_fixed)} instruction(s) that {'/'.join(rules)} fixed, e.g. {on_fixed[:3]}")
        if drop < DROP_TARGET:
            failures.append(f"{code}: {unexplained} of {n_before} left unexplained ({drop:.0%} dropped, target {DROP_TARGET:.0%}), e.g. {missed[:5]}")

    print(f"{'code':8} {'rule':24} {'before':>6} {'after':>6} {'declined':>8} {'explained':>9} {'missed':>6} {'on fixed':>8} {'dropped':>7}")
    for code, rules, b, a, d, e, m, f, drop in rows:
        print(f"{code:8} {rules:24} {b:6} {a:6} {d:8} {e:9} {m:6} {f:8} {drop:7.0%}")
    print("(declined: the rule reports it without a fix; explained: left on purpose, see"
          " scripts/oracle-explained.tsv; missed: neither; on fixed: left on an instruction the rule fixed;"
          " dropped: share of `before` gone, declined or explained)")
    for code, name in sorted(set(explained) - used_explanations):
        failures.append(f"{code} {name}: listed in oracle-explained.tsv but nothing is left there")

    risen = [(code, len(before.get(code, [])), len(after[code])) for code in after if len(after[code]) > len(before.get(code, []))]
    for code, b, a in sorted(risen):
        per_file_before = collections.Counter(name for name, _ in before.get(code, []))
        per_file_after = collections.Counter(name for name, _ in after[code])
        files = sorted(name for name in per_file_after if per_file_after[name] > per_file_before[name])
        unexplained = [name for name in files if not rise_rules[code] & rules_fixing_file[name]]
        if unexplained:
            failures.append(f"{code}: found {a} times after the fixes, {b} before (more in {unexplained[:5]})")
        else:
            print(f"{code}: {b} before, {a} after, more only in files fixed by"
                  f" {'/'.join(sorted(rise_rules[code]))} (explained in oracle-explained.tsv)")
    total_before = sum(len(v) for v in before.values())
    total_after = sum(len(v) for v in after.values())
    print(f"all hadolint findings: {total_before} before, {total_after} after")

    if failures:
        print("\nFAILED:")
        for failure in failures:
            print(f"  {failure}")
        return 1
    print("oracle: every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
