# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
MAINTAINER Name "Nick" `tick C:\path
MAINTAINER Continued `
    Line
