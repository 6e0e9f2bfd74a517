# Ubuntu 20.04: the run-time libraries have focal's names (libssl1.1).
FROM ubuntu:20.04
RUN apt-get update && apt-get install -y python3-pip libssl-dev libffi-dev build-essential
RUN pip3 install cryptography==3.3.2
CMD ["python3", "-c", "import cryptography"]
