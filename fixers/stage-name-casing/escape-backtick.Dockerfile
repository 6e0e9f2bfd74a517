# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS Tools
FROM Tools
COPY --from=Tools C:/a C:/a
