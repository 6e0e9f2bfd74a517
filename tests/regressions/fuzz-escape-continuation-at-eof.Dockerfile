# escape=`
FROM alpine
FROM `