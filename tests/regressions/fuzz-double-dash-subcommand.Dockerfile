# Found by fuzzing: with `--` before the subcommand, dnf-yum-zypper-clean
# inserted `-y` after `install`, where it is a package name, and found the
# prompt unanswered again in every pass (no convergence). A subcommand after
# `--` is not read now.
FROM fedora:40
RUN dnf -- install -y x
RUN apt-get -- install x
