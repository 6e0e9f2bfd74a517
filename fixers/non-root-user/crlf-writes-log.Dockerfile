# CRLF: the new lines keep it; the log's folder becomes the user's.
FROM debian:bookworm-slim
COPY app /opt/svc/bin/app
CMD /opt/svc/bin/app --log-file=/var/log/svc/app.log >> /var/log/svc/out.log
