
FROM alpine
RUN echo $PATH
