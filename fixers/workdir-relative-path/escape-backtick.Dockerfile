# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR app
WORKDIR C:/app
