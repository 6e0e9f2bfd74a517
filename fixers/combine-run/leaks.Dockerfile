FROM debian:bookworm
# A directory change would move the second part: no fix.
RUN cd /tmp && wget https://example.com/x.tgz
RUN tar xzf x.tgz

USER root
# In a subshell it changes nothing that lasts: safe.
RUN (cd /src && make)
RUN make install

USER root
# Variables and exported ones reach the second part: unsafe.
RUN export PATH=/opt/bin:$PATH
RUN tool --version

USER root
RUN VERSION=1.2
RUN echo $VERSION

USER root
# A background job: no fix.
RUN sleep 100 &
RUN echo next

USER root
# A comment after the last command, or one for hadolint: not combined.
RUN echo a # explained here
RUN echo b
# hadolint ignore=DL3008
RUN echo c
