FROM python:3.12-slim
RUN pip install -r requirements.txt
RUN pip3 install --upgrade pip && python3 -m pip install "django>=5"
RUN python -m pip --disable-pip-version-check install --user poetry
RUN pip install --no-cache-dir flask && pip3.12 install -e .
RUN if [ -f dev.txt ]; then pip install -r dev.txt; fi
# Other tools, or not an install.
RUN pipx install black && pipenv install && uv pip install ruff && pip download six && pip freeze
RUN PIP_NO_CACHE_DIR=1 pip install gunicorn
ONBUILD RUN if [ -s requirements.txt ]; then pip install -r requirements.txt; fi
