# a comment that is no description
ARG foo=bar
FROM scratch AS base
