# escape=`
FROM python:3.12
RUN pip install `
    -r C:\\req.txt
