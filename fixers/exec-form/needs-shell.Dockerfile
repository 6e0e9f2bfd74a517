FROM python:3.12-slim
# One program with variables or redirections: `exec` in an explicit shell.
CMD gunicorn -b :$PORT app:app
CMD java ${JAVA_OPTS:-} -jar "/srv/app $VERSION.jar" > /var/log/app.log 2>&1
ENTRYPOINT /docker-entrypoint.sh "$@"
# Already `exec`: written out as it is (safe, the same image).
CMD exec gunicorn -b :$PORT app:app
# Lists, pipelines, built-ins, assignments, background: no `exec`.
CMD cd /app && ./run.sh
CMD ./produce | ./consume
CMD source /venv/bin/activate; python app.py
CMD FOO=bar ./run.sh
CMD ./daemon &
# Quotes, backslashes and backticks in the JSON string.
CMD echo "it's \"quoted\"" 'C:\path' `date` \$HOME
cmd ls *.txt
# A quote left open: reported, not rewritten.
CMD echo "unterminated $X
