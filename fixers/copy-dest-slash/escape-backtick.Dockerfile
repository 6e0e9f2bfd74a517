# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY app.exe app.config C:\app
COPY app.exe app.config C:\app\
COPY a.txt b.txt `
    C:\data
