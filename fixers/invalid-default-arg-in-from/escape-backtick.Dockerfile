# escape=`
ARG TAG
FROM mcr.microsoft.com/windows/nanoserver:$TAG
