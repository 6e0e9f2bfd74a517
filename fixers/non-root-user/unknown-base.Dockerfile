# Nothing tells what the base is: a numeric user needs no user database.
FROM my.registry.example:5000/base/os:1
COPY app /app
CMD ["/app"]
