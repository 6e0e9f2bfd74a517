from alpine:3.20
expose 5000-5010/SCTP
