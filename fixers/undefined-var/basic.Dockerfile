FROM scratch AS first
COPY $foo .

FROM alpine:3.20 AS second
COPY $bar .
ARG DIR_BINARIES=binaries/
ARG DIR_ASSETS=assets/
COPY $DIR_ASSET .
ENV PATH=$PAHT:/tmp/bin
RUN echo $PATH $UNDEFINED_IN_SHELL
CMD echo $ALSO_SHELL
