# The app writes to its WORKDIR, a VOLUME and a log file named in CMD: they
# become the new user's (COPY --chown for what the COPYs put there, one
# mkdir/chown in the RUN that creates the user, before the VOLUME line).
FROM python:3.12-slim
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
VOLUME /srv/data
EXPOSE 8000
CMD sh -c "python app.py --data-dir /srv/data 2>&1 | tee -a /var/log/app.log"
