# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 `
    as base
RUN echo hi
