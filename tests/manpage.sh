#!/bin/sh
# tests/manpage.sh MAN MAIN_C — the man page says what the program does:
# every verb of main.c's table "verbs" has its subsection .SS "uppfolj VERB"
# naming each option the verb takes, every long option has its entry under
# OPTIONS, the exit codes and the environment variables the sources read
# are there, and groff finds nothing to warn about.  Prints TAP.
set -u
man=$1
main=$2
. "$(dirname "$0")/region.sh"

# {"rerun", "out archive quiet", ... between "verbs[] = {" and "};", and
# {"config", "FIL", ... between "opts[] = {" and "};"
verbs=$(sed -n '/} verbs\[\] = {/,/^};/s/^ *{"\([a-z]*\)", "\([a-z ]*\)".*/\1:\2/p' "$main" | tr ' ' ',')
options=$(sed -n '/} opts\[\] = {/,/^};/s/^ *{"\([a-z]*\)",.*/\1/p' "$main")
check "main.c's verbs are found" [ "$(echo "$verbs" | wc -w)" -ge 8 ]
check "main.c's options are found" [ "$(echo "$options" | wc -w)" -ge 14 ]
vars=$(grep -rho --include='*.c' --exclude-dir=tests --exclude-dir='build*' 'getenv("[A-Z_]*")' \
       "$(dirname "$main")" | sed 's/getenv("\(.*\)")/\1/' | sort -u)
check "the program's environment variables are found" [ "$(echo "$vars" | wc -w)" -ge 2 ]

# section TITLE_PREFIX: the lines from the .SS or .SH that starts so, up to the next one
section() {
    awk -v want="$1" 'index($0, want) == 1 { on = 1; print; next }
                      /^\.S[SH] / { on = 0 } on' "$man"
}
for entry in $verbs; do
    verb=${entry%%:*}
    body=$(section ".SS \"uppfolj $verb ")
    check "the page has a subsection for $verb" [ -n "$body" ]
    for opt in $(echo "${entry#*:}" | tr ',' ' '); do
        case $body in
        *"\\-\\-$opt"*) ok "$verb's subsection names --$opt" ;;
        *) not_ok "$verb's subsection names --$opt" ;;
        esac
    done
done
opts=$(section ".SH OPTIONS")
for opt in $options; do
    if echo "$opts" | grep -q "^\.B[IR]* \\\\-\\\\-$opt\( \|$\)"; then ok "OPTIONS has --$opt"
    else not_ok "OPTIONS has --$opt"; fi
done
status=$(section ".SH EXIT STATUS")
for code in 0 1 2 3; do
    if echo "$status" | grep -qx "\.B $code"; then ok "EXIT STATUS has $code"; else not_ok "EXIT STATUS has $code"; fi
done
env=$(section ".SH ENVIRONMENT")
for var in $vars; do
    if echo "$env" | grep -qx "\.B $var"; then ok "ENVIRONMENT has $var"; else not_ok "ENVIRONMENT has $var"; fi
done
check "the page names the built-in definitions' folder" grep -q "^\.I /.*/uppfolj/indicators$" "$man"
warnings=$(groff -man -ww -z "$man" 2>&1)
if [ -z "$warnings" ]; then ok "groff has no warnings"; else not_ok "groff has no warnings" "$warnings"; fi
finish
