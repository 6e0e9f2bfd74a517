FROM debian:12
RUN cd /usr/src/app && ./configure && make
COPY . /src
WORKDIR /src
RUN cd build && make install
RUN cd /tmp && \
    curl -fsSL https://example.com/x.tgz | tar xz && \
    ./x/install.sh
WORKDIR /opt
