FROM alpine
ADD a.txt /a