# escape=`
FROM alpine
run `
    <<''''''''
