# escape=`
ARG VERSION=ltsc2022
FROM mcr.microsoft.com/windows/nanoserver:$VERISON
