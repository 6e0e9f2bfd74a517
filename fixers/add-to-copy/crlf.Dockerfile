FROM alpine
ADD a.txt /a
RUN echo ok
ADD b.tar.gz /b
