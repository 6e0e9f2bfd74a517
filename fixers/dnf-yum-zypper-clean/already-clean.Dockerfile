FROM fedora:40
RUN set -eux; dnf install -y --setopt=install_weak_deps=False gcc; dnf clean all; rm -rf /var/cache/dnf
