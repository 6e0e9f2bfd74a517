# Builds without a context: its command writes to the WORKDIR the file
# creates, to a VOLUME and to a log file. Under the new user all three
# still work.
FROM debian:bookworm-slim
WORKDIR /srv/app
VOLUME /srv/data
CMD sh -c "echo state > /srv/app/state.txt && echo data > /srv/data/record.txt && id -u | tee -a /var/log/app.log"
