# Found by fuzzing: brush-parser takes time exponential in the depth of
# unclosed parentheses after ((. Without the depth limit this file takes
# years; with it, the RUNs are not modelled and nothing is fixed in them.
# brush-parser no longer reads RUNs (src/shell/lex.rs); the scanner's
# nesting limit keeps this file bounded.
FROM debian:12
RUN ((((((((((((((((((((((((((((((((((((((((apt-get install -y curl
RUN (( (( (( (( (( (( (( (( (( (( (( (( (( (( (( (( (( (( (( (( wget https://e.com/f | sh
