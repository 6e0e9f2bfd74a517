FROM scratch AS a
ENTRYPOINT ["/myapp"]
CMD ["/myapp"]

FROM a AS b
ENTRYPOINT ["/myotherapp"]
CMD ["/myotherapp"]
ONBUILD CMD ["x"]
ONBUILD CMD ["y"]
