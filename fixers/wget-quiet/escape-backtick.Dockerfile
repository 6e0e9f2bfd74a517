# escape=`
FROM centos:7
RUN wget `
    https://example.com/a.tgz
