# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ADD "C:\build\app.zip" C:\app\
ADD app`.tgz C:\x\
ADD "C:\build\tools.tgz" C:\tools\
ADD "C:\build\config.json" C:\app\
