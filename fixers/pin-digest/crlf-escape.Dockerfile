# escape=`
FROM `
  python:3.12-slim AS base
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY --from=base C:/app C:/app
