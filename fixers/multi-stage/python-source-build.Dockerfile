# Python built from source into /usr/local, as the official image does: a
# download unpacked and removed in the same RUN, links made in /usr/local
# with a variable; everything stays in what the runtime stage copies.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc make libssl-dev libffi-dev zlib1g-dev wget ca-certificates
RUN wget -O python.tar.xz "https://www.python.org/ftp/python/3.12.1/Python-3.12.1.tar.xz" \
 && mkdir -p /usr/src/python \
 && tar --extract --directory /usr/src/python --strip-components=1 --file python.tar.xz \
 && rm python.tar.xz \
 && cd /usr/src/python && ./configure && make -j "$(nproc)" && make install \
 && rm -rf /usr/src/python \
 && for src in idle3 pip3 python3; do dst="$(echo "$src" | tr -d 3)"; ln -svT "$src" "/usr/local/bin/$dst"; done \
 && pip3 install --no-cache-dir setuptools
CMD ["python3"]
