#!/usr/bin/env python3
"""Writes src/rules/recommends.txt: for each Debian/Ubuntu package, the
packages that matter (below) which `apt-get install` brings only through a
Recommends, and which `--no-install-recommends` therefore leaves out.

A package P loses M when M is not in the Depends closure of P (Pre-Depends
and Depends, followed to the end), but some package Q of that closure (P
itself included) recommends a package whose Depends closure holds M:
`curl` recommends nothing itself, but its dependency `libcurl4` recommends
`ca-certificates`; `git` recommends `ssh-client`, which `openssh-client`
provides. Of a group of alternatives (`a | b`) the first that exists is
taken, as apt does; a virtual package is resolved to its provider (the first
by name when several provide it).

The indexes are the Packages files apt has (`apt-get indextargets`), read
through `apt-helper cat-file` (they may be compressed), for every origin
Debian or Ubuntu: run `apt-get update` first. Each release (its codename
without `-updates` / `-security`) is one index: a package of an update suite
replaces the release's own. The table holds the union over the releases
found; its header names them with the date of each suite's Release file.

Usage: scripts/gen-recommends.py [OUTPUT]   (default src/rules/recommends.txt)
"""

import collections
import os
import re
import subprocess
import sys

# The packages whose loss breaks what a Dockerfile evidently does, and why
# (src/rules/apt_no_recommends.rs decides when a file needs each one).
MATTER = {
    "ca-certificates": "the CA bundle: every TLS client (https URLs) fails without it",
    "dirmngr": "gpg's network helper: keyserver look-ups (`--recv-keys`, `apt-key adv --keyserver`)",
    "gnupg": "the GnuPG suite `apt-key` needs",
    "openssh-client": "ssh: git over `git@`/`ssh://` URLs, scp",
}

APT_HELPER = "/usr/lib/apt/apt-helper"


def index_targets():
    """(file, origin, codename) of every Packages file apt has."""
    out = subprocess.run(
        ["apt-get", "indextargets", "--format", "$(FILENAME)\t$(ORIGIN)\t$(CODENAME)", "Identifier: Packages"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    targets = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[1] in ("Debian", "Ubuntu") and os.path.exists(parts[0]):
            targets.append(tuple(parts))
    return targets


def release_date(packages_file):
    """The Date of the (In)Release file of the suite a Packages file is from."""
    base = re.sub(r"_[^_]+_binary-[^_]+_Packages(\.[a-z0-9]+)?$", "", packages_file)
    for name in (base + "_InRelease", base + "_Release"):
        if os.path.exists(name):
            with open(name, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if line.startswith("Date:"):
                        return line.split(":", 1)[1].strip()
    return "unknown date"


def stanzas(text):
    """Each stanza of a Packages file as a dict of the fields used here."""
    for block in text.split("\n\n"):
        fields, key = {}, None
        for line in block.split("\n"):
            if not line:
                continue
            if line[0] in " \t":
                if key is not None:
                    fields[key] += " " + line.strip()
                continue
            key, _, value = line.partition(":")
            fields[key] = value.strip()
        if "Package" in fields:
            yield fields


def missing_matter(packages):
    """package -> the set of MATTER packages it loses without recommends."""
    providers = collections.defaultdict(list)
    for name, fields in packages.items():
        for provided in fields.get("Provides", "").split(","):
            provided = provided.strip().split(" ")[0]
            if provided:
                providers[provided].append(name)

    def resolve(group):
        for alternative in group.split("|"):
            name = alternative.strip().split(" ")[0].split(":")[0]
            if name in packages:
                return name
            if name in providers:
                return sorted(providers[name])[0]
        return None

    def relations(fields, keys):
        found = []
        for key in keys:
            for group in fields.get(key, "").split(","):
                if group.strip():
                    name = resolve(group)
                    if name:
                        found.append(name)
        return found

    depended_by = collections.defaultdict(set)
    recommends = {}
    for name, fields in packages.items():
        for dependency in relations(fields, ("Pre-Depends", "Depends")):
            depended_by[dependency].add(name)
        recommends[name] = relations(fields, ("Recommends",))

    def upward(starts):
        """The packages whose Depends closure holds one of `starts`."""
        seen, todo = set(starts), list(starts)
        while todo:
            for parent in depended_by[todo.pop()]:
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    lost = collections.defaultdict(set)
    for matter in MATTER:
        if matter not in packages:
            continue
        holds = upward([matter])
        recommenders = [q for q in packages if any(r in holds for r in recommends[q])]
        for name in upward(recommenders) - holds:
            lost[name].add(matter)
    return lost


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else "src/rules/recommends.txt"
    releases = collections.defaultdict(list)
    for path, origin, codename in index_targets():
        release = codename.split("-")[0]
        releases[(origin, release)].append((codename, path))
    if not releases:
        sys.exit("error: apt has no Debian or Ubuntu Packages index (run apt-get update)")

    lost = collections.defaultdict(set)
    header = []
    for (origin, release), suites in sorted(releases.items()):
        packages = {}
        # The release's own suite first, so that updates replace its packages.
        for codename, path in sorted(suites, key=lambda s: (s[0] != release, s[0])):
            text = subprocess.run([APT_HELPER, "cat-file", path], check=True, capture_output=True, text=True).stdout
            for fields in stanzas(text):
                packages[fields["Package"]] = fields
        for name, matters in missing_matter(packages).items():
            lost[name] |= matters
        dates = "; ".join(f"{codename} {release_date(path)}" for codename, path in sorted(suites))
        header.append(f"#   {origin} {release}, {len(packages)} packages ({dates})")

    by_set = collections.defaultdict(list)
    for name, matters in lost.items():
        by_set[" ".join(sorted(matters))].append(name)
    with open(output, "w", encoding="utf-8") as f:
        f.write("# Recommends that matter, by package. Generated by scripts/gen-recommends.py: do not edit.\n")
        f.write("# Under each `[matters]` line, the packages that bring those only through a Recommends\n")
        f.write("# (their own or one of a dependency's), so that `--no-install-recommends` leaves them out.\n")
        for matter, why in MATTER.items():
            f.write(f"#   {matter}: {why}\n")
        f.write("# Indexes read (release, size, date of each suite's Release file):\n")
        f.write("\n".join(header) + "\n")
        for matters in sorted(by_set):
            f.write(f"[{matters}]\n")
            for name in sorted(by_set[matters]):
                f.write(name + "\n")
    print(f"{output}: {len(lost)} packages in {len(by_set)} groups", file=sys.stderr)


if __name__ == "__main__":
    main()
