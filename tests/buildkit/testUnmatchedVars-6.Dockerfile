
FROM alpine
ENV PATH=$PAHT:/tmp/bin
		