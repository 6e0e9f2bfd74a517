FROM python:3.12-slim
CMD python app.py --port 80
CMD exec nginx -g "daemon off;"
CMD gunicorn --bind 0.0.0.0:8000 'app:create_app()'
ENTRYPOINT /usr/local/bin/entrypoint.sh --verbose
cmd python lower.py
CMD ["already", "exec"]
CMD echo 'say "hi" \ there'
# Needs a shell: written out, with `exec` for one program.
CMD python app.py --port $PORT
CMD cd /app && ./run.sh
CMD ./run.sh > /var/log/run.log 2>&1
CMD FOO=bar ./run.sh
CMD ls *.txt
CMD ~/bin/start
CMD echo `date`
CMD source /venv/bin/activate; python app.py
