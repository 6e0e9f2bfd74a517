# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ENV TOOLS C:\tools
ENV LIST a `
    b
ENV TICK a``b c
