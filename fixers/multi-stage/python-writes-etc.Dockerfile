# A RUN configures the system outside the copied paths (sshd's folder, a
# user's password): the runtime stage would not have it.
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip python3-dev gcc openssh-server
RUN pip install --break-system-packages psycopg2 \
 && mkdir -p /run/sshd \
 && echo 'PermitRootLogin no' >> /etc/ssh/sshd_config
CMD ["/usr/sbin/sshd", "-D"]
